/**
 * `UndiciA2AClient`, the adapter of the `A2AClient` port (`a2a-client.ts`): A2A over the JSON-RPC binding,
 * on one pooled keep-alive undici `Agent`. It owns the wire work — request envelopes and headers,
 * deadlines and cancellation, bounded reads, incremental SSE parsing, and the classification of every
 * failure into a `GatewayError`. Reply validation lives in `a2a-schema.ts`, the 0.3 dialect in
 * `a2a-v03.ts`, card validation in `agent-card.ts`.
 */
import { randomUUID } from 'node:crypto';

import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage, ParseError } from 'eventsource-parser';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';

import type { AgentEndpoint } from '../domain/agent.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { Attr, SpanName } from '../telemetry/semconv.js';
import type { A2ACallOptions, A2AClient, FetchedAgentCard } from './a2a-client.js';
import type { JsonRpcError } from './a2a-schema.js';
import {
  jsonRpcResponseSchema,
  parseAgentReply,
  sendMessageResponseSchema,
  streamResponseSchema,
  taskSchema,
} from './a2a-schema.js';
import type { A2ASendMessageRequest, A2ASendMessageResult, A2AStreamEvent, A2ATask } from './a2a-types.js';
import type { A2AMethod } from './a2a-v03.js';
import { fromV03Result, isV03, toV03Params, V03_METHOD_NAMES } from './a2a-v03.js';

export interface UndiciA2AClientOptions {
  /** Limit of a call without its own `timeoutMs` (for streams: the wait for headers). @default 30000 */
  readonly defaultTimeoutMs?: number;
  /** Largest reply body read (for streams: the largest single event). @default 10485760 (10 MiB) */
  readonly maxResponseBytes?: number;
  /** Pooled connections per agent origin. @default 32 */
  readonly connections?: number;
}

/** The `A2A-Version` sent when an endpoint does not say otherwise, and on card fetches. */
const DEFAULT_PROTOCOL_VERSION = '1.0';
/** Where a card lives relative to an agent's base URL. */
const WELL_KNOWN_CARD_PATH = '/.well-known/agent-card.json';
/** How much of a non-JSON body is quoted in an error message. */
const SNIPPET_CHARS = 80;

/** JSON-RPC and A2A error codes, for readable `REMOTE_ERROR` messages. */
const JSON_RPC_ERROR_NAMES: Readonly<Record<number, string>> = {
  [-32700]: 'JSONParseError',
  [-32600]: 'InvalidRequest',
  [-32601]: 'MethodNotFound',
  [-32602]: 'InvalidParams',
  [-32603]: 'InternalError',
  [-32001]: 'TaskNotFound',
  [-32002]: 'TaskNotCancelable',
  [-32003]: 'PushNotificationNotSupported',
  [-32004]: 'UnsupportedOperation',
  [-32005]: 'ContentTypeNotSupported',
  [-32006]: 'InvalidAgentResponse',
  [-32007]: 'ExtendedAgentCardNotConfigured',
  [-32008]: 'ExtensionSupportRequired',
  [-32009]: 'VersionNotSupported',
};

/** Where in an exchange a network failure happened: it decides whether retrying is safe. */
type Phase = 'request' | 'body';

/**
 * Maps a network-level error code to a gateway error, or undefined when the code is not a network one.
 * `phase` is 'body' once the agent has started answering.
 */
