/**
 * Shared fixtures for the gRPC transport and CLI tests: typed mocks of the application services
 * (`GatewayServices`, every member a `vi.fn`), domain values with every optional field set, and a
 * helper that starts a real `GrpcServer` on 127.0.0.1 port 0.
 */
import { pino } from 'pino';
import type { ArtifactMeta, GatewayServices, RunDetails, SessionDetails } from '../../../src/app/services.js';
import { createMockServices, type MockServices } from '../../support/mock-services.js';
import type { PublicAgentView } from '../../../src/domain/agent.js';
import type { Run } from '../../../src/domain/run.js';
import type { Step } from '../../../src/domain/step.js';
import { GrpcServer } from '../../../src/transport/grpc/grpc-server.js';

export const RUN_ID = '6f1c2a7e-1b2d-4c3e-8f9a-0b1c2d3e4f50';
export const SESSION_ID = '0d7a2c1e-5b4f-4e3d-9c2b-1a0f9e8d7c6b';
export const STEP_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const ARTIFACT_ID = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
/** The trace of the sample run, its span and its step's span. */
export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const RUN_SPAN_ID = '00f067aa0ba902b7';
export const STEP_SPAN_ID = 'b7ad6b7169203331';

/** A finished, failed run with every optional field set. */
export function sampleRun(overrides: Partial<Run> = {}): Run {
  return {
    id: RUN_ID,
    tenant: 'default',
    status: 'failed',
    target: { kind: 'agent', name: 'echo' },
    runtimeKind: 'http',
    sessionId: SESSION_ID,
    createdAt: '2025-01-02T03:04:05.678Z',
    startedAt: '2025-01-02T03:04:06.000Z',
    finishedAt: '2025-01-02T03:04:07.001Z',
    timeoutMs: 30_000,
    error: { kind: 'WorkerTimeout', worker: 'echo', afterMs: 1500 },
    artifactIds: [ARTIFACT_ID],
    input: {
      parts: [
        { text: 'hello', mediaType: 'text/plain' },
        { raw: Buffer.from([0, 1, 2, 255]).toString('base64'), filename: 'a.bin' },
        { url: 'https://example.com/x.png' },
        { data: { n: 1.5, list: [true, null, 'x'], nested: { a: 'b' } }, metadata: { k: 'v' } },
      ],
      metadata: { trace: 'abc', count: 2 },
    },
    remote: { taskId: 'task-1', contextId: SESSION_ID, state: 'TASK_STATE_FAILED' },
    trace: { traceId: TRACE_ID, spanId: RUN_SPAN_ID, traceFlags: 1 },
    idempotencyKey: 'order-42',
    version: 7,
    updatedAt: '2025-01-02T03:04:07.001Z',
    ...overrides,
  };
}

export function sampleStep(overrides: Partial<Step> = {}): Step {
  return {
    id: STEP_ID,
    runId: RUN_ID,
    index: 0,
    status: 'failed',
    name: 'send',
    agent: 'echo',
    createdAt: '2025-01-02T03:04:05.700Z',
    startedAt: '2025-01-02T03:04:06.000Z',
    finishedAt: '2025-01-02T03:04:07.000Z',
    error: { kind: 'PatternError', pattern: 'sequence', message: 'boom' },
    outputArtifactIds: [ARTIFACT_ID],
    remote: {
      method: 'SendStreamingMessage',
      taskId: 'task-1',
      state: 'TASK_STATE_FAILED',
      statusMessage: 'it broke',
      eventCount: 3,
    },
    trace: { traceId: TRACE_ID, spanId: STEP_SPAN_ID, traceFlags: 1 },
    ...overrides,
  };
}

export function sampleArtifact(overrides: Partial<ArtifactMeta> = {}): ArtifactMeta {
  return {
    id: ARTIFACT_ID,
    tenant: 'default',
    name: 'result.txt',
    contentType: 'text/plain',
    size: 11,
    storage: 'inline',
    checksum: { algorithm: 'sha256', value: 'ab'.repeat(32) },
    createdAt: '2025-01-02T03:04:06.500Z',
    sourceRunId: RUN_ID,
    sourceStepId: STEP_ID,
    remoteArtifactId: 'remote-art-1',
    ...overrides,
  };
}

export function sampleDetails(run: Partial<Run> = {}): RunDetails {
  return { run: sampleRun(run), steps: [sampleStep()], artifacts: [sampleArtifact()] };
}

export function sampleSession(): SessionDetails {
  return {
    session: {
      id: SESSION_ID,
      tenant: 'default',
      status: 'ended',
      name: 'chat',
      createdAt: '2025-01-01T00:00:00.000Z',
      endedAt: '2025-01-01T01:00:00.000Z',
    },
    runIds: [RUN_ID],
  };
}

export function sampleAgent(overrides: Partial<PublicAgentView> = {}): PublicAgentView {
  return {
    tenant: 'default',
    name: 'echo',
    url: 'http://127.0.0.1:9999',
    cardUrl: 'http://127.0.0.1:9999/.well-known/agent-card.json',
    card: { name: 'Echo', skills: [{ id: 'echo' }], capabilities: { streaming: true } },
    endpoint: {
      url: 'http://127.0.0.1:9999/a2a',
      protocolBinding: 'JSONRPC',
      protocolVersion: '0.3',
      tenant: 't1',
    },
    labels: { team: 'core' },
    health: 'healthy',
    healthReason: 'heartbeat',
    heartbeatTtlMs: 10_000,
    lastHeartbeatAt: '2025-01-01T00:00:01.000Z',
    lastCheckedAt: '2025-01-01T00:00:02.000Z',
    registeredAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:03.000Z',
    hasCredentials: true,
    ...overrides,
  };
}

/** A silent logger for the server under test. */
export const silentLogger = pino({ level: 'silent' });

/** Starts a real server on 127.0.0.1, port 0. */
export async function startServer(
  services: GatewayServices,
): Promise<{ server: GrpcServer; address: string }> {
  const server = new GrpcServer({ services, logger: silentLogger, host: '127.0.0.1', port: 0 });
  await server.start();
  return { server, address: `127.0.0.1:${server.port}` };
}

export { createMockServices, type MockServices };
