/**
 * Serves an `AgentExecutor` as a real A2A 1.0 agent with the official `@a2a-js/sdk`: the agent card at
 * `/.well-known/agent-card.json`, JSON-RPC at `/a2a/jsonrpc` and HTTP+JSON at `/a2a/rest` on one express
 * server, and optionally gRPC (`lf.a2a.v1.A2AService`) on a second port; `bindings` picks which of the
 * three the agent offers (and its card lists, in that order). The example agents (`echo-agent.ts`, `streaming-agent.ts`, `input-agent.ts`) and the
 * gateway's tests use it to stand up real peers on a loopback port.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { AgentCard, Message, Part } from '@a2a-js/sdk';
import { Role } from '@a2a-js/sdk';
import type { AgentExecutor } from '@a2a-js/sdk/server';
import { DefaultRequestHandler, InMemoryPushNotificationStore, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { UserBuilder, agentCardHandler, jsonRpcHandler, restHandler } from '@a2a-js/sdk/server/express';
import { A2AService, grpcService } from '@a2a-js/sdk/server/grpc';
import * as grpc from '@grpc/grpc-js';
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
  /** Keep push-notification configs (the card then says so). @default false */
  readonly pushNotifications?: boolean;
  /** Serve an extended card (`GetExtendedAgentCard`) whose description says it is the extended one. @default false */
  readonly extendedCard?: boolean;
  /**
   * Also accept the 0.3 JSON-RPC dialect on the same URL (the card then lists a 0.3 JSONRPC interface
   * after the 1.0 ones). @default false
   */
  readonly legacyCompat?: boolean;
  /** Offer only the 0.3 JSON-RPC dialect: the card lists nothing else (implies `legacyCompat`). */
  readonly legacyOnly?: boolean;
  /** The bindings offered, in the card's order. @default ['JSONRPC', 'HTTP+JSON'] */
  readonly bindings?: readonly AgentBinding[];
}

export type AgentBinding = 'JSONRPC' | 'HTTP+JSON' | 'GRPC';

/** A request the agent received, as far as tests care. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * HTTP only: resolves when the exchange is over, the response ended or the caller closed the
   * connection (a stream the caller abandons closes here).
   */
  readonly closed?: Promise<void>;
}

/** How many received requests an agent remembers. */
export const RECENT_REQUESTS = 100;

