/**
 * The A2A façade on the HTTP port, mounted at `/a2a`: for each registered agent NAME,
 *
 * - `GET /a2a/NAME/.well-known/agent-card.json` — the agent's card rewritten to the gateway, with a strong
 *   `ETag` (answering `If-None-Match` with 304) and `Cache-Control`;
 * - `POST /a2a/NAME` — the JSON-RPC binding, A2A 1.0 (PascalCase methods) and the 0.3 dialect
 *   (`message/send`, …), told apart by the method name;
 * - `/a2a/NAME/rest/…` — the HTTP+JSON binding, every route with and without a `/{tenant}` prefix.
 *
 * Each binding turns its wire format into an operation with ProtoJSON params for the façade
 * (`A2AFacadeService`) and its answer back, and renders every failure as that binding's A2A error
 * (`facade-errors.ts`). Streams are piped event by event (`pipeEventStream`).
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

import {
  A2A_ERROR_DOMAIN,
  ERROR_INFO_TYPE,
  JSON_RPC_ERRORS,
  type A2AErrorKind,
} from '../../a2a/a2a-errors.js';
import {
  A2AHeader,
  isA2AOperation,
  isStreamOperation,
  type A2AOperation,
  type JsonObject,
} from '../../a2a/operations.js';
import { fromV03Params, operationOfV03Method, toV03Result } from '../../a2a/v03-dialect.js';
import { AGENT_NAME_PATTERN } from '../../domain/agent.js';
import type { CallContext } from '../../domain/call-context.js';
import { ErrorCode, GatewayError } from '../../errors/gateway-error.js';
import type { Logger } from '../../logging/logger.js';
import type { A2AFacadeService, FacadeAddresses, FacadeCall } from '../../facade/a2a-facade.js';
import { cardForVersion, FACADE_REST_SEGMENT } from '../../facade/agent-card-rewrite.js';
import { toA2AWireError, type A2AWireError } from '../../facade/facade-errors.js';
import { grpcStatusName } from '../grpc/grpc-status.js';
import { callContextOf, requestLogFields, setCallContext } from './http-app.js';
import { KEEP_ALIVE_COMMENT, SSE_HEADERS, writeWithBackpressure } from './http-sse.js';
import { jsonFrame, sendJson } from './json-body.js';
import { httpServerSpans } from './http-tracing.js';

export interface A2AHttpOptions {
  readonly facade: A2AFacadeService;
  readonly logger: Logger;
  /** Largest request body accepted. */
  readonly maxBodyBytes: number;
  /** Interval of SSE keep-alive comments on an idle stream. */
  readonly keepAliveMs: number;
  /** The public base URL of the HTTP port; unset: from `X-Forwarded-Proto` / `X-Forwarded-Host` / `Host`. */
  readonly publicUrl?: string;
  /** The public `host:port` of the gRPC port (read when a card is served: the port is bound by then). */
  readonly grpcAddress: (httpBaseUrl: string) => string;
}

/** The content type of HTTP+JSON replies (A2A 1.0.1 prefers it; 1.0.0 peers sent application/json). */
const A2A_JSON = 'application/a2a+json';
const ACCEPTED_BODY_TYPES = ['application/json', A2A_JSON];
const CARD_CACHE_CONTROL = 'public, max-age=60';
/** The request headers a card's URLs are built from when no public URL is configured. */
const ADDRESS_HEADERS = 'Host, X-Forwarded-Proto, X-Forwarded-Host';

type Dialect = '1.0' | '0.3';

