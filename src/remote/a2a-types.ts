/**
 * The A2A 1.0 wire types the gateway reads and writes (ProtoJSON: camelCase, enums by name, oneofs by
 * member name). Only what the gateway uses is typed; unknown fields pass through untouched. The zod
 * schemas that validate replies against these types live in `a2a-schema.ts`.
 */
import type { Part } from '../domain/part.js';

export type A2ARole = 'ROLE_USER' | 'ROLE_AGENT' | 'ROLE_UNSPECIFIED';

export interface A2AMessage {
  readonly messageId: string;
  readonly role: A2ARole;
  readonly parts: readonly Part[];
  readonly contextId?: string;
  readonly taskId?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly extensions?: readonly string[];
  readonly referenceTaskIds?: readonly string[];
}

export interface A2ATaskStatus {
  /** 1.0 enum name (`TASK_STATE_*`); 0.3 replies are normalised to it by the client. */
  readonly state: string;
  readonly message?: A2AMessage;
  readonly timestamp?: string;
}

export interface A2AArtifact {
  readonly artifactId: string;
  readonly name?: string;
  readonly description?: string;
  readonly parts: readonly Part[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly extensions?: readonly string[];
}

export interface A2ATask {
  readonly id: string;
  readonly contextId?: string;
  readonly status: A2ATaskStatus;
  readonly artifacts?: readonly A2AArtifact[];
  readonly history?: readonly A2AMessage[];
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface A2ATaskStatusUpdateEvent {
  readonly taskId: string;
  readonly contextId?: string;
  readonly status: A2ATaskStatus;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface A2ATaskArtifactUpdateEvent {
  readonly taskId: string;
  readonly contextId?: string;
  readonly artifact: A2AArtifact;
  readonly append?: boolean;
  readonly lastChunk?: boolean;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** `SendMessageResponse`: exactly one of task or message. */
export type A2ASendMessageResult = { readonly task: A2ATask } | { readonly message: A2AMessage };

/** `StreamResponse`: exactly one member set. */
export type A2AStreamEvent =
  | { readonly task: A2ATask }
  | { readonly message: A2AMessage }
  | { readonly statusUpdate: A2ATaskStatusUpdateEvent }
  | { readonly artifactUpdate: A2ATaskArtifactUpdateEvent };

export interface A2ASendMessageConfiguration {
  readonly acceptedOutputModes?: readonly string[];
  readonly historyLength?: number;
  readonly returnImmediately?: boolean;
}

export interface A2ASendMessageRequest {
  readonly message: A2AMessage;
  readonly configuration?: A2ASendMessageConfiguration;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly tenant?: string;
}
