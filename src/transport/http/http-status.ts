/**
 * The one table from every `ErrorCode` to an HTTP status. The gRPC twin lives in
 * `src/transport/grpc/`; the meaning of each code is documented in `docs/errors.md`. `satisfies` makes a
 * code added to `ErrorCode` without a status here fail the typecheck.
 */
import { ErrorCode } from '../../errors/gateway-error.js';

/** HTTP status for each error code. */
export const HTTP_STATUS_BY_CODE = {
  [ErrorCode.INVALID_ARGUMENT]: 400,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCode.ROUTE_NOT_FOUND]: 404,
  [ErrorCode.RUN_NOT_FOUND]: 404,
  // The idempotency key is taken by another run: a conflict with the current state, as for a PUT.
  [ErrorCode.RUN_ALREADY_EXISTS]: 409,
  [ErrorCode.SESSION_NOT_FOUND]: 404,
  [ErrorCode.ARTIFACT_NOT_FOUND]: 404,
  [ErrorCode.AGENT_NOT_FOUND]: 404,
  // The gateway will not route to the agent right now; the client may retry later.
  [ErrorCode.AGENT_UNHEALTHY]: 503,
  // The request is well-formed, but the URL it names does not lead to a usable A2A agent.
  [ErrorCode.INVALID_AGENT_CARD]: 422,
  [ErrorCode.ILLEGAL_STATE_TRANSITION]: 409,
  [ErrorCode.VERSION_NOT_SUPPORTED]: 400,
  [ErrorCode.UNSUPPORTED_OPERATION]: 400,
  // The run's configuration is understood but cannot be executed.
  [ErrorCode.INVALID_CONFIG]: 422,
  // The three remote failures are upstream failures: 502 Bad Gateway, as a reverse proxy answers.
  [ErrorCode.REMOTE_UNAVAILABLE]: 502,
  [ErrorCode.REMOTE_PROTOCOL_ERROR]: 502,
  [ErrorCode.REMOTE_ERROR]: 502,
  [ErrorCode.DEADLINE_EXCEEDED]: 504,
  // 499 "client closed request" (nginx, Connect): no standard status means "cancelled by the caller".
  [ErrorCode.CANCELLED]: 499,
  [ErrorCode.UNAVAILABLE]: 503,
  [ErrorCode.INTERNAL]: 500,
} as const satisfies Record<ErrorCode, number>;

/** The HTTP status that carries `code`. */
export function httpStatusFor(code: ErrorCode): number {
  return HTTP_STATUS_BY_CODE[code];
}
