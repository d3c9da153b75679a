/**
 * Shared pieces of the HTTP transport tests: typed mocks of every application service (`vi.fn`
 * members implementing the interfaces of src/app/services.ts), domain fixtures, and a helper that starts
 * a real `HttpServer` on 127.0.0.1 port 0 with a logger whose lines the test can read.
 */
import pino from 'pino';
import { vi, type Mock } from 'vitest';

import type {
  AgentRegistryService,
  ArtifactMeta,
  ArtifactService,
  GatewayServices,
  RunDetails,
  RunService,
  SessionDetails,
  SessionService,
} from '../../../src/app/services.js';
import type { PublicAgentView } from '../../../src/domain/agent.js';
import { newRun, type Run } from '../../../src/domain/run.js';
import { newSession } from '../../../src/domain/session.js';
import { HttpServer, type HttpServerOptions } from '../../../src/transport/http/http-server.js';

type Mocked<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? Mock<(...args: A) => R> : T[K];
};

/** `GatewayServices` whose every method is a `vi.fn`. */
export interface MockServices extends GatewayServices {
  readonly runs: Mocked<RunService>;
  readonly sessions: Mocked<SessionService>;
  readonly agents: Mocked<AgentRegistryService>;
  readonly artifacts: Mocked<ArtifactService>;
  readonly isReady: Mock<() => boolean>;
}

/** Fresh mocks; unconfigured methods reject so a test never passes by accident. */
export function createMockServices(): MockServices {
  const unconfigured = (name: string) => () => Promise.reject(new Error(`mock ${name} not configured`));
  return {
    runs: {
      submit: vi.fn<RunService['submit']>(unconfigured('runs.submit')),
      get: vi.fn<RunService['get']>(unconfigured('runs.get')),
      list: vi.fn<RunService['list']>(unconfigured('runs.list')),
      cancel: vi.fn<RunService['cancel']>(unconfigured('runs.cancel')),
      sendInput: vi.fn<RunService['sendInput']>(unconfigured('runs.sendInput')),
      watch: vi.fn<RunService['watch']>(),
    },
    sessions: {
      create: vi.fn<SessionService['create']>(unconfigured('sessions.create')),
      get: vi.fn<SessionService['get']>(unconfigured('sessions.get')),
      list: vi.fn<SessionService['list']>(unconfigured('sessions.list')),
      end: vi.fn<SessionService['end']>(unconfigured('sessions.end')),
    },
    agents: {
      register: vi.fn<AgentRegistryService['register']>(unconfigured('agents.register')),
      heartbeat: vi.fn<AgentRegistryService['heartbeat']>(unconfigured('agents.heartbeat')),
      deregister: vi.fn<AgentRegistryService['deregister']>(unconfigured('agents.deregister')),
      get: vi.fn<AgentRegistryService['get']>(unconfigured('agents.get')),
      list: vi.fn<AgentRegistryService['list']>(unconfigured('agents.list')),
    },
    artifacts: {
      get: vi.fn<ArtifactService['get']>(unconfigured('artifacts.get')),
      read: vi.fn<ArtifactService['read']>(),
    },
    isReady: vi.fn(() => true),
  };
}

export function sampleRun(overrides: Partial<Run> = {}): Run {
  return {
    ...newRun({ target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'hi' }] } }),
    ...overrides,
  };
}

export function sampleDetails(run: Run = sampleRun()): RunDetails {
  return { run, steps: [], artifacts: [] };
}

export function sampleSession(name = 'chat'): SessionDetails {
  return { session: newSession({ name }), runIds: [] };
}

export function sampleAgent(name = 'echo'): PublicAgentView {
  const at = new Date().toISOString();
  return {
    tenant: 'default',
    name,
    url: 'http://127.0.0.1:9999',
    cardUrl: 'http://127.0.0.1:9999/.well-known/agent-card.json',
    card: { name },
    endpoint: { url: 'http://127.0.0.1:9999/a2a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    labels: {},
    health: 'healthy',
    registeredAt: at,
    updatedAt: at,
    hasCredentials: false,
  };
}

export function sampleArtifactMeta(overrides: Partial<ArtifactMeta> = {}): ArtifactMeta {
  return {
    id: '6f1c1a8e-6f0b-4f43-9d4e-2b8f3f1c2a11',
    tenant: 'default',
    name: 'out.bin',
    contentType: 'application/octet-stream',
    size: 0,
    createdAt: new Date().toISOString(),
    storage: 'local',
    ...overrides,
  };
}

/** A running server and what the test inspects. */
export interface TestHttpServer {
  readonly server: HttpServer;
  readonly services: MockServices;
  readonly baseUrl: string;
  /** Every log line written so far, parsed. */
  readonly logs: Record<string, unknown>[];
}

/** Starts an `HttpServer` on 127.0.0.1:0 over `services`. */
export async function startTestServer(
  services: MockServices = createMockServices(),
  options: Partial<HttpServerOptions> = {},
): Promise<TestHttpServer> {
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const server = new HttpServer({
    services,
    logger,
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 64 * 1024,
    ...options,
  });
  await server.start();
  return { server, services, baseUrl: `http://127.0.0.1:${server.port}`, logs };
}
