/**
 * The inbound gRPC binding of the A2A façade: handlers for `lf.a2a.v1.A2AService` (`A2A_GRPC_SERVICE` in
 * src/a2a/a2a-proto.ts, whose codecs hand them ProtoJSON) that call the façade port
 * (src/facade/a2a-facade.ts). The request's `tenant` names the agent, as the façade's card lists its gRPC
 * interface with tenant = agent name. Failures end the call with the A2A error of
 * src/facade/facade-errors.ts: its gRPC status, plus a `google.rpc.Status` with an `ErrorInfo` in
 * `grpc-status-details-bin`, beside the gateway's own `bzzz-error-code` (grpc-status.ts). The server
 * (grpc-server.ts) registers the service; this file only builds the handlers.
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';

import { encodeGrpcStatusDetails, GRPC_STATUS_DETAILS_KEY } from '../../a2a/a2a-proto.js';
import {
  A2A_STREAM_OPERATIONS,
  A2A_UNARY_OPERATIONS,
  A2AHeader,
  type A2AOperation,
  type A2AStreamOperation,
  type A2AUnaryOperation,
  type JsonObject,
} from '../../a2a/operations.js';
import type { CallContext } from '../../domain/call-context.js';
import { ErrorCode, GatewayError, invalidArgument } from '../../errors/gateway-error.js';
import type { A2AFacadeService, FacadeCall } from '../../facade/a2a-facade.js';
import { toA2AWireError } from '../../facade/facade-errors.js';
import { callLogFields } from '../../logging/logger.js';
import { ERROR_CODE_METADATA_KEY } from './grpc-status.js';
import { drained, type CallScope } from './handlers.js';

/** A call of the A2A service, unary or server-streaming. */
export type A2AServerCall =
  grpc.ServerUnaryCall<JsonObject, JsonObject> | grpc.ServerWritableStream<JsonObject, JsonObject>;

export interface A2AGrpcServiceDeps {
  readonly facade: A2AFacadeService;
  readonly logger: Logger;
  /**
   * The scope of one call: its context (whose signal aborts when the client cancels or the deadline
   * passes, with the caller's trace carrier and request id), its SERVER span, and how it ends.
   */
  readonly scopeOf: (call: A2AServerCall, operation: A2AOperation) => CallScope;
}

export type A2AGrpcHandlers = Record<A2AUnaryOperation, grpc.handleUnaryCall<JsonObject, JsonObject>> &
  Record<A2AStreamOperation, grpc.handleServerStreamingCall<JsonObject, JsonObject>>;

/** `A2A-Version` values the façade speaks over gRPC: 1.x (a missing header counts as current). */
const SUPPORTED_VERSION = /^1(\.\d+)?$/;

function firstString(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key).find((item): item is string => typeof item === 'string');
  return value?.trim();
}

/** The façade call and its params (without `tenant`); throws for a bad version or a missing tenant. */
function facadeRequest(
  call: A2AServerCall,
  ctx: CallContext,
): { facadeCall: FacadeCall; params: JsonObject } {
  const version = firstString(call.metadata, A2AHeader.VERSION.toLowerCase());
  if (version !== undefined && version !== '' && !SUPPORTED_VERSION.test(version)) {
    throw new GatewayError(
      ErrorCode.VERSION_NOT_SUPPORTED,
      `A2A version '${version}' is not supported over gRPC; use 1.0`,
      { details: { version } },
    );
  }
  const { tenant, ...params } = call.request;
  if (typeof tenant !== 'string' || tenant === '') {
    throw invalidArgument('tenant', 'must name the agent, as the tenant of the card gRPC interface does');
  }
  const extensions = call.metadata
    .get(A2AHeader.EXTENSIONS.toLowerCase())
    .filter((value): value is string => typeof value === 'string')
    .join(',');
  return {
    facadeCall: { agent: tenant, ctx, ...(extensions !== '' && { extensions }) },
    params,
  };
}

