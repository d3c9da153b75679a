/**
 * The façade streaming benchmark: A2A JSON-RPC `SendStreamingMessage` to the bench stream agent
 * (`bench-agent.ts stream`), directly and through the gateway's façade, one call at a time and with a few
 * in flight. Each call's SSE stream is read with undici and eventsource-parser; it counts when the call
 * was sent, when its first event arrived and when its last (the 20th) did.
 */
import { performance } from 'node:perf_hooks';

import { createParser } from 'eventsource-parser';
import { Agent, request } from 'undici';

import { A2A_HEADERS, sendMessageBody } from './facade-proxy.js';
import { median, percentile } from './stats.js';

/**
 * Artifact chunks per streamed task. The streaming executor sends the task, then a `WORKING` status and an
 * artifact chunk per chunk, then the `COMPLETED` status: 1 + 2 × 9 + 1 = 20 stream events.
 */
export const STREAM_CHUNKS = 9;
/** `StreamResponse` events per call (SSE `data:` frames). */
export const STREAM_EVENTS = 1 + 2 * STREAM_CHUNKS + 1;
const FAILURE_SAMPLES = 5;

/** The two ways a stream reaches the caller. */
export const STREAM_TARGETS = ['direct', 'gateway'] as const;
export type StreamTarget = (typeof STREAM_TARGETS)[number];

/** Calls at one concurrency against one target: medians over rounds of each round's percentiles. */
export interface StreamFigures {
  readonly concurrency: number;
  /** Calls per round. */
  readonly calls: number;
  /** Sending the request → the first event, in milliseconds. */
  readonly firstEventP50Ms: number;
  readonly firstEventP99Ms: number;
  /** Sending the request → the last (20th) event. */
  readonly lastEventP50Ms: number;
  readonly lastEventP99Ms: number;
  /** Calls that failed or did not stream 20 events ending in `TASK_STATE_COMPLETED`, over all rounds. */
  readonly failures: number;
}

/** What the streaming benchmark found, per concurrency (in the order of `concurrencies`). */
export interface FacadeStreamingResult {
  readonly events: number;
  readonly rounds: number;
  readonly warmupCalls: number;
  readonly targets: Readonly<Record<StreamTarget, readonly StreamFigures[]>>;
  readonly failureSamples: readonly string[];
}

export interface FacadeStreamingOptions {
  /** JSON-RPC endpoint per target. */
  readonly urls: Readonly<Record<StreamTarget, string>>;
  /** Concurrency and calls per round of each series. */
  readonly series: readonly { readonly concurrency: number; readonly calls: number }[];
  readonly rounds: number;
  readonly warmupCalls: number;
  readonly progress: (line: string) => void;
}

interface CallTiming {
  readonly firstMs: number;
  readonly lastMs: number;
}

const STREAM_HEADERS = { ...A2A_HEADERS, accept: 'text/event-stream' };
const BODY = sendMessageBody(64, 'SendStreamingMessage');

/** One streaming call: its timings, or why it failed. */
async function streamOnce(dispatcher: Agent, url: string): Promise<CallTiming> {
  const sentAt = performance.now();
  const { statusCode, body } = await request(url, {
    method: 'POST',
    headers: STREAM_HEADERS,
    body: BODY,
    dispatcher,
  });
  let firstMs = Number.NaN;
  let lastMs = Number.NaN;
  let events = 0;
  let lastState = '';
  let error = '';
  const parser = createParser({
    onEvent: (event) => {
      const now = performance.now() - sentAt;
      if (events === 0) firstMs = now;
      lastMs = now;
      events += 1;
      const frame = JSON.parse(event.data) as {
        error?: unknown;
        result?: { statusUpdate?: { status?: { state?: string } } };
      };
      if (event.event === 'error' || frame.error !== undefined) error ||= event.data.slice(0, 200);
      lastState = frame.result?.statusUpdate?.status?.state ?? '';
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
  if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`);
  if (error !== '') throw new Error(error);
  if (events !== STREAM_EVENTS || lastState !== 'TASK_STATE_COMPLETED') {
    throw new Error(`${events} events ending in '${lastState}', not ${STREAM_EVENTS} ending completed`);
  }
  return { firstMs, lastMs };
}

/** `calls` streaming calls with at most `concurrency` in flight. */
async function streamBatch(
  dispatcher: Agent,
  url: string,
  calls: number,
  concurrency: number,
  failureSamples: string[],
): Promise<{ timings: CallTiming[]; failures: number }> {
  const timings: CallTiming[] = [];
  let failures = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls) {
      next += 1;
      try {
        timings.push(await streamOnce(dispatcher, url));
      } catch (error) {
        failures += 1;
        if (failureSamples.length < FAILURE_SAMPLES) {
          failureSamples.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
  return { timings, failures };
}

/** Measures each series against each target, alternating which target goes first between rounds. */
export async function measureFacadeStreaming(
  options: FacadeStreamingOptions,
): Promise<FacadeStreamingResult> {
  const failureSamples: string[] = [];
  const maxConcurrency = Math.max(...options.series.map((s) => s.concurrency));
  const dispatcher = new Agent({ connections: maxConcurrency, keepAliveTimeout: 60_000 });
  try {
    for (const target of STREAM_TARGETS) {
      options.progress(`streaming: warm-up ${target}, ${options.warmupCalls} calls`);
      await streamBatch(dispatcher, options.urls[target], options.warmupCalls, maxConcurrency, []);
    }
    const targets = { direct: [] as StreamFigures[], gateway: [] as StreamFigures[] };
    for (const { concurrency, calls } of options.series) {
      const rounds = { direct: [] as StreamFigures[], gateway: [] as StreamFigures[] };
      for (let round = 0; round < options.rounds; round += 1) {
        const order = round % 2 === 0 ? STREAM_TARGETS : [...STREAM_TARGETS].reverse();
        for (const target of order) {
          const { timings, failures } = await streamBatch(
            dispatcher,
            options.urls[target],
            calls,
            concurrency,
            failureSamples,
          );
          const first = timings.map((t) => t.firstMs);
          const last = timings.map((t) => t.lastMs);
          rounds[target].push({
            concurrency,
            calls,
            firstEventP50Ms: percentile(first, 50),
            firstEventP99Ms: percentile(first, 99),
            lastEventP50Ms: percentile(last, 50),
            lastEventP99Ms: percentile(last, 99),
            failures,
          });
          options.progress(
            `streaming ${concurrency} in flight round ${round + 1} ${target}: first event p50 ` +
              `${percentile(first, 50).toFixed(2)} ms, last p50 ${percentile(last, 50).toFixed(2)} ms, failures ${failures}`,
          );
        }
      }
      for (const target of STREAM_TARGETS) {
        const of = (pick: (figures: StreamFigures) => number): number => median(rounds[target].map(pick));
        targets[target].push({
          concurrency,
          calls,
          firstEventP50Ms: of((r) => r.firstEventP50Ms),
          firstEventP99Ms: of((r) => r.firstEventP99Ms),
          lastEventP50Ms: of((r) => r.lastEventP50Ms),
          lastEventP99Ms: of((r) => r.lastEventP99Ms),
          failures: rounds[target].reduce((sum, r) => sum + r.failures, 0),
        });
      }
    }
    return {
      events: STREAM_EVENTS,
      rounds: options.rounds,
      warmupCalls: options.warmupCalls,
      targets,
      failureSamples,
    };
  } finally {
    await dispatcher.close();
  }
}
