/**
 * HTTP plumbing shared by the outbound A2A adapters over undici (the JSON-RPC transport
 * `jsonrpc-a2a-transport.ts` and the HTTP+JSON transport `rest-a2a-transport.ts`): call deadlines, the
 * classification of network failures into `GatewayError`s, content-type helpers, bounded body reads,
 * incremental SSE reading and the HTTP CLIENT span. What a reply means is left to each adapter.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage, ParseError } from 'eventsource-parser';
import { Agent, type Dispatcher } from 'undici';

import type { AgentEndpoint } from '../domain/agent.js';
import { followSignals } from '../events/linked-signal.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { Attr } from '../telemetry/semconv.js';
import type { A2ACallOptions } from './a2a-client.js';

/** How much of a non-JSON body is quoted in an error message. */
const SNIPPET_CHARS = 80;

/** The HTTP methods the outbound adapters send. */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** Where in an exchange a network failure happened: it decides whether retrying is safe. */
export type NetworkPhase = 'request' | 'body';

/** A response body as undici hands it out. */
export type ResponseBody = Dispatcher.ResponseData['body'];

/**
 * Maps a network-level error code to a gateway error, or undefined when the code is not a network one.
 * `phase` is 'body' once the agent has started answering.
 */
function classifyNetworkCode(code: string, url: string, phase: NetworkPhase): GatewayError | undefined {
  const unavailable = (why: string, retryable = true): GatewayError =>
    new GatewayError(ErrorCode.REMOTE_UNAVAILABLE, `agent at ${url} unreachable: ${why}`, { retryable });
  switch (code) {
    // Nothing listens on the port: the agent is down; nothing was sent.
    case 'ECONNREFUSED':
      return unavailable('connection refused');
    // The host name does not resolve: misconfigured or gone; nothing was sent.
    case 'ENOTFOUND':
      return unavailable('host not found');
    // A temporary DNS failure: worth retrying.
    case 'EAI_AGAIN':
      return unavailable('DNS lookup failed temporarily');
    // The TCP/TLS handshake did not finish in time: the host is unreachable or overloaded.
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return unavailable('connect timeout');
    // Host or network unreachable at the IP level.
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return unavailable('host unreachable');
    // The peer reset or closed the socket. Before a reply nothing was processed (retryable); mid-reply
    // the agent may have acted on the request, so it is not safe to repeat.
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return phase === 'request'
        ? unavailable('connection closed before a reply')
        : unavailable('connection closed mid-reply', false);
    // The agent accepted the connection but sent no headers in time.
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new GatewayError(ErrorCode.DEADLINE_EXCEEDED, `agent at ${url} sent no reply headers in time`);
    // The agent stopped sending body bytes (a stalled reply or stream).
    case 'UND_ERR_BODY_TIMEOUT':
      return new GatewayError(ErrorCode.DEADLINE_EXCEEDED, `agent at ${url} stalled mid-reply`);
    // The client was closed: the gateway is shutting down.
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
      return new GatewayError(ErrorCode.UNAVAILABLE, 'the outbound A2A client is closed');
    // The agent answered with a body shorter or longer than its Content-Length: a broken reply.
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new GatewayError(ErrorCode.REMOTE_PROTOCOL_ERROR, `agent at ${url} sent a truncated reply`);
    default:
      // The agent does not speak HTTP (llhttp parser errors are HPE_*).
      if (code.startsWith('HPE_')) {
        return new GatewayError(
          ErrorCode.REMOTE_PROTOCOL_ERROR,
          `agent at ${url} sent malformed HTTP (${code})`,
        );
      }
      return undefined;
  }
}

/** The first `code` string found on `error` or its `cause` chain (undici's generic codes skipped). */
function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR' && code !== 'UND_ERR_ABORTED') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns anything thrown during a call into a `GatewayError`. An aborted `signal` wins: its reason is
 * rethrown when it is a `GatewayError` (the deadline timer, or a caller's own reason), else `CANCELLED`.
 */
export function classifyError(
  error: unknown,
  signal: AbortSignal,
  url: string,
  phase: NetworkPhase,
): GatewayError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (GatewayError.is(reason)) return reason;
    return new GatewayError(ErrorCode.CANCELLED, `call to agent at ${url} cancelled`, { cause: reason });
  }
  if (GatewayError.is(error)) return error;
  const code = findErrorCode(error);
  const classified = code === undefined ? undefined : classifyNetworkCode(code, url, phase);
  if (classified !== undefined) {
    return new GatewayError(classified.code, classified.message, {
      cause: error,
      retryable: classified.retryable,
      details: { url, ...(code === undefined ? {} : { networkCode: code }) },
    });
  }
  return new GatewayError(ErrorCode.REMOTE_UNAVAILABLE, `call to agent at ${url} failed`, {
    cause: error,
    retryable: false,
    details: { url },
  });
}

