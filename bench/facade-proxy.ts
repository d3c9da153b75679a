/**
 * The façade proxy-path benchmark: A2A JSON-RPC `SendMessage` with a 1 KB and a 64 KB text part, sent by
 * autocannon to the echo agent directly, through nginx (a plain keep-alive reverse proxy, `bench/nginx.conf`)
 * and through the gateway's façade (`POST /a2a/NAME`, each message a run with a step in SQLite). Each
 * target in turn: a warm-up, then per round the fixed rates and a saturation phase; medians over rounds.
 * Also starts nginx (the harness's children are Node scripts, so nginx is spawned here) and stops it.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Pinning } from './processes.js';
import {
  BenchChild,
  cpuTimeMs,
  freePort,
  ioCalls,
  ioCallsPer,
  medianIoCalls,
  waitForHttpOk,
  type IoCalls,
} from './processes.js';
import { measurePairs, median, percentile } from './stats.js';

/** The three ways a message reaches the echo agent. */
export const PROXY_TARGETS = ['direct', 'nginx', 'gateway'] as const;
export type ProxyTarget = (typeof PROXY_TARGETS)[number];

/** Where Debian's `nginx-light` installs nginx. */
export const NGINX_PATH = '/usr/sbin/nginx';
/**
 * Fixed-rate load is split over this many autocannon instances of one connection each, started evenly over
 * a second. autocannon meters a rate per connection and per second: a connection sends its share of a
 * second back to back, then waits for the next second. Staggered connections spread those bursts.
 */
const FIXED_RATE_CONNECTIONS = 16;
/** Seconds of saturation before each measured phase of a saturation pair. */
const PAIR_LEAD_IN_SECONDS = 2;
/** Connections of the warm-up. */
const WARMUP_CONNECTIONS = 16;
/** Seconds autocannon waits for a response before counting a timeout. */
const REQUEST_TIMEOUT_S = 10;
const FAILURE_SAMPLES = 5;
/** `"result":` within the start of a JSON-RPC response: the envelope's keys come before any payload. */
const JSON_RPC_RESULT = /"result"\s*:/;
const ENVELOPE_HEAD_CHARS = 256;

/** One phase (a fixed rate or saturation) against one target. */
export interface PhaseFigures {
  /** JSON-RPC results per second over the phase. */
  readonly requestsPerS: number;
  /** Latency of the 2xx responses, in milliseconds (autocannon's timings, at full resolution). */
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  /** Non-2xx responses, JSON-RPC errors, connection errors and timeouts. */
  readonly failures: number;
  /** CPU time / wall time per process (`proxy`: nginx's worker or the gateway, `agent`, `generator`). */
  readonly cpuUtilisation: Readonly<Record<string, number>>;
  /** The proxy's read and write calls per result; undefined for `direct`, or where they cannot be read. */
  readonly proxyIoCallsPerRequest: IoCalls | undefined;
}

/** One target at one body size: medians over rounds, and each round. */
export interface TargetFigures {
  /** Per fixed rate, in the order of {@link FacadeProxyResult.rates}. */
  readonly fixed: readonly PhaseFigures[];
  readonly saturation: PhaseFigures;
  readonly rounds: readonly { readonly fixed: readonly PhaseFigures[]; readonly saturation: PhaseFigures }[];
}

/** One body size. A target is missing when it could not be measured (nginx absent). */
export interface SizeFigures {
  readonly label: string;
  /** Bytes of the request body (the JSON-RPC envelope). */
  readonly requestBytes: number;
  /** Bytes of the agent's JSON-RPC response body (the task holds the message and its echo). */
  readonly responseBytes: number;
  readonly targets: Readonly<Partial<Record<ProxyTarget, TargetFigures>>>;
  /**
   * Saturation requests per second of nginx and of the gateway in short phases back to back, which goes
   * first alternating: what the throughput verdict is judged on. Empty without nginx.
   */
  readonly saturationPairs: readonly SaturationPair[];
}

/** nginx's and the gateway's saturation throughput, measured back to back. */
export interface SaturationPair {
  readonly nginx: number;
  readonly gateway: number;
}

