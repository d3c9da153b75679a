/**
 * `RestA2ATransport`, the HTTP+JSON (REST) adapter of the `A2ATransport` port (`a2a-transport.ts`), for
 * A2A 1.0 agents, on one pooled keep-alive undici `Agent`. It owns the wire work of that binding: each
 * operation's route (path parameters, query or `application/a2a+json` body, `/{tenant}` prefix), headers,
 * SSE streams and AIP-193 error bodies (`{"error":{code,status,message,details}}`), which it turns into
 * `REMOTE_ERROR`s with `RemoteErrorDetails`. Shared HTTP plumbing lives in `http-support.ts`, the A2A
 * error table in `../a2a/a2a-errors.ts`.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { request, type Agent } from 'undici';
import type { Dispatcher } from 'undici';

import {
  A2A_ERROR_DOMAIN,
  JSON_RPC_ERRORS,
  a2aErrorByHttpStatus,
  a2aErrorByReason,
  findErrorInfo,
} from '../a2a/a2a-errors.js';
import type { A2AOperation, A2AStreamOperation, A2AUnaryOperation, JsonObject } from '../a2a/operations.js';
import { A2AHeader } from '../a2a/operations.js';
import type { AgentEndpoint } from '../domain/agent.js';
import { ErrorCode, GatewayError, invalidArgument } from '../errors/gateway-error.js';
import { jsonText } from '../json/json-text.js';
import { Attr } from '../telemetry/semconv.js';
import type { A2ACallOptions } from './a2a-client.js';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  type A2ATransport,
  type A2ATransportOptions,
  type RemoteErrorDetails,
} from './a2a-transport.js';
import { isV03 } from './agent-card.js';
import {
  agentPool,
  bodySnippet,
  classifyError,
  contentTypeOf,
  discardBody,
  isJsonType,
  openHttpCall,
  protocolError,
  readBody,
  readSseEvents,
  runHttpCall,
  snippet,
  traceHttpStream,
  type HttpCall,
  type HttpMethod,
} from './http-support.js';
import { isJsonWhitespace, parseJsonBody } from './json-body.js';

/** The media type of request bodies (spec 1.0.1 §11). */
const A2A_JSON = 'application/a2a+json';
const ACCEPT_JSON = `${A2A_JSON}, application/json`;
/** Pre-stream errors come back as JSON bodies, so a stream accepts those too. */
const ACCEPT_STREAM = `text/event-stream, ${ACCEPT_JSON}`;

/** An operation's route relative to the interface URL; `{name}` takes the request field `name`. */
interface RestRoute {
  readonly method: HttpMethod;
  readonly path: string;
}

const ROUTES: Readonly<Record<A2AOperation, RestRoute>> = {
  SendMessage: { method: 'POST', path: '/message:send' },
  SendStreamingMessage: { method: 'POST', path: '/message:stream' },
  GetTask: { method: 'GET', path: '/tasks/{id}' },
  ListTasks: { method: 'GET', path: '/tasks' },
  CancelTask: { method: 'POST', path: '/tasks/{id}:cancel' },
  // The proto says GET, the spec prose POST (A2A#1574); POST first, GET when the agent answers 405.
  SubscribeToTask: { method: 'POST', path: '/tasks/{id}:subscribe' },
  CreateTaskPushNotificationConfig: { method: 'POST', path: '/tasks/{taskId}/pushNotificationConfigs' },
  GetTaskPushNotificationConfig: { method: 'GET', path: '/tasks/{taskId}/pushNotificationConfigs/{id}' },
  ListTaskPushNotificationConfigs: { method: 'GET', path: '/tasks/{taskId}/pushNotificationConfigs' },
  DeleteTaskPushNotificationConfig: {
    method: 'DELETE',
    path: '/tasks/{taskId}/pushNotificationConfigs/{id}',
  },
  GetExtendedAgentCard: { method: 'GET', path: '/extendedAgentCard' },
};

/** One HTTP request, ready to send. */
interface RestRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly body?: string;
}

/** The A2A HTTP+JSON transport over undici. One instance per process; `close()` when shutting down. */
export class RestA2ATransport implements A2ATransport {
  readonly #agent: Agent;
  readonly #defaultTimeoutMs: number;
  readonly #maxResponseBytes: number;
  #closing: Promise<void> | undefined;

  constructor(options: A2ATransportOptions = {}) {
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#agent = agentPool(options.connections);
  }