/** The façade router, to mount at `FACADE_PATH_PREFIX`. */
export function createA2AHttpRouter(options: A2AHttpOptions): Router {
  const router = express.Router();
  router.use(httpServerSpans({ contextOf: callContextOf, setContext: setCallContext }));
  const body = express.raw({ type: () => true, limit: options.maxBodyBytes });

  router.get('/:agent/.well-known/agent-card.json', (req, res, next) => {
    serveCard(req, res, options).catch(next);
  });
  router.post('/:agent', body, (req, res, next) => {
    handleJsonRpc(req, res, options).catch(next);
  });
  router.all(`/:agent/${FACADE_REST_SEGMENT}/*rest`, body, (req, res, next) => {
    handleRest(req, res, options).catch(next);
  });
  // Any other path below the façade (a GET on the JSON-RPC URL, `rest` with nothing after it): the
  // façade's 404, not the gateway API's.
  router.use((req, res) => {
    const error = new GatewayError(ErrorCode.ROUTE_NOT_FOUND, `no A2A route ${req.method} ${req.path}`, {
      details: { method: req.method, path: req.path },
    });
    sendRestError(res, error, options.logger);
  });
  // Failures before a handler ran (an oversize body) and anything a handler let escape: the binding's
  // own error shape, chosen by the path.
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const failure = requestError(error) ?? error;
    if (res.headersSent) {
      options.logger.error(
        { err: error, ...requestLogFields(res) },
        'A2A call failed after its response started',
      );
      res.destroy();
      return;
    }
    if (isRestPath(req)) sendRestError(res, failure, options.logger);
    else sendJsonRpcError(res, null, failure, '1.0', options.logger);
  });
  return router;
}

// -----------------------------------------------------------------------------------------------
// Shared

function agentOf(req: Request): string {
  const agent = String(req.params['agent'] ?? '');
  if (!AGENT_NAME_PATTERN.test(agent)) {
    throw new GatewayError(ErrorCode.AGENT_NOT_FOUND, `no agent '${agent}' is registered`, {
      details: { agent },
    });
  }
  return agent;
}

function isRestPath(req: Request): boolean {
  return req.path.split('/')[2] === FACADE_REST_SEGMENT;
}

/** express's failures before a handler ran (oversize or badly encoded body, bad path) as gateway errors. */
function requestError(error: unknown): GatewayError | undefined {
  // The router could not percent-decode a path parameter.
  if (error instanceof URIError) {
    return new GatewayError(ErrorCode.INVALID_ARGUMENT, 'the path is not valid percent-encoding', {
      details: { field: 'path' },
    });
  }
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    return new GatewayError(ErrorCode.PAYLOAD_TOO_LARGE, 'the request body is larger than the limit');
  }
  if (typeof type === 'string' && type.startsWith('encoding.')) {
    return new GatewayError(ErrorCode.INVALID_ARGUMENT, 'the request body has an unsupported encoding');
  }
  return undefined;
}

/** The caller's protocol version: `A2A-Version` (header or query); an unknown one is refused. */
function requestedVersion(req: Request): Dialect | undefined {
  const raw = req.get(A2AHeader.VERSION) ?? queryValue(req.query[A2AHeader.VERSION]);
  if (raw === undefined || raw === '') return undefined;
  const version = raw.trim();
  if (/^1\.\d+$/.test(version)) return '1.0';
  if (/^0\.3(\.\d+)?$/.test(version)) return '0.3';
  throw new GatewayError(
    ErrorCode.VERSION_NOT_SUPPORTED,
    `A2A version '${version}' is not supported (supported: 1.0, 0.3)`,
    { details: { version } },
  );
}

function facadeCall(req: Request, res: Response, options: A2AHttpOptions): FacadeCall {
  const ctx: CallContext = callContextOf(res);
  const extensions = req.get(A2AHeader.EXTENSIONS) ?? req.get(A2AHeader.LEGACY_EXTENSIONS);
  return {
    agent: agentOf(req),
    ctx,
    addresses: () => addressesOf(req, options),
    ...(extensions !== undefined && { extensions }),
  };
}