/** What the proxy-path benchmark found. */
export interface FacadeProxyResult {
  readonly rates: readonly number[];
  readonly rounds: number;
  readonly phaseSeconds: number;
  readonly warmupSeconds: number;
  /** Seconds of each measured phase of a saturation pair, and of the unmeasured load before it. */
  readonly pairSeconds: number;
  readonly pairLeadInSeconds: number;
  readonly fixedRateConnections: number;
  readonly saturationConnections: number;
  /** nginx's version, or why the nginx baseline is missing. */
  readonly nginx:
    | { readonly available: true; readonly version: string }
    | { readonly available: false; readonly reason: string };
  readonly sizes: readonly SizeFigures[];
  readonly failureSamples: readonly string[];
}

/** A body size to measure: `textBytes` of text in the message's one part. */
export interface BodySize {
  readonly label: string;
  readonly textBytes: number;
}

export interface FacadeProxyOptions {
  /** JSON-RPC endpoint per target; nginx's is absent when nginx is. */
  readonly urls: Readonly<Partial<Record<ProxyTarget, string>>>;
  readonly nginx: FacadeProxyResult['nginx'];
  /** Processes whose CPU is read: the agent, and per target the proxy in front of it. */
  readonly pids: { readonly agent: number; readonly proxy: Readonly<Partial<Record<ProxyTarget, number>>> };
  readonly sizes: readonly BodySize[];
  readonly rates: readonly number[];
  readonly rounds: number;
  readonly phaseSeconds: number;
  readonly warmupSeconds: number;
  /** Saturation pairs per size (nginx and gateway back to back), and the seconds of each phase. */
  readonly pairs: number;
  readonly pairSeconds: number;
  readonly saturationConnections: number;
  readonly progress: (line: string) => void;
}

/** The subset of autocannon 8's programmatic API used here (the package ships no types). */
interface AutocannonOptions {
  readonly url: string;
  readonly method: 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly connections: number;
  readonly duration: number;
  readonly overallRate?: number;
  readonly timeout: number;
  readonly ignoreCoordinatedOmission?: boolean;
  readonly verifyBody: (body: string) => boolean;
}
interface AutocannonResult {
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly mismatches: number;
  readonly duration: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: 'reqError', listener: (error: Error) => void): void;
  on(event: 'reqMismatch', listener: (body: string) => void): void;
}
type Autocannon = (
  options: AutocannonOptions,
  callback: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** A JSON-RPC `SendMessage` request whose one text part holds `textBytes` characters. */
export function sendMessageBody(textBytes: number, method = 'SendMessage'): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method,
    params: {
      message: { messageId: 'bench-message', role: 'ROLE_USER', parts: [{ text: 'x'.repeat(textBytes) }] },
    },
  });
}

/** The request headers of every façade benchmark call. */
export const A2A_HEADERS = { 'content-type': 'application/json', 'a2a-version': '1.0' } as const;

/**
 * Sends one request and checks the whole answer (a completed task whose artifact echoes the text), so that
 * a target that answers something else fails before it is measured. Resolves with the response's size.
 */
async function checkEcho(url: string, body: string, textBytes: number): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: A2A_HEADERS, body });
  const text = await response.text();
  const reply = JSON.parse(text) as {
    result?: { task?: { status?: { state?: string }; artifacts?: { parts?: { text?: string }[] }[] } };
  };
  const task = reply.result?.task;
  const echoed = task?.artifacts?.[0]?.parts?.[0]?.text ?? '';
  if (!response.ok || task?.status?.state !== 'TASK_STATE_COMPLETED' || echoed.length !== textBytes + 6) {
    throw new Error(`${url} answered ${response.status} ${text.slice(0, 300)}`);
  }
  return Buffer.byteLength(text);
}

interface PhaseRun {
  readonly latenciesMs: number[];
  results: number;
  failures: number;
  readonly failureSamples: string[];
}

