/**
 * The benchmark report (`bench/report.ts`): the verdict on each target of the benchmarks issue, which
 * docs/benchmarks.md quotes, must follow the figures exactly (a target met only when its figure is on the
 * right side of the line, a target not judged when its baseline or its phase is missing), and the text
 * and the chart must show what is missing as missing.
 */
import { describe, expect, it } from 'vitest';

import type { PhaseFigures, SizeFigures, TargetFigures } from '../../bench/facade-proxy.js';
import type { BenchReport, ThroughputFigures, TracingPair } from '../../bench/report.js';
import { formatReport, latencyChartSvg, verdicts } from '../../bench/report.js';

const MIB = 1024 ** 2;
const RATES = [100, 500, 2000];

function throughput(runsPerS: number, gatewayCpuMsPerRun: number): ThroughputFigures {
  const round = {
    runsPerS,
    p50Ms: 50,
    p90Ms: 70,
    p99Ms: 90,
    wallMs: 3000,
    failures: 0,
    failureSamples: [],
    cpuUtilisation: { gateway: 0.9, agent: 0.5, generator: 0.3 },
    gatewayCpuMsPerRun,
    gatewayIoCallsPerRun: { reads: 3.5, writes: 17 },
  };
  const { wallMs: _wall, failureSamples: _samples, ...medians } = round;
  return { ...medians, rounds: [round, round, round] };
}

function phase(requestsPerS: number, p99Ms: number): PhaseFigures {
  return {
    requestsPerS,
    p50Ms: p99Ms / 4,
    p90Ms: p99Ms / 2,
    p99Ms,
    failures: 0,
    cpuUtilisation: { proxy: 0.5, agent: 0.4, generator: 0.1 },
    proxyIoCallsPerRequest: { reads: 4, writes: 18 },
  };
}

/** A target that reached every rate with `p99Ms` at each and `saturation` requests per second. */
function target(p99Ms: number, saturation: number): TargetFigures {
  const fixed = RATES.map((rate) => phase(rate, p99Ms));
  const sat = phase(saturation, p99Ms * 10);
  return { fixed, saturation: sat, rounds: [{ fixed, saturation: sat }] };
}

/** Three tracing pairs, each of these figures. */
function tracingPairs(off: [runsPerS: number, cpuMs: number], on: [runsPerS: number, cpuMs: number]) {
  const pair: TracingPair = {
    off: { runsPerS: off[0], gatewayCpuMsPerRun: off[1] },
    on: { runsPerS: on[0], gatewayCpuMsPerRun: on[1] },
  };
  return [pair, pair, pair];
}

/** A body size whose saturation pairs repeat the rounds' saturation figures, unless given. */
function size(
  label: string,
  targets: SizeFigures['targets'],
  saturationPairs: SizeFigures['saturationPairs'] = targets.nginx === undefined
    ? []
    : Array.from({ length: 3 }, () => ({
        nginx: targets.nginx!.saturation.requestsPerS,
        gateway: targets.gateway!.saturation.requestsPerS,
      })),
): SizeFigures {
  return { label, requestBytes: 1163, responseBytes: 3009, targets, saturationPairs };
}

