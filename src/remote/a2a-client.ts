/**
 * The outbound A2A client port: how the gateway calls remote agents. `BindingA2AClient` is the adapter:
 * it validates replies and hands each call to the transport of the endpoint's binding (JSON-RPC,
 * HTTP+JSON or gRPC; `a2a-transport.ts`). Every failure is a `GatewayError`: `REMOTE_UNAVAILABLE` (retryable)
 * when the agent cannot be reached, `REMOTE_PROTOCOL_ERROR` when its reply is not valid A2A (the message
 * says what was wrong), `REMOTE_ERROR` when it answers with an A2A error (`details.remoteCode`),
 * `DEADLINE_EXCEEDED` on a timeout and `CANCELLED` when the caller's signal aborts. Every call carries the
 * endpoint's `tenant` (the agent's own), whatever tenant the request named.
 */
import type { Context } from '@opentelemetry/api';

import type { A2AStreamOperation, A2AUnaryOperation, JsonObject } from '../a2a/operations.js';
import type { AgentEndpoint } from '../domain/agent.js';
import type { A2ASendMessageRequest, A2ASendMessageResult, A2AStreamEvent, A2ATask } from './a2a-types.js';

export interface A2ACallOptions {
  /** Ends the call (and an open stream) when aborted. */
  readonly signal: AbortSignal;
  /** Per-call limit; for streams, the limit on the wait for the response headers. @default the client's default */
  readonly timeoutMs?: number;
  /** Extra request headers (credentials, trace context). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The trace context the call's CLIENT span is a child of: the step's, or the request's that the call
   * serves. Given explicitly because the gateway keeps no active context. @default a new trace
   */
  readonly traceContext?: Context;
}

export interface FetchedAgentCard {
  /** The URL the card was fetched from. */
  readonly cardUrl: string;
  readonly card: Readonly<Record<string, unknown>>;
}

export interface A2AClient {
  /**
   * Fetches the card from `url`: used as-is when it ends in `.json`, otherwise
   * `<url>/.well-known/agent-card.json`. Does not validate the card (see `agent-card.ts`).
   */
  fetchAgentCard(url: string, options: A2ACallOptions): Promise<FetchedAgentCard>;
  sendMessage(
    endpoint: AgentEndpoint,
    request: A2ASendMessageRequest,
    options: A2ACallOptions,
  ): Promise<A2ASendMessageResult>;
  /** Yields each event as it arrives; the iterator ends when the agent closes the stream. */
  sendStreamingMessage(
    endpoint: AgentEndpoint,
    request: A2ASendMessageRequest,
    options: A2ACallOptions,
  ): AsyncIterable<A2AStreamEvent>;
  getTask(
    endpoint: AgentEndpoint,
    request: { id: string; historyLength?: number },
    options: A2ACallOptions,
  ): Promise<A2ATask>;
  cancelTask(endpoint: AgentEndpoint, request: { id: string }, options: A2ACallOptions): Promise<A2ATask>;
  /**
   * Any unary operation with the caller's ProtoJSON params, for the façade's pass-through calls: the
   * agent's reply is returned as ProtoJSON (1.0 shapes, whatever the agent's version), checked to be an
   * object only.
   */
  unary(
    endpoint: AgentEndpoint,
    operation: A2AUnaryOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): Promise<JsonObject>;
  /** Like `unary`, for the streaming operations: yields each `StreamResponse` as it arrives. */
  stream(
    endpoint: AgentEndpoint,
    operation: A2AStreamOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): AsyncIterable<JsonObject>;
  /** Closes pooled connections. Idempotent. */
  close(): Promise<void>;
}
