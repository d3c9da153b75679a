/**
 * The gRPC handlers of the gateway API: each builds the call context, validates the request
 * (`requests.ts`), calls one application service (src/app/services.ts) and maps the result to proto
 * (`codec.ts`) or the error to a gRPC status (`grpc-status.ts`). No business rules live here. Every call
 * gets a SERVER span `{package.Service}/{Method}` (../server-span.ts), a child of the trace context in
 * the call's `traceparent` / `tracestate` / `baggage` metadata, whose carrier goes into the call context.
 */
import type { TextMapGetter } from '@opentelemetry/api';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { GatewayServices } from '../../app/services.js';
import type { CallContext } from '../../domain/call-context.js';
import { ErrorCode, GatewayError } from '../../errors/gateway-error.js';
import { buildCallContext } from '../call-context.js';
import { Attr } from '../../telemetry/semconv.js';
import { failServerSpan, startServerSpan } from '../server-span.js';
import {
  toProtoAgent,
  toProtoArtifact,
  toProtoRun,
  toProtoRunDetails,
  toProtoRunEvent,
  toProtoSession,
  toProtoSessionDetails,
} from './codec.js';
import type { AgentRegistryServiceHandlers } from './generated/bzzz/gateway/v1/AgentRegistryService.js';
import type { ArtifactServiceHandlers } from './generated/bzzz/gateway/v1/ArtifactService.js';
import type { RunServiceHandlers } from './generated/bzzz/gateway/v1/RunService.js';
import type { SessionServiceHandlers } from './generated/bzzz/gateway/v1/SessionService.js';
import { ERROR_CODE_METADATA_KEY, GRPC_STATUS_BY_CODE, grpcStatusName, toGrpcStatus } from './grpc-status.js';
import type { GATEWAY_SERVICE_NAMES } from './proto.js';
import {
  parseCancelRun,
  parseCreateSession,
  parseId,
  parseListRuns,
  parseListSessions,
  parseRegisterAgent,
  parseSendInput,
  parseSubmitRun,
} from './requests.js';

/** Size of each ReadArtifact chunk: 64 KiB. */
export const ARTIFACT_CHUNK_BYTES = 64 * 1024;

/** Metadata key of the client's request id. */
const REQUEST_ID_METADATA_KEY = 'x-request-id';

interface HandlerDeps {
  readonly services: GatewayServices;
  readonly logger: Logger;
}

/** The handler deps of one service: the fully qualified service name names its spans. */
interface ServiceDeps extends HandlerDeps {
  readonly service: (typeof GATEWAY_SERVICE_NAMES)[number];
}

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>;

/** Reads trace context from call metadata; only string values count (binary `-bin` keys never do). */
const metadataGetter: TextMapGetter<grpc.Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const values = metadata.get(key).filter((value): value is string => typeof value === 'string');
    return values.length === 0 ? undefined : values;
  },
};

/** Statuses that mean the server failed, so its span is an error (the RPC conventions' list). */
const SERVER_ERROR_STATUSES: ReadonlySet<number> = new Set([
  grpc.status.UNKNOWN,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.UNIMPLEMENTED,
  grpc.status.INTERNAL,
  grpc.status.UNAVAILABLE,
  grpc.status.DATA_LOSS,
]);

/** One call in progress: its context (whose carrier holds the SERVER span's) and how it ends. */
export interface CallScope {
  readonly ctx: CallContext;
  /** Ends the call's bookkeeping: clears the deadline timer and ends the span with `code`. */
  readonly finish: (code: grpc.status, errorCode?: string) => void;
}

/**
 * A call context whose signal aborts when the client cancels or its deadline passes, and the call's
 * SERVER span; `finish` clears the deadline timer and ends the span once the call is over.
 */
