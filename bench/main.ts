/**
 * The benchmark harness (`npm run bench`, `npm run bench -- --quick`): starts the gateway, the example
 * agents and an OTLP sink as child processes on 127.0.0.1 (pinned to cores when the machine allows),
 * measures run throughput with tracing off and on, the gateway's memory with many watched runs, and the
 * A2A façade: SendMessage direct vs nginx vs gateway (`facade-proxy.ts`) and SendStreamingMessage direct
 * vs gateway (`facade-streaming.ts`); prints a table and stops every child.
 *
 * Options: `--quick` (fewer runs, one round, 1,000 watches, 2 s façade phases), `--cpu-prof DIR` (run the throughput
 * and façade gateways under `node --cpu-prof` and summarise the profiles), `--json FILE` (the report as JSON),
 * `--svg FILE` (the latency chart), `--keep` (keep the temporary data directories).
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { loadConfig } from '../src/config/config.js';

import { newestProfile, summariseProfile } from './cpu-profile.js';
import type { FacadeProxyResult, RunningNginx } from './facade-proxy.js';
import { measureFacadeProxy, startNginx } from './facade-proxy.js';
import { measureFacadeStreaming } from './facade-streaming.js';
import { GatewayGrpc } from './gateway-grpc.js';
import type { SinkStats } from './otlp-sink.js';
import type { BenchChild } from './processes.js';
import {
  ProcessGroup,
  detectPinning,
  freePort,
  medianIoCalls,
  nodeOptionsOf,
  pinSelf,
  waitForHttpOk,
} from './processes.js';
import type {
  BenchReport,
  ChildOutput,
  MachineInfo,
  PairSide,
  RoundFigures,
  StoreLogFigures,
  ThroughputFigures,
  TracingPair,
} from './report.js';
import { formatReport, latencyChartSvg } from './report.js';
import type { RunBatchResult } from './run-throughput.js';
import { runBatch, type RunWaitMode } from './run-throughput.js';
import { measurePairs, median } from './stats.js';
import { StoreLogSampler } from './store-log.js';
import { measureWatchMemory } from './watch-memory.js';

/** How much work each mode does. */
const MODES = {
  full: {
    runsPerRound: 3000,
    // Rounds after 500 warm-up runs still rose by 40 % from the first to the third: a gateway reaches
    // its steady state (optimised code, grown young generation) after about 3,500 runs.
    warmupRuns: 4000,
    rounds: 3,
    concurrency: 64,
    // Pairs of short batches (tracing off and on) and of short saturation phases (nginx and gateway),
    // for the two targets that compare two subjects: enough pairs for their median to hold still.
    tracingPairs: 10,
    pairRuns: 1500,
    watches: 10_000,
    facadeRounds: 3,
    facadePhaseSeconds: 6,
    facadeWarmupSeconds: 3,
    facadePairs: 8,
    // Long enough for a phase to hold the gateway's background work: WAL checkpoints, collections.
    facadePairSeconds: 5,
    streamCalls: 300,
    streamConcurrentCalls: 800,
    streamWarmupCalls: 200,
    limitMs: 25 * 60_000,
  },
  quick: {
    runsPerRound: 500,
    warmupRuns: 1000,
    rounds: 1,
    concurrency: 64,
    tracingPairs: 2,
    pairRuns: 250,
    watches: 1000,
    facadeRounds: 1,
    facadePhaseSeconds: 2,
    facadeWarmupSeconds: 1,
    facadePairs: 2,
    facadePairSeconds: 1,
    streamCalls: 50,
    streamConcurrentCalls: 100,
    streamWarmupCalls: 50,
    limitMs: 6 * 60_000,
  },
} as const;

/** Runs at concurrency 1 before the tracing-on warm-up, to learn how many spans one run exports. */
const CALIBRATION_RUNS = 20;
/** The gateway's default `OTEL_BSP_SCHEDULE_DELAY`, plus time for the export to land. */
const EXPORT_WAIT_MS = 5000 + 1500;
/**
 * gRPC connections the memory benchmark's watch streams are spread over. Its watches are cancelled by
 * the client (each RST_STREAM), and Node's HTTP/2 server closes a connection that resets more than 1,000
 * streams faster than 33 a second: with 10,000 runs and 5,000 watches cancelled, 32 connections keep
 * each well under that.
 */
