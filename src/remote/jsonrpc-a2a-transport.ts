/**
 * `JsonRpcA2ATransport`, the JSON-RPC adapter of the `A2ATransport` port (`a2a-transport.ts`), on one
 * pooled keep-alive undici `Agent`. It owns the wire work of that binding: request envelopes (method = the
 * 1.0 operation name, or its 0.3 name for 0.3 endpoints, with params and results translated by
 * `../a2a/v03-dialect.ts`), headers, reply envelopes and ids, SSE streams, and JSON-RPC errors, which it
 * turns into `REMOTE_ERROR`s with `RemoteErrorDetails`. Shared HTTP plumbing lives in `http-support.ts`;
 * replies are validated above, in `BindingA2AClient`.
 */
import { randomUUID } from 'node:crypto';

import type { EventSourceMessage } from 'eventsource-parser';
import { request, type Agent } from 'undici';
import type { Dispatcher } from 'undici';

import { JSON_RPC_ERRORS, a2aErrorByJsonRpcCode, findErrorInfo } from '../a2a/a2a-errors.js';
import type { A2AOperation, A2AStreamOperation, A2AUnaryOperation, JsonObject } from '../a2a/operations.js';
import { A2AHeader } from '../a2a/operations.js';
import { V03_METHODS, fromV03Result, toV03Params } from '../a2a/v03-dialect.js';
import type { AgentEndpoint } from '../domain/agent.js';
import { ErrorCode, GatewayError, type ErrorDetails } from '../errors/gateway-error.js';
import { jsonText } from '../json/json-text.js';
import { Attr } from '../telemetry/semconv.js';
import type { A2ACallOptions } from './a2a-client.js';
import type { JsonRpcError } from './a2a-schema.js';
import { jsonRpcResponseSchema, parseAgentReply } from './a2a-schema.js';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_PROTOCOL_VERSION,
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
  isJsonType,
  openHttpCall,
  protocolError,
  readBody,
  readSseEvents,
  runHttpCall,
  snippet,
  traceHttpStream,
  type HttpCall,
} from './http-support.js';
import { parseJsonBody } from './json-body.js';

const ACCEPT_JSON = 'application/json';
/** Pre-stream errors come back as a single JSON-RPC reply, so a stream accepts JSON too. */
const ACCEPT_STREAM = 'text/event-stream, application/json';

/** One JSON-RPC request, in the dialect of its endpoint. */
interface JsonRpcCall {
  readonly id: string;
  readonly method: string;
  readonly params: JsonObject;
}

/** The A2A JSON-RPC transport over undici. One instance per process; `close()` when shutting down. */
export class JsonRpcA2ATransport implements A2ATransport {
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
    const call = jsonRpcCall(endpoint, operation, params);
    const http = openHttpCall(endpoint, 'POST', operation, options, this.#defaultTimeoutMs);
    return runHttpCall(http, async () => {
      const response = await this.#post(endpoint, call, ACCEPT_JSON, http.deadline.signal, options);
      http.span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, response.statusCode);
      const body = await readBody(response, http.deadline.signal, endpoint.url, this.#maxResponseBytes);
      return fromDialect(endpoint, operation, interpretReply(response, body, call.id, endpoint.url));
    });
  }

  async *stream(
    endpoint: AgentEndpoint,
    operation: A2AStreamOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): AsyncGenerator<unknown> {
    const call = jsonRpcCall(endpoint, operation, params);
    const http = openHttpCall(endpoint, 'POST', operation, options, this.#defaultTimeoutMs);
    yield* traceHttpStream(http, this.#streamEvents(endpoint, operation, call, options, http));
  }

  /** Closes the pooled connections, letting in-flight requests finish. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#agent.close();
    return this.#closing;
  }

  async *#streamEvents(
    endpoint: AgentEndpoint,
    operation: A2AStreamOperation,
    call: JsonRpcCall,
    options: A2ACallOptions,
    { deadline, span }: HttpCall,
  ): AsyncGenerator<unknown> {
    const url = endpoint.url;
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#post(endpoint, call, ACCEPT_STREAM, deadline.signal, options);
    } finally {
      // The timeout bounds the wait for headers only; the caller's signal still ends the stream.
      deadline.clear();
    }
    span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, response.statusCode);
    const signal = deadline.signal;
    if (response.statusCode !== 200 || contentTypeOf(response.headers) !== 'text/event-stream') {
      // An error before the stream began (or an agent that answers a single JSON-RPC reply).
      const body = await readBody(response, signal, url, this.#maxResponseBytes);
      yield fromDialect(endpoint, operation, interpretReply(response, body, call.id, url));
      return;
    }
    const events = readSseEvents(response.body, { signal, url, maxEventBytes: this.#maxResponseBytes });
    for await (const event of events) {
      yield fromDialect(endpoint, operation, interpretStreamEvent(event, call.id, url));
    }
  }

  /** POSTs a JSON-RPC envelope; resolves when the response headers arrive. */
  async #post(
    endpoint: AgentEndpoint,
    call: JsonRpcCall,
    accept: string,
    signal: AbortSignal,
    options: A2ACallOptions,
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await request(endpoint.url, {
        dispatcher: this.#agent,
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': 'application/json',
          accept,
          [A2AHeader.VERSION.toLowerCase()]: endpoint.protocolVersion || DEFAULT_PROTOCOL_VERSION,
        },
        body: jsonText({ jsonrpc: '2.0', ...call }),
        signal,
      });
    } catch (error) {
      throw classifyError(error, signal, endpoint.url, 'request');
    }
  }
}

