/**
 * WatchRun over a real socket: events arrive in order with their seq, the server respects
 * backpressure from a slow reader, and the service's signal aborts when the client cancels or its
 * deadline passes.
 */
import * as grpc from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunWatchEvent } from '../../../src/app/services.js';
import { GatewayGrpcClient } from '../../../src/transport/grpc/gateway-grpc-client.js';
import type { GrpcServer } from '../../../src/transport/grpc/grpc-server.js';
import { loadGatewayProto } from '../../../src/transport/grpc/proto.js';
import {
  ARTIFACT_ID,
  RUN_ID,
  createMockServices,
  sampleArtifact,
  sampleDetails,
  sampleRun,
  sampleStep,
  startServer,
  type MockServices,
} from './fixtures.js';

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

function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    signal.addEventListener('abort', () => resolve(signal.reason));
  });
}

describe('WatchRun', () => {
  it('streams the snapshot, then run, step and artifact events in order, then ends', async () => {
    const { location: _location, ...artifactFields } = {
      ...sampleArtifact(),
      location: { kind: 'inline' as const, content: new Uint8Array([1, 2, 3]) },
    };
    const events: RunWatchEvent[] = [
      { type: 'snapshot', seq: 7, details: sampleDetails({ status: 'running' }) },
      { type: 'run', runId: RUN_ID, seq: 8, run: sampleRun({ status: 'running', version: 8 }) },
      { type: 'step', runId: RUN_ID, seq: 9, step: sampleStep({ status: 'completed' }) },
      {
        type: 'artifact',
        runId: RUN_ID,
        seq: 10,
        artifact: { ...artifactFields, location: { kind: 'inline', content: new Uint8Array([1, 2, 3]) } },
      },
      { type: 'run', runId: RUN_ID, seq: 11, run: sampleRun({ status: 'completed', version: 11 }) },
    ];
    services.runs.watch.mockImplementation(async function* () {
      yield* events;
    });

    const received = [];
    for await (const event of client.watchRun(RUN_ID)) received.push(event);

    expect(services.runs.watch.mock.calls[0]?.[0]).toBe(RUN_ID);
    expect(received.map((e) => [e.type, e.seq])).toEqual([
      ['snapshot', 7],
      ['run', 8],
      ['step', 9],
      ['artifact', 10],
      ['run', 11],
    ]);
    expect(received[0]).toEqual(events[0]);
    expect(received[1]).toEqual(events[1]);
    expect(received[2]).toEqual(events[2]);
    // Artifact events carry metadata: the storage kind, never the inline content.
    expect(received[3]).toEqual({ type: 'artifact', runId: RUN_ID, seq: 10, artifact: sampleArtifact() });
    expect(received[3] && 'artifact' in received[3] && received[3].artifact.id).toBe(ARTIFACT_ID);
  });

  it('waits for a slow reader instead of buffering every event', async () => {
    const total = 200;
    const big = 'x'.repeat(64 * 1024);
    let produced = 0;
    services.runs.watch.mockImplementation(async function* () {
      for (let seq = 1; seq <= total; seq++) {
        produced = seq;
        yield {
          type: 'run',
          runId: RUN_ID,
          seq,
          run: sampleRun({ version: seq, input: { parts: [{ text: big }] } }),
        };
      }
    });

    const iterator = client.watchRun(RUN_ID)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.seq).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // With backpressure the producer is held far short of the end while the reader sleeps.
    expect(produced).toBeLessThan(total / 2);

    const seqs = [1];
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      seqs.push(next.value.seq);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('aborts the service signal when the client cancels', async () => {
    let serviceSignal: AbortSignal | undefined;
    services.runs.watch.mockImplementation(async function* (_id, ctx) {
      serviceSignal = ctx.signal;
      yield { type: 'snapshot', seq: 1, details: sampleDetails({ status: 'running' }) };
      await aborted(ctx.signal);
    });

    const controller = new AbortController();
    const received = [];
    for await (const event of client.watchRun(RUN_ID, controller.signal)) {
      received.push(event);
      controller.abort();
    }
    expect(received).toHaveLength(1);
    expect(serviceSignal).toBeDefined();
    const reason = await aborted(serviceSignal!);
    expect(reason).toMatchObject({ code: 'CANCELLED' });
  });

  it('aborts the service signal when the call deadline passes', async () => {
    let serviceSignal: AbortSignal | undefined;
    services.runs.watch.mockImplementation(async function* (_id, ctx) {
      serviceSignal = ctx.signal;
      await aborted(ctx.signal);
      yield* [];
    });
    const proto = loadGatewayProto();
    const raw = new proto.RunService(address, grpc.credentials.createInsecure());
    const call = raw.watchRun({ id: RUN_ID }, { deadline: Date.now() + 200 });
    const status = await new Promise<grpc.StatusObject>((resolve) => {
      call.on('status', resolve);
      call.on('error', () => undefined);
      call.on('data', () => undefined);
    });
    raw.close();
    expect(status.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    // The server's own deadline timer fires at about the same moment as the client's.
    await vi.waitFor(() => expect(serviceSignal?.aborted).toBe(true), { timeout: 2000 });
  });
});