export interface RunningAgent {
  /** Base URL of the agent (the card is at `url + AGENT_CARD_PATH`). */
  readonly url: string;
  readonly port: number;
  /** The card as served, with interfaces pointing at the bound port. */
  readonly card: AgentCard;
  /** The gRPC `host:port`, when the agent offers gRPC. */
  readonly grpcAddress?: string;
  /**
   * The last requests received (at most `RECENT_REQUESTS`), on every binding: what a caller sent, e.g.
   * its trace headers (gRPC calls are recorded as `POST /lf.a2a.v1.A2AService/<Rpc>` with their metadata).
   */
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
  pushNotifications?: boolean;
  extendedCard?: boolean;
  legacyCompat?: boolean;
  legacyOnly?: boolean;
  bindings?: readonly AgentBinding[];
  grpcAddress?: string;
}): AgentCard {
  const jsonRpcUrl = `${options.baseUrl}${JSONRPC_PATH}`;
  const urls: Record<AgentBinding, string> = {
    JSONRPC: jsonRpcUrl,
    'HTTP+JSON': `${options.baseUrl}${REST_PATH}`,
    GRPC: options.grpcAddress ?? '',
  };
  const bindings = options.legacyOnly === true ? [] : (options.bindings ?? DEFAULT_BINDINGS);
  const legacy =
    options.legacyOnly === true || (options.legacyCompat === true && bindings.includes('JSONRPC'));
  return {
    name: options.name,
    description: options.description,
    version: '1.0.0',
    supportedInterfaces: [
      ...bindings.map((binding) => ({
        url: urls[binding],
        protocolBinding: binding,
        protocolVersion: '1.0',
        tenant: '',
      })),
      ...(legacy
        ? [{ url: jsonRpcUrl, protocolBinding: 'JSONRPC', protocolVersion: '0.3', tenant: '' }]
        : []),
    ],
    provider: undefined,
    capabilities: {
      streaming: options.streaming,
      pushNotifications: options.pushNotifications ?? false,
      extensions: [],
      ...(options.extendedCard === true && { extendedAgentCard: true }),
    },
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

const DEFAULT_BINDINGS: readonly AgentBinding[] = ['JSONRPC', 'HTTP+JSON'];

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
  const bindings = options.bindings ?? DEFAULT_BINDINGS;
  const requests: ReceivedRequest[] = [];
  const record = (request: ReceivedRequest): void => {
    requests.push(request);
    if (requests.length > RECENT_REQUESTS) requests.shift();
  };
  const grpcServer = bindings.includes('GRPC') ? new grpc.Server() : undefined;
  const grpcPort =
    grpcServer === undefined
      ? undefined
      : await new Promise<number>((resolve, reject) => {
          grpcServer.bindAsync(`${urlHost}:0`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
            error === null ? resolve(bound) : reject(error),
          );
        });
  const grpcAddress = grpcPort === undefined ? undefined : `${urlHost}:${grpcPort}`;
  const card = buildAgentCard({
    name: options.name,
    description: options.description,
    baseUrl: url,
    streaming: options.streaming ?? true,
    pushNotifications: options.pushNotifications ?? false,
    extendedCard: options.extendedCard ?? false,
    legacyCompat: options.legacyCompat ?? false,
    legacyOnly: options.legacyOnly ?? false,
    bindings,
    ...(grpcAddress !== undefined && { grpcAddress }),
  });
  const legacyCompat = { enabled: options.legacyCompat === true || options.legacyOnly === true };
  const requestHandler = new DefaultRequestHandler(
    card,
    new InMemoryTaskStore(),
    options.executor,
    undefined,
    options.pushNotifications === true ? new InMemoryPushNotificationStore() : undefined,
    undefined,
    // A provider function: a plain card is served only to authenticated users, and these agents have none.
    options.extendedCard === true
      ? () => Promise.resolve({ ...card, description: `${card.description} (extended)` })
      : undefined,
  );
  const userBuilder = UserBuilder.noAuthentication;
  app.use((req, res, next) => {
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    record({ method: req.method, path: req.originalUrl, headers: req.headers, closed });
    next();
  });
  app.use(AGENT_CARD_PATH, agentCardHandler({ agentCardProvider: requestHandler }));
  if (bindings.includes('JSONRPC') || options.legacyOnly === true) {
    app.use(JSONRPC_PATH, jsonRpcHandler({ requestHandler, userBuilder, legacyCompat }));
  }
  if (bindings.includes('HTTP+JSON')) app.use(REST_PATH, restHandler({ requestHandler, userBuilder }));
  if (grpcServer !== undefined) {
    grpcServer.addService(
      A2AService,
      recordingGrpcHandlers(grpcService({ requestHandler, userBuilder }), record),
    );
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    requests,
    port,
    card,
    ...(grpcAddress !== undefined && { grpcAddress }),
    close() {
      closing ??= Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        new Promise<void>((resolve) => {
          if (grpcServer === undefined) resolve();
          else grpcServer.tryShutdown(() => resolve());
          grpcServer?.forceShutdown();
        }),
      ]).then(() => undefined);
      return closing;
    },
  };
}

/** Wraps each gRPC handler so the call's metadata is recorded like an HTTP request's headers. */
function recordingGrpcHandlers(
  handlers: grpc.UntypedServiceImplementation,
  record: (request: ReceivedRequest) => void,
): grpc.UntypedServiceImplementation {
  const definition = A2AService as unknown as grpc.ServiceDefinition;
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      (call: { metadata: grpc.Metadata }, ...rest: unknown[]) => {
        const headers = Object.fromEntries(
          Object.entries(call.metadata.getMap()).map(([key, value]) => [key, String(value)]),
        );
        record({ method: 'POST', path: definition[name]?.path ?? name, headers });
        return (handler as (...args: unknown[]) => unknown)(call, ...rest);
      },
    ]),
  );
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