/** Runs one autocannon instance, adding its latencies and failures to `run`. */
function cannon(
  run: PhaseRun,
  options: Omit<
    AutocannonOptions,
    'method' | 'headers' | 'timeout' | 'ignoreCoordinatedOmission' | 'verifyBody'
  >,
): Promise<void> {
  const sample = (message: string): void => {
    if (run.failureSamples.length < FAILURE_SAMPLES) run.failureSamples.push(message);
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        ...options,
        method: 'POST',
        headers: A2A_HEADERS,
        timeout: REQUEST_TIMEOUT_S,
        // Latencies are taken from each response below, not from autocannon's 1 ms histogram, whose
        // coordinated-omission correction assumes a 1 ms interval at any rate.
        ...(options.overallRate !== undefined && { ignoreCoordinatedOmission: true }),
        verifyBody: (body) => JSON_RPC_RESULT.test(body.slice(0, ENVELOPE_HEAD_CHARS)),
      },
      (error, result) => {
        if (error !== null) {
          reject(error);
          return;
        }
        const failures = result.non2xx + result.mismatches + result.errors;
        run.failures += failures;
        run.results -= result.mismatches;
        resolve();
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) {
        run.latenciesMs.push(ms);
        run.results += 1;
      } else sample(`HTTP ${status}`);
    });
    instance.on('reqError', (error) => sample(error.message));
    instance.on('reqMismatch', (body) => sample(body.slice(0, 200)));
  });
}

/** One phase: `rate` requests per second over staggered connections, or as fast as possible. */
async function phase(options: {
  url: string;
  body: string;
  seconds: number;
  rate?: number;
  connections: number;
  pids: Readonly<Record<string, number>>;
  failureSamples: string[];
}): Promise<PhaseFigures> {
  const run: PhaseRun = { latenciesMs: [], results: 0, failures: 0, failureSamples: [] };
  const proxyPid = options.pids['proxy'];
  const ioBefore = ioCalls(proxyPid);
  const cpuBefore = sampleCpu(options.pids);
  const startedAt = performance.now();
  const common = { url: options.url, body: options.body, duration: options.seconds };
  const { rate } = options;
  if (rate === undefined) await cannon(run, { ...common, connections: options.connections });
  else {
    const shares = Array.from(
      { length: options.connections },
      (_, index) => Math.floor(rate / options.connections) + (index < rate % options.connections ? 1 : 0),
    );
    await Promise.all(
      shares.map(async (share, index) => {
        await sleep((index * 1000) / options.connections);
        await cannon(run, { ...common, connections: 1, overallRate: share });
      }),
    );
  }
  const wallMs = performance.now() - startedAt;
  const cpuAfter = sampleCpu(options.pids);
  const ioAfter = ioCalls(proxyPid);
  const cpuUtilisation: Record<string, number> = {};
  for (const name of Object.keys(cpuAfter)) {
    cpuUtilisation[name] = ((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)) / wallMs;
  }
  for (const message of run.failureSamples) {
    if (options.failureSamples.length < FAILURE_SAMPLES) options.failureSamples.push(message);
  }
  return {
    // Every connection runs `seconds` from its own start: that, not the staggered wall time, is the span.
    requestsPerS: run.results / options.seconds,
    p50Ms: percentile(run.latenciesMs, 50),
    p90Ms: percentile(run.latenciesMs, 90),
    p99Ms: percentile(run.latenciesMs, 99),
    failures: run.failures,
    cpuUtilisation,
    proxyIoCallsPerRequest: ioCallsPer(run.results, ioBefore, ioAfter),
  };
}

function medianPhase(phases: readonly PhaseFigures[]): PhaseFigures {
  const of = (pick: (phase: PhaseFigures) => number): number => median(phases.map(pick));
  const cpuUtilisation: Record<string, number> = {};
  for (const name of Object.keys(phases[0]?.cpuUtilisation ?? {})) {
    cpuUtilisation[name] = of((p) => p.cpuUtilisation[name] ?? 0);
  }
  return {
    requestsPerS: of((p) => p.requestsPerS),
    p50Ms: of((p) => p.p50Ms),
    p90Ms: of((p) => p.p90Ms),
    p99Ms: of((p) => p.p99Ms),
    failures: phases.reduce((sum, p) => sum + p.failures, 0),
    cpuUtilisation,
    proxyIoCallsPerRequest: medianIoCalls(phases.map((p) => p.proxyIoCallsPerRequest)),
  };
}

/** CPU milliseconds of each process, and of this one (`generator`). */
function sampleCpu(pids: Readonly<Record<string, number>>): Record<string, number> {
  const usage = process.cpuUsage();
  const sample: Record<string, number> = { generator: (usage.user + usage.system) / 1000 };
  for (const [name, pid] of Object.entries(pids)) sample[name] = cpuTimeMs(pid);
  return sample;
}

