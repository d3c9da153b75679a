/**
 * `BindingA2AClient`, the adapter of the `A2AClient` port (`a2a-client.ts`): it owns one `A2ATransport`
 * per protocol binding (`JsonRpcA2ATransport`, `RestA2ATransport`, `GrpcA2ATransport`) and sends each call
 * over the binding of the agent's endpoint (chosen from its card by `agent-card.ts`), with the endpoint's
 * tenant. It validates replies (the typed methods with the schemas of `a2a-schema.ts`; the pass-through
 * `unary` / `stream` only as JSON objects) and fetches agent cards. Wire work lives in the transports.
 */
import { request, type Agent } from 'undici';
import type { Dispatcher } from 'undici';

import type { A2AStreamOperation, A2AUnaryOperation, JsonObject } from '../a2a/operations.js';
import { A2ABinding, A2AHeader } from '../a2a/operations.js';
import type { AgentEndpoint } from '../domain/agent.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import type { A2ACallOptions, A2AClient, FetchedAgentCard } from './a2a-client.js';
import {
  parseAgentReply,
  sendMessageResponseSchema,
  streamResponseSchema,
  taskSchema,
} from './a2a-schema.js';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_PROTOCOL_VERSION,
  type A2ATransport,
  type A2ATransportOptions,
} from './a2a-transport.js';
import type { A2ASendMessageRequest, A2ASendMessageResult, A2AStreamEvent, A2ATask } from './a2a-types.js';
import { GrpcA2ATransport } from './grpc-a2a-transport.js';
import { Deadline, agentPool, classifyError, readBody, snippet } from './http-support.js';
import { JsonRpcA2ATransport } from './jsonrpc-a2a-transport.js';
import { RestA2ATransport } from './rest-a2a-transport.js';

/** Where a card lives relative to an agent's base URL. */
const WELL_KNOWN_CARD_PATH = '/.well-known/agent-card.json';

/** The A2A client over every binding. One instance per process; `close()` when shutting down. */
export class BindingA2AClient implements A2AClient {
  readonly #transports: Readonly<Record<A2ABinding, A2ATransport>>;
  /** For card fetches. */
  readonly #agent: Agent;
  readonly #defaultTimeoutMs: number;
  readonly #maxResponseBytes: number;
  #closing: Promise<void> | undefined;