/** Parses a JSON request body; a wrong content type or bad JSON is the caller's error. */
function jsonBodyOf(req: Request): unknown {
  const raw = req.body as unknown;
  if (!Buffer.isBuffer(raw) || raw.length === 0) return undefined;
  if (req.is(ACCEPTED_BODY_TYPES) === false) {
    const type = req.get('content-type') ?? 'none';
    throw new GatewayError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `content type '${type}' is not accepted: send ${ACCEPTED_BODY_TYPES.join(' or ')}`,
      { details: { contentType: type } },
    );
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (error) {
    throw new JsonParseError((error as Error).message);
  }
}

class JsonParseError extends Error {}

function errorInfo(wire: A2AWireError): JsonObject {
  return {
    '@type': ERROR_INFO_TYPE,
    reason: wire.reason,
    domain: wire.domain,
    ...(wire.metadata !== undefined && { metadata: wire.metadata }),
  };
}

function wireError(error: unknown, logger: Logger, res: Response): A2AWireError {
  const wire = toA2AWireError(error);
  if (wire.reason === ErrorCode.INTERNAL) {
    logger.error({ err: error, ...requestLogFields(res) }, 'A2A façade call failed');
  }
  return wire;
}

/**
 * Pipes a stream of events to the response as SSE. The first event is awaited before the headers are
 * sent, so a call that fails at once gets an ordinary error response; if it takes longer than a
 * keep-alive interval, the stream starts with a keep-alive comment instead and a later failure becomes
 * the stream's last frame. Writes wait for `'drain'`; an idle stream gets keep-alive comments; when the
 * client goes away the iteration stops, which closes the call to the agent.
 */
async function pipeEventStream(
  res: Response,
  events: AsyncIterable<JsonObject>,
  frames: {
    readonly event: (event: JsonObject) => string | Buffer;
    readonly error: (error: unknown) => string;
    readonly failBeforeStart: (error: unknown) => void;
  },
  signal: AbortSignal,
  keepAliveMs: number,
): Promise<void> {
  const iterator = events[Symbol.asyncIterator]();
  let keepAlive: NodeJS.Timeout | undefined;
  const start = (): void => {
    if (res.headersSent) return;
    res.status(200).set(SSE_HEADERS);
    res.flushHeaders();
  };
  const armKeepAlive = (): void => {
    clearTimeout(keepAlive);
    keepAlive = setTimeout(() => {
      start();
      if (!res.destroyed) res.write(KEEP_ALIVE_COMMENT);
      armKeepAlive();
    }, keepAliveMs);
  };
  try {
    armKeepAlive();
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      start();
      if (!(await writeWithBackpressure(res, frames.event(next.value), signal))) return;
      armKeepAlive();
    }
    start();
    res.end();
  } catch (error) {
    if (!res.headersSent) {
      frames.failBeforeStart(error);
    } else if (!res.destroyed && !res.writableEnded) {
      res.end(frames.error(error));
    }
  } finally {
    clearTimeout(keepAlive);
    await iterator.return?.();
  }
}

// -----------------------------------------------------------------------------------------------
// Agent card

function addressesOf(req: Request, options: A2AHttpOptions): FacadeAddresses {
  const forwarded = (name: string): string | undefined => req.get(name)?.split(',')[0]?.trim() || undefined;
  const base =
    options.publicUrl?.replace(/\/+$/, '') ??
    `${forwarded('x-forwarded-proto') ?? req.protocol}://${forwarded('x-forwarded-host') ?? req.get('host') ?? 'localhost'}`;
  return { httpBaseUrl: base, grpcAddress: options.grpcAddress(base) };
}

async function serveCard(req: Request, res: Response, options: A2AHttpOptions): Promise<void> {
  try {
    const ctx = callContextOf(res);
    const version = requestedVersion(req);
    const { card, etag } = await options.facade.card(agentOf(req), addressesOf(req, options), ctx);
    const served = cardForVersion(card, version);
    const tag = `${etag.slice(0, -1)}-${version ?? 'any'}"`;
    // Without a configured public URL the card's URLs come from the request, so a shared cache must key on it.
    const vary =
      options.publicUrl === undefined ? `${A2AHeader.VERSION}, ${ADDRESS_HEADERS}` : A2AHeader.VERSION;
    res.set({ ETag: tag, 'Cache-Control': CARD_CACHE_CONTROL, Vary: vary });
    if (
      req
        .get('if-none-match')
        ?.split(',')
        .some((t) => t.trim() === tag) === true
    ) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(JSON.stringify(served));
  } catch (error) {
    sendRestError(res, error, options.logger);
  }
}