/**
 * nginx and the gateway at saturation for `pairSeconds` each, back to back, `pairs` times; each measured
 * phase comes right after {@link PAIR_LEAD_IN_SECONDS} of the same load.
 */
async function measureSaturationPairs(options: {
  nginxUrl: string;
  gatewayUrl: string;
  body: string;
  pairs: number;
  pairSeconds: number;
  saturationConnections: number;
  failureSamples: string[];
}): Promise<SaturationPair[]> {
  const saturate = async (url: string): Promise<number> => {
    // Unmeasured load first: a gateway idle for a few seconds, as it is while nginx has its turn, runs
    // slower for seconds once load comes back (docs/benchmarks.md, session 11); nginx does not.
    await phase({
      url,
      body: options.body,
      seconds: PAIR_LEAD_IN_SECONDS,
      connections: options.saturationConnections,
      pids: {},
      failureSamples: [],
    });
    const figures = await phase({
      url,
      body: options.body,
      seconds: options.pairSeconds,
      connections: options.saturationConnections,
      pids: {},
      failureSamples: options.failureSamples,
    });
    return figures.requestsPerS;
  };
  const pairs = await measurePairs(
    options.pairs,
    () => saturate(options.nginxUrl),
    () => saturate(options.gatewayUrl),
  );
  return pairs.map(([nginx, gateway]) => ({ nginx, gateway }));
}

/**
 * Measures every size against every target: per size, a warm-up of each target, then `rounds` rounds in
 * which each target in turn (the order rotating between rounds) gets the fixed rates, then saturation;
 * then the saturation pairs of nginx and the gateway.
 */
export async function measureFacadeProxy(options: FacadeProxyOptions): Promise<FacadeProxyResult> {
  const targets = PROXY_TARGETS.filter((target) => options.urls[target] !== undefined);
  const failureSamples: string[] = [];
  const sizes: SizeFigures[] = [];
  for (const size of options.sizes) {
    const body = sendMessageBody(size.textBytes);
    let responseBytes = 0;
    const rounds = new Map<ProxyTarget, { fixed: PhaseFigures[]; saturation: PhaseFigures }[]>();
    const pidsOf = (target: ProxyTarget): Record<string, number> => {
      const proxy = options.pids.proxy[target];
      return { agent: options.pids.agent, ...(proxy === undefined ? {} : { proxy }) };
    };
    for (const target of targets) {
      const url = options.urls[target] ?? '';
      responseBytes = await checkEcho(url, body, size.textBytes);
      options.progress(`façade ${size.label}: warm-up ${target}, ${options.warmupSeconds} s`);
      await phase({
        url,
        body,
        seconds: options.warmupSeconds,
        connections: WARMUP_CONNECTIONS,
        pids: {},
        failureSamples: [],
      });
      rounds.set(target, []);
    }
    for (let round = 0; round < options.rounds; round += 1) {
      const order = targets.map((_, index) => targets[(index + round) % targets.length] as ProxyTarget);
      for (const target of order) {
        const url = options.urls[target] ?? '';
        const pids = pidsOf(target);
        const fixed: PhaseFigures[] = [];
        for (const rate of options.rates) {
          fixed.push(
            await phase({
              url,
              body,
              seconds: options.phaseSeconds,
              rate,
              connections: FIXED_RATE_CONNECTIONS,
              pids,
              failureSamples,
            }),
          );
        }
        const saturation = await phase({
          url,
          body,
          seconds: options.phaseSeconds,
          connections: options.saturationConnections,
          pids,
          failureSamples,
        });
        rounds.get(target)?.push({ fixed, saturation });
        options.progress(
          `façade ${size.label} round ${round + 1} ${target}: ` +
            fixed
              .map((f, i) => `${options.rates[i]}/s p50 ${f.p50Ms.toFixed(2)} p99 ${f.p99Ms.toFixed(2)} ms`)
              .join('; ') +
            `; saturation ${saturation.requestsPerS.toFixed(0)}/s; failures ${[...fixed, saturation].reduce((s, p) => s + p.failures, 0)}`,
        );
      }
    }
    const { nginx: nginxUrl, gateway: gatewayUrl } = options.urls;
    const saturationPairs =
      nginxUrl === undefined || gatewayUrl === undefined
        ? []
        : await measureSaturationPairs({ ...options, nginxUrl, gatewayUrl, body, failureSamples });
    if (saturationPairs.length > 0) {
      options.progress(
        `façade ${size.label} saturation pairs, nginx / gateway req/s: ` +
          saturationPairs.map((p) => `${p.nginx.toFixed(0)} / ${p.gateway.toFixed(0)}`).join(', '),
      );
    }
    const figures: Partial<Record<ProxyTarget, TargetFigures>> = {};
    for (const [target, targetRounds] of rounds) {
      figures[target] = {
        fixed: options.rates.map((_, index) =>
          medianPhase(targetRounds.map((r) => r.fixed[index] as PhaseFigures)),
        ),
        saturation: medianPhase(targetRounds.map((r) => r.saturation)),
        rounds: targetRounds,
      };
    }
    sizes.push({
      label: size.label,
      requestBytes: Buffer.byteLength(body),
      responseBytes,
      targets: figures,
      saturationPairs,
    });
  }
  return {
    rates: options.rates,
    rounds: options.rounds,
    phaseSeconds: options.phaseSeconds,
    warmupSeconds: options.warmupSeconds,
    pairSeconds: options.pairSeconds,
    pairLeadInSeconds: PAIR_LEAD_IN_SECONDS,
    fixedRateConnections: FIXED_RATE_CONNECTIONS,
    saturationConnections: options.saturationConnections,
    nginx: options.nginx,
    sizes,
    failureSamples,
  };
}

