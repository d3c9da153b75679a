/**
 * The A2A error table (spec 1.0.1 §5.4): each A2A error's JSON-RPC code, gRPC status, HTTP status and
 * `google.rpc.ErrorInfo` reason. Errors are identified by JSON-RPC code or reason, never by HTTP or gRPC
 * status alone: 1.0.0 peers used other statuses for the same errors (409, 415, 502, UNIMPLEMENTED), so
 * statuses are only a fallback when a peer sends no reason.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';

/** `ErrorInfo.domain` of A2A errors. */
export const A2A_ERROR_DOMAIN = 'a2a-protocol.org';
/** `@type` of a `google.rpc.ErrorInfo` in JSON. */
export const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';

export interface A2AErrorKind {
  /** The spec's name, e.g. `TaskNotFoundError`. */
  readonly name: string;
  readonly jsonRpcCode: number;
  readonly grpcStatus: GrpcStatus;
  readonly httpStatus: number;
  /** `ErrorInfo.reason`. */
  readonly reason: string;
}

function kind(
  name: string,
  jsonRpcCode: number,
  grpcStatus: GrpcStatus,
  httpStatus: number,
  reason: string,
): A2AErrorKind {
  return { name, jsonRpcCode, grpcStatus, httpStatus, reason };
}

/** The A2A-specific errors (-32001 … -32009), per spec 1.0.1. */
export const A2A_ERRORS = {
  TaskNotFound: kind('TaskNotFoundError', -32001, GrpcStatus.NOT_FOUND, 404, 'TASK_NOT_FOUND'),
  TaskNotCancelable: kind(
    'TaskNotCancelableError',
    -32002,
    GrpcStatus.FAILED_PRECONDITION,
    400,
    'TASK_NOT_CANCELABLE',
  ),
  PushNotificationNotSupported: kind(
    'PushNotificationNotSupportedError',
    -32003,
    GrpcStatus.FAILED_PRECONDITION,
    400,
    'PUSH_NOTIFICATION_NOT_SUPPORTED',
  ),
  UnsupportedOperation: kind(
    'UnsupportedOperationError',
    -32004,
    GrpcStatus.FAILED_PRECONDITION,
    400,
    'UNSUPPORTED_OPERATION',
  ),
  ContentTypeNotSupported: kind(
    'ContentTypeNotSupportedError',
    -32005,
    GrpcStatus.INVALID_ARGUMENT,
    400,
    'CONTENT_TYPE_NOT_SUPPORTED',
  ),
  InvalidAgentResponse: kind(
    'InvalidAgentResponseError',
    -32006,
    GrpcStatus.INTERNAL,
    500,
    'INVALID_AGENT_RESPONSE',
  ),
  ExtendedAgentCardNotConfigured: kind(
    'ExtendedAgentCardNotConfiguredError',
    -32007,
    GrpcStatus.FAILED_PRECONDITION,
    400,
    'EXTENDED_AGENT_CARD_NOT_CONFIGURED',
  ),
  ExtensionSupportRequired: kind(
    'ExtensionSupportRequiredError',
    -32008,
    GrpcStatus.FAILED_PRECONDITION,
    400,
    'EXTENSION_SUPPORT_REQUIRED',
  ),
  VersionNotSupported: kind(
    'VersionNotSupportedError',
    -32009,
    GrpcStatus.FAILED_PRECONDITION,
    400,
    'VERSION_NOT_SUPPORTED',
  ),
} as const satisfies Record<string, A2AErrorKind>;

/** The standard JSON-RPC 2.0 errors, with the statuses the spec's generic categories give them. */
export const JSON_RPC_ERRORS = {
  ParseError: kind('JSONParseError', -32700, GrpcStatus.INVALID_ARGUMENT, 400, 'PARSE_ERROR'),
  InvalidRequest: kind('InvalidRequestError', -32600, GrpcStatus.INVALID_ARGUMENT, 400, 'INVALID_REQUEST'),
  MethodNotFound: kind('MethodNotFoundError', -32601, GrpcStatus.UNIMPLEMENTED, 404, 'METHOD_NOT_FOUND'),
  InvalidParams: kind('InvalidParamsError', -32602, GrpcStatus.INVALID_ARGUMENT, 400, 'INVALID_PARAMS'),
  Internal: kind('InternalError', -32603, GrpcStatus.INTERNAL, 500, 'INTERNAL'),
} as const satisfies Record<string, A2AErrorKind>;

const ALL_KINDS: readonly A2AErrorKind[] = [...Object.values(A2A_ERRORS), ...Object.values(JSON_RPC_ERRORS)];

export function a2aErrorByJsonRpcCode(code: number): A2AErrorKind | undefined {
  return ALL_KINDS.find((k) => k.jsonRpcCode === code);
}

export function a2aErrorByReason(reason: string): A2AErrorKind | undefined {
  return ALL_KINDS.find((k) => k.reason === reason);
}

/**
 * The A2A error a peer most likely meant when it sent a status without a reason: only statuses that name
 * one error unambiguously in 1.0.0 or 1.0.1 are recognised (404 / NOT_FOUND is TaskNotFound on every
 * A2A route; 409 was TaskNotCancelable, 415 ContentTypeNotSupported, 502 InvalidAgentResponse in 1.0.0).
 */
export function a2aErrorByHttpStatus(httpStatus: number): A2AErrorKind | undefined {
  switch (httpStatus) {
    case 404:
      return A2A_ERRORS.TaskNotFound;
    case 409:
      return A2A_ERRORS.TaskNotCancelable;
    case 415:
      return A2A_ERRORS.ContentTypeNotSupported;
    case 502:
      return A2A_ERRORS.InvalidAgentResponse;
    default:
      return undefined;
  }
}

/** Like `a2aErrorByHttpStatus`, for gRPC statuses. */
export function a2aErrorByGrpcStatus(grpcStatus: GrpcStatus): A2AErrorKind | undefined {
  return grpcStatus === GrpcStatus.NOT_FOUND ? A2A_ERRORS.TaskNotFound : undefined;
}

/** The first `ErrorInfo` in a `data` / `details` array, if any. */
export function findErrorInfo(details: unknown): { reason: string; domain?: string } | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const item of details as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { reason, domain } = item as { reason?: unknown; domain?: unknown };
    if (typeof reason === 'string') return { reason, ...(typeof domain === 'string' && { domain }) };
  }
  return undefined;
}
