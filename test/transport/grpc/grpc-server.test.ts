/**
 * The gRPC adapter over a real socket with mocked application services: each RPC maps its request to
 * the right service call and the result back (a round trip that must reproduce the domain values
 * exactly), validation errors name the field, and agent credentials never leave the gateway.
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src/domain/call-context.js';
import { GatewayGrpcClient, GrpcCallError } from '../../../src/transport/grpc/gateway-grpc-client.js';
import { loadGatewayProto } from '../../../src/transport/grpc/proto.js';
import type { GrpcServer } from '../../../src/transport/grpc/grpc-server.js';
import { createGrpcGatewayClient } from '../../support/grpc-gateway-client.js';
import type { GatewayTestClient } from '../../support/gateway-client.js';
import {
  ARTIFACT_ID,
  RUN_ID,
  SESSION_ID,
  createMockServices,
  sampleAgent,
  sampleArtifact,
  sampleDetails,
  sampleRun,
  sampleSession,
  startServer,
  type MockServices,
} from './fixtures.js';
import { submitted } from '../../support/mock-services.js';

let services: MockServices;
let server: GrpcServer;
let address: string;
let client: GatewayGrpcClient;

beforeEach(async () => {
  services = createMockServices();
  ({ server, address } = await startServer(services));
  client = new GatewayGrpcClient({ address });
});

afterEach(async () => {
  await client.close();
  await server.close(1000);
});

/** The error a call fails with, as a GrpcCallError. */
async function failure(promise: Promise<unknown>): Promise<GrpcCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GrpcCallError);
  return error as GrpcCallError;
}

function ctxOf(mock: { mock: { calls: unknown[][] } }, argIndex: number): CallContext {
  return mock.mock.calls[0]?.[argIndex] as CallContext;
}

