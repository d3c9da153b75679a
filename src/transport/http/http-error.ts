/**
 * How failures leave the HTTP transport: one body shape, `{ "error": { code, message, details,
 * retryable } }`, built by `errorBody`, and one place (`toGatewayError`) where anything thrown inside
 * the express app (our `GatewayError`, a body-parser failure, an unexpected bug) becomes a
 * `GatewayError`. Unexpected failures become `INTERNAL`: their cause is logged, never sent. The status
 * comes from the table in `http-status.ts`.
 */
import type { Response } from 'express';
import type { Logger } from 'pino';

import { ErrorCode, GatewayError, type ErrorDetails } from '../../errors/gateway-error.js';
import { httpStatusFor } from './http-status.js';

/** The JSON body of every error response. */
export interface HttpErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details: ErrorDetails;
    readonly retryable: boolean;
  };
}

/** The one function that builds an error body. */
export function errorBody(error: GatewayError): HttpErrorBody {
  return { error: error.toJSON() };
}

/** The `type` tags body-parser puts on its errors, and what each means for the client. */
const BODY_PARSER_ERRORS: Readonly<Record<string, (err: Error) => GatewayError>> = {
  // The declared or actual body length is over `maxBodyBytes`.
  'entity.too.large': (err) =>
    new GatewayError(ErrorCode.PAYLOAD_TOO_LARGE, 'request body is larger than the limit', {
      details: limitDetails(err),
    }),
  // JSON.parse failed, or the top-level value is not an object or array.
  'entity.parse.failed': () =>
    new GatewayError(ErrorCode.INVALID_ARGUMENT, 'body is not valid JSON', {
      details: { field: 'body', reason: 'not valid JSON' },
    }),
  // Content-Length does not match the bytes received.
  'request.size.invalid': () =>
    new GatewayError(ErrorCode.INVALID_ARGUMENT, 'body length does not match Content-Length', {
      details: { field: 'body', reason: 'length mismatch' },
    }),
  // A Content-Encoding or charset we cannot decode.
  'encoding.unsupported': (err) => new GatewayError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, err.message),
  'charset.unsupported': (err) => new GatewayError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, err.message),
  // The client went away while sending the body; nobody will read the answer.
  'request.aborted': () => new GatewayError(ErrorCode.CANCELLED, 'request aborted by the client'),
};

function limitDetails(err: Error): ErrorDetails {
  const limit = (err as Error & { limit?: unknown }).limit;
  return typeof limit === 'number' ? { limitBytes: limit } : {};
}

/** Any value thrown inside the app, as a `GatewayError` (unknown values become `INTERNAL`). */
export function toGatewayError(value: unknown): GatewayError {
  if (GatewayError.is(value)) return value;
  if (value instanceof Error) {
    const type = (value as Error & { type?: unknown }).type;
    const fromBodyParser = typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined;
    if (fromBodyParser !== undefined) return fromBodyParser(value);
  }
  return GatewayError.from(value);
}

/** Where `sendError` records the code a response failed with, for the request's SERVER span. */
const ERROR_CODE_LOCAL = 'bzzzErrorCode';

/** The code `sendError` answered this response with, if it did. */
export function errorCodeOf(res: Response): ErrorCode | undefined {
  const code: unknown = res.locals[ERROR_CODE_LOCAL];
  return typeof code === 'string' ? (code as ErrorCode) : undefined;
}

/**
 * Sends `value` as an error response (status from the table) and logs
 * it: server-side failures at `error` with their cause, client mistakes at `debug`. Does nothing but
 * log when the response has already started.
 */
export function sendError(res: Response, value: unknown, logger: Logger): void {
  const error = toGatewayError(value);
  res.locals[ERROR_CODE_LOCAL] = error.code;
  const httpStatus = httpStatusFor(error.code);
  if (httpStatus >= 500) {
    logger.error({ err: error.cause ?? error, code: error.code }, 'request failed');
  } else {
    logger.debug({ code: error.code, message: error.message }, 'request refused');
  }
  if (res.headersSent) return;
  res.status(httpStatus).json(errorBody(error));
}
