/**
 * What a failed façade call answers, on every binding: the one mapping from a `GatewayError` to an A2A
 * wire error (JSON-RPC code, HTTP status, gRPC status, `ErrorInfo` reason and domain).
 *
 * - An error the agent answered (`REMOTE_ERROR`) keeps its A2A meaning: the same JSON-RPC code, the
 *   statuses of spec 1.0.1 for it, the agent's reason and message. So a TaskNotFound from a JSON-RPC agent
 *   reaches a gRPC caller as NOT_FOUND with reason TASK_NOT_FOUND.
 * - Gateway errors that have an A2A twin become it (an agent reply that is not A2A is
 *   InvalidAgentResponse, an unknown `A2A-Version` VersionNotSupported, …).
 * - Every other gateway error keeps the gateway's own statuses (`http-status.ts`, `grpc-status.ts`) and
 *   stable code as the reason, in the domain `GATEWAY_ERROR_DOMAIN`, with JSON-RPC code -32000 (the
 *   server-error code A2A leaves free) unless a standard JSON-RPC code says the same thing.
 */
import type { status as GrpcStatus } from '@grpc/grpc-js';

import {
  A2A_ERROR_DOMAIN,
  A2A_ERRORS,
  JSON_RPC_ERRORS,
  a2aErrorByJsonRpcCode,
  type A2AErrorKind,
} from '../a2a/a2a-errors.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { GRPC_STATUS_BY_CODE } from '../transport/grpc/grpc-status.js';
import { httpStatusFor } from '../transport/http/http-status.js';

/** `ErrorInfo.domain` of errors raised by the gateway itself. */
export const GATEWAY_ERROR_DOMAIN = 'bzzz.gateway';
/** JSON-RPC code of gateway errors without an A2A or standard JSON-RPC twin. */
export const GATEWAY_JSON_RPC_CODE = -32000;

export interface A2AWireError {
  readonly jsonRpcCode: number;
  readonly httpStatus: number;
  readonly grpcStatus: GrpcStatus;
  readonly reason: string;
  readonly domain: string;
  readonly message: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Gateway codes that mean an A2A error, or a standard JSON-RPC one. */
const A2A_TWIN: Partial<Record<ErrorCode, A2AErrorKind>> = {
  [ErrorCode.REMOTE_PROTOCOL_ERROR]: A2A_ERRORS.InvalidAgentResponse,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: A2A_ERRORS.ContentTypeNotSupported,
  [ErrorCode.VERSION_NOT_SUPPORTED]: A2A_ERRORS.VersionNotSupported,
  [ErrorCode.UNSUPPORTED_OPERATION]: A2A_ERRORS.UnsupportedOperation,
  [ErrorCode.INVALID_ARGUMENT]: JSON_RPC_ERRORS.InvalidParams,
};

/** Standard JSON-RPC codes for gateway errors that keep their own statuses. */
const JSON_RPC_CODE: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.ROUTE_NOT_FOUND]: JSON_RPC_ERRORS.MethodNotFound.jsonRpcCode,
  [ErrorCode.PAYLOAD_TOO_LARGE]: JSON_RPC_ERRORS.InvalidRequest.jsonRpcCode,
  [ErrorCode.INTERNAL]: JSON_RPC_ERRORS.Internal.jsonRpcCode,
};

function stringMetadata(details: GatewayError['details']): Record<string, string> | undefined {
  const entries = Object.entries(details).map(([key, value]) => [key, String(value)] as const);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function fromKind(kind: A2AErrorKind, message: string, reason = kind.reason): A2AWireError {
  return {
    jsonRpcCode: kind.jsonRpcCode,
    httpStatus: kind.httpStatus,
    grpcStatus: kind.grpcStatus,
    reason,
    domain: A2A_ERROR_DOMAIN,
    message,
  };
}

/** The A2A wire error for anything a façade call threw. Internal causes never reach the message. */
export function toA2AWireError(thrown: unknown): A2AWireError {
  const error = GatewayError.from(thrown);
  if (error.code === ErrorCode.REMOTE_ERROR) {
    const remoteCode = Number(error.details.remoteCode);
    const kind = a2aErrorByJsonRpcCode(remoteCode);
    const message = String(error.details.remoteMessage ?? error.message);
    const remoteReason = error.details.remoteReason;
    if (kind !== undefined) {
      return fromKind(kind, message, typeof remoteReason === 'string' ? remoteReason : kind.reason);
    }
    if (Number.isInteger(remoteCode)) {
      // A code of the agent's own: passed on as it is, with the gateway's statuses for a remote error.
      return {
        jsonRpcCode: remoteCode,
        httpStatus: httpStatusFor(error.code),
        grpcStatus: GRPC_STATUS_BY_CODE[error.code],
        reason: typeof remoteReason === 'string' ? remoteReason : error.code,
        domain: GATEWAY_ERROR_DOMAIN,
        message,
      };
    }
  }
  const twin = A2A_TWIN[error.code];
  if (twin !== undefined) {
    return { ...fromKind(twin, error.message), ...metadataOf(error) };
  }
  return {
    jsonRpcCode: JSON_RPC_CODE[error.code] ?? GATEWAY_JSON_RPC_CODE,
    httpStatus: httpStatusFor(error.code),
    grpcStatus: GRPC_STATUS_BY_CODE[error.code],
    reason: error.code,
    domain: GATEWAY_ERROR_DOMAIN,
    message: error.code === ErrorCode.INTERNAL ? 'internal error' : error.message,
    ...(error.code !== ErrorCode.INTERNAL && metadataOf(error)),
  };
}

function metadataOf(error: GatewayError): { metadata?: Record<string, string> } {
  const metadata = stringMetadata(error.details);
  return metadata === undefined ? {} : { metadata };
}