/**
 * A signal that aborts with a `DEADLINE_EXCEEDED` reason after `timeoutMs`, or when `signal` aborts.
 * `clear()` stops the timer; `release()`, when the call is over, also unlinks it from `signal`.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly #timer: NodeJS.Timeout;
  readonly #unlink: () => void;

  constructor(signal: AbortSignal, timeoutMs: number, what: string) {
    // One controller that both the timer and the caller's signal abort (not a timeout signal linked
    // to the caller's: that would be a second AbortSignal per call).
    const controller = new AbortController();
    this.#timer = setTimeout(
      () =>
        controller.abort(
          new GatewayError(ErrorCode.DEADLINE_EXCEEDED, `${what}: no reply within ${timeoutMs} ms`, {
            details: { timeoutMs },
          }),
        ),
      timeoutMs,
    );
    this.signal = controller.signal;
    this.#unlink = followSignals(controller, [signal]);
  }

  /** Stops the timer; the caller's signal stays linked (a stream that opened runs on without a limit). */
  clear(): void {
    clearTimeout(this.#timer);
  }

  /** The call is over: stops the timer and unlinks from the caller's signal. */
  release(): void {
    clearTimeout(this.#timer);
    this.#unlink();
  }
}

/** The media type of a response, lower-cased, without parameters; '' when there is none. */
export function contentTypeOf(headers: Dispatcher.ResponseData['headers']): string {
  const value = headers['content-type'];
  const raw = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  return raw.split(';')[0]?.trim().toLowerCase() ?? '';
}

/** `application/json` and every `+json` type (`application/a2a+json`). */
export function isJsonType(contentType: string): boolean {
  return contentType === 'application/json' || contentType.endsWith('+json');
}

/** The start of a body, on one line, for error messages. */
export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}

/** `snippet` of a body read as bytes: only its start is decoded (a character cut there shows as U+FFFD). */
export function bodySnippet(body: Buffer): string {
  return snippet(body.toString('utf8', 0, SNIPPET_CHARS * 4));
}

/** A `REMOTE_PROTOCOL_ERROR` about the agent at `url`. */
export function protocolError(
  message: string,
  url: string,
  details: Record<string, string | number> = {},
): GatewayError {
  return new GatewayError(ErrorCode.REMOTE_PROTOCOL_ERROR, message, { details: { url, ...details } });
}

/**
 * Reads a whole body, refusing more than `maxBytes` (`REMOTE_PROTOCOL_ERROR`, checked against
 * `Content-Length` first). The body is destroyed afterwards, whatever happened.
 */
