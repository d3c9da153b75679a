/**
 * The Prometheus adapter of the metrics port (src/telemetry/prometheus-metrics.ts): what the application
 * records appears in the exposition with its labels, the gauges read their sources at every scrape, each
 * instance has its own registry, and `metricsHandler` serves the text over a real HTTP socket; a real
 * gateway on SQLite gives the sizes of its files, one on the in-memory store none.
 */
import { existsSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';

import { startEchoAgent } from '../../examples/echo-agent.js';
import type { AgentHealth } from '../../src/domain/agent.js';
import { systemContext } from '../../src/domain/call-context.js';
import {
  metricsHandler,
  PrometheusMetrics,
  type MetricsSources,
} from '../../src/telemetry/prometheus-metrics.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

function fixedSources(overrides: Partial<MetricsSources> = {}): MetricsSources {
  return {
    activeRuns: () => 0,
    openWatchStreams: () => 0,
    agents: async () => [],
    ...overrides,
  };
}

/** The value of the sample line `name{labels}` (labels exactly as prom-client writes them), if present. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('PrometheusMetrics', () => {
  it('counts runs started and finished by agent and status', async () => {
    const metrics = new PrometheusMetrics({ sources: fixedSources() });
    metrics.runStarted('echo');
    metrics.runStarted('echo');
    metrics.runStarted('planner');
    metrics.runFinished('echo', 'completed', 1500);
    metrics.runFinished('echo', 'failed', 250);
    metrics.runFinished('planner', 'input_required', undefined);
    const text = await metrics.metricsText();
    expect(text).toContain('# TYPE bzzz_runs_started_total counter');
    expect(sample(text, 'bzzz_runs_started_total{agent="echo"}')).toBe(2);
    expect(sample(text, 'bzzz_runs_started_total{agent="planner"}')).toBe(1);
    expect(sample(text, 'bzzz_runs_finished_total{agent="echo",status="completed"}')).toBe(1);
    expect(sample(text, 'bzzz_runs_finished_total{agent="echo",status="failed"}')).toBe(1);
    expect(sample(text, 'bzzz_runs_finished_total{agent="planner",status="input_required"}')).toBe(1);
  });

  it('observes run, step and agent-call durations in seconds', async () => {
    const metrics = new PrometheusMetrics({ sources: fixedSources() });
    metrics.runFinished('echo', 'completed', 1500);
    metrics.runFinished('planner', 'input_required', undefined); // counted, but no duration to observe
    metrics.stepFinished('echo', 'completed', 700);
    metrics.stepFinished('echo', 'failed', undefined);
    metrics.outboundCall('echo', 'SendMessage', 'ok', 40);
    metrics.outboundCall('echo', 'SendMessage', 'REMOTE_UNAVAILABLE', 3000);
    const text = await metrics.metricsText();

    expect(text).toContain('# TYPE bzzz_run_duration_seconds histogram');
    expect(sample(text, 'bzzz_run_duration_seconds_sum{agent="echo",status="completed"}')).toBe(1.5);
    expect(sample(text, 'bzzz_run_duration_seconds_count{agent="echo",status="completed"}')).toBe(1);
    expect(sample(text, 'bzzz_run_duration_seconds_bucket{le="1",agent="echo",status="completed"}')).toBe(0);
    expect(sample(text, 'bzzz_run_duration_seconds_bucket{le="2.5",agent="echo",status="completed"}')).toBe(
      1,
    );
    expect(text).not.toContain('bzzz_run_duration_seconds_count{agent="planner"');

    expect(sample(text, 'bzzz_step_duration_seconds_sum{agent="echo",status="completed"}')).toBe(0.7);
    expect(sample(text, 'bzzz_step_duration_seconds_count{agent="echo",status="completed"}')).toBe(1);
    expect(text).not.toContain('bzzz_step_duration_seconds_count{agent="echo",status="failed"}');

    const call = (outcome: string) => `{agent="echo",method="SendMessage",outcome="${outcome}"}`;
    expect(sample(text, `bzzz_agent_call_duration_seconds_sum${call('ok')}`)).toBe(0.04);
    expect(sample(text, `bzzz_agent_call_duration_seconds_count${call('ok')}`)).toBe(1);
    expect(sample(text, `bzzz_agent_call_duration_seconds_sum${call('REMOTE_UNAVAILABLE')}`)).toBe(3);
  });

  it('counts the spans each export sent or lost', async () => {
    const metrics = new PrometheusMetrics({ sources: fixedSources() });
    metrics.spansExported('exported', 512);
    metrics.spansExported('exported', 3);
    metrics.spansExported('failed', 40);
    const text = await metrics.metricsText();
    expect(text).toContain('# TYPE bzzz_trace_spans_total counter');
    expect(sample(text, 'bzzz_trace_spans_total{outcome="exported"}')).toBe(515);
    expect(sample(text, 'bzzz_trace_spans_total{outcome="failed"}')).toBe(40);
  });

  it('reads the gauges from their sources at every scrape', async () => {
    let active = 3;
    let streams = 1;
    let agents: { name: string; health: AgentHealth }[] = [
      { name: 'echo', health: 'healthy' },
      { name: 'fresh', health: 'unknown' },
      { name: 'down', health: 'unhealthy' },
    ];
    const metrics = new PrometheusMetrics({
      sources: fixedSources({
        activeRuns: () => active,
        openWatchStreams: () => streams,
        agents: async () => agents,
      }),
    });

    let text = await metrics.metricsText();
    expect(sample(text, 'bzzz_active_runs')).toBe(3);
    expect(sample(text, 'bzzz_open_watch_streams')).toBe(1);
    expect(sample(text, 'bzzz_agent_up{agent="echo"}')).toBe(1);
    expect(sample(text, 'bzzz_agent_up{agent="fresh"}')).toBe(1);
    expect(sample(text, 'bzzz_agent_up{agent="down"}')).toBe(0);

    active = 0;
    streams = 4;
    agents = [{ name: 'down', health: 'healthy' }];
    text = await metrics.metricsText();
    expect(sample(text, 'bzzz_active_runs')).toBe(0);
    expect(sample(text, 'bzzz_open_watch_streams')).toBe(4);
    expect(sample(text, 'bzzz_agent_up{agent="down"}')).toBe(1);
    expect(text).not.toContain('bzzz_agent_up{agent="echo"}'); // removed agents disappear
  });

  it("gives the SQLite store's file sizes where the store has files, and no such series otherwise", async () => {
    let sizes: { database: number; log: number } | undefined = { database: 4096, log: 8_400_000 };
    const sqlite = new PrometheusMetrics({ sources: fixedSources({ sqliteFiles: async () => sizes }) });
    let text = await sqlite.metricsText();
    expect(sample(text, 'bzzz_sqlite_file_bytes{file="database"}')).toBe(4096);
    expect(sample(text, 'bzzz_sqlite_file_bytes{file="wal"}')).toBe(8_400_000);

    sizes = undefined; // an in-memory database
    text = await sqlite.metricsText();
    expect(text).not.toContain('bzzz_sqlite_file_bytes{');

    const other = await new PrometheusMetrics({ sources: fixedSources() }).metricsText();
    expect(other).not.toContain('bzzz_sqlite_file_bytes');
  });

  it('includes the default process metrics', async () => {
    const text = await new PrometheusMetrics({ sources: fixedSources() }).metricsText();
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
  });

  it('keeps each instance on its own registry', async () => {
    const first = new PrometheusMetrics({ sources: fixedSources() });
    const second = new PrometheusMetrics({ sources: fixedSources() });
    first.runStarted('echo');
    expect(sample(await first.metricsText(), 'bzzz_runs_started_total{agent="echo"}')).toBe(1);
    expect(sample(await second.metricsText(), 'bzzz_runs_started_total{agent="echo"}')).toBeUndefined();
    expect(first.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});

describe('metricsHandler', () => {
  let server: Server | undefined;

  afterEach(async () => {
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
      server = undefined;
    }
  });

  async function serve(metrics: PrometheusMetrics): Promise<string> {
    const app = express();
    app.get('/metrics', metricsHandler(metrics));
    app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send('scrape failed');
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  }

  it('serves the exposition with the Prometheus content type', async () => {
    const metrics = new PrometheusMetrics({ sources: fixedSources({ activeRuns: () => 2 }) });
    metrics.runFinished('echo', 'completed', 10);
    const response = await fetch(await serve(metrics));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(sample(text, 'bzzz_runs_finished_total{agent="echo",status="completed"}')).toBe(1);
    expect(sample(text, 'bzzz_active_runs')).toBe(2);
  });

  it('hands a failing source to the error handler', async () => {
    const metrics = new PrometheusMetrics({
      sources: fixedSources({ agents: () => Promise.reject(new Error('store down')) }),
    });
    const response = await fetch(await serve(metrics));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('scrape failed');
  });
});

describe("a gateway's /metrics", () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close({ removeData: true });
    gateway = undefined;
  });

  async function scrape(gw: TestGateway): Promise<string> {
    return (await fetch(`${gw.httpUrl}/metrics`)).text();
  }

  it('gives the sizes of its SQLite database and write-ahead log as they are on disk', async () => {
    gateway = await startTestGateway();
    const { store } = gateway.config;
    if (store.kind !== 'sqlite') throw new Error(`the test gateway stores in ${store.kind}`);
    // A write, so that the log holds frames: the agent's registration.
    const echo = await startEchoAgent();
    try {
      await gateway.gateway.services.agents.register({ name: 'echo', url: echo.url }, systemContext());
    } finally {
      await echo.close();
    }
    const text = await scrape(gateway);
    const onDisk = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

    expect(sample(text, 'bzzz_sqlite_file_bytes{file="database"}')).toBe(onDisk(store.file));
    expect(onDisk(store.file)).toBeGreaterThan(0);
    expect(sample(text, 'bzzz_sqlite_file_bytes{file="wal"}')).toBe(onDisk(`${store.file}-wal`));
    expect(onDisk(`${store.file}-wal`)).toBeGreaterThan(0);
  });

  it('has no SQLite series with the in-memory store', async () => {
    gateway = await startTestGateway({ env: { BZZZ_STORE_URL: 'memory:' } });
    expect(await scrape(gateway)).not.toContain('bzzz_sqlite_file_bytes');
  });
});