export function callScope(call: AnyCall, service: string, method: string): CallScope {
  const controller = new AbortController();
  const onCancelled = (): void =>
    controller.abort(new GatewayError(ErrorCode.CANCELLED, 'the client cancelled the call'));
  call.once('cancelled', onCancelled);
  let timer: NodeJS.Timeout | undefined;
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  if (Number.isFinite(deadlineMs)) {
    const abortAtDeadline = (): void =>
      controller.abort(new GatewayError(ErrorCode.DEADLINE_EXCEEDED, 'the call deadline passed'));
    const remainingMs = deadlineMs - Date.now();
    if (remainingMs <= 0) abortAtDeadline();
    else timer = setTimeout(abortAtDeadline, remainingMs).unref();
  }
  const attributes = {
    [Attr.RPC_SYSTEM]: 'grpc',
    [Attr.RPC_SERVICE]: service,
    [Attr.RPC_METHOD]: method,
  };
  const { span, carrier } = startServerSpan(
    `${service}/${method}`,
    attributes,
    call.metadata,
    metadataGetter,
  );
  const requestId = call.metadata.get(REQUEST_ID_METADATA_KEY)[0];
  const ctx = buildCallContext({
    signal: controller.signal,
    ...(typeof requestId === 'string' && { requestId }),
    ...(carrier !== undefined && { traceCarrier: carrier }),
  });
  return {
    ctx,
    finish: (code, errorCode) => {
      clearTimeout(timer);
      call.off('cancelled', onCancelled);
      span.setAttribute(Attr.RPC_GRPC_STATUS_CODE, code);
      if (SERVER_ERROR_STATUSES.has(code)) failServerSpan(span, errorCode ?? grpcStatusName(code));
      span.end();
    },
  };
}

/** The gateway error code a failed call's status carries in its metadata. */
function errorCodeIn(failure: Partial<grpc.StatusObject>): string | undefined {
  const value = failure.metadata?.get(ERROR_CODE_METADATA_KEY)[0];
  return typeof value === 'string' ? value : undefined;
}

/** The status of a call whose context was aborted (client cancel or deadline). */
function abortedStatus(signal: AbortSignal): grpc.status {
  const reason: unknown = signal.reason;
  return GatewayError.is(reason) ? GRPC_STATUS_BY_CODE[reason.code] : grpc.status.CANCELLED;
}

/** Wraps one unary method: context and span, handler, status mapping. */
function unary<Req, Res>(
  deps: ServiceDeps,
  method: string,
  handle: (request: Req, ctx: CallContext) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const { ctx, finish } = callScope(call, deps.service, method);
    handle(call.request, ctx).then(
      (response) => {
        finish(grpc.status.OK);
        callback(null, response);
      },
      (error: unknown) => {
        const failure = toGrpcStatus(error, deps.logger, method, ctx);
        finish(failure.code ?? grpc.status.UNKNOWN, errorCodeIn(failure));
        callback(failure);
      },
    );
  };
}

/** Resolves when the stream can take more, or when the signal aborts. */
export function drained<Req, Res>(
  call: grpc.ServerWritableStream<Req, Res>,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.on('drain', done);
    signal.addEventListener('abort', done);
  });
}

/**
 * Wraps one server-streaming method: writes each item as it comes, waiting for 'drain' whenever the
 * stream's buffer is full, and stops (ending the source iterator) once the client cancels.
 */
function serverStream<Req, Item, Res>(
  deps: ServiceDeps,
  method: string,
  source: (request: Req, ctx: CallContext) => AsyncIterable<Item>,
  toMessage: (item: Item) => Res,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const { ctx, finish } = callScope(call, deps.service, method);
    const pump = async (): Promise<void> => {
      for await (const item of source(call.request, ctx)) {
        if (ctx.signal.aborted) break;
        if (!call.write(toMessage(item))) await drained(call, ctx.signal);
        if (ctx.signal.aborted) break;
      }
    };
    pump().then(
      () => {
        if (ctx.signal.aborted) {
          finish(abortedStatus(ctx.signal));
          return;
        }
        finish(grpc.status.OK);
        call.end();
      },
      (error: unknown) => {
        if (ctx.signal.aborted) {
          finish(abortedStatus(ctx.signal));
          return;
        }
        const failure = toGrpcStatus(error, deps.logger, method, ctx);
        finish(failure.code ?? grpc.status.UNKNOWN, errorCodeIn(failure));
        call.emit('error', failure);
      },
    );
  };
}