/** A running nginx: its master process as a child, and the pid of its one worker (which proxies). */
export interface RunningNginx {
  readonly child: BenchChild;
  readonly workerPid: number;
  readonly url: string;
  readonly version: string;
}

/**
 * Starts nginx from `bench/nginx.conf` in front of `upstream` (`host:port`), on a free port, with its files in
 * `tempDir`, pinned to `core` when pinning applies. Throws when nginx is not installed or does not start.
 * The caller stops it (`child.stop()`); an exit of the harness sends it SIGTERM.
 */
export async function startNginx(options: {
  template: string;
  upstream: string;
  tempDir: string;
  pinning: Pinning;
  core: number;
  timeoutMs: number;
}): Promise<RunningNginx> {
  if (!existsSync(NGINX_PATH))
    throw new Error(`${NGINX_PATH} not found (Debian: apt-get install nginx-light)`);
  const version = spawnSync(NGINX_PATH, ['-v'], { encoding: 'utf8' }).stderr.trim();
  const port = await freePort();
  await mkdir(options.tempDir, { recursive: true });
  const config = (await readFile(options.template, 'utf8'))
    .replaceAll('@PORT@', String(port))
    .replaceAll('@UPSTREAM@', options.upstream)
    .replaceAll('@TEMP@', options.tempDir);
  const configFile = path.join(options.tempDir, 'nginx.conf');
  await writeFile(configFile, config);
  const nginxArgs = ['-e', 'stderr', '-p', options.tempDir, '-c', configFile];
  const [command, args] = options.pinning.applied
    ? ['taskset', ['-c', String(options.core), NGINX_PATH, ...nginxArgs]]
    : [NGINX_PATH, nginxArgs];
  const process_: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const child = new BenchChild('nginx', process_);
  // SIGTERM, not SIGKILL: the master then stops its worker, which a killed master would leave behind.
  const stopOnExit = (): void => child.signal('SIGTERM');
  process.once('exit', stopOnExit);
  void child.exited.then(() => process.off('exit', stopOnExit));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttpOk(`${url}/nginx-ready`, child, options.timeoutMs);
  return { child, workerPid: nginxWorker(child.pid), url, version };
}

/** The pid of the master's one worker process (from `/proc`), or the master's own when it has none. */
function nginxWorker(masterPid: number): number {
  try {
    const children = readFileSync(`/proc/${masterPid}/task/${masterPid}/children`, 'utf8')
      .trim()
      .split(/\s+/);
    return Number(children[0]) || masterPid;
  } catch {
    return masterPid;
  }
}
