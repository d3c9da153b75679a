/**
 * The express application of the HTTP port: the call-context middleware, JSON body parsing with the
 * size and content-type rules, the health probes, the `/v1` API (`http-routes.ts`) with a SERVER span
 * per request (`http-tracing.ts`), any extra mounts
 * (the A2A façade adds its routes here), the JSON 404 and the one error handler. Built separately from
 * `HttpServer` (which owns the socket and the lifecycle) so other transports can reuse or extend it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { Logger } from 'pino';

import type { GatewayServices } from '../../app/services.js';
import type { CallContext } from '../../domain/call-context.js';
import { ErrorCode, GatewayError } from '../../errors/gateway-error.js';
import { callLogFields } from '../../logging/logger.js';
import { buildCallContext, TRACE_CARRIER_FIELDS } from '../call-context.js';
import { packageRoot } from '../package-file.js';
import { sendError } from './http-error.js';
import { createApiRouter } from './http-routes.js';
import { httpServerSpans } from './http-tracing.js';

/** Request content types accepted by JSON routes. */
const JSON_TYPES = ['application/json', 'application/*+json'];

/** Default interval between SSE keep-alive comments. */
export const DEFAULT_SSE_KEEP_ALIVE_MS = 15_000;
/** The OpenAPI description, relative to the package root; served at `/openapi.yaml`. */
export const OPENAPI_FILE = 'docs/openapi.yaml';

/** Extra routes mounted before the 404 fallback (the A2A façade uses this). */
export interface HttpMount {
  /** Path prefix, e.g. `/a2a`. */
  readonly path: string;
  readonly handler: RequestHandler;
}

/** Options of `createHttpApp`. */
export interface HttpAppOptions {
  readonly services: GatewayServices;
  readonly logger: Logger;
  /** Largest accepted request body, in bytes; larger bodies get `PAYLOAD_TOO_LARGE` (413). */
  readonly maxBodyBytes: number;
  /** Aborting it ends every open event stream with a retryable `UNAVAILABLE` event. @default never */
  readonly shutdownSignal?: AbortSignal;
  /** Interval between SSE keep-alive comments, in milliseconds. @default 15000 */
  readonly sseKeepAliveMs?: number;
  /** Routes mounted after `/v1` and before the 404 fallback. @default none */
  readonly mounts?: readonly HttpMount[];
}

/** The call context the context middleware stored for this response. */
export function callContextOf(res: Response): CallContext {
  const ctx: unknown = res.locals['callContext'];
  if (ctx === undefined) throw new GatewayError(ErrorCode.INTERNAL, 'call context middleware did not run');
  return ctx as CallContext;
}

/** What a log line about this request carries: its id and its trace ids. */
export function requestLogFields(res: Response): ReturnType<typeof callLogFields> {
  return callLogFields(callContextOf(res));
}

/** Replaces the call context of this response (the tracing middleware adds its span's carrier). */
export function setCallContext(res: Response, ctx: CallContext): void {
  res.locals['callContext'] = ctx;
}

/** The W3C trace fields the client sent, as one string each (Node joins repeated headers). */
function inboundTraceCarrier(req: Request): Record<string, string | undefined> {
  const carrier: Record<string, string | undefined> = {};
  for (const field of TRACE_CARRIER_FIELDS) {
    const value = req.headers[field];
    carrier[field] = Array.isArray(value) ? value[0] : value;
  }
  return carrier;
}

/**
 * Builds each request's `CallContext`. Its signal aborts when the connection closes before the
 * response was fully written (the client went away). The request id is echoed as `X-Request-Id`. The
 * client's trace context is kept as sent; the tracing middleware of `/v1` replaces it with its span's.
 */
const callContextMiddleware: RequestHandler = (req, res, next) => {
  const controller = new AbortController();
  const requestId = req.get('x-request-id');
  const ctx = buildCallContext({
    ...(requestId !== undefined && { requestId }),
    signal: controller.signal,
    traceCarrier: inboundTraceCarrier(req),
  });
  res.on('close', () => {
    if (!res.writableFinished) {
      controller.abort(new GatewayError(ErrorCode.CANCELLED, 'the client closed the connection'));
    }
  });
  setCallContext(res, ctx);
  res.setHeader('X-Request-Id', ctx.requestId);
  next();
};

/** A body is present when it is chunked or has a non-zero length; an empty POST counts as `{}`. */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? '0');
  return Number.isNaN(length) || length > 0;
}

/** JSON body parsing: refuses other content types (415) and bodies over `maxBodyBytes` (413). */
function jsonBody(maxBodyBytes: number): RequestHandler {
  const parse = express.json({ limit: maxBodyBytes, type: JSON_TYPES, strict: true });
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE' || !hasBody(req)) {
      req.body = {};
      next();
      return;
    }
    if (req.is(JSON_TYPES) === false) {
      const type = req.get('content-type') ?? 'none';
      next(
        new GatewayError(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          `content type '${type}' is not accepted: send application/json`,
          { details: { contentType: type } },
        ),
      );
      return;
    }
    parse(req, res, next);
  };
}

/** Builds the HTTP application: probes, `/v1`, extra mounts, 404, errors. */
export function createHttpApp(options: HttpAppOptions): Express {
  const { services, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(callContextMiddleware);

  /** Liveness: the process runs and answers. */
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  /** The OpenAPI description of this API (docs/openapi.yaml, read once). */
  const openApi = readFileSync(path.join(packageRoot(OPENAPI_FILE), OPENAPI_FILE));
  app.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(openApi);
  });
  /** Readiness: the services accept work (false while starting or shutting down). */
  app.get('/readyz', (_req, res) => {
    if (services.isReady()) {
      res.json({ status: 'ready' });
      return;
    }
    const error = new GatewayError(ErrorCode.UNAVAILABLE, 'the gateway is not ready');
    sendError(res, error, logger.child(requestLogFields(res)));
  });

  app.use(
    '/v1',
    httpServerSpans({ contextOf: callContextOf, setContext: setCallContext }),
    jsonBody(options.maxBodyBytes),
    createApiRouter({
      services,
      logger,
      contextOf: callContextOf,
      shutdownSignal: options.shutdownSignal ?? new AbortController().signal,
      sseKeepAliveMs: options.sseKeepAliveMs ?? DEFAULT_SSE_KEEP_ALIVE_MS,
    }),
  );
  for (const mount of options.mounts ?? []) app.use(mount.path, mount.handler);

  app.use((req, res) => {
    const error = new GatewayError(ErrorCode.ROUTE_NOT_FOUND, `no route ${req.method} ${req.path}`, {
      details: { method: req.method, path: req.path },
    });
    sendError(res, error, logger);
  });

  const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
    const requestLogger = logger.child(requestLogFields(res));
    if (res.headersSent) {
      requestLogger.error({ err }, 'request failed after the response started');
      res.destroy();
      return;
    }
    sendError(res, err, requestLogger);
  };
  app.use(errorHandler);
  return app;
}