// -----------------------------------------------------------------------------------------------
// JSON-RPC

type JsonRpcId = string | number | null;

function jsonRpcError(id: JsonRpcId, wire: A2AWireError, dialect: Dialect): JsonObject {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: wire.jsonRpcCode,
      message: wire.message,
      // 1.0 carries google.rpc details; 0.3 had a free-form object.
      data:
        dialect === '1.0'
          ? [errorInfo(wire)]
          : { reason: wire.reason, domain: wire.domain, ...(wire.metadata ?? {}) },
    },
  };
}

function sendJsonRpcError(
  res: Response,
  id: JsonRpcId,
  error: unknown,
  dialect: Dialect,
  logger: Logger,
): void {
  const failure =
    error instanceof JsonParseError
      ? envelopeFailure(JSON_RPC_ERRORS.ParseError, `invalid JSON: ${error.message}`)
      : error instanceof InvalidRequestError
        ? envelopeFailure(JSON_RPC_ERRORS.InvalidRequest, error.message)
        : wireError(error, logger, res);
  res
    .status(200)
    .type('application/json')
    .send(JSON.stringify(jsonRpcError(id, failure, dialect)));
}

/** A standard JSON-RPC error about the envelope itself (-32700, -32600), in the A2A domain. */
function envelopeFailure(kind: A2AErrorKind, message: string): A2AWireError {
  return {
    jsonRpcCode: kind.jsonRpcCode,
    httpStatus: kind.httpStatus,
    grpcStatus: kind.grpcStatus,
    reason: kind.reason,
    domain: A2A_ERROR_DOMAIN,
    message,
  };
}

/** A body that is not a JSON-RPC request object (a batch, no `jsonrpc`, a bad `method` or `id`). */
class InvalidRequestError extends Error {}

function isJsonRpcId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || typeof value === 'number' || value === null;
}

async function handleJsonRpc(req: Request, res: Response, options: A2AHttpOptions): Promise<void> {
  const { logger } = options;
  let id: JsonRpcId = null;
  let dialect: Dialect = '1.0';
  try {
    const envelope = jsonBodyOf(req);
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
      throw new InvalidRequestError(
        Array.isArray(envelope)
          ? 'batch requests are not supported'
          : 'the body must be a JSON-RPC request object',
      );
    }
    const { jsonrpc, method, params } = envelope as { jsonrpc?: unknown; method?: unknown; params?: unknown };
    const rawId = (envelope as { id?: unknown }).id;
    if (isJsonRpcId(rawId)) id = rawId;
    if (jsonrpc !== '2.0') throw new InvalidRequestError('\'jsonrpc\' must be "2.0"');
    if (!isJsonRpcId(rawId)) throw new InvalidRequestError("'id' must be a string, a number or null");
    if (typeof method !== 'string') throw new InvalidRequestError("'method' must be a string");
    const v03Operation = operationOfV03Method(method);
    if (v03Operation !== undefined) dialect = '0.3';
    requestedVersion(req);
    const operation: A2AOperation | undefined = v03Operation ?? (isA2AOperation(method) ? method : undefined);
    if (operation === undefined) {
      throw new GatewayError(ErrorCode.ROUTE_NOT_FOUND, `method '${method}' not found`, {
        details: { method },
      });
    }
    if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
      throw new GatewayError(ErrorCode.INVALID_ARGUMENT, "'params' must be an object", {
        details: { field: 'params' },
      });
    }
    const given = (params ?? {}) as JsonObject;
    const request = dialect === '0.3' ? fromV03Params(operation, given) : given;
    const call = facadeCall(req, res, options);
    const response = (value: unknown): Record<string, unknown> => ({
      jsonrpc: '2.0',
      id,
      result: dialect === '0.3' ? toV03Result(operation, value) : value,
    });

    if (isStreamOperation(operation)) {
      const streamId = id;
      const streamDialect = dialect;
      await pipeEventStream(
        res,
        options.facade.stream(call, operation, request),
        {
          event: (event) => jsonFrame('data: ', response(event), '\n\n'),
          error: (error) =>
            `event: error\ndata: ${JSON.stringify(jsonRpcError(streamId, wireError(error, logger, res), streamDialect))}\n\n`,
          failBeforeStart: (error) => sendJsonRpcError(res, streamId, error, streamDialect, logger),
        },
        call.ctx.signal,
        options.keepAliveMs,
      );
      return;
    }
    const reply = await options.facade.unary(call, operation, request);
    sendJson(res, 200, 'application/json', response(reply));
  } catch (error) {
    sendJsonRpcError(res, id, error, dialect, logger);
  }
}