/**
 * The request of `operation` in the endpoint's dialect.
 * @throws GatewayError `UNSUPPORTED_OPERATION` when the endpoint speaks 0.3 and 0.3 has no such method.
 */
function jsonRpcCall(endpoint: AgentEndpoint, operation: A2AOperation, params: JsonObject): JsonRpcCall {
  const id = randomUUID();
  if (!isV03(endpoint)) return { id, method: operation, params };
  const method = V03_METHODS[operation];
  if (method === undefined) {
    throw new GatewayError(
      ErrorCode.UNSUPPORTED_OPERATION,
      `${operation} is not available from the agent at ${endpoint.url}: A2A 0.3 has no such method`,
      { details: { operation, url: endpoint.url, protocolVersion: endpoint.protocolVersion } },
    );
  }
  return { id, method, params: toV03Params(operation, params) };
}

/** A result in the 1.0 form; a `null` result (an empty reply) is `{}`. */
function fromDialect(endpoint: AgentEndpoint, operation: A2AOperation, result: unknown): unknown {
  const translated = isV03(endpoint) ? fromV03Result(operation, result) : result;
  return translated === null ? {} : translated;
}

function remoteError(error: JsonRpcError, url: string): GatewayError {
  const kind = a2aErrorByJsonRpcCode(error.code);
  const label = kind === undefined ? `${error.code}` : `${error.code} (${kind.name})`;
  const reason = findErrorInfo(error.data)?.reason;
  const details = {
    remoteCode: error.code,
    remoteMessage: error.message,
    ...(reason === undefined ? {} : { remoteReason: reason }),
  } satisfies RemoteErrorDetails;
  return new GatewayError(
    ErrorCode.REMOTE_ERROR,
    `agent at ${url} answered error ${label}: ${error.message}`,
    {
      details,
    },
  );
}

/** The details of an error the agent reported without a JSON-RPC error object: an internal error. */
function unexplainedError(remoteMessage: string, remoteStatus?: number): ErrorDetails {
  return {
    remoteCode: JSON_RPC_ERRORS.Internal.jsonRpcCode,
    remoteMessage,
    ...(remoteStatus === undefined ? {} : { remoteStatus }),
  } satisfies RemoteErrorDetails;
}

/** Checks status, content type and envelope of a JSON-RPC reply; returns its `result`. */
function interpretReply(response: Dispatcher.ResponseData, body: Buffer, id: string, url: string): unknown {
  const status = response.statusCode;
  const contentType = contentTypeOf(response.headers);
  let json: unknown;
  let parsed = false;
  if (isJsonType(contentType) || contentType === '') {
    try {
      json = parseJsonBody(body);
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
      const message = `agent at ${url} refused the call: HTTP ${status}`;
      throw new GatewayError(ErrorCode.REMOTE_ERROR, message, {
        details: { url, ...httpDetails, ...unexplainedError(bodySnippet(body) || `HTTP ${status}`, status) },
      });
    }
    throw protocolError(`agent at ${url} answered HTTP ${status}: '${bodySnippet(body)}'`, url, httpDetails);
  }
  if (!isJsonType(contentType) && contentType !== '') {
    const message = `agent reply is not JSON (content-type ${contentType}): '${bodySnippet(body)}'`;
    throw protocolError(message, url, { contentType });
  }
  if (!parsed) throw protocolError(`agent reply is not valid JSON: '${bodySnippet(body)}'`, url);
  const reply = parseAgentReply(jsonRpcResponseSchema, json);
  if (reply.id !== undefined && reply.id !== null && reply.id !== id) {
    throw protocolError(`agent reply has JSON-RPC id ${JSON.stringify(reply.id)}, expected "${id}"`, url);
  }
  return reply.result;
}

/** Decodes one SSE event: `event: error` and JSON-RPC errors throw `REMOTE_ERROR`. */
function interpretStreamEvent(event: EventSourceMessage, id: string, url: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(event.data);
  } catch {
    if (event.event === 'error') {
      throw new GatewayError(
        ErrorCode.REMOTE_ERROR,
        `agent at ${url} ended the stream with an error: ${snippet(event.data)}`,
        { details: unexplainedError(snippet(event.data)) },
      );
    }
    throw protocolError(`agent stream event is not valid JSON: '${snippet(event.data)}'`, url);
  }
  const reply = parseAgentReply(jsonRpcResponseSchema, json);
  if (reply.error !== undefined) throw remoteError(reply.error, url);
  if (event.event === 'error') {
    throw new GatewayError(ErrorCode.REMOTE_ERROR, `agent at ${url} ended the stream with an error event`, {
      details: unexplainedError('error event without a JSON-RPC error'),
    });
  }
  if (reply.id !== undefined && reply.id !== null && reply.id !== id) {
    throw protocolError(
      `agent stream event has JSON-RPC id ${JSON.stringify(reply.id)}, expected "${id}"`,
      url,
    );
  }
  return reply.result;
}
