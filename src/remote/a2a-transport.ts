/**
 * The outbound transport port: one adapter per A2A protocol binding (JSON-RPC, HTTP+JSON, gRPC) carries
 * an operation's ProtoJSON request to an agent's endpoint and returns its ProtoJSON reply. Adapters own
 * their wire work only: envelopes or paths, headers (`A2A-Version` from the endpoint, plus
 * `options.headers`), deadlines, cancellation, bounded reads and streams. What a reply means is checked
 * above them (`A2AClient`), so every adapter returns replies in the A2A 1.0 ProtoJSON form, unvalidated.
 *
 * Failures are `GatewayError`s, the same for every binding: `REMOTE_UNAVAILABLE` (cannot reach the agent),
 * `REMOTE_PROTOCOL_ERROR` (a reply that is not the binding's format), `DEADLINE_EXCEEDED`, `CANCELLED`
 * (the caller's signal aborted), and `REMOTE_ERROR` when the agent answered with an error, whose details
 * are `RemoteErrorDetails`, so the façade can give its caller the same A2A error on any binding.
 */
import type { A2ACallOptions } from './a2a-client.js';
import type { AgentEndpoint } from '../domain/agent.js';
import type { A2AStreamOperation, A2AUnaryOperation, JsonObject } from '../a2a/operations.js';

/** `GatewayError.details` of a `REMOTE_ERROR` (a type, not an interface, so it fits `ErrorDetails`). */
export type RemoteErrorDetails = {
  /**
   * The A2A / JSON-RPC code of the error (`-32001` TaskNotFound…). Transports other than JSON-RPC derive
   * it from the `ErrorInfo` reason, else from the status (`a2a-errors.ts`); -32603 when neither says.
   */
  readonly remoteCode: number;
  /** The agent's own message. */
  readonly remoteMessage: string;
  /** The `ErrorInfo.reason` the agent sent, if any. */
  readonly remoteReason?: string;
  /** The HTTP status (HTTP+JSON) or gRPC status code (gRPC) the agent answered with. */
  readonly remoteStatus?: number;
};

/** The limits of a transport, and of the client over them. */
export interface A2ATransportOptions {
  /** Limit of a call without its own `timeoutMs` (for streams: the wait for the stream to open). @default 30000 */
  readonly defaultTimeoutMs?: number;
  /** Largest reply read: a whole reply, or one stream event or gRPC message. @default 10485760 (10 MiB) */
  readonly maxResponseBytes?: number;
  /** Pooled connections per agent origin, for the HTTP bindings. @default 32 */
  readonly connections?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** The `A2A-Version` sent when an endpoint does not name one, and on card fetches. */
export const DEFAULT_PROTOCOL_VERSION = '1.0';

export interface A2ATransport {
  /**
   * Sends a unary operation. `params` is the ProtoJSON request (`tenant` already set from the endpoint
   * when it has one). Resolves with the ProtoJSON response (`{}` for an empty one).
   */
  unary(
    endpoint: AgentEndpoint,
    operation: A2AUnaryOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): Promise<unknown>;
  /**
   * Opens a streaming operation; yields each `StreamResponse` as it arrives and ends when the agent
   * closes the stream. Breaking out of the iteration, or aborting `options.signal`, closes the upstream
   * call. `options.timeoutMs` bounds only the wait for the stream to open.
   */
  stream(
    endpoint: AgentEndpoint,
    operation: A2AStreamOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): AsyncIterable<unknown>;
  /** Closes pooled connections. Idempotent. */
  close(): Promise<void>;
}