function classifyNetworkCode(code: string, url: string, phase: Phase): GatewayError | undefined {
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

/** The first `code` string found on `error` or its `cause` chain. */
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
function classifyError(error: unknown, signal: AbortSignal, url: string, phase: Phase): GatewayError {
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

/** A signal that aborts with a `DEADLINE_EXCEEDED` reason after `timeoutMs`, or when `signal` aborts. */
class Deadline {
  readonly signal: AbortSignal;
  readonly #timer: NodeJS.Timeout;

  constructor(signal: AbortSignal, timeoutMs: number, what: string) {
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
    this.signal = AbortSignal.any([signal, controller.signal]);
  }

  /** Stops the timer; the caller's signal stays linked. */
  clear(): void {
    clearTimeout(this.#timer);
  }
}

function contentTypeOf(headers: Dispatcher.ResponseData['headers']): string {
  const value = headers['content-type'];
  const raw = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  return raw.split(';')[0]?.trim().toLowerCase() ?? '';
}

function isJsonType(contentType: string): boolean {
  return contentType === 'application/json' || contentType.endsWith('+json');
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}

/** The `reason` of the first `google.rpc.ErrorInfo` in a 1.0 error's `data`, if any. */
function errorInfoReason(data: unknown): string | undefined {
  if (!Array.isArray(data)) return undefined;
  for (const item of data as unknown[]) {
    const reason = (item as { reason?: unknown } | null)?.reason;
    if (typeof reason === 'string') return reason;
  }
  return undefined;
}

function remoteError(error: JsonRpcError, url: string): GatewayError {
  const name = JSON_RPC_ERROR_NAMES[error.code];
  const label = name === undefined ? `${error.code}` : `${error.code} (${name})`;
  const reason = errorInfoReason(error.data);
  return new GatewayError(
    ErrorCode.REMOTE_ERROR,
    `agent at ${url} answered error ${label}: ${error.message}`,
    {
      details: {
        remoteCode: error.code,
        remoteMessage: error.message,
        ...(name === undefined ? {} : { remoteName: name }),
        ...(reason === undefined ? {} : { remoteReason: reason }),
      },
    },
  );
}

function protocolError(
  message: string,
  url: string,
  details: Record<string, string | number> = {},
): GatewayError {
  return new GatewayError(ErrorCode.REMOTE_PROTOCOL_ERROR, message, { details: { url, ...details } });
}

/**
 * Starts the CLIENT span of one HTTP request to an agent, as a child of the active context (the step's,
 * see the run service), following the HTTP client conventions. It does not inject its own context: the
 * agent receives the step's, which is what its spans should nest under.
 */
function startHttpSpan(endpoint: AgentEndpoint, method: A2AMethod): Span {
  const url = new URL(endpoint.url);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  url.username = '';
  url.password = '';
  return trace.getTracer('bzzz').startSpan(SpanName.httpPost, {
    kind: SpanKind.CLIENT,
    attributes: {
      [Attr.HTTP_REQUEST_METHOD]: 'POST',
      [Attr.URL_FULL]: url.href,
      [Attr.SERVER_ADDRESS]: url.hostname,
      [Attr.SERVER_PORT]: port,
      [Attr.A2A_METHOD_NAME]: method,
    },
  });
}

function failHttpSpan(span: Span, error: unknown): void {
  const failure = GatewayError.from(error);
  span.setAttribute(Attr.ERROR_TYPE, failure.code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
}

/** The A2A client over undici. One instance per process; `close()` when shutting down. */
export class UndiciA2AClient implements A2AClient {
  readonly #agent: Agent;
  readonly #defaultTimeoutMs: number;
  readonly #maxResponseBytes: number;
  #closing: Promise<void> | undefined;

  constructor(options: UndiciA2AClientOptions = {}) {
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
    this.#maxResponseBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
    this.#agent = new Agent({ connections: options.connections ?? 32 });
  }

  async fetchAgentCard(url: string, options: A2ACallOptions): Promise<FetchedAgentCard> {
    const cardUrl = agentCardUrl(url);
    const deadline = new Deadline(
      options.signal,
      options.timeoutMs ?? this.#defaultTimeoutMs,
      `agent card ${cardUrl}`,
    );
    const invalid = (reason: string, details: Record<string, string | number> = {}): GatewayError =>
      new GatewayError(ErrorCode.INVALID_AGENT_CARD, `agent card at ${cardUrl}: ${reason}`, {
        details: { cardUrl, reason, ...details },
      });
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(cardUrl, {
          dispatcher: this.#agent,
          method: 'GET',
          headers: {
            accept: 'application/json',
            'a2a-version': DEFAULT_PROTOCOL_VERSION,
            ...options.headers,
          },
          signal: deadline.signal,
        });
      } catch (error) {
        throw classifyError(error, deadline.signal, cardUrl, 'request');
      }
      const text = await this.#readBody(response, deadline.signal, cardUrl);
      if (response.statusCode !== 200) {
        throw invalid(`HTTP ${response.statusCode}`, { httpStatus: response.statusCode });
      }
      let card: unknown;
      try {
        card = JSON.parse(text);
      } catch {
        throw invalid(`not JSON: '${snippet(text)}'`);
      }
      if (typeof card !== 'object' || card === null || Array.isArray(card))
        throw invalid('not a JSON object');
      return { cardUrl, card: card as Record<string, unknown> };
    } finally {
      deadline.clear();
    }
  }

  async sendMessage(
    endpoint: AgentEndpoint,
    request: A2ASendMessageRequest,
    options: A2ACallOptions,
  ): Promise<A2ASendMessageResult> {
    return this.#call(
      endpoint,
      'SendMessage',
      sendParams(endpoint, request),
      sendMessageResponseSchema,
      options,
    );
  }

  sendStreamingMessage(
    endpoint: AgentEndpoint,
    request: A2ASendMessageRequest,
    options: A2ACallOptions,
  ): AsyncIterable<A2AStreamEvent> {
    return this.#stream(endpoint, sendParams(endpoint, request), options);
  }

  async getTask(
    endpoint: AgentEndpoint,
    request: { id: string; historyLength?: number },
    options: A2ACallOptions,
  ): Promise<A2ATask> {
    const params = { ...tenantParam(endpoint), id: request.id, historyLength: request.historyLength };
    return this.#call(endpoint, 'GetTask', params, taskSchema, options);
  }

  async cancelTask(
    endpoint: AgentEndpoint,
    request: { id: string },
    options: A2ACallOptions,
  ): Promise<A2ATask> {
    return this.#call(
      endpoint,
      'CancelTask',
      { ...tenantParam(endpoint), id: request.id },
      taskSchema,
      options,
    );
  }

  /** Closes the pooled connections, letting in-flight requests finish. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#agent.close();
    return this.#closing;
  }

  /** Sends one JSON-RPC request and returns its validated result. */
  async #call<T>(
    endpoint: AgentEndpoint,
    method: A2AMethod,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
    options: A2ACallOptions,
  ): Promise<T> {
    const deadline = new Deadline(
      options.signal,
      options.timeoutMs ?? this.#defaultTimeoutMs,
      `${method} to ${endpoint.url}`,
    );
    const span = startHttpSpan(endpoint, method);
    try {
      const { id, response } = await this.#post(
        endpoint,
        method,
        params,
        'application/json',
        deadline.signal,
        options,
      );
      span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, response.statusCode);
      const text = await this.#readBody(response, deadline.signal, endpoint.url);
      const result = this.#interpretJsonReply(response, text, id, endpoint.url);
      return parseAgentReply(schema, isV03(endpoint) ? fromV03Result(method, result) : result, ['result']);
    } catch (error) {
      failHttpSpan(span, error);
      throw error;
    } finally {
      deadline.clear();
      span.end();
    }
  }

  async *#stream(
    endpoint: AgentEndpoint,
    params: Record<string, unknown>,
    options: A2ACallOptions,
  ): AsyncGenerator<A2AStreamEvent> {
    const url = endpoint.url;
    const method = 'SendStreamingMessage';
    const deadline = new Deadline(
      options.signal,
      options.timeoutMs ?? this.#defaultTimeoutMs,
      `${method} to ${url}`,
    );
    // The HTTP span lasts as long as the stream: it ends when the iteration does, however it ends.
    const span = startHttpSpan(endpoint, method);
    try {
      yield* this.#streamEvents(endpoint, params, options, deadline, span);
    } catch (error) {
      failHttpSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  async *#streamEvents(
    endpoint: AgentEndpoint,
    params: Record<string, unknown>,
    options: A2ACallOptions,
    deadline: Deadline,
    span: Span,
  ): AsyncGenerator<A2AStreamEvent> {
    const url = endpoint.url;
    const method = 'SendStreamingMessage';
    let posted: { id: string; response: Dispatcher.ResponseData };
    try {
      posted = await this.#post(endpoint, method, params, 'text/event-stream', deadline.signal, options);
    } finally {
      // The timeout bounds the wait for headers only; the caller's signal still ends the stream.
      deadline.clear();
    }
    const { id, response } = posted;
    span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, response.statusCode);
    const signal = deadline.signal;
    const translate = (result: unknown): A2AStreamEvent =>
      parseAgentReply(streamResponseSchema, isV03(endpoint) ? fromV03Result(method, result) : result, [
        'result',
      ]);

    if (response.statusCode !== 200 || contentTypeOf(response.headers) !== 'text/event-stream') {
      // An error before the stream began (or an agent that answers a single JSON-RPC reply).
      const text = await this.#readBody(response, signal, url);
      yield translate(this.#interpretJsonReply(response, text, id, url));
      return;
    }

    const pending: EventSourceMessage[] = [];
    let parseError: ParseError | undefined;
    const parser = createParser({
      onEvent: (event) => pending.push(event),
      onError: (error) => {
        // Unknown fields and bad `retry:` values are ignorable by the SSE spec; an oversized event is not.
        if (error.type === 'max-buffer-size-exceeded') parseError = error;
      },
      maxBufferSize: this.#maxResponseBytes,
    });
    const decoder = new TextDecoder();
    const body = response.body;
    try {
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }));
        if (parseError !== undefined) {
          throw protocolError(
            `agent at ${url} sent a stream event larger than ${this.#maxResponseBytes} bytes`,
            url,
          );
        }
        while (pending.length > 0) {
          // Events parsed from the same chunk are not delivered once the caller has aborted.
          signal.throwIfAborted();
          const event = pending.shift() as EventSourceMessage;
          if (event.data.trim() === '') continue;
          yield translate(this.#interpretStreamEvent(event, id, url));
        }
      }
    } catch (error) {
      throw classifyError(error, signal, url, 'body');
    } finally {
      // Breaking out of the iteration, an abort or an error closes the upstream connection.
      if (!body.destroyed) body.destroy();
    }
  }

  /** POSTs a JSON-RPC envelope; resolves when the response headers arrive. */
  async #post(
    endpoint: AgentEndpoint,
    method: A2AMethod,
    params: Record<string, unknown>,
    accept: string,
    signal: AbortSignal,
    options: A2ACallOptions,
  ): Promise<{ id: string; response: Dispatcher.ResponseData }> {
    const id = randomUUID();
    const v03 = isV03(endpoint);
    const envelope = {
      jsonrpc: '2.0',
      id,
      method: v03 ? V03_METHOD_NAMES[method] : method,
      params: v03 ? toV03Params(method, params) : params,
    };
    try {
      const response = await request(endpoint.url, {
        dispatcher: this.#agent,
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': 'application/json',
          accept: accept === 'application/json' ? accept : `${accept}, application/json`,
          'a2a-version': endpoint.protocolVersion || DEFAULT_PROTOCOL_VERSION,
        },
        body: JSON.stringify(envelope),
        signal,
      });
      return { id, response };
    } catch (error) {
      throw classifyError(error, signal, endpoint.url, 'request');
    }
  }

  /** Reads a whole body as UTF-8, refusing more than `maxResponseBytes`. */
  async #readBody(response: Dispatcher.ResponseData, signal: AbortSignal, url: string): Promise<string> {
    const limit = this.#maxResponseBytes;
    const tooLarge = (): GatewayError =>
      protocolError(`agent at ${url} sent a reply larger than ${limit} bytes`, url, {
        maxResponseBytes: limit,
      });
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      response.body.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > limit) throw tooLarge();
        chunks.push(chunk);
      }
    } catch (error) {
      throw classifyError(error, signal, url, 'body');
    } finally {
      if (!response.body.destroyed) response.body.destroy();
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Checks status, content type and envelope of a JSON-RPC reply; returns its `result`. */
  #interpretJsonReply(response: Dispatcher.ResponseData, text: string, id: string, url: string): unknown {
    const status = response.statusCode;
    const contentType = contentTypeOf(response.headers);
    let json: unknown;
    let parsed = false;
    if (isJsonType(contentType) || contentType === '') {
      try {
        json = JSON.parse(text);
        parsed = true;
      } catch {
        // Reported below, after the HTTP status has had its say.
      }
    }
    const envelope = parsed ? jsonRpcResponseSchema.safeParse(json) : undefined;
    if (envelope?.success === true && envelope.data.error !== undefined) {
      // A JSON-RPC error wins whatever the HTTP status (most servers answer errors with 200).
      throw remoteError(envelope.data.error, url);
    }
    if (status < 200 || status > 299) {
      const httpDetails = { httpStatus: status };
      // Overloaded, rate-limited or behind a failing proxy: try again later.
      if (status === 429 || status === 502 || status === 503 || status === 504) {
        throw new GatewayError(ErrorCode.REMOTE_UNAVAILABLE, `agent at ${url} answered HTTP ${status}`, {
          details: { url, ...httpDetails },
        });
      }
      // The agent refused our credentials.
      if (status === 401 || status === 403) {
        throw new GatewayError(ErrorCode.REMOTE_ERROR, `agent at ${url} refused the call: HTTP ${status}`, {
          details: { url, ...httpDetails },
        });
      }
      throw protocolError(`agent at ${url} answered HTTP ${status}: '${snippet(text)}'`, url, httpDetails);
    }
    if (!isJsonType(contentType) && contentType !== '') {
      throw protocolError(`agent reply is not JSON (content-type ${contentType}): '${snippet(text)}'`, url, {
        contentType,
      });
    }
    if (!parsed) throw protocolError(`agent reply is not valid JSON: '${snippet(text)}'`, url);
    const reply = parseAgentReply(jsonRpcResponseSchema, json);
    if (reply.id !== undefined && reply.id !== null && reply.id !== id) {
      throw protocolError(`agent reply has JSON-RPC id ${JSON.stringify(reply.id)}, expected "${id}"`, url);
    }
    return reply.result;
  }

  /** Decodes one SSE event: `event: error` and JSON-RPC errors throw `REMOTE_ERROR`. */
  #interpretStreamEvent(event: EventSourceMessage, id: string, url: string): unknown {
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch {
      if (event.event === 'error') {
        throw new GatewayError(
          ErrorCode.REMOTE_ERROR,
          `agent at ${url} ended the stream with an error: ${snippet(event.data)}`,
        );
      }
      throw protocolError(`agent stream event is not valid JSON: '${snippet(event.data)}'`, url);
    }
    const reply = parseAgentReply(jsonRpcResponseSchema, json);
    if (reply.error !== undefined) throw remoteError(reply.error, url);
    if (event.event === 'error') {
      throw new GatewayError(ErrorCode.REMOTE_ERROR, `agent at ${url} ended the stream with an error event`);
    }
    if (reply.id !== undefined && reply.id !== null && reply.id !== id) {
      throw protocolError(
        `agent stream event has JSON-RPC id ${JSON.stringify(reply.id)}, expected "${id}"`,
        url,
      );
    }
    return reply.result;
  }
}

/** `.json` URLs as they are, anything else as a base URL with the well-known card path appended. */
export function agentCardUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GatewayError(ErrorCode.INVALID_AGENT_CARD, `agent URL '${url}' is not a valid URL`, {
      details: { field: 'url', cardUrl: url },
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new GatewayError(ErrorCode.INVALID_AGENT_CARD, `agent URL '${url}' must be http(s)`, {
      details: { field: 'url', cardUrl: url },
    });
  }
  if (parsed.pathname.endsWith('.json')) return parsed.href;
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}${WELL_KNOWN_CARD_PATH}`;
  return parsed.href;
}

function tenantParam(endpoint: AgentEndpoint): { tenant?: string } {
  return endpoint.tenant === undefined ? {} : { tenant: endpoint.tenant };
}

function sendParams(endpoint: AgentEndpoint, request: A2ASendMessageRequest): Record<string, unknown> {
  return { ...request, ...tenantParam(endpoint) };
}