describe('RunService', () => {
  it('SubmitRun passes the domain request and a call context, and returns the details unchanged', async () => {
    const details = sampleDetails();
    services.runs.submit.mockResolvedValue(submitted(details));
    const input = sampleRun().input!;

    const result = await client.submitRun({
      target: { kind: 'agent', name: 'echo' },
      input,
      sessionId: SESSION_ID,
      timeoutMs: 5000,
      idempotencyKey: 'order-42',
    });

    expect(services.runs.submit).toHaveBeenCalledTimes(1);
    expect(services.runs.submit.mock.calls[0]?.[0]).toEqual({
      target: { kind: 'agent', name: 'echo' },
      input,
      sessionId: SESSION_ID,
      timeoutMs: 5000,
      idempotencyKey: 'order-42',
    });
    const ctx = ctxOf(services.runs.submit, 1);
    expect(ctx).toMatchObject({ tenant: 'default', principal: 'anonymous' });
    expect(ctx.requestId).toMatch(/.+/);
    expect(ctx.signal.aborted).toBe(false);
    expect(result).toEqual(details);
  });

  it('SubmitRun accepts an A2A URL target and leaves optional fields out', async () => {
    services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
    await client.submitRun({
      target: { kind: 'a2aAgent', url: 'https://agent.example/a2a' },
      input: { parts: [{ text: 'hi' }] },
    });
    expect(services.runs.submit.mock.calls[0]?.[0]).toEqual({
      target: { kind: 'a2aAgent', url: 'https://agent.example/a2a' },
      input: { parts: [{ text: 'hi' }] },
    });
  });

  it('rejects a SubmitRun without a target, naming the field, before reaching the service', async () => {
    const proto = loadGatewayProto();
    const raw = new proto.RunService(address, grpc.credentials.createInsecure());
    const error = await new Promise<grpc.ServiceError>((resolve) =>
      raw.submitRun({ input: { parts: [{ text: 'x' }] } }, (e) => resolve(e!)),
    );
    raw.close();
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.metadata.get('bzzz-error-code')).toEqual(['INVALID_ARGUMENT']);
    expect(JSON.parse(String(error.metadata.get('bzzz-error-details')[0]))).toMatchObject({
      field: 'target',
    });
    expect(services.runs.submit).not.toHaveBeenCalled();
  });

  it.each([
    [
      'an agent target without a name',
      'target.agent.name',
      { target: { kind: 'agent', name: ' ' }, input: { parts: [{ text: 'x' }] } },
    ],
    [
      'a non-http URL',
      'target.a2aAgent.url',
      { target: { kind: 'a2aAgent', url: 'file:///etc/passwd' }, input: { parts: [{ text: 'x' }] } },
    ],
    ['no parts', 'input.parts', { target: { kind: 'agent', name: 'echo' }, input: { parts: [] } }],
    [
      'a negative timeout',
      'timeoutMs',
      { target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'x' }] }, timeoutMs: -1 },
    ],
    [
      'an idempotency key over 200 characters',
      'idempotencyKey',
      {
        target: { kind: 'agent', name: 'echo' },
        input: { parts: [{ text: 'x' }] },
        idempotencyKey: 'k'.repeat(201),
      },
    ],
    [
      'an idempotency key with a non-ASCII character',
      'idempotencyKey',
      { target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'x' }] }, idempotencyKey: 'clé' },
    ],
  ] as const)('rejects %s with INVALID_ARGUMENT naming %s', async (_label, field, request) => {
    const error = await failure(client.submitRun(request));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.grpcStatus).toBe('INVALID_ARGUMENT');
    expect(error.details.field).toBe(field);
    expect(services.runs.submit).not.toHaveBeenCalled();
  });

  it('rejects a part with no content, naming its index', async () => {
    const proto = loadGatewayProto();
    const raw = new proto.RunService(address, grpc.credentials.createInsecure());
    const error = await new Promise<grpc.ServiceError>((resolve) =>
      raw.submitRun(
        { target: { agent: { name: 'echo' } }, input: { parts: [{ text: 'ok' }, { mediaType: 'x/y' }] } },
        (e) => resolve(e!),
      ),
    );
    raw.close();
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(JSON.parse(String(error.metadata.get('bzzz-error-details')[0]))).toMatchObject({
      field: 'input.parts.1',
    });
  });

  it('GetRun, CancelRun and SendInput address the run by id', async () => {
    services.runs.get.mockResolvedValue(sampleDetails({ status: 'running' }));
    services.runs.cancel.mockResolvedValue(sampleDetails({ status: 'cancelled' }));
    services.runs.sendInput.mockResolvedValue(sampleDetails({ status: 'running' }));

    expect((await client.getRun(RUN_ID)).run.status).toBe('running');
    expect(services.runs.get.mock.calls[0]?.[0]).toBe(RUN_ID);

    expect((await client.cancelRun(RUN_ID)).run.status).toBe('cancelled');
    expect(services.runs.cancel.mock.calls[0]?.slice(0, 2)).toEqual([RUN_ID, 'cancelled by the client']);
    await client.cancelRun(RUN_ID, 'no longer needed');
    expect(services.runs.cancel.mock.calls[1]?.[1]).toBe('no longer needed');

    await client.sendInput(RUN_ID, { parts: [{ text: 'more' }] });
    expect(services.runs.sendInput.mock.calls[0]?.slice(0, 2)).toEqual([
      RUN_ID,
      { parts: [{ text: 'more' }] },
    ]);

    const error = await failure(client.getRun(''));
    expect(error.details.field).toBe('id');
  });

  it('ListRuns passes every filter and the page, and returns the runs and token', async () => {
    services.runs.list.mockResolvedValue({
      items: [sampleRun(), sampleRun({ status: 'input_required' })],
      nextPageToken: 'next',
    });
    const page = await client.listRuns(
      {
        statuses: ['failed', 'input_required'],
        agent: 'echo',
        sessionId: SESSION_ID,
        createdAfter: '2025-01-01T00:00:00.000Z',
        createdBefore: '2025-02-01T00:00:00.500Z',
      },
      { pageSize: 20, pageToken: 'tok' },
    );
    expect(services.runs.list.mock.calls[0]?.slice(0, 2)).toEqual([
      {
        statuses: ['failed', 'input_required'],
        agent: 'echo',
        sessionId: SESSION_ID,
        createdAfter: '2025-01-01T00:00:00.000Z',
        createdBefore: '2025-02-01T00:00:00.500Z',
      },
      { pageSize: 20, pageToken: 'tok' },
    ]);
    expect(page.items).toEqual([sampleRun(), sampleRun({ status: 'input_required' })]);
    expect(page.nextPageToken).toBe('next');
  });

  it('ListRuns with no filters passes empty ones, and rejects an unknown status naming it', async () => {
    services.runs.list.mockResolvedValue({ items: [], nextPageToken: '' });
    await client.listRuns();
    expect(services.runs.list.mock.calls[0]?.slice(0, 2)).toEqual([{}, {}]);
    const error = await failure(client.listRuns({ statuses: ['bogus' as never] }));
    expect(error.details.field).toBe('statuses.0');
  });
});

