/**
 * Shared pieces of the HTTP transport tests: typed mocks of every application service (`vi.fn`
 * members implementing the interfaces of src/app/services.ts), domain fixtures, and a helper that starts
 * a real `HttpServer` on 127.0.0.1 port 0 with a logger whose lines the test can read.
 */
import pino from 'pino';

import type { ArtifactMeta, RunDetails, SessionDetails } from '../../../src/app/services.js';
import { createMockServices, type MockServices } from '../../support/mock-services.js';
import type { PublicAgentView } from '../../../src/domain/agent.js';
import { newRun, type Run } from '../../../src/domain/run.js';
import { newSession } from '../../../src/domain/session.js';
import { HttpServer, type HttpServerOptions } from '../../../src/transport/http/http-server.js';

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

export { createMockServices, type MockServices };
