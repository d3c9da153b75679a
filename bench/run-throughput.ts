/**
 * The runs benchmark's load generator: `count` runs submitted over gRPC against one registered agent with
 * at most `concurrency` in flight, each waited for until it is terminal: by the submission itself
 * (`wait_ms`) or by `WatchRun` after it. Measures the wall time of the whole batch and each run's latency
 * from submission to the terminal answer or event, and the CPU time the gateway, the agent and the
 * generator itself spent meanwhile.
 */
import { performance } from 'node:perf_hooks';

import type { GatewayGrpc } from './gateway-grpc.js';
import { TERMINAL_RUN_STATUSES } from './gateway-grpc.js';
import { cpuTimeMs, ioCalls, ioCallsPer, type IoCalls } from './processes.js';
import { percentile } from './stats.js';

/**
 * How a client waits for its run: `wait`, one SubmitRun call with `wait_ms` answered once the run ended;
 * `watch`, a SubmitRun answered at once, then `WatchRun` until the run ended.
 */
export type RunWaitMode = 'wait' | 'watch';

/** The submissions' `wait_ms`: far above a run's latency, so every answer comes with the run ended. */
const SUBMIT_WAIT_MS = 60_000;

/** One batch to run. */
export interface RunBatchOptions {
  readonly mode: RunWaitMode;
  readonly client: GatewayGrpc;
  /** The registered agent's name. */
  readonly agent: string;
  readonly count: number;
  readonly concurrency: number;
  /** Processes whose CPU time is measured over the batch, by name. */
  readonly processes: Readonly<Record<string, number>>;
}

/** What one batch measured. */
export interface RunBatchResult {
  readonly count: number;
  readonly wallMs: number;
  readonly runsPerS: number;
  /** Latencies (submission → terminal event) of the runs that completed, in milliseconds. */
  readonly latenciesMs: readonly number[];
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  /** Runs that ended in another status than completed, or whose calls failed. */
  readonly failures: number;
  /** The first few failure messages. */
  readonly failureSamples: readonly string[];
  /** CPU time over wall time, per measured process (1 = one core busy). */
  readonly cpuUtilisation: Readonly<Record<string, number>>;
  /** The `gateway` process's read and write calls per completed run, where they can be read. */
  readonly gatewayIoCallsPerRun: IoCalls | undefined;
}

const FAILURE_SAMPLES = 5;

/** Runs one batch and measures it. */
export async function runBatch(options: RunBatchOptions): Promise<RunBatchResult> {
  const latenciesMs: number[] = [];
  const failureSamples: string[] = [];
  let failures = 0;
  let next = 0;

  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const index = next;
      next += 1;
      const startedAt = performance.now();
      try {
        const waitMs = options.mode === 'wait' ? SUBMIT_WAIT_MS : 0;
        const submitted = await options.client.submitRun(options.agent, `bench ${index}`, waitMs);
        // The server ends the watch right after the terminal event. Not cancelling it matters: a
        // client that resets more than 1,000 streams on one connection faster than 33 a second gets
        // the whole connection closed with INTERNAL_ERROR by Node's HTTP/2 reset flood protection.
        const { status } =
          options.mode === 'wait'
            ? submitted
            : await options.client.watchUntil(submitted.id, TERMINAL_RUN_STATUSES);
        if (status === 'RUN_STATUS_COMPLETED') latenciesMs.push(performance.now() - startedAt);
        else throw new Error(`run ${submitted.id} ended ${status}`);
      } catch (error) {
        failures += 1;
        if (failureSamples.length < FAILURE_SAMPLES) {
          failureSamples.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
  };

  const gatewayPid = options.processes['gateway'];
  const ioBefore = ioCalls(gatewayPid);
  const cpuBefore = sampleCpu(options.processes);
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, worker));
  const wallMs = performance.now() - startedAt;
  const cpuAfter = sampleCpu(options.processes);
  const ioAfter = ioCalls(gatewayPid);

  const cpuUtilisation: Record<string, number> = {};
  for (const name of Object.keys(cpuAfter)) {
    cpuUtilisation[name] = ((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)) / wallMs;
  }
  return {
    count: options.count,
    wallMs,
    runsPerS: (latenciesMs.length * 1000) / wallMs,
    latenciesMs,
    p50Ms: percentile(latenciesMs, 50),
    p90Ms: percentile(latenciesMs, 90),
    p99Ms: percentile(latenciesMs, 99),
    failures,
    failureSamples,
    cpuUtilisation,
    gatewayIoCallsPerRun: ioCallsPer(latenciesMs.length, ioBefore, ioAfter),
  };
}

/** CPU milliseconds of each process, and of this one (`generator`). */
function sampleCpu(processes: Readonly<Record<string, number>>): Record<string, number> {
  const usage = process.cpuUsage();
  const sample: Record<string, number> = { generator: (usage.user + usage.system) / 1000 };
  for (const [name, pid] of Object.entries(processes)) sample[name] = cpuTimeMs(pid);
  return sample;
}