/**
 * The status a failed call ends with: the A2A error's status and message, its `ErrorInfo` in
 * `grpc-status-details-bin`, and the gateway's stable code in `bzzz-error-code` as on the gateway's own
 * services. The details travel only inside the binary `ErrorInfo`, as agents' messages need not be
 * ASCII. Internal errors are logged with their cause, which the caller never sees.
 */
function failureStatus(
  error: unknown,
  logger: Logger,
  operation: A2AOperation,
  ctx: CallContext,
): Partial<grpc.StatusObject> {
  const gatewayError = GatewayError.from(error);
  if (gatewayError.code === ErrorCode.INTERNAL) {
    const fields = { err: gatewayError.cause ?? gatewayError, method: operation, ...callLogFields(ctx) };
    logger.error(fields, 'A2A gRPC call failed');
  }
  const wire = toA2AWireError(gatewayError);
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, gatewayError.code);
  metadata.set(
    GRPC_STATUS_DETAILS_KEY,
    encodeGrpcStatusDetails({
      code: wire.grpcStatus,
      message: wire.message,
      errorInfo: {
        reason: wire.reason,
        domain: wire.domain,
        ...(wire.metadata !== undefined && { metadata: wire.metadata }),
      },
    }),
  );
  return { code: wire.grpcStatus, details: wire.message, metadata };
}

function unaryHandler(
  deps: A2AGrpcServiceDeps,
  operation: A2AUnaryOperation,
): grpc.handleUnaryCall<JsonObject, JsonObject> {
  return (call, callback) => {
    const { ctx, finish } = deps.scopeOf(call, operation);
    const answer = async (): Promise<JsonObject> => {
      const { facadeCall, params } = facadeRequest(call, ctx);
      return deps.facade.unary(facadeCall, operation, params);
    };
    answer().then(
      (response) => {
        finish(grpc.status.OK);
        callback(null, response);
      },
      (error: unknown) => {
        const failure = failureStatus(error, deps.logger, operation, ctx);
        finish(failure.code ?? grpc.status.UNKNOWN, GatewayError.from(error).code);
        callback(failure);
      },
    );
  };
}

/**
 * Writes each `StreamResponse` as the façade yields it, waiting for 'drain' when grpc-js buffers are
 * full; ends with OK, or with the error's status (also after events were sent). A cancelled call stops
 * the iteration, which closes the façade's upstream stream.
 */
function streamHandler(
  deps: A2AGrpcServiceDeps,
  operation: A2AStreamOperation,
): grpc.handleServerStreamingCall<JsonObject, JsonObject> {
  return (call) => {
    const { ctx, finish } = deps.scopeOf(call, operation);
    const pump = async (): Promise<void> => {
      const { facadeCall, params } = facadeRequest(call, ctx);
      for await (const event of deps.facade.stream(facadeCall, operation, params)) {
        if (ctx.signal.aborted) return;
        if (!call.write(event)) await drained(call, ctx.signal);
        if (ctx.signal.aborted) return;
      }
    };
    pump().then(
      () => {
        finish(ctx.signal.aborted ? grpc.status.CANCELLED : grpc.status.OK);
        if (!ctx.signal.aborted) call.end();
      },
      (error: unknown) => {
        const failure = failureStatus(error, deps.logger, operation, ctx);
        finish(ctx.signal.aborted ? grpc.status.CANCELLED : (failure.code ?? grpc.status.UNKNOWN));
        if (!ctx.signal.aborted) call.emit('error', failure);
      },
    );
  };
}

/** The handlers of `A2A_GRPC_SERVICE`, keyed by operation name. */
export function a2aGrpcHandlers(deps: A2AGrpcServiceDeps): A2AGrpcHandlers {
  const unary = Object.fromEntries(A2A_UNARY_OPERATIONS.map((op) => [op, unaryHandler(deps, op)]));
  const streams = Object.fromEntries(A2A_STREAM_OPERATIONS.map((op) => [op, streamHandler(deps, op)]));
  return { ...unary, ...streams } as A2AGrpcHandlers;
}
