/**
 * The memory benchmark: many runs left waiting for input (so that their watches stay open), then half of
 * them watched over gRPC `WatchRun` and half over HTTP Server-Sent Events, all at once. The gateway's RSS
 * (`/proc/PID/status`) and V8 heap (its own `/metrics`) are read with the runs created and no watch
 * open, with every watch open, and after all watches are closed; `bzzz_open_watch_streams` confirms the
 * count at each point, so a watch the gateway fails to release shows up as a leak.
 */
import http from 'node:http';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import type { ClientReadableStream } from '@grpc/grpc-js';

import type { RunStatus__Output } from '../src/transport/grpc/generated/bzzz/gateway/v1/RunStatus.js';
import type { GatewayGrpc } from './gateway-grpc.js';
import { TERMINAL_RUN_STATUSES } from './gateway-grpc.js';
import { rssBytes } from './processes.js';

/** How long the gateway is left alone before each reading. */
const SETTLE_MS = 2000;
/** Watches being opened at once (each is open once its first event arrived). */
const OPENING_CONCURRENCY = 200;
/** How long closed watches get to be released before the count is called a leak. */
const RELEASE_TIMEOUT_MS = 10_000;

/** Memory of the gateway at one point. */
export interface MemoryReading {
  /** RSS as the gateway left it (no collection forced): what the target is about. */
  readonly rssBytes: number;
  /** RSS right after a forced full collection: comparable from one point to the next. */
  readonly rssAfterGcBytes: number;
  /** V8 heap in use right after a forced full collection: what is really retained. */
  readonly heapUsedBytes: number;
  readonly openWatchStreams: number;
}

/** What the memory benchmark measured. */
export interface WatchMemoryResult {
  readonly runs: number;
  readonly grpcWatches: number;
  readonly sseWatches: number;
  /** Right after start-up and agent registration. */
  readonly fresh: MemoryReading;
  /** With every run created and waiting for input, no watch open. */
  readonly runsCreated: MemoryReading;
  /** With every watch open. */
  readonly watching: MemoryReading;
  /** After every watch was closed (and released, or the release timed out). */
  readonly closed: MemoryReading;
  /** (watching − runsCreated) RSS after a full collection / watches. */
  readonly rssPerWatchBytes: number;
  /** (watching − runsCreated) heap after a full collection / watches. */
  readonly heapPerWatchBytes: number;
  /** (runsCreated − fresh) heap after a full collection / runs: what a waiting run keeps in memory. */
  readonly heapPerRunBytes: number;
  readonly createMs: number;
  readonly openMs: number;
  /** Runs or watches that failed to get where they should. */
  readonly failures: number;
  readonly failureSamples: readonly string[];
}

export interface WatchMemoryOptions {
  readonly client: GatewayGrpc;
  /** The gateway's HTTP base URL. */
  readonly httpUrl: string;
  readonly gatewayPid: number;
  /** Makes the gateway run a full garbage collection (see gc-on-signal.ts). */
  readonly collectGarbage: () => void;
  /** The registered input agent's name. */
  readonly agent: string;
  /** Runs, and so watches (half gRPC, half SSE). */
  readonly watches: number;
  /** Runs being created at once. */
  readonly concurrency: number;
  /** Called with a line of progress now and then. */
  readonly progress: (line: string) => void;
}

const WAITING: ReadonlySet<RunStatus__Output> = new Set([
  'RUN_STATUS_INPUT_REQUIRED',
  ...TERMINAL_RUN_STATUSES,
]);