// -----------------------------------------------------------------------------------------------
// HTTP+JSON

interface RestRoute {
  readonly method: string;
  /** Matched against the path below `rest` (without a tenant prefix). */
  readonly pattern: RegExp;
  readonly operation: A2AOperation;
  /** Names of the pattern's capture groups, in order. */
  readonly params: readonly string[];
  /** Where the rest of the request's fields come from. */
  readonly from: 'body' | 'query';
}

const SEGMENT = '([^/]+)';
const REST_ROUTES: readonly RestRoute[] = [
  { method: 'POST', pattern: /^\/message:send$/, operation: 'SendMessage', params: [], from: 'body' },
  {
    method: 'POST',
    pattern: /^\/message:stream$/,
    operation: 'SendStreamingMessage',
    params: [],
    from: 'body',
  },
  { method: 'GET', pattern: /^\/tasks$/, operation: 'ListTasks', params: [], from: 'query' },
  {
    method: 'GET',
    pattern: new RegExp(`^/tasks/${SEGMENT}:subscribe$`),
    operation: 'SubscribeToTask',
    params: ['id'],
    from: 'query',
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/tasks/${SEGMENT}:subscribe$`),
    operation: 'SubscribeToTask',
    params: ['id'],
    from: 'body',
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/tasks/${SEGMENT}:cancel$`),
    operation: 'CancelTask',
    params: ['id'],
    from: 'body',
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/tasks/${SEGMENT}$`),
    operation: 'GetTask',
    params: ['id'],
    from: 'query',
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/tasks/${SEGMENT}/pushNotificationConfigs$`),
    operation: 'CreateTaskPushNotificationConfig',
    params: ['taskId'],
    from: 'body',
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/tasks/${SEGMENT}/pushNotificationConfigs$`),
    operation: 'ListTaskPushNotificationConfigs',
    params: ['taskId'],
    from: 'query',
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/tasks/${SEGMENT}/pushNotificationConfigs/${SEGMENT}$`),
    operation: 'GetTaskPushNotificationConfig',
    params: ['taskId', 'id'],
    from: 'query',
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/tasks/${SEGMENT}/pushNotificationConfigs/${SEGMENT}$`),
    operation: 'DeleteTaskPushNotificationConfig',
    params: ['taskId', 'id'],
    from: 'query',
  },
  {
    method: 'GET',
    pattern: /^\/extendedAgentCard$/,
    operation: 'GetExtendedAgentCard',
    params: [],
    from: 'query',
  },
];

/** Query parameters that are numbers or booleans in the request message. */
const NUMERIC_QUERY = new Set(['historyLength', 'pageSize']);
const BOOLEAN_QUERY = new Set(['includeArtifacts']);

/** The route for `method path` (path below `rest`), trying it without and then with a tenant prefix. */
function matchRest(method: string, path: string): { route: RestRoute; params: JsonObject } | undefined {
  const attempts: [string, JsonObject][] = [[path, {}]];
  const prefixed = /^\/([^/]+)(\/.*)$/.exec(path);
  if (prefixed !== null)
    attempts.push([prefixed[2] ?? '', { tenant: decodeURIComponent(prefixed[1] ?? '') }]);
  for (const [candidate, extra] of attempts) {
    for (const route of REST_ROUTES) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(candidate);
      if (match === null) continue;
      const params: JsonObject = { ...extra };
      route.params.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1] ?? '')));
      return { route, params };
    }
  }
  return undefined;
}

/** A query parameter's first value; undefined when absent. */
function queryValue(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

function queryParams(req: Request): JsonObject {
  const params: JsonObject = {};
  for (const [key, value] of Object.entries(req.query)) {
    const text = queryValue(value);
    if (key === A2AHeader.VERSION || text === undefined) continue;
    if (NUMERIC_QUERY.has(key)) {
      // Number() would read '' as 0 and '1e3' as 1000.
      const number = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(number)) {
        throw new GatewayError(ErrorCode.INVALID_ARGUMENT, `${key} must be an integer`, {
          details: { field: key },
        });
      }
      params[key] = number;
    } else if (BOOLEAN_QUERY.has(key)) {
      if (text !== 'true' && text !== 'false') {
        throw new GatewayError(ErrorCode.INVALID_ARGUMENT, `${key} must be true or false`, {
          details: { field: key },
        });
      }
      params[key] = text === 'true';
    } else {
      params[key] = text;
    }
  }
  return params;
}

function restErrorBody(wire: A2AWireError): JsonObject {
  return {
    error: {
      code: wire.httpStatus,
      status: grpcStatusName(wire.grpcStatus),
      message: wire.message,
      details: [errorInfo(wire)],
    },
  };
}

function sendRestError(res: Response, error: unknown, logger: Logger): void {
  const failure =
    error instanceof JsonParseError
      ? new GatewayError(ErrorCode.INVALID_ARGUMENT, `invalid JSON: ${error.message}`)
      : error;
  const wire = wireError(failure, logger, res);
  res
    .status(wire.httpStatus)
    .type(A2A_JSON)
    .send(JSON.stringify(restErrorBody(wire)));
}

async function handleRest(req: Request, res: Response, options: A2AHttpOptions): Promise<void> {
  try {
    requestedVersion(req);
    const below = req.path.slice(
      req.path.indexOf(`/${FACADE_REST_SEGMENT}/`) + FACADE_REST_SEGMENT.length + 1,
    );
    const matched = matchRest(req.method, below);
    if (matched === undefined) {
      throw new GatewayError(ErrorCode.ROUTE_NOT_FOUND, `no A2A route ${req.method} ${below}`, {
        details: { method: req.method, path: below },
      });
    }
    const { route } = matched;
    let fields: JsonObject;
    if (route.from === 'query') {
      fields = queryParams(req);
    } else {
      const parsed = jsonBodyOf(req) ?? {};
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new GatewayError(ErrorCode.INVALID_ARGUMENT, 'the body must be a JSON object', {
          details: { field: 'body' },
        });
      }
      fields = parsed as JsonObject;
    }
    const request = { ...fields, ...matched.params };
    const call = facadeCall(req, res, options);
    if (isStreamOperation(route.operation)) {
      await pipeEventStream(
        res,
        options.facade.stream(call, route.operation, request),
        {
          event: (event) => jsonFrame('data: ', event, '\n\n'),
          error: (error) =>
            `event: error\ndata: ${JSON.stringify(restErrorBody(wireError(error, options.logger, res)))}\n\n`,
          failBeforeStart: (error) => sendRestError(res, error, options.logger),
        },
        call.ctx.signal,
        options.keepAliveMs,
      );
      return;
    }
    const reply = await options.facade.unary(call, route.operation, request);
    sendJson(res, 200, A2A_JSON, reply);
  } catch (error) {
    sendRestError(res, error, options.logger);
  }
}
