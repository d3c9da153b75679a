/**
 * What one benchmark run found and how it is shown: the report's shape (also written as JSON), the
 * plain-text table the harness prints, the verdict against the targets of the benchmarks issue, and the
 * SVG chart for docs/benchmarks.md: run latency percentiles (tracing off and on), then the façade's
 * SendMessage latency percentiles (direct, nginx, gateway) at each fixed rate and body size.
 */
import { DEFAULT_WAL_SIZE_LIMIT_BYTES } from '../src/store/sqlite/sqlite-store.js';

import type { ProfileSummary } from './cpu-profile.js';
import type { FacadeProxyResult, PhaseFigures, ProxyTarget, SizeFigures } from './facade-proxy.js';
import { PROXY_TARGETS } from './facade-proxy.js';
import type { FacadeStreamingResult } from './facade-streaming.js';
import { STREAM_TARGETS } from './facade-streaming.js';
import type { SinkStats } from './otlp-sink.js';
import type { IoCalls, Pinning } from './processes.js';
import { formatIoCalls } from './processes.js';
import { pairedRatio, type PairedRatio } from './stats.js';
import type { WatchMemoryResult } from './watch-memory.js';

/** The machine the figures come from. */
export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly node: string;
  readonly kernel: string;
}

/** One round of the runs benchmark, without the raw latencies. */
export interface RoundFigures {
  readonly runsPerS: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly wallMs: number;
  readonly failures: number;
  readonly failureSamples: readonly string[];
  /** CPU time / wall time per process (1 = one core busy). */
  readonly cpuUtilisation: Readonly<Record<string, number>>;
  /** Gateway CPU milliseconds per completed run. */
  readonly gatewayCpuMsPerRun: number;
  /** The gateway's read and write calls per completed run (undefined where `/proc/PID/io` is unreadable). */
  readonly gatewayIoCallsPerRun: IoCalls | undefined;
}

/** The runs benchmark with tracing off or on: each round and the medians over rounds. */
export interface ThroughputFigures {
  readonly rounds: readonly RoundFigures[];
  readonly runsPerS: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
  readonly cpuUtilisation: Readonly<Record<string, number>>;
  /** Gateway CPU milliseconds per completed run: 1,000 / this is the most one core could complete. */
  readonly gatewayCpuMsPerRun: number;
  /** Medians over rounds of the gateway's read and write calls per completed run. */
  readonly gatewayIoCallsPerRun: IoCalls | undefined;
}

/** One side of a tracing pair: a short batch of waiting submissions on one gateway. */
export interface PairSide {
  readonly runsPerS: number;
  readonly gatewayCpuMsPerRun: number;
}

/** A short batch on the tracing-off gateway and one on the tracing-on gateway, back to back. */
export interface TracingPair {
  readonly off: PairSide;
  readonly on: PairSide;
}

/** What the OTLP sink received over the tracing-on gateway's life. */
export interface ExportFigures extends SinkStats {
  /** Runs the tracing-on gateway executed (calibration, warm-up, rounds and pairs). */
  readonly runs: number;
  /** Spans per run measured on a few runs at low rate, with time to export them all. */
  readonly calibratedSpansPerRun: number;
  /** Spans expected from `runs × calibratedSpansPerRun` that never arrived (dropped by the exporter). */
  readonly missingSpans: number;
}

/** The largest size a gateway's SQLite write-ahead log reached over its life (sampled every 100 ms). */
export interface StoreLogFigures {
  readonly gateway: string;
  readonly largestBytes: number;
}

/** A child's output, when it printed anything (at the warn log level, anything is worth reading). */
export interface ChildOutput {
  readonly name: string;
  /** The exit code, or the signal that ended it. */
  readonly exit: string;
  /** What a clean stop looks like: `0` for the gateway, `SIGTERM` for the example agents. */
  readonly expectedExit: string;
  readonly lineCount: number;
  readonly firstLines: readonly string[];
}

