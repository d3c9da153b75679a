/**
 * The gateway's own HTTP API under `/v1`: each route validates its input (`http-schemas.ts`), calls one
 * application service with the request's `CallContext`, and writes the result as JSON in the domain's
 * shapes. No business rules live here. The event stream (`GET /v1/runs/:id/events`) and the artifact
 * content download stream with backpressure; the SSE framing lives in `http-sse.ts`.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';

import type { GatewayServices, RunWatchEvent } from '../../app/services.js';
import type { CallContext } from '../../domain/call-context.js';
import { ErrorCode, GatewayError } from '../../errors/gateway-error.js';
import { linkSignals } from '../../events/linked-signal.js';
import { callLogFields } from '../../logging/logger.js';
import { toGatewayError } from './http-error.js';
import {
  cancelRunBody,
  createSessionBody,
  emptyObject,
  IDEMPOTENCY_KEY_HEADER,
  listRunsQuery,
  listSessionsQuery,
  parseRequest,
  parseSubmitRun,
  registerAgentBody,
  sendInputBody,
} from './http-schemas.js';
import {
  formatErrorEvent,
  formatWatchEvent,
  KEEP_ALIVE_COMMENT,
  SSE_HEADERS,
  writeWithBackpressure,
} from './http-sse.js';
import { sendJson } from './json-body.js';

/** The reason recorded when a client cancels a run without giving one. */
const DEFAULT_CANCEL_REASON = 'cancelled by the client';

/** What the `/v1` routes need. */
export interface ApiRouterOptions {
  readonly services: GatewayServices;
  readonly logger: Logger;
  /** The call context of a request, built by the app's context middleware. */
  readonly contextOf: (res: Response) => CallContext;
  /** Aborts when the server shuts down: open event streams then end with a retryable `UNAVAILABLE`. */
  readonly shutdownSignal: AbortSignal;
  /** Interval between keep-alive comments on event streams. */
  readonly sseKeepAliveMs: number;
}

/** A path parameter; express only routes here when it is present. */
function param(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string')
    throw new GatewayError(ErrorCode.INTERNAL, `route has no '${name}' parameter`);
  return value;
}

/** Builds the `/v1` router (mounted at `/v1` by `createHttpApp`). */
export function createApiRouter(options: ApiRouterOptions): Router {
  const { services, contextOf } = options;
  const router = Router();

  /** A JSON route without query parameters: refuses any, runs `handler`, answers `status` with its result. */
  const json =
    (status: number, handler: (req: Request, ctx: CallContext) => Promise<unknown>): RequestHandler =>
    async (req, res) => {
      parseRequest(emptyObject, req.query, 'query');
      const result = await handler(req, contextOf(res));
      if (status === 204) res.status(204).end();
      else sendJson(res, status, 'application/json', result);
    };

  // 201 with a new run; 200 with the run an earlier submission with the same idempotency key created.
  router.post('/runs', async (req, res) => {
    parseRequest(emptyObject, req.query, 'query');
    const request = parseSubmitRun(req.body, req.get(IDEMPOTENCY_KEY_HEADER));
    const { created, ...details } = await services.runs.submit(request, contextOf(res));
    sendJson(res, created ? 201 : 200, 'application/json', details);
  });
  router.get('/runs', async (req, res) => {
    const { filter, page } = parseRequest(listRunsQuery, req.query, 'query');
    const result = await services.runs.list(filter, page, contextOf(res));
    sendJson(res, 200, 'application/json', { runs: result.items, nextPageToken: result.nextPageToken });
  });
  router.get(
    '/runs/:id',
    json(200, (req, ctx) => services.runs.get(param(req, 'id'), ctx)),
  );
  router.post(
    '/runs/:id/cancel',
    json(200, (req, ctx) => {
      const body = parseRequest(cancelRunBody, req.body, 'body');
      return services.runs.cancel(param(req, 'id'), body.reason ?? DEFAULT_CANCEL_REASON, ctx);
    }),
  );
  router.post(
    '/runs/:id/input',
    json(200, (req, ctx) => {
      const body = parseRequest(sendInputBody, req.body, 'body');
      return services.runs.sendInput(param(req, 'id'), body.input, ctx, { waitMs: body.waitMs });
    }),
  );
  router.get('/runs/:id/events', (req, res) => watchRun(req, res, options));

  router.post(
    '/sessions',
    json(201, (req, ctx) => services.sessions.create(parseRequest(createSessionBody, req.body, 'body'), ctx)),
  );
  router.get('/sessions', async (req, res) => {
    const { filter, page } = parseRequest(listSessionsQuery, req.query, 'query');
    const result = await services.sessions.list(filter, page, contextOf(res));
    sendJson(res, 200, 'application/json', {
      sessions: result.items,
      nextPageToken: result.nextPageToken,
    });
  });
  router.get(
    '/sessions/:id',
    json(200, (req, ctx) => services.sessions.get(param(req, 'id'), ctx)),
  );
  router.post(
    '/sessions/:id/end',
    json(200, (req, ctx) => {
      parseRequest(emptyObject, req.body, 'body');
      return services.sessions.end(param(req, 'id'), ctx);
    }),
  );

  router.post(
    '/agents',
    json(201, (req, ctx) => services.agents.register(parseRequest(registerAgentBody, req.body, 'body'), ctx)),
  );
  router.get(
    '/agents',
    json(200, async (_req, ctx) => ({ agents: await services.agents.list(ctx) })),
  );
  router.get(
    '/agents/:name',
    json(200, (req, ctx) => services.agents.get(param(req, 'name'), ctx)),
  );
  router.delete(
    '/agents/:name',
    json(204, (req, ctx) => services.agents.deregister(param(req, 'name'), ctx)),
  );
  router.post(
    '/agents/:name/heartbeat',
    json(200, (req, ctx) => {
      parseRequest(emptyObject, req.body, 'body');
      return services.agents.heartbeat(param(req, 'name'), ctx);
    }),
  );

  router.get(
    '/artifacts/:id',
    json(200, (req, ctx) => services.artifacts.get(param(req, 'id'), ctx)),
  );
  router.get('/artifacts/:id/content', (req, res) => readArtifact(req, res, options));

  return router;
}