const MEMORY_GRPC_CHANNELS = 32;
/** The façade's message sizes: the text part of the one-part SendMessage. */
const FACADE_SIZES = [
  { label: '1 KB', textBytes: 1024 },
  { label: '64 KB', textBytes: 64 * 1024 },
] as const;
/**
 * The façade's fixed request rates, per second: the issue's 500 and 2,000, and 100, which the gateway
 * sustains on one core of the reference machine, to see what it adds when it is not saturated.
 */
const FACADE_RATES = [100, 500, 2000] as const;
const FACADE_SATURATION_CONNECTIONS = 64;
/** In flight in the streaming benchmark's second series (the first is one at a time). */
const STREAM_CONCURRENCY = 8;
const GATEWAY_CORE = 0;
/** The gateways `--cpu-prof` profiles, by the name of their profile directory. */
const PROFILED_GATEWAYS = ['tracing-off', 'tracing-on', 'facade'] as const;
const CLIENT_CORE = 1;
const START_TIMEOUT_MS = 20_000;
/** What the example agents and the sink print once they listen. */
const LISTENING_LINE = /listening on (http:\/\/\S+)/;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const GATEWAY_SCRIPT = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
/** The Node options `npm start` runs the gateway with (package.json), which every gateway here gets. */
const GATEWAY_NODE_OPTIONS = nodeOptionsOf(
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } })
    .scripts.start,
  path.relative(ROOT, GATEWAY_SCRIPT),
);
const ECHO_AGENT_SCRIPT = path.join(ROOT, 'dist', 'examples', 'echo-agent.js');
const INPUT_AGENT_SCRIPT = path.join(ROOT, 'dist', 'examples', 'input-agent.js');
const SINK_SCRIPT = path.join(ROOT, 'dist', 'bench', 'otlp-sink.js');
const BENCH_AGENT_SCRIPT = path.join(ROOT, 'dist', 'bench', 'bench-agent.js');
const NGINX_TEMPLATE = path.join(ROOT, 'bench', 'nginx.conf');
/** The example agents' JSON-RPC path (`examples/serve-agent.ts`). */
const AGENT_JSONRPC_PATH = '/a2a/jsonrpc';
const GC_PRELOAD = path.join(ROOT, 'dist', 'bench', 'gc-on-signal.js');