/** A report meeting every target, to be changed one figure at a time. */
function report(change: (base: MutableReport) => void = () => {}): BenchReport {
  const reading = (rssMiB: number, open: number) => ({
    rssBytes: rssMiB * MIB,
    rssAfterGcBytes: rssMiB * MIB,
    heapUsedBytes: (rssMiB / 2) * MIB,
    openWatchStreams: open,
  });
  const base: MutableReport = {
    mode: 'full',
    startedAt: '2026-11-24T23:17:42.802Z',
    durationMs: 705_000,
    machine: {
      cores: 2,
      cpuModel: 'AMD EPYC',
      memoryBytes: 24 * 1024 * MIB,
      node: '20.20.2',
      kernel: '6.18',
    },
    pinning: { applied: true, reason: 'taskset (2 cores)' },
    settings: {
      runsPerRound: 3000,
      warmupRuns: 4000,
      rounds: 3,
      concurrency: 64,
      watches: 10_000,
      pairRuns: 1500,
      gatewayNodeOptions: ['--no-memory-reducer'],
    },
    tracingOff: throughput(1100, 0.8),
    tracingOn: throughput(1050, 0.86),
    watched: throughput(800, 1.1),
    tracingPairs: tracingPairs([1100, 0.8], [1050, 0.86]),
    export: {
      requests: 105,
      bytes: 21 * MIB,
      spans: 52_000,
      rejected: 0,
      runs: 13_000,
      calibratedSpansPerRun: 4,
      missingSpans: 0,
    },
    memory: {
      runs: 10_000,
      grpcWatches: 5000,
      sseWatches: 5000,
      fresh: reading(140, 0),
      runsCreated: reading(200, 0),
      watching: reading(390, 10_000),
      closed: reading(390, 0),
      rssPerWatchBytes: 19_000,
      heapPerWatchBytes: 18_000,
      heapPerRunBytes: 600,
      createMs: 25_000,
      openMs: 7000,
      failures: 0,
      failureSamples: [],
    },
    facadeProxy: {
      rates: RATES,
      rounds: 3,
      phaseSeconds: 6,
      warmupSeconds: 3,
      pairSeconds: 5,
      pairLeadInSeconds: 2,
      fixedRateConnections: 16,
      saturationConnections: 64,
      nginx: { available: true, version: 'nginx version: nginx/1.22.1' },
      sizes: [
        size('1 KB', { direct: target(4, 1800), nginx: target(5, 1400), gateway: target(5.5, 1200) }),
        size('64 KB', { direct: target(18, 300), nginx: target(19, 260), gateway: target(19.9, 200) }),
      ],
      failureSamples: [],
    },
    facadeStreaming: {
      events: 20,
      rounds: 3,
      warmupCalls: 200,
      targets: {
        direct: [
          {
            concurrency: 1,
            calls: 300,
            firstEventP50Ms: 2,
            firstEventP99Ms: 7,
            lastEventP50Ms: 12,
            lastEventP99Ms: 19,
            failures: 0,
          },
        ],
        gateway: [
          {
            concurrency: 1,
            calls: 300,
            firstEventP50Ms: 4.5,
            firstEventP99Ms: 13,
            lastEventP50Ms: 16,
            lastEventP99Ms: 28,
            failures: 0,
          },
        ],
      },
      failureSamples: [],
    },
    storeLogs: [
      { gateway: 'gateway (tracing off)', largestBytes: 12.5 * MIB },
      { gateway: 'gateway (façade)', largestBytes: 70.25 * MIB },
    ],
    children: [],
    profiles: [],
  };
  change(base);
  return base;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableReport = Mutable<BenchReport>;

function outcomes(figures: BenchReport): string[] {
  return verdicts(figures).map((v) => v.outcome);
}

/** The base report with the gateway's figures of one body size (0: 1 KB, 1: 64 KB) replaced. */
function withGateway(sizeIndex: number, gateway: TargetFigures): BenchReport {
  return report((r) => {
    const sizes = r.facadeProxy.sizes.map((s, i) =>
      i === sizeIndex ? size(s.label, { ...s.targets, gateway }) : s,
    );
    r.facadeProxy = { ...r.facadeProxy, sizes };
  });
}

/** `figures` with its 500 req/s phase replaced: `reached` results per second, `p99Ms` at p99. */
function at500(figures: TargetFigures, reached: number, p99Ms: number): TargetFigures {
  const fixed = figures.fixed.map((figure, index) => (RATES[index] === 500 ? phase(reached, p99Ms) : figure));
  return { ...figures, fixed };
}

/** The base report where the agent alone fell short of 500 req/s with the sizes at `sizeIndexes`. */
function withAgentShortOf500(...sizeIndexes: number[]): BenchReport {
  return report((r) => {
    const sizes = r.facadeProxy.sizes.map((s, i) =>
      sizeIndexes.includes(i)
        ? size(s.label, {
            ...s.targets,
            direct: at500(s.targets.direct!, 316, 102),
            gateway: at500(s.targets.gateway!, 245, 164),
          })
        : s,
    );
    r.facadeProxy = { ...r.facadeProxy, sizes };
  });
}

/** The base report as measured without nginx installed. */
function withoutNginx(reason: string, failureSamples: string[] = []): BenchReport {
  return report((r) => {
    r.facadeProxy = {
      ...r.facadeProxy,
      nginx: { available: false, reason },
      sizes: r.facadeProxy.sizes.map((s) =>
        size(s.label, { direct: s.targets.direct!, gateway: s.targets.gateway! }),
      ),
      failureSamples,
    };
  });
}

describe('verdicts', () => {
  it('meets every target when every figure is on the right side of its line', () => {
    const judged = verdicts(report());
    expect(judged.map((v) => v.outcome)).toEqual(['met', 'met', 'met', 'met', 'met']);
    expect(judged.map((v) => v.measured)).toEqual([
      '1100 runs/s',
      'throughput −4.5 %, CPU/run +7.5 % (medians of 3 pairs)',
      '390 MiB with 10000 watches',
      '1 KB 0.86× (median of 3 pairs), 64 KB 0.77× (median of 3 pairs)',
      '1 KB +1.50 ms (gateway at 500/s), 64 KB +1.90 ms (gateway at 500/s)',
    ]);
  });

  it('meets the run throughput from 1,000 runs/s, and fails it below', () => {
    expect(outcomes(report((r) => (r.tracingOff = throughput(1000, 0.8))))[0]).toBe('met');
    expect(outcomes(report((r) => (r.tracingOff = throughput(999, 0.8))))[0]).toBe('not met');
  });

  it("fails tracing on the gateway's CPU per run even when throughput hardly moved", () => {
    const judged = verdicts(report((r) => (r.tracingPairs = tracingPairs([1100, 0.8], [1090, 0.8 * 1.11]))));
    expect(judged[1]).toMatchObject({
      outcome: 'not met',
      measured: 'throughput −0.9 %, CPU/run +11.0 % (medians of 3 pairs)',
    });
  });

  it('fails tracing on throughput alone', () => {
    const judged = report((r) => (r.tracingPairs = tracingPairs([1100, 0.8], [980, 0.8])));
    expect(outcomes(judged)[1]).toBe('not met');
  });

  it("judges tracing on the median pair's ratios, not on the rounds", () => {
    const pair = (offRuns: number, onRuns: number, onCpu: number): TracingPair => ({
      off: { runsPerS: offRuns, gatewayCpuMsPerRun: 0.8 },
      on: { runsPerS: onRuns, gatewayCpuMsPerRun: onCpu },
    });
    const judged = verdicts(
      report((r) => {
        // Rounds minutes apart: the tracing-on ones came in a slow spell of the machine.
        r.tracingOn = throughput(700, 1.3);
        // One pair caught the spell too; the median pair did not.
        r.tracingPairs = [pair(1000, 960, 0.84), pair(900, 600, 1.3), pair(1200, 1140, 0.86)];
      }),
    );
    expect(judged[1]).toMatchObject({
      outcome: 'met',
      measured: 'throughput −5.0 %, CPU/run +7.5 % (medians of 3 pairs)',
    });
    const none = report((r) => (r.tracingPairs = []));
    expect(outcomes(none)[1]).toBe('not judged (no pairs measured)');
  });

  it('judges memory only with 10,000 watches open, and only under 1 GiB', () => {
    const few = report((r) => (r.memory = { ...r.memory, grpcWatches: 500, sseWatches: 500 }));
    expect(outcomes(few)[2]).toBe('not judged (1000 watches only)');
    const full = report(
      (r) => (r.memory = { ...r.memory, watching: { ...r.memory.watching, rssBytes: 1024 * MIB } }),
    );
    expect(outcomes(full)[2]).toBe('not met');
  });

  it('fails façade throughput when one body size is below 0.7× nginx', () => {
    const slow = withGateway(1, target(19.9, 181));
    expect(verdicts(slow)[3]).toMatchObject({
      outcome: 'not met',
      measured: '1 KB 0.86× (median of 3 pairs), 64 KB 0.70× (median of 3 pairs)',
    });
  });

  it("judges façade throughput on the median pair's ratio, not on the rounds", () => {
    const judged = verdicts(
      report((r) => {
        const [small, large] = r.facadeProxy.sizes;
        // The rounds say 0.5×; of the pairs, back to back, two say above 0.7×.
        const pairs = [
          { nginx: 1400, gateway: 1050 },
          { nginx: 1300, gateway: 650 },
          { nginx: 1500, gateway: 1200 },
        ];
        const slowRounds = { ...small!.targets, gateway: target(5.5, 700) };
        r.facadeProxy = { ...r.facadeProxy, sizes: [size('1 KB', slowRounds, pairs), large!] };
      }),
    );
    expect(judged[3]).toMatchObject({
      outcome: 'met',
      measured: '1 KB 0.75× (median of 3 pairs), 64 KB 0.77× (median of 3 pairs)',
    });
  });

  it('does not judge façade throughput without the nginx baseline, or without pairs of a size', () => {
    const noNginx = withoutNginx('/usr/sbin/nginx not found');
    expect(outcomes(noNginx)[3]).toBe('not judged (nginx baseline missing: /usr/sbin/nginx not found)');
    const noPairs = report((r) => {
      const [small, large] = r.facadeProxy.sizes;
      r.facadeProxy = { ...r.facadeProxy, sizes: [small!, size('64 KB', large!.targets, [])] };
    });
    expect(outcomes(noPairs)[3]).toBe('not judged (no pairs measured)');
    expect(verdicts(noPairs)[3]?.measured).toBe('1 KB 0.86× (median of 3 pairs), 64 KB: no pairs');
  });

  it('fails the added p99 above 2 ms, and does not judge it without a 500 req/s phase', () => {
    const slow = withGateway(0, target(6.01, 1200));
    expect(verdicts(slow)[4]).toMatchObject({ outcome: 'not met' });
    expect(outcomes(withGateway(0, target(6, 1200)))[4]).toBe('met');
    expect(verdicts(slow)[4]?.measured).toContain('1 KB +2.01 ms');
    const no500 = report((r) => (r.facadeProxy = { ...r.facadeProxy, rates: [100, 2000] }));
    expect(outcomes(no500)[4]).toBe('not judged (500 req/s not measured)');
  });

  it('judges the added p99 only with the sizes whose agent alone carried 500 req/s', () => {
    const large = verdicts(withAgentShortOf500(1))[4];
    expect(large?.measured).toBe(
      '1 KB +1.50 ms (gateway at 500/s), 64 KB: not judged, the agent alone reached 316/s',
    );
    expect(large?.outcome).toBe('met'); // on 1 KB alone: 64 KB's +62 ms compares two queues
    const both = withAgentShortOf500(0, 1);
    expect(outcomes(both)[4]).toBe('not judged (the agent alone cannot carry 500 req/s)');
    // A gateway that cannot carry a rate its agent carries is judged, and fails.
    const gatewayShort = withGateway(1, at500(target(6, 1200), 245, 164));
    expect(verdicts(gatewayShort)[4]).toMatchObject({
      measured: expect.stringContaining('64 KB +146.00 ms (gateway at 245/s)') as string,
      outcome: 'not met',
    });
  });
});

describe('formatReport', () => {
  it('prints the façade sections before the targets, and every verdict', () => {
    const text = formatReport(report());
    const facade = text.indexOf('Façade proxy path');
    const streaming = text.indexOf('Façade streaming');
    const targets = text.indexOf('\nTargets\n');
    expect(facade).toBeGreaterThan(0);
    expect(streaming).toBeGreaterThan(facade);
    expect(targets).toBeGreaterThan(streaming);
    for (const verdict of verdicts(report())) expect(text.slice(targets)).toContain(verdict.target);
    expect(text).toContain('gateway − direct');
    expect(text).toContain('gateway: node --no-memory-reducer dist/src/cli/main.js serve (as npm start)');
    expect(text).toContain(
      'tracing pairs (3 × 1500 runs on each gateway, back to back, the first alternating): ' +
        'on/off throughput 0.955 (0.955–0.955), CPU/run 1.075 (1.075–1.075)',
    );
    expect(text).toContain(
      'saturation pairs (3 × 5 s of nginx and of the gateway, each after 2 s unmeasured, back to back, ' +
        'the first alternating): gateway/nginx 0.857 (0.857–0.857)',
    );
    // 1 KB at saturation: 50 % of a core for the proxy, 40 % for the agent, at 1,800, 1,400 and 1,200 req/s.
    expect(text).toContain(
      'CPU ms per request at saturation: direct: proxy 0.28, agent 0.22; nginx: proxy 0.36, agent 0.29; ' +
        'gateway: proxy 0.42, agent 0.33',
    );
    expect(text).toContain(
      'SQLite write-ahead log, largest size reached (the store limit: 64 MiB): ' +
        'gateway (tracing off) 12.5 MiB, gateway (façade) 70.3 MiB',
    );
    expect(text.indexOf('SQLite write-ahead log')).toBeLessThan(targets);
    expect(text).not.toContain('Failure samples');
  });

  it('shows a missing nginx as missing, and lists failure samples', () => {
    const text = formatReport(withoutNginx('not installed', ['HTTP 502 from gateway']));
    expect(text).toContain('nginx: MISSING (not installed)');
    expect(text).toMatch(/^nginx\s+missing/m);
    expect(text).toContain('Failure samples:\n  HTTP 502 from gateway');
  });
});

describe('latencyChartSvg', () => {
  const barsOf = (svg: string, fill: string): number => svg.split(`fill="${fill}"/>`).length - 1;

  it('draws one bar per target, rate and percentile, and one per run series and percentile', () => {
    const svg = latencyChartSvg(report());
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('height="1020"'); // the runs panel and two façade panels
    // Per façade target: 2 sizes × 3 rates × 3 percentiles bars, plus one legend swatch per size.
    expect(barsOf(svg, '#59a14f')).toBe(2 * 3 * 3 + 2);
    expect(barsOf(svg, '#9c9c9c')).toBe(2 * 3 * 3 + 2);
    // Tracing on: 3 percentiles and its legend swatch.
    expect(barsOf(svg, '#f28e2b')).toBe(3 + 1);
  });

  it('draws no bars for a missing target, and says it is missing', () => {
    const svg = latencyChartSvg(withoutNginx('not installed'));
    expect(barsOf(svg, '#9c9c9c')).toBe(2); // the legend swatches only
    expect(svg).toContain('nginx (missing)');
    expect(svg).not.toContain('>0.00<');
  });
});
