/**
 * Serves an `AgentExecutor` as a real A2A 1.0 agent with the official `@a2a-js/sdk`: the agent card at
 * `/.well-known/agent-card.json`, JSON-RPC at `/a2a/jsonrpc` and HTTP+JSON at `/a2a/rest`, all on one
 * express server. The example agents (`echo-agent.ts`, `streaming-agent.ts`, `input-agent.ts`) and the
 * gateway's tests use it to stand up real peers on a loopback port.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { AgentCard, Message, Part } from '@a2a-js/sdk';
import { Role } from '@a2a-js/sdk';
import type { AgentExecutor } from '@a2a-js/sdk/server';
import { DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { UserBuilder, agentCardHandler, jsonRpcHandler, restHandler } from '@a2a-js/sdk/server/express';
import express from 'express';

/** Path of the agent card, relative to the agent's base URL. */
export const AGENT_CARD_PATH = '/.well-known/agent-card.json';
/** Path of the JSON-RPC binding, relative to the agent's base URL. */
export const JSONRPC_PATH = '/a2a/jsonrpc';
/** Path of the HTTP+JSON binding, relative to the agent's base URL. */
export const REST_PATH = '/a2a/rest';

export interface StartAgentOptions {
  /** The agent logic. */
  readonly executor: AgentExecutor;
  readonly name: string;
  readonly description: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  readonly host?: string;
  /** Whether the card advertises streaming. @default true */
  readonly streaming?: boolean;
  /**
   * Also accept the 0.3 JSON-RPC dialect on the same URL (the card then lists a 0.3 JSONRPC interface
   * after the 1.0 ones). @default false
   */
  readonly legacyCompat?: boolean;
}

/** A request the agent received, as far as tests care. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** How many received requests an agent remembers. */
export const RECENT_REQUESTS = 100;

export interface RunningAgent {
  /** Base URL of the agent (the card is at `url + AGENT_CARD_PATH`). */
  readonly url: string;
  readonly port: number;
  /** The card as served, with interfaces pointing at the bound port. */
  readonly card: AgentCard;
  /** The last requests received (at most `RECENT_REQUESTS`): what a caller sent, e.g. its trace headers. */
  readonly requests: readonly ReceivedRequest[];
  /** Stops listening and closes every open connection (including open streams). Idempotent. */
  close(): Promise<void>;
}

/** Builds the A2A 1.0 card for an agent served at `baseUrl` by `startAgent`. */
export function buildAgentCard(options: {
  name: string;
  description: string;
  baseUrl: string;
  streaming: boolean;
  legacyCompat?: boolean;
}): AgentCard {
  const jsonRpcUrl = `${options.baseUrl}${JSONRPC_PATH}`;
  return {
    name: options.name,
    description: options.description,
    version: '1.0.0',
    supportedInterfaces: [
      { url: jsonRpcUrl, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' },
      {
        url: `${options.baseUrl}${REST_PATH}`,
        protocolBinding: 'HTTP+JSON',
        protocolVersion: '1.0',
        tenant: '',
      },
      ...(options.legacyCompat === true
        ? [{ url: jsonRpcUrl, protocolBinding: 'JSONRPC', protocolVersion: '0.3', tenant: '' }]
        : []),
    ],
    provider: undefined,
    capabilities: { streaming: options.streaming, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: options.name,
        name: options.name,
        description: options.description,
        tags: ['example'],
        examples: [],
        inputModes: [],
        outputModes: [],
        securityRequirements: [],
      },
    ],
    signatures: [],
  };
}

/**
 * Listens first (so the real port is known), then builds the card and mounts the A2A handlers.
 * Resolves once the server accepts connections.
 */
export async function startAgent(options: StartAgentOptions): Promise<RunningAgent> {
  const host = options.host ?? '127.0.0.1';
  const app = express();
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  const card = buildAgentCard({
    name: options.name,
    description: options.description,
    baseUrl: url,
    streaming: options.streaming ?? true,
    legacyCompat: options.legacyCompat ?? false,
  });
  const legacyCompat = { enabled: options.legacyCompat ?? false };
  const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), options.executor);
  const userBuilder = UserBuilder.noAuthentication;
  const requests: ReceivedRequest[] = [];
  app.use((req, _res, next) => {
    requests.push({ method: req.method, path: req.originalUrl, headers: req.headers });
    if (requests.length > RECENT_REQUESTS) requests.shift();
    next();
  });
  app.use(AGENT_CARD_PATH, agentCardHandler({ agentCardProvider: requestHandler }));
  app.use(JSONRPC_PATH, jsonRpcHandler({ requestHandler, userBuilder, legacyCompat }));
  app.use(REST_PATH, restHandler({ requestHandler, userBuilder }));

  let closing: Promise<void> | undefined;
  return {
    url,
    requests,
    port,
    card,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** A text part in the SDK's in-memory shape. */
export function textPart(text: string): Part {
  return {
    content: { $case: 'text', value: text },
    mediaType: 'text/plain',
    filename: '',
    metadata: undefined,
  };
}

/** The text parts of a message, joined by newlines. */
export function messageText(message: Message): string {
  return message.parts
    .map((p) => (p.content?.$case === 'text' ? p.content.value : ''))
    .filter((t) => t !== '')
    .join('\n');
}

/** A message from the agent, for status updates. */
export function agentMessage(text: string, ids: { taskId: string; contextId: string }): Message {
  return {
    messageId: crypto.randomUUID(),
    role: Role.ROLE_AGENT,
    parts: [textPart(text)],
    taskId: ids.taskId,
    contextId: ids.contextId,
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}
