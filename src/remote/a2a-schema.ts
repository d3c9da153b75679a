/**
 * zod schemas for the A2A 1.0 ProtoJSON replies the gateway reads (the types are in `a2a-types.ts`), and
 * `parseAgentReply`, which turns a validation failure into a `REMOTE_PROTOCOL_ERROR` whose message names
 * the path and the issue. Unknown fields pass through untouched. Task states and roles are accepted in
 * both dialects (1.0 `TASK_STATE_*` / `ROLE_*`, 0.3 lowercase) and normalised to the 1.0 names.
 */
import { z } from 'zod';

import { A2ATaskState, normalizeTaskState } from '../domain/a2a-state.js';
import type { Part } from '../domain/part.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import type {
  A2AArtifact,
  A2AMessage,
  A2ARole,
  A2ASendMessageResult,
  A2AStreamEvent,
  A2ATask,
  A2ATaskStatus,
} from './a2a-types.js';

/** 0.3 spellings accepted beside the 1.0 enum names. */
const V03_TASK_STATES = [
  'submitted',
  'working',
  'completed',
  'failed',
  'canceled',
  'input-required',
  'rejected',
  'auth-required',
  'unknown',
] as const;

const taskStateSchema = z
  .enum([...Object.values(A2ATaskState), ...V03_TASK_STATES])
  .transform((state) => normalizeTaskState(state));

const ROLES: Readonly<Record<string, A2ARole>> = {
  ROLE_USER: 'ROLE_USER',
  ROLE_AGENT: 'ROLE_AGENT',
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  user: 'ROLE_USER',
  agent: 'ROLE_AGENT',
};

const roleSchema = z
  .enum(Object.keys(ROLES) as [string, ...string[]])
  .transform((role): A2ARole => ROLES[role] ?? 'ROLE_UNSPECIFIED');

const metadataSchema = z.record(z.string(), z.unknown());

const PART_CONTENT_KEYS = ['text', 'raw', 'url', 'data'] as const;

/** `Part`: exactly one of text / raw (base64) / url / data, plus optional mediaType, filename, metadata. */
export const partSchema = z
  .looseObject({
    text: z.string().optional(),
    raw: z.string().optional(),
    url: z.string().optional(),
    data: z.unknown().optional(),
    mediaType: z.string().optional(),
    filename: z.string().optional(),
    metadata: metadataSchema.optional(),
  })
  .superRefine((part, ctx) => {
    const present = PART_CONTENT_KEYS.filter((key) => part[key] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? 'a part needs one of text, raw, url or data'
            : `a part has exactly one of text, raw, url or data (found ${present.join(', ')})`,
      });
    }
  })
  .transform((part) => part as Part);

export const messageSchema = z.looseObject({
  messageId: z.string(),
  role: roleSchema,
  parts: z.array(partSchema),
  contextId: z.string().optional(),
  taskId: z.string().optional(),
  metadata: metadataSchema.optional(),
  extensions: z.array(z.string()).optional(),
  referenceTaskIds: z.array(z.string()).optional(),
}) satisfies z.ZodType<A2AMessage>;

export const taskStatusSchema = z.looseObject({
  state: taskStateSchema,
  message: messageSchema.optional(),
  timestamp: z.string().optional(),
}) satisfies z.ZodType<A2ATaskStatus>;

export const artifactSchema = z.looseObject({
  artifactId: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  parts: z.array(partSchema),
  metadata: metadataSchema.optional(),
  extensions: z.array(z.string()).optional(),
}) satisfies z.ZodType<A2AArtifact>;

export const taskSchema = z.looseObject({
  id: z.string(),
  contextId: z.string().optional(),
  status: taskStatusSchema,
  artifacts: z.array(artifactSchema).optional(),
  history: z.array(messageSchema).optional(),
  metadata: metadataSchema.optional(),
}) satisfies z.ZodType<A2ATask>;

const statusUpdateSchema = z.looseObject({
  taskId: z.string(),
  contextId: z.string().optional(),
  status: taskStatusSchema,
  metadata: metadataSchema.optional(),
});

const artifactUpdateSchema = z.looseObject({
  taskId: z.string(),
  contextId: z.string().optional(),
  artifact: artifactSchema,
  append: z.boolean().optional(),
  lastChunk: z.boolean().optional(),
  metadata: metadataSchema.optional(),
});

/** Adds an issue unless exactly one of `keys` is set on `value`. */
function exactlyOneOf<K extends string>(
  keys: readonly K[],
  what: string,
): (value: Partial<Record<K, unknown>>, ctx: z.RefinementCtx) => void {
  return (value, ctx) => {
    const present = keys.filter((key) => value[key] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} must have exactly one of ${keys.join(', ')} (found ${present.length === 0 ? 'none' : present.join(', ')})`,
      });
    }
  };
}

/** `SendMessageResponse`: `{task}` or `{message}`. */
export const sendMessageResponseSchema = z
  .looseObject({ task: taskSchema.optional(), message: messageSchema.optional() })
  .superRefine(exactlyOneOf(['task', 'message'], 'a SendMessage result'))
  .transform((value) => value as A2ASendMessageResult);

/** `StreamResponse`: `{task}`, `{message}`, `{statusUpdate}` or `{artifactUpdate}`. */
export const streamResponseSchema = z
  .looseObject({
    task: taskSchema.optional(),
    message: messageSchema.optional(),
    statusUpdate: statusUpdateSchema.optional(),
    artifactUpdate: artifactUpdateSchema.optional(),
  })
  .superRefine(exactlyOneOf(['task', 'message', 'statusUpdate', 'artifactUpdate'], 'a stream event'))
  .transform((value) => value as A2AStreamEvent);

/** The JSON-RPC 2.0 error object. */
export const jsonRpcErrorSchema = z.looseObject({
  code: z.number().int(),
  message: z.string(),
  data: z.unknown().optional(),
});
export type JsonRpcError = z.infer<typeof jsonRpcErrorSchema>;

/** A JSON-RPC 2.0 response: exactly one of `result` (validated later, per method) or `error`. */
export const jsonRpcResponseSchema = z
  .looseObject({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string(), z.number(), z.null()]).optional(),
    result: z.unknown().optional(),
    error: jsonRpcErrorSchema.optional(),
  })
  .superRefine((value, ctx) => {
    const hasResult = 'result' in value;
    const hasError = value.error !== undefined;
    if (hasResult === hasError) {
      ctx.addIssue({
        code: 'custom',
        message: 'a JSON-RPC response must have exactly one of result or error',
      });
    }
  });

/** `a.b[0].c` for a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The at most three first issues as `path: message`, joined by `; `. */
export function describeIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}

/**
 * Validates part of an agent's reply. `path` is where `value` sits in the reply (e.g. `['result']`),
 * so the message reads `agent reply invalid: result.task.status.state: ...`.
 */
export function parseAgentReply<T>(
  schema: z.ZodType<T>,
  value: unknown,
  path: readonly PropertyKey[] = [],
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new GatewayError(
    ErrorCode.REMOTE_PROTOCOL_ERROR,
    `agent reply invalid: ${describeIssues(parsed.error, path)}`,
    {
      cause: parsed.error,
    },
  );
}