  async unary(
    endpoint: AgentEndpoint,
    operation: A2AUnaryOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): Promise<unknown> {
    const call = restRequest(endpoint, operation, params);
    const http = openHttpCall(call.url, call.method, operation, options, this.#defaultTimeoutMs);
    return runHttpCall(http, async () => {
      const response = await this.#send(endpoint, call, ACCEPT_JSON, http.deadline.signal, options);
      http.span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, response.statusCode);
      const body = await readBody(response, http.deadline.signal, call.url, this.#maxResponseBytes);
      return interpretReply(response, body, call.url);
    });
  }

  async *stream(
    endpoint: AgentEndpoint,
    operation: A2AStreamOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): AsyncGenerator<unknown> {
    const call = restRequest(endpoint, operation, params);
    const http = openHttpCall(call.url, call.method, operation, options, this.#defaultTimeoutMs);
    yield* traceHttpStream(http, this.#streamEvents(endpoint, operation, params, call, options, http));
  }

  /** Closes the pooled connections, letting in-flight requests finish. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#agent.close();
    return this.#closing;
  }

  async *#streamEvents(
    endpoint: AgentEndpoint,
    operation: A2AStreamOperation,
    params: JsonObject,
    firstCall: RestRequest,
    options: A2ACallOptions,
    { deadline, span }: HttpCall,
  ): AsyncGenerator<unknown> {
    let call = firstCall;
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#send(endpoint, call, ACCEPT_STREAM, deadline.signal, options);
      if (operation === 'SubscribeToTask' && response.statusCode === 405) {
        discardBody(response.body);
        call = restRequest(endpoint, operation, params, 'GET');
        span.updateName(call.method);
        span.setAttribute(Attr.HTTP_REQUEST_METHOD, call.method);
        response = await this.#send(endpoint, call, ACCEPT_STREAM, deadline.signal, options);
      }
    } finally {
      // The timeout bounds the wait for headers only; the caller's signal still ends the stream.
      deadline.clear();
    }
    span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, response.statusCode);
    const signal = deadline.signal;
    const ok = response.statusCode >= 200 && response.statusCode <= 299;
    if (!ok || contentTypeOf(response.headers) !== 'text/event-stream') {
      // An error before the stream began, or an agent that answers with a single message.
      const body = await readBody(response, signal, call.url, this.#maxResponseBytes);
      yield interpretReply(response, body, call.url);
      return;
    }
    const events = readSseEvents(response.body, {
      signal,
      url: call.url,
      maxEventBytes: this.#maxResponseBytes,
    });
    for await (const event of events) yield interpretStreamEvent(event, call.url);
  }

  /** Sends one request; resolves when the response headers arrive. */
  async #send(
    endpoint: AgentEndpoint,
    call: RestRequest,
    accept: string,
    signal: AbortSignal,
    options: A2ACallOptions,
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await request(call.url, {
        dispatcher: this.#agent,
        method: call.method,
        headers: {
          ...options.headers,
          accept,
          [A2AHeader.VERSION.toLowerCase()]: endpoint.protocolVersion,
          ...(call.body === undefined ? {} : { 'content-type': A2A_JSON }),
        },
        body: call.body,
        signal,
      });
    } catch (error) {
      throw classifyError(error, signal, call.url, 'request');
    }
  }
}

/**
 * Builds the HTTP request of an operation: path parameters and a non-empty `tenant` go into the path
 * (URL-encoded), the other fields into the body (POST) or the query (GET, DELETE).
 */
function restRequest(
  endpoint: AgentEndpoint,
  operation: A2AOperation,
  params: JsonObject,
  method: HttpMethod = ROUTES[operation].method,
): RestRequest {
  if (endpoint.protocolVersion !== '1.0') {
    const message = isV03(endpoint)
      ? '0.3 HTTP+JSON agents are not supported; register their JSON-RPC interface'
      : `HTTP+JSON agents speaking A2A ${endpoint.protocolVersion} are not supported`;
    throw new GatewayError(ErrorCode.INVALID_CONFIG, message, {
      details: { url: endpoint.url, protocolVersion: endpoint.protocolVersion },
    });
  }
  const { tenant, ...fields } = params;
  const path = ROUTES[operation].path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = fields[name];
    if (typeof value !== 'string' || value === '') {
      throw invalidArgument(name, `a non-empty string is required by ${operation}`);
    }
    delete fields[name];
    return encodeURIComponent(value);
  });
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    throw new GatewayError(ErrorCode.INVALID_CONFIG, `agent endpoint '${endpoint.url}' is not a valid URL`, {
      details: { url: endpoint.url },
    });
  }
  const tenantPrefix = typeof tenant === 'string' && tenant !== '' ? `/${encodeURIComponent(tenant)}` : '';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${tenantPrefix}${path}`;
  if (method === 'POST') return { method, url: url.href, body: jsonText(fields) };
  for (const [name, value] of Object.entries(fields)) appendQuery(url.searchParams, name, value);
  return { method, url: url.href };
}

/** ProtoJSON fields as query parameters: repeated fields repeat, nested messages use dotted names. */
function appendQuery(query: URLSearchParams, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) appendQuery(query, name, item);
  } else if (typeof value === 'object') {
    for (const [field, item] of Object.entries(value)) appendQuery(query, `${name}.${field}`, item);
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    query.append(name, String(value));
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parsed JSON (a body read as bytes, or an event's text), or undefined when it is not JSON. */
function parseJson(input: string | Buffer): unknown {
  try {
    return typeof input === 'string' ? (JSON.parse(input) as unknown) : parseJsonBody(input);
  } catch {
    return undefined;
  }
}

/** The `error` of an AIP-193 (`google.rpc.Status`) body, if `json` is one. */
function statusError(json: unknown): JsonObject | undefined {
  return isJsonObject(json) && isJsonObject(json['error']) ? json['error'] : undefined;
}

/**
 * A `REMOTE_ERROR` from what the agent said: the A2A code comes from the `ErrorInfo` reason (A2A domain),
 * else from `httpStatus`, else -32603. `what` opens the message; `raw` is quoted when there is no
 * AIP-193 `message`. In a stream, `httpStatus` is the error body's `code` (its HTTP mapping).
 */
function remoteError(
  what: string,
  httpStatus: number | undefined,
  error: JsonObject | undefined,
  raw: string,
  retryable?: boolean,
): GatewayError {
  const info = findErrorInfo(error?.['details']);
  const a2aReason = info !== undefined && (info.domain ?? A2A_ERROR_DOMAIN) === A2A_ERROR_DOMAIN;
  const kind =
    (a2aReason ? a2aErrorByReason(info.reason) : undefined) ??
    (httpStatus === undefined ? undefined : a2aErrorByHttpStatus(httpStatus));
  const message = error?.['message'];
  const remoteMessage = typeof message === 'string' ? message : snippet(raw) || 'no details';
  const details = {
    remoteCode: kind?.jsonRpcCode ?? JSON_RPC_ERRORS.Internal.jsonRpcCode,
    remoteMessage,
    ...(info === undefined ? {} : { remoteReason: info.reason }),
    ...(httpStatus === undefined ? {} : { remoteStatus: httpStatus }),
  } satisfies RemoteErrorDetails;
  const label = kind === undefined ? '' : ` (${kind.name})`;
  return new GatewayError(ErrorCode.REMOTE_ERROR, `${what}${label}: ${remoteMessage}`, {
    details,
    ...(retryable === undefined ? {} : { retryable }),
  });
}

/** Checks status and content type of a whole reply; returns its JSON object (`{}` when empty). */
function interpretReply(response: Dispatcher.ResponseData, body: Buffer, url: string): JsonObject {
  const status = response.statusCode;
  const contentType = contentTypeOf(response.headers);
  const json = isJsonType(contentType) || contentType === '' ? parseJson(body) : undefined;
  if (status < 200 || status > 299) {
    const error = statusError(json);
    // Without an A2A error body, an overloaded or failing proxy is the likely speaker: try again later.
    const transient = error === undefined && [429, 502, 503, 504].includes(status);
    const raw = body.toString('utf8');
    throw remoteError(`agent at ${url} answered HTTP ${status}`, status, error, raw, transient || undefined);
  }
  if (isBlank(body)) return {};
  if (!isJsonType(contentType) && contentType !== '') {
    const message = `agent reply is not JSON (content-type ${contentType}): '${bodySnippet(body)}'`;
    throw protocolError(message, url, { contentType });
  }
  if (!isJsonObject(json)) {
    const problem = json === undefined ? 'not valid JSON' : 'not a JSON object';
    throw protocolError(`agent reply is ${problem}: '${bodySnippet(body)}'`, url);
  }
  return json;
}

/** Whether a body holds only JSON whitespace (or nothing). */
function isBlank(body: Buffer): boolean {
  return body.every(isJsonWhitespace);
}

/** Decodes one SSE event; an `event: error` frame or an AIP-193 body throws `REMOTE_ERROR`. */
function interpretStreamEvent(event: EventSourceMessage, url: string): JsonObject {
  const json = parseJson(event.data);
  const error = statusError(json);
  if (event.event === 'error' || error !== undefined) {
    const code = error?.['code'];
    const status = typeof code === 'number' ? code : undefined;
    throw remoteError(`agent at ${url} ended the stream with an error`, status, error, event.data);
  }
  if (!isJsonObject(json)) {
    throw protocolError(`agent stream event is not a JSON object: '${snippet(event.data)}'`, url);
  }
  return json;
}