/** Everything one benchmark run found. */
export interface BenchReport {
  readonly mode: 'full' | 'quick';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  readonly pinning: Pinning;
  readonly settings: {
    readonly runsPerRound: number;
    readonly warmupRuns: number;
    readonly rounds: number;
    readonly concurrency: number;
    readonly watches: number;
    /** Runs in each side of a tracing pair. */
    readonly pairRuns: number;
    /** The Node options every gateway ran with: those of `npm start`. */
    readonly gatewayNodeOptions: readonly string[];
  };
  /** Runs waited for by their submission (`wait_ms`), tracing off and on. */
  readonly tracingOff: ThroughputFigures;
  readonly tracingOn: ThroughputFigures;
  /** Runs submitted, then watched over `WatchRun` until they ended (tracing off). */
  readonly watched: ThroughputFigures;
  /**
   * What the tracing verdict is judged on: pairs of short batches, tracing off and on back to back, which
   * goes first alternating. The rounds above, minutes apart, compare the machine's speeds as much.
   */
  readonly tracingPairs: readonly TracingPair[];
  readonly export: ExportFigures;
  readonly memory: WatchMemoryResult;
  readonly facadeProxy: FacadeProxyResult;
  readonly facadeStreaming: FacadeStreamingResult;
  readonly storeLogs: readonly StoreLogFigures[];
  readonly children: readonly ChildOutput[];
  readonly profiles: readonly { readonly label: string; readonly summary: ProfileSummary }[];
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** One target of the issue and whether this run meets it. */
export interface Verdict {
  readonly target: string;
  readonly measured: string;
  /** `met`, `not met`, or why it could not be judged. */
  readonly outcome: string;
}

/**
 * The share of a fixed rate a target must reach for the rate to count as carried: a phase's results per
 * second fall a little short of the rate asked for (the last responses after its end).
 */
const RATE_HELD = 0.95;
/** The fixed rate the added-p99 target is judged at. */
const P99_TARGET_RATE = 500;

/** The targets of the issue that this harness covers, judged on `report`. */
export function verdicts(report: BenchReport): Verdict[] {
  const { throughput: tracingThroughput, cpu: tracingCpu } = tracingRatios(report);
  const cost = 1 - tracingThroughput.median;
  const cpuCost = tracingCpu.median - 1;
  const fullWatches = report.memory.grpcWatches + report.memory.sseWatches;
  const { facadeProxy } = report;
  const targetRatePhase = facadeProxy.rates.indexOf(P99_TARGET_RATE);
  const throughputRatios = facadeProxy.sizes.map((size) => ({
    label: size.label,
    ratio: saturationRatio(size),
  }));
  const addedP99 = facadeProxy.sizes.map((size) => {
    const directRate = size.targets.direct?.fixed[targetRatePhase]?.requestsPerS ?? Number.NaN;
    return {
      label: size.label,
      addedMs: difference(size, 'gateway', 'direct', (t) => t.fixed[targetRatePhase]?.p99Ms ?? Number.NaN),
      gatewayRate: size.targets.gateway?.fixed[targetRatePhase]?.requestsPerS ?? Number.NaN,
      directRate,
      // At a rate the agent alone cannot carry, direct and gateway both queue: nothing added to judge.
      judged: directRate >= RATE_HELD * P99_TARGET_RATE,
    };
  });
  const judgedP99 = addedP99.filter((a) => a.judged);
  return [
    {
      target: '≥ 1,000 runs/s submitted and completed (SQLite, tracing off)',
      measured: `${report.tracingOff.runsPerS.toFixed(0)} runs/s`,
      outcome: report.tracingOff.runsPerS >= 1000 ? 'met' : 'not met',
    },
    {
      // Below saturation throughput hides the cost, so the gateway's CPU per run counts as well.
      target: 'tracing costs ≤ 10 % (throughput, and gateway CPU per run)',
      measured:
        `throughput ${signed(-cost * 100)} %, CPU/run ${signed(cpuCost * 100)} % ` +
        `(medians of ${tracingThroughput.pairs} pairs)`,
      outcome:
        tracingThroughput.pairs === 0
          ? 'not judged (no pairs measured)'
          : Math.max(cost, cpuCost) <= 0.1
            ? 'met'
            : 'not met',
    },
    {
      target: '10,000 watched runs in < 1 GiB RSS',
      measured: `${(report.memory.watching.rssBytes / MIB).toFixed(0)} MiB with ${fullWatches} watches`,
      outcome:
        fullWatches < 10_000
          ? `not judged (${fullWatches} watches only)`
          : report.memory.watching.rssBytes < GIB
            ? 'met'
            : 'not met',
    },
    {
      target: 'façade throughput ≥ 0.7× nginx (saturation, gateway/nginx)',
      measured: throughputRatios
        .map((r) =>
          r.ratio.pairs === 0
            ? `${r.label}: no pairs`
            : `${r.label} ${r.ratio.median.toFixed(2)}× (median of ${r.ratio.pairs} pairs)`,
        )
        .join(', '),
      outcome: !facadeProxy.nginx.available
        ? `not judged (nginx baseline missing: ${facadeProxy.nginx.reason})`
        : throughputRatios.some((r) => r.ratio.pairs === 0)
          ? 'not judged (no pairs measured)'
          : throughputRatios.every((r) => r.ratio.median >= 0.7)
            ? 'met'
            : 'not met',
    },
    {
      target: 'façade adds ≤ 2 ms p99 at 500 req/s (gateway − direct)',
      measured: addedP99
        .map((a) =>
          a.judged
            ? `${a.label} ${signedMs(a.addedMs)} ms (gateway at ${a.gatewayRate.toFixed(0)}/s)`
            : `${a.label}: not judged, the agent alone reached ${a.directRate.toFixed(0)}/s`,
        )
        .join(', '),
      outcome:
        targetRatePhase < 0
          ? 'not judged (500 req/s not measured)'
          : judgedP99.length === 0
            ? 'not judged (the agent alone cannot carry 500 req/s)'
            : judgedP99.every((a) => a.addedMs <= 2)
              ? 'met'
              : 'not met',
    },
  ];
}

/** Tracing on / off, per pair: throughput and the gateway's CPU per run. */
function tracingRatios(report: BenchReport): { throughput: PairedRatio; cpu: PairedRatio } {
  const pairs = report.tracingPairs;
  return {
    throughput: pairedRatio(pairs.map((p) => [p.on.runsPerS, p.off.runsPerS])),
    cpu: pairedRatio(pairs.map((p) => [p.on.gatewayCpuMsPerRun, p.off.gatewayCpuMsPerRun])),
  };
}

/** Gateway / nginx saturation throughput, per pair. */
function saturationRatio(size: SizeFigures): PairedRatio {
  return pairedRatio(size.saturationPairs.map((p) => [p.gateway, p.nginx]));
}

/** A paired ratio as `median (lowest–highest)`. */
function formatPaired(paired: PairedRatio, digits: number): string {
  return `${paired.median.toFixed(digits)} (${paired.min.toFixed(digits)}–${paired.max.toFixed(digits)})`;
}

/** `pick(a) / pick(b)` for two targets of one size; NaN when either is missing. */
function ratio(
  size: SizeFigures,
  a: ProxyTarget,
  b: ProxyTarget,
  pick: (figures: NonNullable<SizeFigures['targets'][ProxyTarget]>) => number,
): number {
  const [x, y] = [size.targets[a], size.targets[b]];
  return x === undefined || y === undefined ? Number.NaN : pick(x) / pick(y);
}

/** `pick(a) − pick(b)` for two targets of one size; NaN when either is missing. */
function difference(
  size: SizeFigures,
  a: ProxyTarget,
  b: ProxyTarget,
  pick: (figures: NonNullable<SizeFigures['targets'][ProxyTarget]>) => number,
): number {
  const [x, y] = [size.targets[a], size.targets[b]];
  return x === undefined || y === undefined ? Number.NaN : pick(x) - pick(y);
}

/** Milliseconds with their sign, `+3.05` or `−2.50`. */
function signedMs(value: number): string {
  return `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(2)}`;
}

/** A percentage with its sign, `+3.0` or `−2.5`. */
function signed(value: number): string {
  return `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(1)}`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

const ms = (value: number): string => value.toFixed(1);
const mib = (bytes: number): string => (bytes / MIB).toFixed(1);
const pct = (share: number): string => `${(share * 100).toFixed(0)}%`;

function cpuLine(cpu: Readonly<Record<string, number>>): string {
  return Object.entries(cpu)
    .map(([name, share]) => `${name} ${pct(share)}`)
    .join(', ');
}

/** The report as the plain text the harness prints. */
export function formatReport(report: BenchReport): string {
  const { machine, settings, tracingOff: off, tracingOn: on, watched, memory } = report;
  const tracing = tracingRatios(report);
  const runRow = (label: string, figures: ThroughputFigures): string[] => [
    label,
    figures.runsPerS.toFixed(0),
    ms(figures.p50Ms),
    ms(figures.p90Ms),
    ms(figures.p99Ms),
    figures.gatewayCpuMsPerRun.toFixed(2),
    formatIoCalls(figures.gatewayIoCallsPerRun),
    String(figures.failures),
    cpuLine(figures.cpuUtilisation),
  ];
  const lines: string[] = [];
  lines.push(
    `bzzz benchmarks (${report.mode}) — ${report.startedAt}, ${(report.durationMs / 1000).toFixed(0)} s`,
    `machine: ${machine.cores} cores, ${machine.cpuModel}, ${(machine.memoryBytes / GIB).toFixed(1)} GiB, ` +
      `Node ${machine.node}, Linux ${machine.kernel}`,
    `pinning: ${report.pinning.applied ? `applied (${report.pinning.reason}): gateway on core 0, agent + sink + load generator on core 1` : `not applied (${report.pinning.reason})`}`,
    `gateway: ${['node', ...settings.gatewayNodeOptions, 'dist/src/cli/main.js', 'serve'].join(' ')} (as npm start)`,
    `runs: ${settings.runsPerRound} per round × ${settings.rounds} rounds after ${settings.warmupRuns} warm-up, ` +
      `${settings.concurrency} in flight; medians over rounds`,
    '',
    'Runs (gRPC SubmitRun until completed, echo agent, SQLite): answered when the run ended (wait_ms), or at once then WatchRun',
    table([
      [
        'series',
        'runs/s',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'gateway CPU ms/run',
        'gateway write / read calls/run',
        'failures',
        'CPU (median round)',
      ],
      runRow('tracing off', off),
      runRow('tracing on', on),
      [
        'on/off',
        (on.runsPerS / off.runsPerS).toFixed(3),
        (on.p50Ms / off.p50Ms).toFixed(2),
        (on.p90Ms / off.p90Ms).toFixed(2),
        (on.p99Ms / off.p99Ms).toFixed(2),
        (on.gatewayCpuMsPerRun / off.gatewayCpuMsPerRun).toFixed(2),
        '',
        '',
        '',
      ],
      runRow('off, WatchRun', watched),
    ]),
    `rounds off: ${off.rounds.map((r) => r.runsPerS.toFixed(0)).join(', ')} runs/s; ` +
      `on: ${on.rounds.map((r) => r.runsPerS.toFixed(0)).join(', ')}; ` +
      `off, WatchRun: ${watched.rounds.map((r) => r.runsPerS.toFixed(0)).join(', ')}`,
    `tracing pairs (${report.tracingPairs.length} × ${settings.pairRuns} runs on each gateway, back to back, ` +
      `the first alternating): on/off throughput ${formatPaired(tracing.throughput, 3)}, ` +
      `CPU/run ${formatPaired(tracing.cpu, 3)}`,
    `one gateway core at this CPU per run could complete at most ${(1000 / off.gatewayCpuMsPerRun).toFixed(0)} ` +
      `runs/s (tracing off), ${(1000 / on.gatewayCpuMsPerRun).toFixed(0)} (on)`,
    `export: ${report.export.requests} OTLP requests, ${report.export.spans} spans, ${mib(report.export.bytes)} MiB ` +
      `for ${report.export.runs} runs (${report.export.calibratedSpansPerRun.toFixed(1)} spans/run at low rate; ` +
      `${report.export.missingSpans} spans missing)`,
    '',
    `Memory (${memory.grpcWatches} gRPC WatchRun + ${memory.sseWatches} SSE watches of runs in input_required)`,
    table([
      ['point', 'RSS MiB', 'RSS after full GC MiB', 'heap after full GC MiB', 'open watch streams'],
      ...(
        [
          ['fresh', memory.fresh],
          [`${memory.runs} runs created`, memory.runsCreated],
          ['watches open', memory.watching],
          ['watches closed', memory.closed],
        ] as const
      ).map(([point, reading]) => [
        point,
        mib(reading.rssBytes),
        mib(reading.rssAfterGcBytes),
        mib(reading.heapUsedBytes),
        String(reading.openWatchStreams),
      ]),
    ]),
    `per watch: ${(memory.rssPerWatchBytes / 1024).toFixed(1)} KiB RSS, ${(memory.heapPerWatchBytes / 1024).toFixed(1)} KiB heap; ` +
      `per waiting run: ${(memory.heapPerRunBytes / 1024).toFixed(1)} KiB heap; ` +
      `runs created in ${(memory.createMs / 1000).toFixed(1)} s, watches opened in ${(memory.openMs / 1000).toFixed(1)} s; ` +
      `failures ${memory.failures}`,
    '',
    'Targets',
    table([
      ['target', 'measured', 'outcome'],
      ...verdicts(report).map((v) => [v.target, v.measured, v.outcome]),
    ]),
  );
  lines.splice(
    lines.indexOf('Targets') - 1,
    0,
    ...facadeLines(report),
    '',
    `SQLite write-ahead log, largest size reached (the store limit: ${DEFAULT_WAL_SIZE_LIMIT_BYTES / MIB} MiB): ${report.storeLogs
      .map((log) => `${log.gateway} ${(log.largestBytes / MIB).toFixed(1)} MiB`)
      .join(', ')}`,
  );
  const failures = [...off.rounds, ...on.rounds]
    .flatMap((r) => r.failureSamples)
    .concat(memory.failureSamples, report.facadeProxy.failureSamples, report.facadeStreaming.failureSamples);
  if (failures.length > 0) lines.push('', 'Failure samples:', ...failures.slice(0, 10).map((f) => `  ${f}`));
  const noisy = report.children.filter((c) => c.lineCount > 0 || c.exit !== c.expectedExit);
  for (const child of noisy) {
    lines.push('', `${child.name}: exit ${child.exit}, ${child.lineCount} lines of output; first:`);
    lines.push(...child.firstLines.slice(0, 5).map((line) => `  ${line.slice(0, 300)}`));
  }
  for (const { label, summary } of report.profiles) {
    const busyMs = summary.totalMs - summary.idleMs;
    lines.push(
      '',
      `CPU profile ${label}: ${(busyMs / 1000).toFixed(1)} s busy of ${(summary.totalMs / 1000).toFixed(1)} s (${summary.file})`,
    );
    lines.push(table(summary.topPlaces.slice(0, 10).map((p) => [`  ${pct(p.share)}`, p.name])));
    lines.push('  top functions (self time):');
    lines.push(table(summary.topFunctions.map((f) => [`  ${pct(f.share)}`, f.name])));
  }
  return lines.join('\n');
}

const ms2 = (value: number): string => value.toFixed(2);
const percentiles = (p: PhaseFigures): string => `${ms2(p.p50Ms)} / ${ms2(p.p90Ms)} / ${ms2(p.p99Ms)}`;

/**
 * What each process on the path spent per request (the proxy, nginx or the gateway, and the agent): the
 * bound of the saturation figures, one core each. The load generator's share is left out.
 */
function cpuPerRequest(phase: PhaseFigures): string {
  return (['proxy', 'agent'] as const)
    .flatMap((name) => {
      const share = phase.cpuUtilisation[name];
      return share === undefined ? [] : [`${name} ${((share * 1000) / phase.requestsPerS).toFixed(2)}`];
    })
    .join(', ');
}

/** The façade sections of the printed report (proxy path, then streaming). */
function facadeLines(report: BenchReport): string[] {
  const { facadeProxy: proxy, facadeStreaming: streaming } = report;
  const lines: string[] = [
    '',
    `Façade proxy path (A2A JSON-RPC SendMessage → echo agent): ${proxy.rounds} rounds × ${proxy.phaseSeconds} s ` +
      `per phase after ${proxy.warmupSeconds} s warm-up; fixed rates over ${proxy.fixedRateConnections} ` +
      `staggered connections, saturation with ${proxy.saturationConnections}; medians over rounds`,
    `nginx: ${proxy.nginx.available ? proxy.nginx.version : `MISSING (${proxy.nginx.reason})`}`,
  ];
  for (const size of proxy.sizes) {
    lines.push(
      `${size.label} (request ${(size.requestBytes / 1024).toFixed(1)} KiB, response ${(size.responseBytes / 1024).toFixed(1)} KiB)`,
    );
    const header = [
      'target',
      ...proxy.rates.flatMap((rate) => [`${rate}/s p50 / p90 / p99 ms`, 'achieved/s']),
      'saturation req/s',
      'sat. p50 / p99 ms',
      'failures',
      'CPU at saturation',
    ];
    const rows = PROXY_TARGETS.map((target) => {
      const figures = size.targets[target];
      if (figures === undefined) return [target, 'missing'];
      const all = [...figures.rounds.flatMap((r) => [...r.fixed, r.saturation])];
      return [
        target,
        ...figures.fixed.flatMap((phase) => [percentiles(phase), phase.requestsPerS.toFixed(0)]),
        figures.saturation.requestsPerS.toFixed(0),
        `${ms2(figures.saturation.p50Ms)} / ${ms2(figures.saturation.p99Ms)}`,
        String(all.reduce((sum, p) => sum + p.failures, 0)),
        cpuLine(figures.saturation.cpuUtilisation),
      ];
    });
    const ratioRow = (b: ProxyTarget): string[] => [
      `gateway/${b}`,
      ...proxy.rates.flatMap((_, i) => [
        (['p50Ms', 'p90Ms', 'p99Ms'] as const)
          .map((key) => ratio(size, 'gateway', b, (t) => t.fixed[i]?.[key] ?? Number.NaN).toFixed(2))
          .join(' / '),
        '',
      ]),
      ratio(size, 'gateway', b, (t) => t.saturation.requestsPerS).toFixed(3),
      '',
      '',
      '',
    ];
    lines.push(table([header, ...rows, ratioRow('direct'), ratioRow('nginx')]));
    const gatewayRounds = size.targets.gateway?.rounds ?? [];
    lines.push(
      `saturation per round: ${PROXY_TARGETS.map(
        (target) =>
          `${target} ${(size.targets[target]?.rounds ?? []).map((r) => r.saturation.requestsPerS.toFixed(0)).join(', ') || '—'}`,
      ).join('; ')} req/s (${gatewayRounds.length} rounds)`,
      `saturation pairs (${size.saturationPairs.length} × ${proxy.pairSeconds} s of nginx and of the gateway, ` +
        `each after ${proxy.pairLeadInSeconds} s unmeasured, back to back, the first alternating): ` +
        `gateway/nginx ${formatPaired(saturationRatio(size), 3)}`,
      `CPU ms per request at saturation: ${PROXY_TARGETS.map((target) => {
        const saturation = size.targets[target]?.saturation;
        return `${target}: ${saturation === undefined ? '—' : cpuPerRequest(saturation)}`;
      }).join('; ')}`,
      // Write calls only: nginx receives with recv(2), which /proc/PID/io does not count as a read.
      `proxy write calls per request at saturation: ${(['nginx', 'gateway'] as const)
        .map((target) => {
          const calls = size.targets[target]?.saturation.proxyIoCallsPerRequest;
          return `${target} ${calls === undefined ? '—' : calls.writes.toFixed(1)}`;
        })
        .join('; ')}`,
    );
  }
  lines.push(
    '',
    `Façade streaming (SendStreamingMessage, ${streaming.events} events per call): medians of ${streaming.rounds} ` +
      `rounds after ${streaming.warmupCalls} warm-up calls`,
  );
  const rows: string[][] = [
    ['target', 'in flight', 'calls/round', 'first event p50 / p99 ms', 'last event p50 / p99 ms', 'failures'],
  ];
  const seriesCount = streaming.targets.direct.length;
  for (let index = 0; index < seriesCount; index += 1) {
    for (const target of STREAM_TARGETS) {
      const figures = streaming.targets[target][index];
      if (figures === undefined) continue;
      rows.push([
        target,
        String(figures.concurrency),
        String(figures.calls),
        `${ms2(figures.firstEventP50Ms)} / ${ms2(figures.firstEventP99Ms)}`,
        `${ms2(figures.lastEventP50Ms)} / ${ms2(figures.lastEventP99Ms)}`,
        String(figures.failures),
      ]);
    }
    const [direct, gateway] = [streaming.targets.direct[index], streaming.targets.gateway[index]];
    if (direct !== undefined && gateway !== undefined) {
      rows.push([
        'gateway − direct',
        String(direct.concurrency),
        '',
        `${signedMs(gateway.firstEventP50Ms - direct.firstEventP50Ms)} / ${signedMs(gateway.firstEventP99Ms - direct.firstEventP99Ms)}`,
        `${signedMs(gateway.lastEventP50Ms - direct.lastEventP50Ms)} / ${signedMs(gateway.lastEventP99Ms - direct.lastEventP99Ms)}`,
        '',
      ]);
    }
  }
  lines.push(table(rows));
  return lines;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const CHART_WIDTH = 960;
const RUNS_PANEL_HEIGHT = 360;
const FACADE_PANEL_HEIGHT = 330;
const TARGET_COLOURS: Record<ProxyTarget, string> = {
  direct: '#59a14f',
  nginx: '#9c9c9c',
  gateway: '#4e79a7',
};

/**
 * The chart for docs/benchmarks.md, as a standalone SVG: run latency p50 / p90 / p99 with tracing off and
 * on, then per façade body size the SendMessage latency p50 / p90 / p99 of each target at each fixed rate.
 */
export function latencyChartSvg(report: BenchReport): string {
  const panels: string[] = [];
  panels.push(
    ...barPanel({
      top: 0,
      height: RUNS_PANEL_HEIGHT,
      title: `Run latency, submit → completed (ms), ${report.settings.concurrency} in flight`,
      groups: (['p50', 'p90', 'p99'] as const).map((label) => {
        const key = `${label}Ms` as const;
        return { label, values: [report.tracingOff[key], report.tracingOn[key]] };
      }),
      series: [
        { label: `tracing off (${report.tracingOff.runsPerS.toFixed(0)} runs/s)`, fill: '#4e79a7' },
        {
          label: `tracing on, OTLP http/protobuf (${report.tracingOn.runsPerS.toFixed(0)} runs/s)`,
          fill: '#f28e2b',
        },
      ],
    }),
  );
  const proxy = report.facadeProxy;
  proxy.sizes.forEach((size, index) => {
    panels.push(
      ...barPanel({
        top: RUNS_PANEL_HEIGHT + index * FACADE_PANEL_HEIGHT,
        height: FACADE_PANEL_HEIGHT,
        title: `Façade SendMessage ${size.label}, latency at a fixed rate (ms)`,
        groups: proxy.rates.flatMap((rate, rateIndex) =>
          (['p50', 'p90', 'p99'] as const).map((label) => ({
            label: `${label} @${rate}/s`,
            // A missing target (no nginx) gets no bar rather than a bar of 0 ms.
            values: PROXY_TARGETS.map(
              (target) => size.targets[target]?.fixed[rateIndex]?.[`${label}Ms`] ?? Number.NaN,
            ),
          })),
        ),
        series: PROXY_TARGETS.map((target) => ({
          label: size.targets[target] === undefined ? `${target} (missing)` : target,
          fill: TARGET_COLOURS[target],
        })),
      }),
    );
  });
  const height = RUNS_PANEL_HEIGHT + proxy.sizes.length * FACADE_PANEL_HEIGHT;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${height}" viewBox="0 0 ${CHART_WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${CHART_WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}

/** One panel of grouped bars (a bar per series in each group), with its title, grid and legend. */
function barPanel(options: {
  top: number;
  height: number;
  title: string;
  groups: readonly { label: string; values: readonly number[] }[];
  series: readonly { label: string; fill: string }[];
}): string[] {
  const { top: panelTop, height, groups, series } = options;
  const plot = { left: 60, right: 20, top: panelTop + 50, bottom: 50 };
  const plotWidth = CHART_WIDTH - plot.left - plot.right;
  const plotHeight = height - 50 - plot.bottom;
  const baseline = plot.top + plotHeight;
  const max = Math.max(...groups.flatMap((g) => g.values.filter(Number.isFinite)));
  const step = niceStep(max / 5);
  const top = Math.ceil(max / step) * step || 1;
  const y = (value: number): number => baseline - (value / top) * plotHeight;
  const labelSize = series.length > 2 ? 8 : 11;
  const parts: string[] = [
    `<text x="${CHART_WIDTH / 2}" y="${panelTop + 22}" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`,
  ];
  for (let index = 0; index <= Math.round(top / step); index += 1) {
    const tick = index * step;
    parts.push(
      `<line x1="${plot.left}" x2="${CHART_WIDTH - plot.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#dddddd"/>`,
      `<text x="${plot.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${formatTick(tick)}</text>`,
    );
  }
  const groupWidth = plotWidth / groups.length;
  const barWidth = Math.min(groupWidth / (series.length + 1), 60);
  groups.forEach((group, index) => {
    const x0 = plot.left + index * groupWidth + (groupWidth - barWidth * series.length) / 2;
    group.values.forEach((value, seriesIndex) => {
      if (!Number.isFinite(value)) return;
      const x = x0 + seriesIndex * barWidth;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(baseline - y(value)).toFixed(1)}" fill="${series[seriesIndex]?.fill ?? '#000000'}"/>`,
        `<text x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(y(value) - 4).toFixed(1)}" text-anchor="middle" font-size="${labelSize}">${value.toFixed(value < 10 ? 2 : 1)}</text>`,
      );
    });
    parts.push(
      `<text x="${(x0 + (barWidth * series.length) / 2).toFixed(1)}" y="${baseline + 18}" text-anchor="middle">${escapeXml(group.label)}</text>`,
    );
  });
  parts.push(
    `<line x1="${plot.left}" x2="${CHART_WIDTH - plot.right}" y1="${baseline}" y2="${baseline}" stroke="#333333"/>`,
  );
  const legendY = panelTop + height - 14;
  let legendX = plot.left;
  for (const { label, fill } of series) {
    parts.push(
      `<rect x="${legendX}" y="${legendY - 10}" width="12" height="12" fill="${fill}"/>`,
      `<text x="${legendX + 18}" y="${legendY}">${escapeXml(label)}</text>`,
    );
    legendX += 18 + label.length * 7 + 24;
  }
  return parts;
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}

function formatTick(value: number): string {
  return String(Number(value.toPrecision(6)));
}