describe('SessionService', () => {
  it('maps create, get, list and end', async () => {
    services.sessions.create.mockResolvedValue(sampleSession());
    services.sessions.get.mockResolvedValue(sampleSession());
    services.sessions.end.mockResolvedValue(sampleSession());
    services.sessions.list.mockResolvedValue({ items: [sampleSession().session], nextPageToken: '' });

    expect(await client.createSession('chat')).toEqual(sampleSession());
    expect(services.sessions.create.mock.calls[0]?.[0]).toEqual({ name: 'chat' });
    expect(await client.getSession(SESSION_ID)).toEqual(sampleSession());
    expect(services.sessions.get.mock.calls[0]?.[0]).toBe(SESSION_ID);
    expect(await client.endSession(SESSION_ID)).toEqual(sampleSession());
    expect(services.sessions.end.mock.calls[0]?.[0]).toBe(SESSION_ID);
    const page = await client.listSessions({ statuses: ['active'] }, { pageSize: 5 });
    expect(page.items).toEqual([sampleSession().session]);
    expect(services.sessions.list.mock.calls[0]?.slice(0, 2)).toEqual([
      { statuses: ['active'] },
      { pageSize: 5 },
    ]);

    const error = await failure(client.createSession(''));
    expect(error.details.field).toBe('name');
  });
});

describe('AgentRegistryService', () => {
  it('passes credentials in but never sends them back', async () => {
    // A service that (wrongly) leaks credentials must still not put them on the wire.
    services.agents.register.mockResolvedValue({
      ...sampleAgent(),
      credentials: { bearerToken: 'secret-token' },
    } as never);
    const testClient: GatewayTestClient = createGrpcGatewayClient(address);
    try {
      const agent = await testClient.registerAgent({
        name: 'echo',
        url: 'http://127.0.0.1:9999',
        labels: { team: 'core' },
        bearerToken: 'secret-token',
        heartbeatTtlMs: 10_000,
      });
      expect(services.agents.register.mock.calls[0]?.[0]).toEqual({
        name: 'echo',
        url: 'http://127.0.0.1:9999',
        labels: { team: 'core' },
        credentials: { bearerToken: 'secret-token' },
        heartbeatTtlMs: 10_000,
      });
      expect(agent).toEqual(sampleAgent());
      expect(JSON.stringify(agent)).not.toContain('secret-token');
    } finally {
      await testClient.close();
    }
  });

  it('maps heartbeat, get, list and deregister', async () => {
    services.agents.heartbeat.mockResolvedValue(sampleAgent());
    services.agents.get.mockResolvedValue(sampleAgent({ health: 'unknown', hasCredentials: false }));
    services.agents.list.mockResolvedValue([sampleAgent(), sampleAgent({ name: 'other' })]);
    services.agents.deregister.mockResolvedValue(undefined);

    expect(await client.heartbeatAgent('echo')).toEqual(sampleAgent());
    expect(services.agents.heartbeat.mock.calls[0]?.[0]).toBe('echo');
    expect(await client.getAgent('echo')).toEqual(sampleAgent({ health: 'unknown', hasCredentials: false }));
    expect((await client.listAgents()).map((a) => a.name)).toEqual(['echo', 'other']);
    await client.deregisterAgent('echo');
    expect(services.agents.deregister.mock.calls[0]?.[0]).toBe('echo');
  });

  it('rejects a registration without a usable URL', async () => {
    const error = await failure(client.registerAgent({ name: 'echo', url: 'not a url' }));
    expect(error.details.field).toBe('url');
    expect(services.agents.register).not.toHaveBeenCalled();
  });
});

describe('ArtifactService', () => {
  it('GetArtifact returns metadata', async () => {
    services.artifacts.get.mockResolvedValue(sampleArtifact());
    expect(await client.getArtifact(ARTIFACT_ID)).toEqual(sampleArtifact());
  });

  it('ReadArtifact streams the content in the chunks the service yields, asking for 64 KiB', async () => {
    const content = Buffer.alloc(150 * 1024);
    for (let i = 0; i < content.length; i++) content[i] = i % 251;
    services.artifacts.read.mockImplementation(async function* (_id, _ctx, chunkBytes = 1) {
      for (let offset = 0; offset < content.length; offset += chunkBytes)
        yield content.subarray(offset, offset + chunkBytes);
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of client.readArtifact(ARTIFACT_ID)) chunks.push(chunk);
    expect(services.artifacts.read.mock.calls[0]?.[2]).toBe(64 * 1024);
    expect(chunks.map((c) => c.byteLength)).toEqual([65536, 65536, 22528]);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
  });
});
