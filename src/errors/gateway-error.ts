/**
 * The one error type of the gateway. Every failure that crosses a boundary (a transport, a store, the
 * outbound client) is a `GatewayError` with a stable UPPER_SNAKE `code`; clients and tests match on the
 * code, never on the message. The wire mappings (HTTP status, gRPC status) live in `src/transport/`,
 * the human documentation of every code in `docs/errors.md` (kept in sync by a test).
 */

/** The closed set of error codes. Adding one means adding it to both status tables and to docs/errors.md. */
export const ErrorCode = {
  /** A request field is missing, malformed or out of range; `details.field` names it. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** A request body is larger than the configured limit. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** A request body has a content type the endpoint does not accept. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** No endpoint exists at the requested path (HTTP) or method. */
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  /** The addressed run does not exist (or belongs to another tenant). */
  RUN_NOT_FOUND: 'RUN_NOT_FOUND',
  /**
   * A run with this idempotency key already exists in the tenant; `details.runId` names it. A retry of
   * the same submission gets that run back instead, so clients see this code only when the key was
   * reused for another target.
   */
  RUN_ALREADY_EXISTS: 'RUN_ALREADY_EXISTS',
  /** The addressed session does not exist. */
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  /** The addressed artifact does not exist. */
  ARTIFACT_NOT_FOUND: 'ARTIFACT_NOT_FOUND',
  /** No agent is registered under the given name. */
  AGENT_NOT_FOUND: 'AGENT_NOT_FOUND',
  /** The agent is registered but currently unhealthy; the gateway does not route to it. */
  AGENT_UNHEALTHY: 'AGENT_UNHEALTHY',
  /** The agent's card could not be fetched or is not a valid A2A agent card. */
  INVALID_AGENT_CARD: 'INVALID_AGENT_CARD',
  /** The requested state change is not allowed from the current state (e.g. completing a cancelled run). */
  ILLEGAL_STATE_TRANSITION: 'ILLEGAL_STATE_TRANSITION',
  /** The caller's A2A protocol version (`A2A-Version`) is not one the gateway speaks (1.x, 0.3). */
  VERSION_NOT_SUPPORTED: 'VERSION_NOT_SUPPORTED',
  /** The operation exists but is not available here (e.g. not offered by the agent's protocol version). */
  UNSUPPORTED_OPERATION: 'UNSUPPORTED_OPERATION',
  /** The run's configuration cannot be executed (e.g. a swarm target before swarms exist). */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** The remote agent could not be reached (refused, DNS failure, connect timeout). Retryable. */
  REMOTE_UNAVAILABLE: 'REMOTE_UNAVAILABLE',
  /** The remote agent answered something that is not valid A2A. */
  REMOTE_PROTOCOL_ERROR: 'REMOTE_PROTOCOL_ERROR',
  /** The remote agent answered with an A2A / JSON-RPC error; `details` carries its code. */
  REMOTE_ERROR: 'REMOTE_ERROR',
  /** A deadline passed before the operation finished. */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /** The operation was cancelled by the caller. */
  CANCELLED: 'CANCELLED',
  /** The gateway is shutting down or not ready. Retryable. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** An unexpected failure inside the gateway; the cause is logged, never sent to clients. */
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.AGENT_UNHEALTHY,
  ErrorCode.REMOTE_UNAVAILABLE,
  ErrorCode.DEADLINE_EXCEEDED,
  ErrorCode.UNAVAILABLE,
]);

export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

export interface GatewayErrorOptions {
  details?: ErrorDetails;
  cause?: unknown;
  /** Overrides the code's default retryability. */
  retryable?: boolean;
}

const BRAND = Symbol.for('bzzz.GatewayError');

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(code);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Works across duplicated copies of this module, where `instanceof` would not. */
  static is(value: unknown): value is GatewayError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /**
   * Normalises any thrown value. A `GatewayError` passes through unchanged; anything else becomes
   * `INTERNAL` with the original kept as `cause` (for logs) and a message that reveals nothing of it.
   */
  static from(value: unknown, fallbackCode: ErrorCode = ErrorCode.INTERNAL): GatewayError {
    if (GatewayError.is(value)) return value;
    return new GatewayError(
      fallbackCode,
      fallbackCode === ErrorCode.INTERNAL ? 'internal error' : String(value),
      {
        cause: value,
      },
    );
  }

  /** The shape sent to clients: code, message, details; never the cause. */
  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails; retryable: boolean } {
    return { code: this.code, message: this.message, details: this.details, retryable: this.retryable };
  }
}

export function notFound(
  code:
    | typeof ErrorCode.RUN_NOT_FOUND
    | typeof ErrorCode.SESSION_NOT_FOUND
    | typeof ErrorCode.ARTIFACT_NOT_FOUND
    | typeof ErrorCode.AGENT_NOT_FOUND,
  kind: string,
  id: string,
): GatewayError {
  return new GatewayError(code, `${kind} '${id}' not found`, { details: { [`${kind}`]: id } });
}

export function invalidArgument(field: string, reason: string): GatewayError {
  return new GatewayError(ErrorCode.INVALID_ARGUMENT, `${field}: ${reason}`, { details: { field, reason } });
}