/** The RunService handlers. */
export function runServiceHandlers(handlerDeps: HandlerDeps): RunServiceHandlers {
  const deps: ServiceDeps = { ...handlerDeps, service: 'bzzz.gateway.v1.RunService' };
  const { runs } = deps.services;
  return {
    SubmitRun: unary(deps, 'SubmitRun', async (request, ctx) =>
      toProtoRunDetails(await runs.submit(parseSubmitRun(request), ctx)),
    ),
    GetRun: unary(deps, 'GetRun', async (request, ctx) =>
      toProtoRunDetails(await runs.get(parseId(request, 'id'), ctx)),
    ),
    ListRuns: unary(deps, 'ListRuns', async (request, ctx) => {
      const { filter, page } = parseListRuns(request);
      const result = await runs.list(filter, page, ctx);
      return { runs: result.items.map(toProtoRun), nextPageToken: result.nextPageToken };
    }),
    CancelRun: unary(deps, 'CancelRun', async (request, ctx) => {
      const { id, reason } = parseCancelRun(request);
      return toProtoRunDetails(await runs.cancel(id, reason, ctx));
    }),
    SendInput: unary(deps, 'SendInput', async (request, ctx) => {
      const { id, input, waitMs } = parseSendInput(request);
      return toProtoRunDetails(await runs.sendInput(id, input, ctx, { waitMs }));
    }),
    WatchRun: serverStream(
      deps,
      'WatchRun',
      (request, ctx) => runs.watch(parseId(request, 'id'), ctx),
      toProtoRunEvent,
    ),
  };
}

/** The SessionService handlers. */
export function sessionServiceHandlers(handlerDeps: HandlerDeps): SessionServiceHandlers {
  const deps: ServiceDeps = { ...handlerDeps, service: 'bzzz.gateway.v1.SessionService' };
  const { sessions } = deps.services;
  return {
    CreateSession: unary(deps, 'CreateSession', async (request, ctx) =>
      toProtoSessionDetails(await sessions.create(parseCreateSession(request), ctx)),
    ),
    GetSession: unary(deps, 'GetSession', async (request, ctx) =>
      toProtoSessionDetails(await sessions.get(parseId(request, 'id'), ctx)),
    ),
    ListSessions: unary(deps, 'ListSessions', async (request, ctx) => {
      const { filter, page } = parseListSessions(request);
      const result = await sessions.list(filter, page, ctx);
      return { sessions: result.items.map(toProtoSession), nextPageToken: result.nextPageToken };
    }),
    EndSession: unary(deps, 'EndSession', async (request, ctx) =>
      toProtoSessionDetails(await sessions.end(parseId(request, 'id'), ctx)),
    ),
  };
}

/** The AgentRegistryService handlers; responses never carry credentials. */
export function agentRegistryHandlers(handlerDeps: HandlerDeps): AgentRegistryServiceHandlers {
  const deps: ServiceDeps = { ...handlerDeps, service: 'bzzz.gateway.v1.AgentRegistryService' };
  const { agents } = deps.services;
  return {
    RegisterAgent: unary(deps, 'RegisterAgent', async (request, ctx) =>
      toProtoAgent(await agents.register(parseRegisterAgent(request), ctx)),
    ),
    Heartbeat: unary(deps, 'Heartbeat', async (request, ctx) =>
      toProtoAgent(await agents.heartbeat(parseId(request, 'name'), ctx)),
    ),
    DeregisterAgent: unary(deps, 'DeregisterAgent', async (request, ctx) => {
      await agents.deregister(parseId(request, 'name'), ctx);
      return {};
    }),
    GetAgent: unary(deps, 'GetAgent', async (request, ctx) =>
      toProtoAgent(await agents.get(parseId(request, 'name'), ctx)),
    ),
    ListAgents: unary(deps, 'ListAgents', async (_request, ctx) => ({
      agents: (await agents.list(ctx)).map(toProtoAgent),
    })),
  };
}

/** The ArtifactService handlers. */
export function artifactServiceHandlers(handlerDeps: HandlerDeps): ArtifactServiceHandlers {
  const deps: ServiceDeps = { ...handlerDeps, service: 'bzzz.gateway.v1.ArtifactService' };
  const { artifacts } = deps.services;
  return {
    GetArtifact: unary(deps, 'GetArtifact', async (request, ctx) =>
      toProtoArtifact(await artifacts.get(parseId(request, 'id'), ctx)),
    ),
    ReadArtifact: serverStream(
      deps,
      'ReadArtifact',
      (request, ctx) => withOffsets(artifacts.read(parseId(request, 'id'), ctx, ARTIFACT_CHUNK_BYTES)),
      (chunk) => ({ data: chunk.data, offset: String(chunk.offset) }),
    ),
  };
}

async function* withOffsets(
  chunks: AsyncIterable<Uint8Array>,
): AsyncIterable<{ data: Uint8Array; offset: number }> {
  let offset = 0;
  for await (const data of chunks) {
    yield { data, offset };
    offset += data.byteLength;
  }
}