  constructor(options: A2ATransportOptions = {}) {
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#agent = agentPool(options.connections);
    const limits = { defaultTimeoutMs: this.#defaultTimeoutMs, maxResponseBytes: this.#maxResponseBytes };
    const httpOptions = { ...limits, connections: options.connections };
    this.#transports = {
      [A2ABinding.JSONRPC]: new JsonRpcA2ATransport(httpOptions),
      [A2ABinding.HTTP_JSON]: new RestA2ATransport(httpOptions),
      [A2ABinding.GRPC]: new GrpcA2ATransport(limits),
    };
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
            [A2AHeader.VERSION.toLowerCase()]: DEFAULT_PROTOCOL_VERSION,
            ...options.headers,
          },
          signal: deadline.signal,
        });
      } catch (error) {
        throw classifyError(error, deadline.signal, cardUrl, 'request');
      }
      const text = (await readBody(response, deadline.signal, cardUrl, this.#maxResponseBytes)).toString(
        'utf8',
      );
      if (response.statusCode !== 200) {
        throw invalid(`HTTP ${response.statusCode}`, { httpStatus: response.statusCode });
      }
      let card: unknown;
      try {
        card = JSON.parse(text);
      } catch {
        throw invalid(`not JSON: '${snippet(text)}'`);
      }
      if (!isJsonObject(card)) throw invalid('not a JSON object');
      return { cardUrl, card };
    } finally {
      deadline.release();
    }
  }

  async sendMessage(
    endpoint: AgentEndpoint,
    request: A2ASendMessageRequest,
    options: A2ACallOptions,
  ): Promise<A2ASendMessageResult> {
    const reply = await this.#transport(endpoint).unary(
      endpoint,
      'SendMessage',
      withTenant(endpoint, { ...request }),
      options,
    );
    return parseAgentReply(sendMessageResponseSchema, reply, replyPath(endpoint));
  }

  async *sendStreamingMessage(
    endpoint: AgentEndpoint,
    request: A2ASendMessageRequest,
    options: A2ACallOptions,
  ): AsyncGenerator<A2AStreamEvent> {
    const params = withTenant(endpoint, { ...request });
    const events = this.#transport(endpoint).stream(endpoint, 'SendStreamingMessage', params, options);
    for await (const event of events) {
      yield parseAgentReply(streamResponseSchema, event, replyPath(endpoint));
    }
  }

  async getTask(
    endpoint: AgentEndpoint,
    request: { id: string; historyLength?: number },
    options: A2ACallOptions,
  ): Promise<A2ATask> {
    const params = withTenant(endpoint, { id: request.id, historyLength: request.historyLength });
    const reply = await this.#transport(endpoint).unary(endpoint, 'GetTask', params, options);
    return parseAgentReply(taskSchema, reply, replyPath(endpoint));
  }

  async cancelTask(
    endpoint: AgentEndpoint,
    request: { id: string },
    options: A2ACallOptions,
  ): Promise<A2ATask> {
    const params = withTenant(endpoint, { id: request.id });
    const reply = await this.#transport(endpoint).unary(endpoint, 'CancelTask', params, options);
    return parseAgentReply(taskSchema, reply, replyPath(endpoint));
  }

  async unary(
    endpoint: AgentEndpoint,
    operation: A2AUnaryOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): Promise<JsonObject> {
    const reply = await this.#transport(endpoint).unary(
      endpoint,
      operation,
      withTenant(endpoint, params),
      options,
    );
    return jsonObjectReply(reply, operation, endpoint);
  }

  async *stream(
    endpoint: AgentEndpoint,
    operation: A2AStreamOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): AsyncGenerator<JsonObject> {
    const events = this.#transport(endpoint).stream(
      endpoint,
      operation,
      withTenant(endpoint, params),
      options,
    );
    for await (const event of events) yield jsonObjectReply(event, operation, endpoint);
  }

  /** Closes every transport's connections and the card fetcher's, letting in-flight calls finish. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= Promise.all([
      this.#agent.close(),
      ...Object.values(this.#transports).map((transport) => transport.close()),
    ]).then(() => undefined);
    return this.#closing;
  }

  /** @throws GatewayError `INVALID_CONFIG` for a binding the gateway does not speak. */
  #transport(endpoint: AgentEndpoint): A2ATransport {
    const binding = Object.values(A2ABinding).find((b) => b === endpoint.protocolBinding);
    if (binding === undefined) {
      throw new GatewayError(
        ErrorCode.INVALID_CONFIG,
        `agent endpoint ${endpoint.url} uses the protocol binding '${endpoint.protocolBinding}', which the gateway does not speak (${Object.values(A2ABinding).join(', ')})`,
        { details: { url: endpoint.url, protocolBinding: endpoint.protocolBinding } },
      );
    }
    return this.#transports[binding];
  }
}

/** `.json` URLs as they are, anything else as a base URL with the well-known card path appended. */
function agentCardUrl(url: string): string {
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

/** `params` with the endpoint's tenant, or without any tenant when the endpoint has none. */
function withTenant(endpoint: AgentEndpoint, params: JsonObject): JsonObject {
  const { tenant: _callersTenant, ...rest } = params;
  return endpoint.tenant === undefined ? rest : { ...rest, tenant: endpoint.tenant };
}

/** Where a reply sits on the wire, for validation messages: JSON-RPC wraps it in `result`. */
function replyPath(endpoint: AgentEndpoint): readonly string[] {
  return endpoint.protocolBinding === A2ABinding.JSONRPC ? ['result'] : [];
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonObjectReply(reply: unknown, operation: string, endpoint: AgentEndpoint): JsonObject {
  if (isJsonObject(reply)) return reply;
  const shown = reply === undefined ? 'nothing' : snippet(JSON.stringify(reply));
  throw new GatewayError(
    ErrorCode.REMOTE_PROTOCOL_ERROR,
    `agent reply to ${operation} is not a JSON object: ${shown}`,
    { details: { url: endpoint.url, operation } },
  );
}
