/**
 * The SERVER span of each HTTP API request (`server-span.ts` does the propagation): started when the
 * request enters the mount (`/v1`) as a child of the client's `traceparent`, its context put into the
 * request's `CallContext` as the W3C carrier, and ended when the response is over — for an event stream,
 * when the stream ends. Named `{METHOD} {route}` (`POST /v1/runs`, `GET /v1/runs/:id`) once the route is
 * known, just `{METHOD}` when no route matched, as the HTTP conventions say.
 */
import { defaultTextMapGetter } from '@opentelemetry/api';
import type { Request, RequestHandler, Response } from 'express';

import type { CallContext } from '../../domain/call-context.js';
import { withTraceCarrier } from '../call-context.js';
import { Attr } from '../../telemetry/semconv.js';
import { failServerSpan, startServerSpan } from '../server-span.js';
import { errorCodeOf } from './http-error.js';

/** The methods the HTTP conventions name; any other is reported as `_OTHER`. */
const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

/** The path of the request URL, without the query. */
function urlPath(req: Request): string {
  const query = req.originalUrl.indexOf('?');
  return query === -1 ? req.originalUrl : req.originalUrl.slice(0, query);
}

/** The matched route's template, e.g. `/runs/:id` (relative to the mount), if a route matched. */
function routeTemplate(req: Request): string | undefined {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}

/** Where the request's `CallContext` lives: the app's call-context middleware put it there. */
export interface CallContextAccess {
  readonly contextOf: (res: Response) => CallContext;
  readonly setContext: (res: Response, ctx: CallContext) => void;
}

/**
 * The middleware. Mount it first on the traced prefix, after the app's call-context middleware, whose
 * `CallContext` it gives the SERVER span's carrier: `app.use('/v1', httpServerSpans(access), …)`.
 */
export function httpServerSpans(access: CallContextAccess): RequestHandler {
  return (req, res, next) => {
    // The mount path, read now: express resets `baseUrl` when an error leaves the router.
    const mount = req.baseUrl;
    const method = KNOWN_METHODS.has(req.method) ? req.method : '_OTHER';
    const { span, carrier } = startServerSpan(
      method,
      {
        [Attr.HTTP_REQUEST_METHOD]: method,
        ...(method === '_OTHER' && { [Attr.HTTP_REQUEST_METHOD_ORIGINAL]: req.method }),
        [Attr.URL_PATH]: urlPath(req),
      },
      req.headers,
      defaultTextMapGetter,
    );
    access.setContext(res, withTraceCarrier(access.contextOf(res), carrier));
    res.once('close', () => {
      const route = routeTemplate(req);
      if (route !== undefined) {
        span.updateName(`${method} ${mount}${route}`);
        span.setAttribute(Attr.HTTP_ROUTE, `${mount}${route}`);
      }
      // A client that left before any response was written got no status.
      if (res.headersSent) {
        span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, res.statusCode);
        if (res.statusCode >= 500) failServerSpan(span, errorCodeOf(res) ?? String(res.statusCode));
      }
      span.end();
    });
    next();
  };
}
