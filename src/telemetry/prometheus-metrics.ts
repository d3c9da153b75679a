/**
 * The Prometheus adapter of the metrics port (`GatewayMetrics`, src/app/metrics.ts): prom-client on a
 * registry of its own (never the global default one, so two gateways in one process do not collide),
 * the `/metrics` text and an express handler serving it. Counters and histograms are recorded as the
 * application reports; the gauges (active runs, open watch streams, agent health, the SQLite store's file
 * sizes) are read from their sources at scrape time. The process's default metrics (CPU, memory, event
 * loop, GC) are included.
 */
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { GatewayMetrics, SpanExportOutcome } from '../app/metrics.js';
import { AgentHealth } from '../domain/agent.js';
import type { RunStatus } from '../domain/run.js';
import type { StepStatus } from '../domain/step.js';

/** Where the gauges read their values at scrape time. */
export interface MetricsSources {
  /** Runs executing now. */
  activeRuns(): number;
  /** Run event subscriptions open now: watch streams (gRPC `WatchRun`, HTTP SSE) and waiting submissions. */
  openWatchStreams(): number;
  /** Every registered agent with its health. */
  agents(): Promise<readonly { readonly name: string; readonly health: AgentHealth }[]>;
  /** The SQLite store's file sizes in bytes; absent for other stores (no `bzzz_sqlite_file_bytes`). */
  readonly sqliteFiles?: () => Promise<{ readonly database: number; readonly log: number } | undefined>;
}

export interface PrometheusMetricsOptions {
  readonly sources: MetricsSources;
}

/** What the `/metrics` handler needs. */
export interface MetricsExposition {
  /** The Content-Type of `metricsText()`: the Prometheus text format. */
  readonly contentType: string;
  /** Every metric, in the Prometheus text format. */
  metricsText(): Promise<string>;
}

/** Runs last from milliseconds to many minutes (waiting for input counts). */
const RUN_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600];
/** One exchange with an agent. */
const STEP_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
/** One HTTP call to an agent. */
const CALL_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class PrometheusMetrics implements GatewayMetrics, MetricsExposition {
  readonly #registry = new Registry();
  readonly #runsStarted: Counter<'agent'>;
  readonly #runsFinished: Counter<'agent' | 'status'>;
  readonly #runDuration: Histogram<'agent' | 'status'>;
  readonly #stepDuration: Histogram<'agent' | 'status'>;
  readonly #callDuration: Histogram<'agent' | 'method' | 'outcome'>;
  readonly #spansExported: Counter<'outcome'>;

  constructor(options: PrometheusMetricsOptions) {
    const registers = [this.#registry];
    const { sources } = options;
    this.#runsStarted = new Counter({
      name: 'bzzz_runs_started_total',
      help: 'Runs that began executing, by agent.',
      labelNames: ['agent'],
      registers,
    });
    this.#runsFinished = new Counter({
      name: 'bzzz_runs_finished_total',
      help: 'Runs that reached a final or waiting status, by agent and status.',
      labelNames: ['agent', 'status'],
      registers,
    });
    this.#runDuration = new Histogram({
      name: 'bzzz_run_duration_seconds',
      help: 'Time from a run starting until it reached a final or waiting status.',
      labelNames: ['agent', 'status'],
      buckets: RUN_BUCKETS_SECONDS,
      registers,
    });
    this.#stepDuration = new Histogram({
      name: 'bzzz_step_duration_seconds',
      help: 'Duration of one step (one exchange with an agent), by agent and final status.',
      labelNames: ['agent', 'status'],
      buckets: STEP_BUCKETS_SECONDS,
      registers,
    });
    this.#callDuration = new Histogram({
      name: 'bzzz_agent_call_duration_seconds',
      help: 'Duration of one call to a remote agent; outcome is ok or the error code.',
      labelNames: ['agent', 'method', 'outcome'],
      buckets: CALL_BUCKETS_SECONDS,
      registers,
    });
    new Gauge({
      name: 'bzzz_active_runs',
      help: 'Runs executing now.',
      registers,
      collect() {
        this.set(sources.activeRuns());
      },
    });
    new Gauge({
      name: 'bzzz_open_watch_streams',
      help: 'Subscriptions to run events open now: watch streams (gRPC and HTTP) and submissions waiting for their run.',
      registers,
      collect() {
        this.set(sources.openWatchStreams());
      },
    });
    new Gauge({
      name: 'bzzz_agent_up',
      help: 'Per registered agent: 1 when healthy or not yet checked, 0 when unhealthy.',
      labelNames: ['agent'],
      registers,
      async collect() {
        const agents = await sources.agents();
        this.reset();
        for (const agent of agents) {
          this.set({ agent: agent.name }, agent.health === AgentHealth.Unhealthy ? 0 : 1);
        }
      },
    });
    const { sqliteFiles } = sources;
    if (sqliteFiles !== undefined) {
      new Gauge({
        name: 'bzzz_sqlite_file_bytes',
        help: "Size of the SQLite store's files: the database, and its write-ahead log (wal), which checkpoints bring back under the store's limit after a burst.",
        labelNames: ['file'],
        registers,
        async collect() {
          const sizes = await sqliteFiles();
          this.reset();
          if (sizes === undefined) return;
          this.set({ file: 'database' }, sizes.database);
          this.set({ file: 'wal' }, sizes.log);
        },
      });
    }
    this.#spansExported = new Counter({
      name: 'bzzz_trace_spans_total',
      help: 'Finished spans by outcome: exported, failed (lost in a failed export), or dropped (the export queue was full).',
      labelNames: ['outcome'],
      registers,
    });
    collectDefaultMetrics({ register: this.#registry });
  }

  get contentType(): string {
    return this.#registry.contentType;
  }

  metricsText(): Promise<string> {
    return this.#registry.metrics();
  }

  runStarted(agent: string): void {
    this.#runsStarted.inc({ agent });
  }

  runFinished(agent: string, status: RunStatus, durationMs: number | undefined): void {
    this.#runsFinished.inc({ agent, status });
    if (durationMs !== undefined) this.#runDuration.observe({ agent, status }, durationMs / 1000);
  }

  stepFinished(agent: string, status: StepStatus, durationMs: number | undefined): void {
    if (durationMs !== undefined) this.#stepDuration.observe({ agent, status }, durationMs / 1000);
  }

  outboundCall(agent: string, method: string, outcome: string, durationMs: number): void {
    this.#callDuration.observe({ agent, method, outcome }, durationMs / 1000);
  }

  spansExported(outcome: SpanExportOutcome, spans: number): void {
    this.#spansExported.inc({ outcome }, spans);
  }
}

/** `GET /metrics`: the Prometheus text; a failing source becomes the app's error response via `next`. */
export function metricsHandler(metrics: MetricsExposition): RequestHandler {
  return (_req, res, next) => {
    metrics.metricsText().then((text) => {
      res.type(metrics.contentType).send(text);
    }, next);
  };
}