const progress = (line: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

interface RunningGateway {
  readonly child: BenchChild;
  readonly httpUrl: string;
  readonly grpc: GatewayGrpc;
  readonly storeLog: StoreLogSampler;
}

/** Starts `node …/main.js serve` on free ports with its own data directory; resolves once ready. */
async function startGateway(
  group: ProcessGroup,
  options: {
    name: string;
    dataDir: string;
    env?: Record<string, string>;
    nodeOptions?: string[];
    /** gRPC connections the harness's run calls are spread over. @default 1 */
    channels?: number;
  },
): Promise<RunningGateway> {
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const env = {
    BZZZ_HOST: '127.0.0.1',
    BZZZ_HTTP_PORT: String(httpPort),
    BZZZ_GRPC_PORT: String(grpcPort),
    BZZZ_DATA_DIR: options.dataDir,
    BZZZ_STORE_URL: '',
    BZZZ_LOG_LEVEL: 'warn',
    BZZZ_SHUTDOWN_GRACE_MS: '2000',
    // Nothing inherited from the caller's environment turns tracing on by accident.
    OTEL_SDK_DISABLED: '',
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
    ...options.env,
  };
  const { store } = loadConfig(env);
  if (store.kind !== 'sqlite') throw new Error(`the gateways here store in SQLite, not ${store.kind}`);
  const child = group.spawn({
    name: options.name,
    core: GATEWAY_CORE,
    args: [...GATEWAY_NODE_OPTIONS, ...(options.nodeOptions ?? []), GATEWAY_SCRIPT, 'serve'],
    env,
  });
  const storeLog = new StoreLogSampler(`${store.file}-wal`);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  await waitForHttpOk(`${httpUrl}/readyz`, child, START_TIMEOUT_MS);
  return { child, httpUrl, grpc: new GatewayGrpc(`127.0.0.1:${grpcPort}`, options.channels), storeLog };
}

/** Stops a gateway (its output kept in `outputs`) and adds the largest size its log reached to `storeLogs`. */
async function stopGateway(
  gateway: RunningGateway,
  outputs: ChildOutput[],
  storeLogs: StoreLogFigures[],
): Promise<void> {
  gateway.grpc.close();
  await stopChild(gateway.child, outputs);
  storeLogs.push({ gateway: gateway.child.name, largestBytes: gateway.storeLog.stop() });
}

/** Starts a script that prints `… listening on URL`; resolves with the child and the URL. */
async function startListener(
  group: ProcessGroup,
  name: string,
  script: string,
  ...scriptArgs: string[]
): Promise<{ child: BenchChild; url: string }> {
  const child = group.spawn({ name, core: CLIENT_CORE, args: [script, ...scriptArgs], env: { PORT: '0' } });
  const match = await child.waitForLine(LISTENING_LINE, START_TIMEOUT_MS);
  return { child, url: match[1] ?? '' };
}

/** Stops `child` and keeps what it printed, less the start-up line of the agents and the sink. */
async function stopChild(child: BenchChild, outputs: ChildOutput[], expectedExit = '0'): Promise<void> {
  const exit = await child.stop();
  const { lineCount, firstLines } = child.output();
  const kept = firstLines.filter((line) => !LISTENING_LINE.test(line));
  outputs.push({
    name: child.name,
    exit,
    expectedExit,
    lineCount: lineCount - (firstLines.length - kept.length),
    firstLines: kept,
  });
}

/** Registers an agent over the gateway's HTTP API (`POST /v1/agents`). */
async function registerOverHttp(httpUrl: string, name: string, url: string): Promise<void> {
  const response = await fetch(`${httpUrl}/v1/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, url }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`registering ${name}: HTTP ${response.status} ${text.slice(0, 300)}`);
}

async function sinkStats(url: string): Promise<SinkStats> {
  const response = await fetch(`${url}/stats`);
  return (await response.json()) as SinkStats;
}

async function machineInfo(): Promise<MachineInfo> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cores: os.cpus().length,
    cpuModel: model.trim(),
    memoryBytes: os.totalmem(),
    node: process.versions.node,
    kernel: os.release(),
  };
}

/** One series of the runs benchmark: a gateway, how its clients wait, and its rounds as they come. */
interface RunSeries {
  readonly label: string;
  readonly gateway: RunningGateway;
  readonly mode: RunWaitMode;
  readonly rounds: RoundFigures[];
}

function runSeries(label: string, gateway: RunningGateway, mode: RunWaitMode): RunSeries {
  return { label, gateway, mode, rounds: [] };
}

function roundFigures(result: RunBatchResult): RoundFigures {
  // A round's figures without its raw latencies.
  const { latenciesMs: _latencies, count: _count, ...figures } = result;
  const gatewayCpuMsPerRun = ((figures.cpuUtilisation['gateway'] ?? Number.NaN) * 1000) / figures.runsPerS;
  return { ...figures, gatewayCpuMsPerRun };
}

function throughputFigures(rounds: readonly RoundFigures[]): ThroughputFigures {
  const of = (pick: (round: RoundFigures) => number): number => median(rounds.map(pick));
  const cpuUtilisation: Record<string, number> = {};
  for (const name of Object.keys(rounds[0]?.cpuUtilisation ?? {})) {
    cpuUtilisation[name] = of((round) => round.cpuUtilisation[name] ?? 0);
  }
  return {
    rounds,
    runsPerS: of((r) => r.runsPerS),
    p50Ms: of((r) => r.p50Ms),
    p90Ms: of((r) => r.p90Ms),
    p99Ms: of((r) => r.p99Ms),
    failures: rounds.reduce((sum, r) => sum + r.failures, 0),
    cpuUtilisation,
    gatewayCpuMsPerRun: of((r) => r.gatewayCpuMsPerRun),
    gatewayIoCallsPerRun: medianIoCalls(rounds.map((r) => r.gatewayIoCallsPerRun)),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      json: { type: 'string' },
      svg: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const mode = values.quick ? 'quick' : 'full';
  const settings = MODES[mode];
  const startedAt = new Date();
  // Whatever happens, the harness ends (and its exit handler kills every child).
  setTimeout(() => {
    progress(`time limit of ${settings.limitMs / 60_000} min reached; stopping`);
    process.exit(3);
  }, settings.limitMs).unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

  const machine = await machineInfo(); // Before pinning, which narrows what this process sees.
  const pinning = detectPinning();
  pinSelf(pinning, CLIENT_CORE);
  const group = new ProcessGroup(pinning);
  const tempRoot = await mkdtemp(path.join(os.tmpdir(), 'bzzz-bench-'));
  const profileDirs = values['cpu-prof'] === undefined ? undefined : path.resolve(values['cpu-prof']);
  const outputs: ChildOutput[] = [];
  const storeLogs: StoreLogFigures[] = [];
  let nginx: RunningNginx | undefined;
  progress(
    `${mode} mode; pinning ${pinning.applied ? 'applied' : `not applied (${pinning.reason})`}; data in ${tempRoot}`,
  );

  try {
    // --- Runs: two gateways (tracing off and on) against one echo agent, rounds interleaved.
    const echo = await startListener(group, 'echo agent', ECHO_AGENT_SCRIPT);
    const sink = await startListener(group, 'otlp sink', SINK_SCRIPT);
    const profileArgs = (label: string): string[] => {
      if (profileDirs === undefined) return [];
      return ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDirs, label)}`];
    };
    if (profileDirs !== undefined) {
      for (const label of PROFILED_GATEWAYS) await mkdir(path.join(profileDirs, label), { recursive: true });
    }
    const off = await startGateway(group, {
      name: 'gateway (tracing off)',
      dataDir: path.join(tempRoot, 'tracing-off'),
      nodeOptions: profileArgs('tracing-off'),
    });
    const on = await startGateway(group, {
      name: 'gateway (tracing on)',
      dataDir: path.join(tempRoot, 'tracing-on'),
      nodeOptions: profileArgs('tracing-on'),
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' },
    });
    await off.grpc.registerAgent('echo', echo.url);
    await on.grpc.registerAgent('echo', echo.url);
    const batch = (
      gateway: RunningGateway,
      count: number,
      concurrency: number = settings.concurrency,
      mode: RunWaitMode = 'wait',
    ) =>
      runBatch({
        mode,
        client: gateway.grpc,
        agent: 'echo',
        count,
        concurrency,
        processes: { gateway: gateway.child.pid, agent: echo.child.pid, sink: sink.child.pid },
      });

    // The spans of one run, counted at low rate with time to export them (after those of the
    // registration call): what every run should export, so that spans the exporter drops show.
    progress(`calibrating spans per run (${CALIBRATION_RUNS} runs, one at a time)`);
    await sleep(EXPORT_WAIT_MS);
    const beforeCalibration = await sinkStats(sink.url);
    await batch(on, CALIBRATION_RUNS, 1);
    await sleep(EXPORT_WAIT_MS);
    const calibrated = await sinkStats(sink.url);
    const calibratedSpansPerRun = (calibrated.spans - beforeCalibration.spans) / CALIBRATION_RUNS;

    progress(`warm-up: ${settings.warmupRuns} runs on each gateway, and as many watched on the first`);
    await batch(off, settings.warmupRuns);
    await batch(off, settings.warmupRuns, settings.concurrency, 'watch');
    await batch(on, settings.warmupRuns);
    // The series: tracing off and on with waiting submissions, and tracing off with submission + WatchRun.
    const offSeries = runSeries('tracing off', off, 'wait');
    const onSeries = runSeries('tracing on', on, 'wait');
    const watchedSeries = runSeries('tracing off, WatchRun', off, 'watch');
    const series = [offSeries, onSeries, watchedSeries];
    for (let round = 1; round <= settings.rounds; round += 1) {
      // Rotate which goes first, so none always runs on a warmer machine.
      const order = [
        ...series.slice((round - 1) % series.length),
        ...series.slice(0, (round - 1) % series.length),
      ];
      for (const { label, gateway, mode, rounds } of order) {
        const result = await batch(gateway, settings.runsPerRound, settings.concurrency, mode);
        rounds.push(roundFigures(result));
        progress(
          `round ${round} ${label}: ${result.runsPerS.toFixed(0)} runs/s, ` +
            `p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, failures ${result.failures}`,
        );
      }
    }
    const pairSide = async (gateway: RunningGateway): Promise<PairSide> => {
      const { runsPerS, gatewayCpuMsPerRun } = roundFigures(await batch(gateway, settings.pairRuns));
      return { runsPerS, gatewayCpuMsPerRun };
    };
    const tracingPairs: TracingPair[] = (
      await measurePairs(
        settings.tracingPairs,
        () => pairSide(off),
        () => pairSide(on),
      )
    ).map(([offSide, onSide]) => ({ off: offSide, on: onSide }));
    progress(
      `tracing pairs, off / on runs/s: ${tracingPairs.map((p) => `${p.off.runsPerS.toFixed(0)} / ${p.on.runsPerS.toFixed(0)}`).join(', ')}`,
    );
    await stopGateway(off, outputs, storeLogs);
    await stopGateway(on, outputs, storeLogs); // Its shutdown exports the last spans.
    const exported = await sinkStats(sink.url);
    await stopChild(sink.child, outputs);
    // The example agents have no signal handler: SIGTERM ends them, which is their clean stop.
    await stopChild(echo.child, outputs, 'SIGTERM');
    const runsOn =
      CALIBRATION_RUNS +
      settings.warmupRuns +
      settings.runsPerRound * settings.rounds +
      settings.pairRuns * settings.tracingPairs;

    // --- Memory: runs left in input_required, watched over gRPC and SSE at once.
    progress(`memory: ${settings.watches} runs waiting for input, then as many watches`);
    const input = await startListener(group, 'input agent', INPUT_AGENT_SCRIPT);
    const memoryGateway = await startGateway(group, {
      name: 'gateway (memory)',
      dataDir: path.join(tempRoot, 'memory'),
      channels: MEMORY_GRPC_CHANNELS,
      nodeOptions: ['--expose-gc', '--import', pathToFileURL(GC_PRELOAD).href],
    });
    await memoryGateway.grpc.registerAgent('input', input.url);
    const memory = await measureWatchMemory({
      client: memoryGateway.grpc,
      httpUrl: memoryGateway.httpUrl,
      gatewayPid: memoryGateway.child.pid,
      collectGarbage: () => memoryGateway.child.signal('SIGUSR2'),
      agent: 'input',
      watches: settings.watches,
      concurrency: settings.concurrency,
      progress,
    });
    await stopGateway(memoryGateway, outputs, storeLogs);
    await stopChild(input.child, outputs, 'SIGTERM');

    // --- Façade: SendMessage direct / nginx / gateway, then SendStreamingMessage direct / gateway.
    progress('façade: starting the bench agents, a gateway and nginx');
    const facadeEcho = await startListener(group, 'bench echo agent', BENCH_AGENT_SCRIPT, 'echo');
    const facadeStream = await startListener(group, 'bench stream agent', BENCH_AGENT_SCRIPT, 'stream');
    const facadeGateway = await startGateway(group, {
      name: 'gateway (façade)',
      dataDir: path.join(tempRoot, 'facade'),
      nodeOptions: profileArgs('facade'),
    });
    await registerOverHttp(facadeGateway.httpUrl, 'echo', facadeEcho.url);
    await registerOverHttp(facadeGateway.httpUrl, 'stream', facadeStream.url);
    let nginxStatus: FacadeProxyResult['nginx'];
    try {
      nginx = await startNginx({
        template: NGINX_TEMPLATE,
        upstream: new URL(facadeEcho.url).host,
        tempDir: path.join(tempRoot, 'nginx'),
        pinning,
        core: GATEWAY_CORE,
        timeoutMs: START_TIMEOUT_MS,
      });
      nginxStatus = { available: true, version: nginx.version };
    } catch (error) {
      nginxStatus = { available: false, reason: error instanceof Error ? error.message : String(error) };
      progress(`nginx baseline missing: ${nginxStatus.reason}`);
    }
    const facadeProxy = await measureFacadeProxy({
      urls: {
        direct: `${facadeEcho.url}${AGENT_JSONRPC_PATH}`,
        ...(nginx !== undefined && { nginx: `${nginx.url}${AGENT_JSONRPC_PATH}` }),
        gateway: `${facadeGateway.httpUrl}/a2a/echo`,
      },
      nginx: nginxStatus,
      pids: {
        agent: facadeEcho.child.pid,
        proxy: {
          gateway: facadeGateway.child.pid,
          ...(nginx !== undefined && { nginx: nginx.workerPid }),
        },
      },
      sizes: FACADE_SIZES,
      rates: FACADE_RATES,
      rounds: settings.facadeRounds,
      phaseSeconds: settings.facadePhaseSeconds,
      warmupSeconds: settings.facadeWarmupSeconds,
      pairs: settings.facadePairs,
      pairSeconds: settings.facadePairSeconds,
      saturationConnections: FACADE_SATURATION_CONNECTIONS,
      progress,
    });
    if (nginx !== undefined) await stopChild(nginx.child, outputs);
    const facadeStreaming = await measureFacadeStreaming({
      urls: {
        direct: `${facadeStream.url}${AGENT_JSONRPC_PATH}`,
        gateway: `${facadeGateway.httpUrl}/a2a/stream`,
      },
      series: [
        { concurrency: 1, calls: settings.streamCalls },
        { concurrency: STREAM_CONCURRENCY, calls: settings.streamConcurrentCalls },
      ],
      rounds: settings.facadeRounds,
      warmupCalls: settings.streamWarmupCalls,
      progress,
    });
    await stopGateway(facadeGateway, outputs, storeLogs);

    const profiles = [];
    if (profileDirs !== undefined) {
      for (const label of PROFILED_GATEWAYS) {
        const file = newestProfile(path.join(profileDirs, label));
        if (file === undefined) progress(`no CPU profile was written for ${label}`);
        else profiles.push({ label, summary: summariseProfile(file) });
      }
    }
    await stopChild(facadeEcho.child, outputs, 'SIGTERM');
    await stopChild(facadeStream.child, outputs, 'SIGTERM');

    const report: BenchReport = {
      mode,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      machine,
      pinning,
      settings: {
        runsPerRound: settings.runsPerRound,
        warmupRuns: settings.warmupRuns,
        rounds: settings.rounds,
        concurrency: settings.concurrency,
        watches: settings.watches,
        pairRuns: settings.pairRuns,
        gatewayNodeOptions: GATEWAY_NODE_OPTIONS,
      },
      tracingOff: throughputFigures(offSeries.rounds),
      tracingOn: throughputFigures(onSeries.rounds),
      watched: throughputFigures(watchedSeries.rounds),
      tracingPairs,
      export: {
        ...exported,
        runs: runsOn,
        calibratedSpansPerRun,
        missingSpans: Math.max(
          0,
          Math.round(beforeCalibration.spans + runsOn * calibratedSpansPerRun - exported.spans),
        ),
      },
      memory,
      facadeProxy,
      facadeStreaming,
      storeLogs,
      children: outputs,
      profiles,
    };
    process.stdout.write(`${formatReport(report)}\n`);
    if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
    if (values.svg !== undefined) await writeFile(values.svg, latencyChartSvg(report));
  } finally {
    await nginx?.child.stop();
    await group.stopAll();
    if (!values.keep) await rm(tempRoot, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
