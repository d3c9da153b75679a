/**
 * `GET /v1/runs/:id/events`: Server-Sent Events in order with ids, the stream's end, errors before and
 * after the first event, client disconnects aborting the service's signal, keep-alive comments, and
 * backpressure (a client that stops reading stops the server from pulling events).
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { Agent, request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { RunWatchEvent } from '../../../src/app/services.js';
import { newArtifact } from '../../../src/domain/artifact.js';
import type { CallContext } from '../../../src/domain/call-context.js';
import { newStep } from '../../../src/domain/step.js';
import { ErrorCode, GatewayError, notFound } from '../../../src/errors/gateway-error.js';
import { ApiError } from '../../support/gateway-client.js';
import { createHttpGatewayClient } from '../../support/http-gateway-client.js';
import {
  createMockServices,
  sampleDetails,
  sampleRun,
  startTestServer,
  type TestHttpServer,
} from './http-test-kit.js';

let t: TestHttpServer | undefined;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await t?.server.close(0);
  t = undefined;
});

async function start(keepAliveMs?: number): Promise<TestHttpServer> {
  t = await startTestServer(
    createMockServices(),
    keepAliveMs === undefined ? {} : { sseKeepAliveMs: keepAliveMs },
  );
  return t;
}

function client(server: TestHttpServer) {
  const c = createHttpGatewayClient(server.baseUrl);
  cleanups.push(() => c.close());
  return c;
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function runEvents(): RunWatchEvent[] {
  const run = sampleRun();
  const step = newStep({ runId: run.id, name: 'send', agent: 'echo' });
  const artifact = newArtifact({
    name: 'answer.txt',
    contentType: 'text/plain',
    location: { kind: 'inline', content: new TextEncoder().encode('secret bytes') },
    size: 12,
    sourceRunId: run.id,
  });
  return [
    { type: 'snapshot', seq: 1, details: sampleDetails(run) },
    { type: 'run', runId: run.id, seq: 2, run: { ...run, status: 'running', version: 2 } },
    { type: 'step', runId: run.id, seq: 3, step },
    { type: 'artifact', runId: run.id, seq: 4, artifact },
    { type: 'run', runId: run.id, seq: 5, run: { ...run, status: 'completed', version: 5 } },
  ];
}

describe('run events over SSE', () => {
  it('sends every event in order with its type and id, then ends', async () => {
    const s = await start();
    const events = runEvents();
    s.services.runs.watch.mockImplementation(async function* () {
      yield* events;
    });

    const response = await fetch(`${s.baseUrl}/v1/runs/r1/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const text = await response.text(); // resolves only when the server ends the stream
    const frames = text.split('\n\n').filter((f) => f !== '');
    expect(frames.map((f) => f.split('\n').slice(0, 2))).toEqual(
      events.map((e) => [`event: ${e.type}`, `id: ${e.seq}`]),
    );
    expect(s.services.runs.watch.mock.calls[0]?.[0]).toBe('r1');
  });

  it('the test client yields the events; artifacts come as metadata without content', async () => {
    const s = await start();
    const events = runEvents();
    s.services.runs.watch.mockImplementation(async function* () {
      yield* events;
    });
    const received: RunWatchEvent[] = [];
    for await (const event of client(s).watchRun('r1')) received.push(event);

    expect(received.map((e) => [e.type, e.seq])).toEqual(events.map((e) => [e.type, e.seq]));
    expect(received[0]).toEqual(JSON.parse(JSON.stringify(events[0])));
    const artifact =
      received[3]?.type === 'artifact' ? (received[3].artifact as unknown as Record<string, unknown>) : {};
    expect(artifact).toMatchObject({ name: 'answer.txt', storage: 'inline', size: 12 });
    expect(artifact).not.toHaveProperty('location');
  });

  it('a watch that fails before its first event is an ordinary JSON error', async () => {
    const s = await start();
    s.services.runs.watch.mockImplementation(async function* () {
      yield* [];
      throw notFound(ErrorCode.RUN_NOT_FOUND, 'run', 'r404');
    });
    const response = await fetch(`${s.baseUrl}/v1/runs/r404/events`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('RUN_NOT_FOUND');
    await expect(client(s).watchRun('r404')[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
      wireStatus: 404,
    });
  });

  it('a failure after the stream started is sent as a final error event', async () => {
    const s = await start();
    const [snapshot] = runEvents();
    s.services.runs.watch.mockImplementation(async function* () {
      if (snapshot !== undefined) yield snapshot;
      throw new GatewayError(ErrorCode.UNAVAILABLE, 'event bus lost');
    });
    const text = await (await fetch(`${s.baseUrl}/v1/runs/r1/events`)).text();
    expect(text).toContain('event: error\ndata: {"error":{"code":"UNAVAILABLE","message":"event bus lost"');

    const received: string[] = [];
    const error = await (async () => {
      for await (const event of client(s).watchRun('r1')) received.push(event.type);
    })().catch((e: unknown) => e);
    expect(received).toEqual(['snapshot']);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('a client disconnect aborts the signal the service received', async () => {
    const s = await start();
    const [snapshot] = runEvents();
    let ctx: CallContext | undefined;
    s.services.runs.watch.mockImplementation(async function* (_id, c) {
      ctx = c;
      if (snapshot !== undefined) yield snapshot;
      await aborted(c.signal);
    });
    const controller = new AbortController();
    const iterator = client(s).watchRun('r1', controller.signal)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'snapshot', seq: 1 });
    expect(ctx?.signal.aborted).toBe(false);

    controller.abort();
    await vi.waitFor(() => expect(ctx?.signal.aborted).toBe(true));
    expect((await iterator.next()).done).toBe(true);
  });

  it('writes keep-alive comments while the run is quiet', async () => {
    const s = await start(20);
    const [snapshot] = runEvents();
    s.services.runs.watch.mockImplementation(async function* (_id, c) {
      if (snapshot !== undefined) yield snapshot;
      await aborted(c.signal);
    });
    const controller = new AbortController();
    const response = await fetch(`${s.baseUrl}/v1/runs/r1/events`, { signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes(': keep-alive\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(text).toMatch(/^event: snapshot\n[\s\S]*: keep-alive\n\n/);
    controller.abort();
  });

  it('stops pulling events while the client does not read (backpressure)', async () => {
    const s = await start();
    const total = 400;
    const padding = 'x'.repeat(64 * 1024);
    let pulled = 0;
    const run = sampleRun();
    s.services.runs.watch.mockImplementation(async function* () {
      for (let seq = 1; seq <= total; seq++) {
        pulled = seq;
        yield { type: 'run', runId: run.id, seq, run: { ...run, remote: { state: padding } } };
      }
    });
    const dispatcher = new Agent();
    cleanups.push(() => dispatcher.close());
    const response = await request(`${s.baseUrl}/v1/runs/r1/events`, { dispatcher });
    expect(response.statusCode).toBe(200);

    // Wait until the server stops pulling (the socket buffers are full), then check where it stopped.
    let pausedAt = 0;
    await vi.waitFor(
      async () => {
        const before = pulled;
        await sleep(100);
        expect(pulled).toBe(before);
        pausedAt = before;
      },
      { timeout: 10_000, interval: 0 },
    );
    expect(pausedAt).toBeLessThan(total / 2);

    let frames = 0;
    let tail = '';
    for await (const chunk of response.body) {
      const text = tail + (chunk as Buffer).toString('utf8');
      const parts = text.split('\n\n');
      tail = parts.pop() ?? '';
      frames += parts.length;
    }
    expect(frames).toBe(total);
    expect(pulled).toBe(total);
  });
});

describe('shutdown', () => {
  it('close() ends open event streams with a retryable UNAVAILABLE event and is idempotent', async () => {
    const s = await start();
    const [snapshot] = runEvents();
    let ctx: CallContext | undefined;
    s.services.runs.watch.mockImplementation(async function* (_id, c) {
      ctx = c;
      if (snapshot !== undefined) yield snapshot;
      await aborted(c.signal);
    });
    const iterator = client(s).watchRun('r1')[Symbol.asyncIterator]();
    await iterator.next();

    const closing = s.server.close(5_000);
    expect(s.server.close(5_000)).toBe(closing);
    const error = await iterator.next().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(ctx?.signal.aborted).toBe(true);
    const started = Date.now();
    await closing;
    expect(Date.now() - started).toBeLessThan(2_000); // the grace period was not needed
    expect(s.server.state).toBe('closed');
  });

  it('ends many open streams at close, each having listened to shutdown without a listener-leak warning', async () => {
    const s = await start();
    const [snapshot] = runEvents();
    s.services.runs.watch.mockImplementation(async function* (_id, c) {
      if (snapshot !== undefined) yield snapshot;
      await aborted(c.signal);
    });
    const warnings: Error[] = [];
    const onWarning = (warning: Error): number => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // More than Node's default of 10 listeners per signal.
      const iterators = Array.from({ length: 12 }, () => client(s).watchRun('r1')[Symbol.asyncIterator]());
      await Promise.all(iterators.map((iterator) => iterator.next()));
      const ends = iterators.map((iterator) => iterator.next().catch((e: unknown) => e));
      await s.server.close(5_000);
      for (const end of await Promise.all(ends)) expect(end).toMatchObject({ code: 'UNAVAILABLE' });
      await sleep(10); // warnings are emitted on the next tick
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