export async function readBody(
  response: Dispatcher.ResponseData,
  signal: AbortSignal,
  url: string,
  maxBytes: number,
): Promise<Buffer> {
  const tooLarge = (): GatewayError =>
    protocolError(`agent at ${url} sent a reply larger than ${maxBytes} bytes`, url, {
      maxResponseBytes: maxBytes,
    });
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discardBody(response.body);
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    throw classifyError(error, signal, url, 'body');
  } finally {
    discardBody(response.body);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Drops a body, closing its connection unless it was read to the end. Destroying a body that arrived
 * whole but was never read makes undici emit an abort error with no one listening: it is swallowed here.
 */
export function discardBody(body: ResponseBody): void {
  if (body.destroyed) return;
  body.on('error', () => undefined);
  body.destroy();
}

export interface SseReadOptions {
  /** Aborting it ends the iteration (the caller's signal: `CANCELLED`, or its `GatewayError` reason). */
  readonly signal: AbortSignal;
  /** The agent URL, for error messages. */
  readonly url: string;
  /** Largest single event; a larger one is a `REMOTE_PROTOCOL_ERROR`. */
  readonly maxEventBytes: number;
}

/**
 * Parses a `text/event-stream` body incrementally and yields each event as it completes; events
 * without data (keep-alives) are skipped. Failures are classified as in `classifyError`. The body is
 * destroyed when the iteration ends, however it ends (done, error, `break`, abort).
 */
export async function* readSseEvents(
  body: ResponseBody,
  options: SseReadOptions,
): AsyncGenerator<EventSourceMessage> {
  const { signal, url, maxEventBytes } = options;
  const pending: EventSourceMessage[] = [];
  let parseError: ParseError | undefined;
  const parser = createParser({
    onEvent: (event) => pending.push(event),
    onError: (error) => {
      // Unknown fields and bad `retry:` values are ignorable by the SSE spec; an oversized event is not.
      if (error.type === 'max-buffer-size-exceeded') parseError = error;
    },
    maxBufferSize: maxEventBytes,
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (parseError !== undefined) {
        throw protocolError(`agent at ${url} sent a stream event larger than ${maxEventBytes} bytes`, url);
      }
      while (pending.length > 0) {
        // Events parsed from the same chunk are not delivered once the caller has aborted.
        signal.throwIfAborted();
        const event = pending.shift() as EventSourceMessage;
        if (event.data.trim() === '') continue;
        yield event;
      }
    }
  } catch (error) {
    throw classifyError(error, signal, url, 'body');
  } finally {
    // Breaking out of the iteration, an abort or an error closes the upstream connection.
    discardBody(body);
  }
}

/**
 * Starts the CLIENT span of one HTTP request to an agent, as a child of `parent` (the step's context,
 * see the run service), following the HTTP client conventions (the span is named after the method).
 * It does not inject its own context: the agent receives the step's, which is what its spans should
 * nest under. `target` is the endpoint called, or the request's full URL; credentials are stripped.
 */
export function startHttpSpan(
  target: AgentEndpoint | string,
  method: HttpMethod,
  a2aMethod: string,
  parent: Context = ROOT_CONTEXT,
): Span {
  const url = new URL(typeof target === 'string' ? target : target.url);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  url.username = '';
  url.password = '';
  return trace.getTracer('bzzz').startSpan(
    method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [Attr.HTTP_REQUEST_METHOD]: method,
        [Attr.URL_FULL]: url.href,
        [Attr.SERVER_ADDRESS]: url.hostname,
        [Attr.SERVER_PORT]: port,
        [Attr.A2A_METHOD_NAME]: a2aMethod,
      },
    },
    parent,
  );
}

/** Marks an HTTP span failed with the error's stable code. */
export function failHttpSpan(span: Span, error: unknown): void {
  const failure = GatewayError.from(error);
  span.setAttribute(Attr.ERROR_TYPE, failure.code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
}

/**
 * The pooled keep-alive connections of an HTTP transport. undici's own header and idle-body timeouts
 * are off: every call has its own `Deadline` (a unary call's covers it all, a stream's only its opening),
 * and an open stream may be quiet for as long as the agent likes; the caller's signal ends it.
 */
export function agentPool(connections = 32): Agent {
  return new Agent({ connections, headersTimeout: 0, bodyTimeout: 0 });
}

/** One call of an HTTP transport: its deadline and its CLIENT span. */
export interface HttpCall {
  readonly deadline: Deadline;
  readonly span: Span;
}

/** Opens a call: the caller's deadline (else `defaultTimeoutMs`) and a CLIENT span. */
export function openHttpCall(
  target: AgentEndpoint | string,
  method: HttpMethod,
  operation: string,
  options: A2ACallOptions,
  defaultTimeoutMs: number,
): HttpCall {
  const url = typeof target === 'string' ? target : target.url;
  return {
    deadline: new Deadline(options.signal, options.timeoutMs ?? defaultTimeoutMs, `${operation} to ${url}`),
    span: startHttpSpan(target, method, operation, options.traceContext),
  };
}

/** Runs a unary call: a failure is recorded on its span; the deadline and the span end however it ends. */
export async function runHttpCall<T>(call: HttpCall, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    failHttpSpan(call.span, error);
    throw error;
  } finally {
    call.deadline.release();
    call.span.end();
  }
}

/**
 * Yields a streaming call's events: the span lasts as long as the iteration, however it ends, and records
 * a failure; the deadline is released at the end. (The stream clears its timer itself once it has opened.)
 */
export async function* traceHttpStream<T>(call: HttpCall, events: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* events;
  } catch (error) {
    failHttpSpan(call.span, error);
    throw error;
  } finally {
    call.deadline.release();
    call.span.end();
  }
}
