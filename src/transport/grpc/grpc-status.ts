/**
 * The one table from the gateway's stable error codes (src/errors/gateway-error.ts) to gRPC status codes,
 * and the conversion of any thrown value into the status a gRPC call ends with. The stable code travels
 * in the trailing metadata `bzzz-error-code`, the details as JSON in `bzzz-error-details`. The HTTP twin
 * of this table lives in src/transport/http.
 */
import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { CallContext } from '../../domain/call-context.js';
import { ErrorCode, GatewayError } from '../../errors/gateway-error.js';
import { callLogFields } from '../../logging/logger.js';

/** Trailing metadata key carrying the gateway's stable error code. */
export const ERROR_CODE_METADATA_KEY = 'bzzz-error-code';
/** Trailing metadata key carrying the error's details as a JSON object. */
export const ERROR_DETAILS_METADATA_KEY = 'bzzz-error-details';

/** gRPC status for every gateway error code. A code missing here fails the typecheck. */
export const GRPC_STATUS_BY_CODE = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  PAYLOAD_TOO_LARGE: status.RESOURCE_EXHAUSTED,
  UNSUPPORTED_MEDIA_TYPE: status.INVALID_ARGUMENT,
  ROUTE_NOT_FOUND: status.UNIMPLEMENTED,
  RUN_NOT_FOUND: status.NOT_FOUND,
  RUN_ALREADY_EXISTS: status.ALREADY_EXISTS,
  SESSION_NOT_FOUND: status.NOT_FOUND,
  ARTIFACT_NOT_FOUND: status.NOT_FOUND,
  AGENT_NOT_FOUND: status.NOT_FOUND,
  // Registered but not routed to until it recovers: unavailable for now, as HTTP's 503 says.
  AGENT_UNHEALTHY: status.UNAVAILABLE,
  // The URL given answers, but not with a valid agent card.
  INVALID_AGENT_CARD: status.FAILED_PRECONDITION,
  ILLEGAL_STATE_TRANSITION: status.FAILED_PRECONDITION,
  INVALID_CONFIG: status.FAILED_PRECONDITION,
  // As A2A 1.0.1 maps VersionNotSupportedError and UnsupportedOperationError.
  VERSION_NOT_SUPPORTED: status.FAILED_PRECONDITION,
  UNSUPPORTED_OPERATION: status.FAILED_PRECONDITION,
  REMOTE_UNAVAILABLE: status.UNAVAILABLE,
  // Errors raised in another address space without usable status information: UNKNOWN, per the gRPC
  // status code guide (INTERNAL is reserved for the gateway's own invariants).
  REMOTE_PROTOCOL_ERROR: status.UNKNOWN,
  REMOTE_ERROR: status.UNKNOWN,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  CANCELLED: status.CANCELLED,
  UNAVAILABLE: status.UNAVAILABLE,
  INTERNAL: status.INTERNAL,
} as const satisfies Record<ErrorCode, status>;

/** The name of a gRPC status code (`NOT_FOUND`), as tests and the CLI show it. */
export function grpcStatusName(code: number): string {
  return status[code] ?? `STATUS_${code}`;
}

/**
 * The status a failed call ends with. A `GatewayError` keeps its code and message; anything else is
 * logged with its cause and sent as INTERNAL with a generic message.
 */
export function toGrpcStatus(
  error: unknown,
  logger: Logger,
  method: string,
  ctx: CallContext,
): Partial<StatusObject> {
  const gatewayError = GatewayError.from(error);
  if (gatewayError.code === ErrorCode.INTERNAL) {
    logger.error(
      { err: gatewayError.cause ?? gatewayError, method, ...callLogFields(ctx) },
      'gRPC call failed',
    );
  }
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, gatewayError.code);
  metadata.set(ERROR_DETAILS_METADATA_KEY, asciiJson(gatewayError.details));
  return { code: GRPC_STATUS_BY_CODE[gatewayError.code], details: gatewayError.message, metadata };
}

/**
 * JSON with every character outside printable ASCII escaped (`\u00e9`): text metadata values must be
 * printable ASCII, and details can hold an agent's own words. Any JSON parser reads it back unchanged.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