/** Resolves `undefined` when `signal` aborts (never rejects). */
function whenAborted(signal: AbortSignal): Promise<undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));
}

/**
 * The iterator's next result, or `undefined` once `aborted` settles first: a service that is slow to
 * notice the abort cannot hold the stream open.
 */
function nextOrAbort<T>(
  iterator: AsyncIterator<T>,
  aborted: Promise<undefined>,
): Promise<IteratorResult<T> | undefined> {
  const next = iterator.next();
  // If the abort wins the race, a later rejection of `next` has nobody to observe it.
  next.catch(() => undefined);
  return Promise.race([next, aborted]);
}

function shuttingDown(): GatewayError {
  return new GatewayError(ErrorCode.UNAVAILABLE, 'the gateway is shutting down; watch again');
}

/**
 * `GET /v1/runs/:id/events`. The first event is awaited before any header is written, so a watch that
 * fails at once (unknown run) gets an ordinary JSON error. The stream ends when the service's iterator
 * ends, the client disconnects (which aborts the call context), or the server shuts down.
 */
async function watchRun(req: Request, res: Response, options: ApiRouterOptions): Promise<void> {
  parseRequest(emptyObject, req.query, 'query');
  const base = options.contextOf(res);
  const ended = linkSignals(base.signal, options.shutdownSignal);
  const { signal } = ended;
  const ctx: CallContext = { ...base, signal };
  try {
    const iterator = options.services.runs.watch(param(req, 'id'), ctx)[Symbol.asyncIterator]();
    const aborted = whenAborted(signal);

    const first = await nextOrAbort(iterator, aborted);
    if (first === undefined) {
      if (options.shutdownSignal.aborted) throw shuttingDown();
      res.end(); // The client is gone; nobody reads this.
      return;
    }
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
    const keepAlive = setInterval(() => {
      if (!res.writableNeedDrain && !res.destroyed) res.write(KEEP_ALIVE_COMMENT);
    }, options.sseKeepAliveMs);

    let failure: GatewayError | undefined;
    try {
      let next: IteratorResult<RunWatchEvent> | undefined = first;
      while (next !== undefined && next.done !== true) {
        if (!(await writeWithBackpressure(res, formatWatchEvent(next.value), signal))) break;
        next = await nextOrAbort(iterator, aborted);
      }
    } catch (error) {
      failure = toGatewayError(error);
      if (failure.code === ErrorCode.INTERNAL) {
        options.logger.error({ err: error, ...callLogFields(base) }, 'run watch failed');
      }
    } finally {
      clearInterval(keepAlive);
      // Releases the service's subscription; a pending `next()` settles on its own once ctx aborts.
      iterator.return?.().catch(() => undefined);
    }
    if (failure === undefined && options.shutdownSignal.aborted) {
      failure = shuttingDown();
    }
    if (failure !== undefined && !base.signal.aborted) res.write(formatErrorEvent(failure));
    res.end();
  } finally {
    ended.unlink();
  }
}

/** True when an `If-None-Match` header lists `etag` (or `*`). */
function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/**
 * `GET /v1/artifacts/:id/content`: the bytes, with the artifact's content type, `Content-Length` and
 * `ETag` (its checksum). A failure after the headers cuts the connection, so the client sees a failed
 * download rather than a short body that looks complete.
 */
async function readArtifact(req: Request, res: Response, options: ApiRouterOptions): Promise<void> {
  parseRequest(emptyObject, req.query, 'query');
  const ctx = options.contextOf(res);
  const id = param(req, 'id');
  const meta = await options.services.artifacts.get(id, ctx);
  const etag = meta.checksum === undefined ? undefined : `"${meta.checksum.value}"`;
  if (etag !== undefined) res.setHeader('ETag', etag);
  if (etag !== undefined && etagMatches(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return;
  }
  if (req.method === 'HEAD') {
    res.status(200).setHeader('Content-Type', meta.contentType).setHeader('Content-Length', meta.size).end();
    return;
  }
  const iterator = options.services.artifacts.read(id, ctx)[Symbol.asyncIterator]();
  try {
    let chunk = await iterator.next();
    res.status(200).setHeader('Content-Type', meta.contentType).setHeader('Content-Length', meta.size);
    while (chunk.done !== true) {
      if (!(await writeWithBackpressure(res, chunk.value, ctx.signal))) return;
      chunk = await iterator.next();
    }
    res.end();
  } catch (error) {
    if (!res.headersSent) throw error;
    const fields = { err: error, artifactId: id, ...callLogFields(ctx) };
    options.logger.error(fields, 'artifact content failed mid-stream');
    res.destroy();
  } finally {
    iterator.return?.().catch(() => undefined);
  }
}