/** Runs the memory benchmark against a started gateway with the input agent registered. */
export async function measureWatchMemory(options: WatchMemoryOptions): Promise<WatchMemoryResult> {
  const failures: string[] = [];
  const fail = (error: unknown): void => {
    failures.push(error instanceof Error ? error.message : String(error));
  };
  const fresh = await readMemory(options);

  // 1. The runs, each left in input_required.
  const createStarted = performance.now();
  const ids = await createWaitingRuns(options, fail);
  const createMs = performance.now() - createStarted;
  options.progress(`${ids.length} runs waiting for input in ${(createMs / 1000).toFixed(1)} s`);
  await sleep(SETTLE_MS);
  const runsCreated = await readMemory(options);

  // 2. The watches: the first half over gRPC, the rest over SSE.
  const grpcIds = ids.slice(0, Math.floor(ids.length / 2));
  const sseIds = ids.slice(grpcIds.length);
  const openStarted = performance.now();
  const grpcCalls: ClientReadableStream<unknown>[] = [];
  const sseRequests: ClientRequest[] = [];
  await forEachLimited(grpcIds, OPENING_CONCURRENCY, async (id) => {
    try {
      grpcCalls.push((await options.client.watchUntil(id, WAITING)).call);
    } catch (error) {
      fail(error);
    }
  });
  await forEachLimited(sseIds, OPENING_CONCURRENCY, async (id) => {
    try {
      sseRequests.push(await openSseWatch(options.httpUrl, id));
    } catch (error) {
      fail(error);
    }
  });
  const openMs = performance.now() - openStarted;
  options.progress(
    `${grpcCalls.length} gRPC + ${sseRequests.length} SSE watches open in ${(openMs / 1000).toFixed(1)} s`,
  );
  await sleep(SETTLE_MS);
  const watching = await readMemory(options);

  // 3. Close them all and wait for the gateway to release them.
  for (const call of grpcCalls) call.cancel();
  for (const request of sseRequests) request.destroy();
  const releaseDeadline = Date.now() + RELEASE_TIMEOUT_MS;
  let closed = await readMemory(options);
  while (closed.openWatchStreams > 0 && Date.now() < releaseDeadline) {
    await sleep(250);
    closed = await readMemory(options);
  }
  await sleep(SETTLE_MS);
  closed = await readMemory(options);

  const watches = grpcCalls.length + sseRequests.length;
  return {
    runs: ids.length,
    grpcWatches: grpcCalls.length,
    sseWatches: sseRequests.length,
    fresh,
    runsCreated,
    watching,
    closed,
    rssPerWatchBytes:
      watches === 0 ? Number.NaN : (watching.rssAfterGcBytes - runsCreated.rssAfterGcBytes) / watches,
    heapPerWatchBytes:
      watches === 0 ? Number.NaN : (watching.heapUsedBytes - runsCreated.heapUsedBytes) / watches,
    heapPerRunBytes:
      ids.length === 0 ? Number.NaN : (runsCreated.heapUsedBytes - fresh.heapUsedBytes) / ids.length,
    createMs,
    openMs,
    failures: failures.length,
    failureSamples: failures.slice(0, 5),
  };
}

/** Submits `options.watches` runs and waits until each waits for input; resolves with their ids. */
async function createWaitingRuns(
  options: WatchMemoryOptions,
  fail: (error: unknown) => void,
): Promise<string[]> {
  const ids: string[] = [];
  const indexes = Array.from({ length: options.watches }, (_, index) => index);
  await forEachLimited(indexes, options.concurrency, async (index) => {
    try {
      const { id } = await options.client.submitRun(options.agent, `memory ${index}`);
      const { status, call } = await options.client.watchUntil(id, WAITING);
      call.cancel();
      if (status !== 'RUN_STATUS_INPUT_REQUIRED') throw new Error(`run ${id} ended ${status}`);
      ids.push(id);
    } catch (error) {
      fail(error);
    }
    if ((index + 1) % 2000 === 0) options.progress(`${index + 1} runs submitted`);
  });
  return ids;
}

/** Opens `GET /v1/runs/{id}/events` on its own connection; resolves once the first event arrived. */
function openSseWatch(httpUrl: string, id: string): Promise<ClientRequest> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${httpUrl}/v1/runs/${id}/events`,
      { agent: false, headers: { Accept: 'text/event-stream' } },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`SSE watch of ${id}: HTTP ${response.statusCode}`));
          return;
        }
        let first = true;
        // Every event and keep-alive is read and dropped; the first one means the watch is open.
        response.on('data', () => {
          if (first) resolve(request);
          first = false;
        });
        response.on('error', () => undefined);
        response.on('end', () => reject(new Error(`SSE watch of ${id} ended`)));
      },
    );
    request.on('error', reject);
  });
}

/** Runs `task` for every item with at most `limit` at once. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** How long a forced collection gets before the heap is read. */
const COLLECTION_WAIT_MS = 500;

/**
 * RSS from `/proc` first, as the gateway left it; then, after a forced full collection, the heap and the
 * open watch streams from the gateway's Prometheus metrics.
 */
async function readMemory(options: WatchMemoryOptions): Promise<MemoryReading> {
  const rss = rssBytes(options.gatewayPid);
  options.collectGarbage();
  await sleep(COLLECTION_WAIT_MS);
  const response = await fetch(`${options.httpUrl}/metrics`);
  const text = await response.text();
  return {
    rssBytes: rss,
    rssAfterGcBytes: rssBytes(options.gatewayPid),
    heapUsedBytes: metricValue(text, 'nodejs_heap_size_used_bytes'),
    openWatchStreams: metricValue(text, 'bzzz_open_watch_streams'),
  };
}

/** The value of an unlabelled sample `name` in a Prometheus text exposition; NaN when absent. */
function metricValue(exposition: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)`, 'm').exec(exposition);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}
