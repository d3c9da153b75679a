/**
 * `startTracing` (src/telemetry/tracing.ts) configured through `loadConfig`, as the gateway does: spans
 * reach a real OTLP receiver over each protocol with the resource, parentage and attributes intact; the
 * W3C propagators are registered and no context manager; spans exported, lost and dropped from a full
 * queue are counted; the samplers decide; tracing off registers no provider yet still passes a caller's
 * trace context through; shutdown is idempotent and bounded even when the endpoint never answers; the
 * SDK's own errors (a refused export) reach the log, a few lines at most. Every test leaves the API
 * globals as it found them.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import { context, diag, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { SpanExportOutcome } from '../../src/app/metrics.js';
import { loadConfig } from '../../src/config/config.js';
import { Attr, SpanName } from '../../src/telemetry/semconv.js';
import {
  otelDiagLogger,
  startTracing,
  type DiagTarget,
  type Telemetry,
} from '../../src/telemetry/tracing.js';
import { OTLP_PROTOCOL, startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';
const CLIENT_TRACEPARENT = `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`;
const PACKAGE_VERSION = '0.1.0';

let telemetry: Telemetry | undefined;
let receiver: OtlpReceiver | undefined;
let blackhole: Blackhole | undefined;

afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
  await receiver?.close();
  receiver = undefined;
  if (blackhole !== undefined) {
    for (const socket of blackhole.sockets) socket.destroy();
    await new Promise((resolve) => blackhole?.server.close(resolve));
    blackhole = undefined;
  }
  trace.disable();
  context.disable();
  propagation.disable();
});

/** What `startTracing` was told about exports, by outcome. */
let spansExported: Record<SpanExportOutcome, number>;

function start(env: Record<string, string>, exporter?: SpanExporter, logger?: DiagTarget): Telemetry {
  spansExported = { exported: 0, failed: 0, dropped: 0 };
  const metrics = {
    spansExported: (outcome: SpanExportOutcome, spans: number) => (spansExported[outcome] += spans),
  };
  telemetry = startTracing(loadConfig(env).telemetry, {
    metrics,
    ...(exporter !== undefined && { exporter }),
    ...(logger !== undefined && { logger }),
  });
  return telemetry;
}

describe('startTracing: export over each protocol', () => {
  for (const protocol of Object.values(OTLP_PROTOCOL)) {
    it(`exports a run and its step to a real receiver over ${protocol}`, async () => {
      receiver = await startOtlpReceiver();
      start({
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret',
        OTEL_SERVICE_NAME: 'bzzz-under-test',
      });
      const tracer = trace.getTracer('bzzz');

      // A client's traceparent parents the run; the step is the run's child, its parent given explicitly
      // (the setup registers no context manager: there is no active context to inherit).
      const inbound = propagation.extract(ROOT_CONTEXT, { traceparent: CLIENT_TRACEPARENT });
      const run = tracer.startSpan(SpanName.run, { attributes: { [Attr.RUN_ID]: 'run-1' } }, inbound);
      const runContext = trace.setSpan(ROOT_CONTEXT, run);
      expect(trace.getSpan(context.active())).toBeUndefined();
      const step = tracer.startSpan(
        `${SpanName.invokeAgent} echo`,
        { kind: SpanKind.CLIENT, attributes: { [Attr.GEN_AI_AGENT_NAME]: 'echo', [Attr.SERVER_PORT]: 9001 } },
        runContext,
      );
      const headers: Record<string, string> = {};
      propagation.inject(trace.setSpan(runContext, step), headers);
      step.end();
      run.end();
      await telemetry?.shutdown(); // flushes the batch

      const spans = await receiver.waitForSpans((received) => received.length >= 2);
      const runSpan = spans.find((s) => s.name === SpanName.run);
      const stepSpan = spans.find((s) => s.name === 'invoke_agent echo');
      expect(runSpan).toMatchObject({
        protocol,
        traceId: CLIENT_TRACE_ID,
        parentSpanId: CLIENT_SPAN_ID,
        kind: 'INTERNAL',
        attributes: { 'bzzz.run.id': 'run-1' },
        resource: { 'service.name': 'bzzz-under-test', 'service.version': PACKAGE_VERSION },
        scope: { name: 'bzzz' },
      });
      expect(stepSpan).toMatchObject({
        protocol,
        traceId: CLIENT_TRACE_ID,
        parentSpanId: runSpan?.spanId,
        kind: 'CLIENT',
        attributes: { 'gen_ai.agent.name': 'echo', 'server.port': 9001 },
      });
      // The agent is told about the step's own span, not the client's.
      expect(headers.traceparent).toBe(`00-${CLIENT_TRACE_ID}-${stepSpan?.spanId}-01`);
      expect(spansExported).toEqual({ exported: 2, failed: 0, dropped: 0 });
    });
  }
});

describe('startTracing: batches and timeouts', () => {
  it('sends batches of OTEL_BSP_MAX_EXPORT_BATCH_SIZE spans, the config winning over process.env', async () => {
    vi.stubEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', '1'); // what the SDK would read by itself
    try {
      receiver = await startOtlpReceiver();
      start({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2' });
      for (let i = 0; i < 5; i += 1) trace.getTracer('bzzz').startSpan(`span ${i}`).end();
      await telemetry?.shutdown();
      await receiver.waitForSpans((received) => received.length >= 5);
      expect(receiver.exports().map((e) => e.spanCount)).toEqual([2, 2, 1]);
      expect(spansExported).toEqual({ exported: 5, failed: 0, dropped: 0 });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  for (const protocol of [OTLP_PROTOCOL.httpProtobuf, OTLP_PROTOCOL.httpJson]) {
    it(`gzips ${protocol} exports as OTEL_EXPORTER_OTLP_COMPRESSION says, not as process.env does`, async () => {
      vi.stubEnv('OTEL_EXPORTER_OTLP_COMPRESSION', 'gzip'); // what the exporter would read by itself
      try {
        const plain = await startOtlpReceiver();
        try {
          start({ OTEL_EXPORTER_OTLP_ENDPOINT: plain.httpUrl, OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
          trace.getTracer('bzzz').startSpan('plain').end();
          await telemetry?.shutdown();
          const [span] = await plain.waitForSpans((received) => received.length >= 1);
          expect(span?.name).toBe('plain');
          expect(plain.exports().map((e) => e.contentEncoding)).toEqual([undefined]);
        } finally {
          await plain.close();
        }

        receiver = await startOtlpReceiver();
        start({
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        });
        trace.getTracer('bzzz').startSpan('compressed').end();
        await telemetry?.shutdown();
        const [span] = await receiver.waitForSpans((received) => received.length >= 1);
        expect(span?.name).toBe('compressed');
        expect(receiver.exports().map((e) => e.contentEncoding)).toEqual(['gzip']);
      } finally {
        vi.unstubAllEnvs();
      }
    });
  }

  it('counts the spans dropped while OTEL_BSP_MAX_QUEUE_SIZE wait for export, and warns once there is room', async () => {
    const exporter = new HeldExporter();
    const warn = vi.fn();
    start(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
        OTEL_BSP_MAX_QUEUE_SIZE: '4',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2',
        OTEL_BSP_SCHEDULE_DELAY: '60000',
      },
      exporter,
      { warn, info: vi.fn(), debug: vi.fn() },
    );
    const tracer = trace.getTracer('bzzz');
    // The first two leave as a batch whose export hangs; four more fill the queue; the last four are dropped.
    for (let i = 0; i < 10; i += 1) tracer.startSpan(`span ${i}`).end();
    expect(exporter.batches.map((batch) => batch.length)).toEqual([2]);
    expect(spansExported).toEqual({ exported: 0, failed: 0, dropped: 4 });
    expect(warn).not.toHaveBeenCalled();

    exporter.answerAll();
    await vi.waitFor(() => expect(spansExported.exported).toBe(6), { timeout: 2000, interval: 10 });
    tracer.startSpan('after').end();
    expect(warn).toHaveBeenCalledWith(
      { component: 'opentelemetry' },
      'dropped 4 spans: 4 were waiting for export',
    );
    await telemetry?.shutdown();
    expect(spansExported).toEqual({ exported: 7, failed: 0, dropped: 4 });
    expect(exporter.batches.flat().map((span) => span.name)).toEqual([
      ...['span 0', 'span 1', 'span 2', 'span 3', 'span 4', 'span 5'],
      'after',
    ]);
  });

  it('gives up on a backend that never answers after OTEL_EXPORTER_OTLP_TIMEOUT', async () => {
    blackhole = await startBlackhole();
    start({
      OTEL_EXPORTER_OTLP_ENDPOINT: blackhole.url,
      OTEL_BSP_SCHEDULE_DELAY: '20',
      OTEL_EXPORTER_OTLP_TIMEOUT: '300', // the default, 10 s, would outlast the wait below
    });
    trace.getTracer('bzzz').startSpan('unanswered').end();
    await vi.waitFor(() => expect(spansExported.failed).toBe(1), { timeout: 4000, interval: 50 });
  });
});

describe('startTracing: samplers', () => {
  it('always_off exports nothing to the receiver, yet hands on a fresh, unsampled span context', async () => {
    receiver = await startOtlpReceiver();
    start({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_SAMPLER: 'always_off',
    });
    const span = trace.getTracer('bzzz').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    span.end();
    await telemetry?.shutdown();
    expect(receiver.spans()).toEqual([]);
    expect(receiver.exports()).toEqual([]);
  });

  it('parentbased_always_on (the default) follows the caller: records under a sampled parent only', () => {
    const exporter = new InMemorySpanExporter();
    start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }, exporter);
    const tracer = trace.getTracer('bzzz');
    const sampled = propagation.extract(ROOT_CONTEXT, { traceparent: CLIENT_TRACEPARENT });
    const unsampled = propagation.extract(ROOT_CONTEXT, {
      traceparent: `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-00`,
    });
    expect(tracer.startSpan('root').isRecording()).toBe(true);
    expect(tracer.startSpan('child', {}, sampled).isRecording()).toBe(true);
    expect(tracer.startSpan('child', {}, unsampled).isRecording()).toBe(false);
  });

  it('parentbased_always_off records only under a sampled parent', () => {
    start(
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_TRACES_SAMPLER: 'parentbased_always_off' },
      new InMemorySpanExporter(),
    );
    const tracer = trace.getTracer('bzzz');
    const sampled = propagation.extract(ROOT_CONTEXT, { traceparent: CLIENT_TRACEPARENT });
    expect(tracer.startSpan('root').isRecording()).toBe(false);
    expect(tracer.startSpan('child', {}, sampled).isRecording()).toBe(true);
  });

  it('traceidratio 0 keeps no trace, not even under a sampled caller', () => {
    start(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
        OTEL_TRACES_SAMPLER: 'traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0',
      },
      new InMemorySpanExporter(),
    );
    const sampled = propagation.extract(ROOT_CONTEXT, { traceparent: CLIENT_TRACEPARENT });
    // Not parent-based: even a sampled caller does not make it record.
    expect(trace.getTracer('bzzz').startSpan('child', {}, sampled).isRecording()).toBe(false);
  });

  it('traceidratio 1 and always_on record every span', async () => {
    const envs: Record<string, string>[] = [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' },
      { OTEL_TRACES_SAMPLER: 'always_on' },
    ];
    for (const env of envs) {
      start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', ...env }, new InMemorySpanExporter());
      const unsampled = propagation.extract(ROOT_CONTEXT, {
        traceparent: `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-00`,
      });
      expect(trace.getTracer('bzzz').startSpan('child', {}, unsampled).isRecording()).toBe(true);
      await telemetry?.shutdown();
    }
  });
});

describe('startTracing: tracing off', () => {
  it('OTEL_SDK_DISABLED registers no provider even with an endpoint: the global tracer is the no-op', async () => {
    receiver = await startOtlpReceiver();
    const off = start({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl });
    expect(off.enabled).toBe(false);
    const span = trace.getTracer('x').startSpan('y');
    expect(span.isRecording()).toBe(false);
    span.end();
    await off.shutdown();
    expect(receiver.exports()).toEqual([]);
  });

  it('no endpoint: tracing is off', () => {
    expect(start({}).enabled).toBe(false);
    expect(trace.getTracer('x').startSpan('y').isRecording()).toBe(false);
  });

  it("passes a caller's trace context on unchanged, and drops nothing of the baggage", () => {
    start({ OTEL_SDK_DISABLED: 'true' });
    const inbound = propagation.extract(ROOT_CONTEXT, {
      traceparent: CLIENT_TRACEPARENT,
      tracestate: 'vendor=1',
      baggage: 'tenant=blue',
    });
    const step = trace.getTracer('bzzz').startSpan('step', { kind: SpanKind.CLIENT }, inbound);
    expect(step.isRecording()).toBe(false);
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(inbound, step), headers);
    expect(headers).toEqual({
      traceparent: CLIENT_TRACEPARENT,
      tracestate: 'vendor=1',
      baggage: 'tenant=blue',
    });
  });

  it('shutdown unregisters the propagators it registered', async () => {
    const off = start({});
    await off.shutdown();
    const headers: Record<string, string> = {};
    propagation.inject(propagation.extract(ROOT_CONTEXT, { traceparent: CLIENT_TRACEPARENT }), headers);
    expect(headers).toEqual({});
  });
});

describe('startTracing: lifecycle', () => {
  it('shutdown is idempotent and unregisters the provider', async () => {
    const on = start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }, new InMemorySpanExporter());
    expect(on.enabled).toBe(true);
    expect(trace.getTracer('x').startSpan('y').isRecording()).toBe(true);
    const first = on.shutdown();
    expect(on.shutdown()).toBe(first);
    await first;
    expect(trace.getTracer('x').startSpan('y').isRecording()).toBe(false);
  });

  it('refuses to start while another tracer provider is registered', () => {
    start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }, new InMemorySpanExporter());
    expect(() =>
      startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }).telemetry, {
        exporter: new InMemorySpanExporter(),
      }),
    ).toThrow(/already registered/);
  });

  it('shutdown resolves by the deadline when the exporter never answers, and says so', async () => {
    const warn = vi.fn();
    telemetry = startTracing(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
        BZZZ_TELEMETRY_SHUTDOWN_TIMEOUT_MS: '200',
      }).telemetry,
      { exporter: new NeverAnsweringExporter(), logger: { warn, info: vi.fn(), debug: vi.fn() } },
    );
    trace.getTracer('bzzz').startSpan('stuck').end();
    const started = Date.now();
    await telemetry.shutdown();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(warn).toHaveBeenCalledWith({ timeoutMs: 200 }, expect.stringContaining('timed out'));
  });

  it('shutdown resolves when the OTLP endpoint accepts connections but never replies', async () => {
    blackhole = await startBlackhole();
    start({
      OTEL_EXPORTER_OTLP_ENDPOINT: blackhole.url,
      BZZZ_TELEMETRY_SHUTDOWN_TIMEOUT_MS: '300',
    });
    trace.getTracer('bzzz').startSpan('lost').end();
    const started = Date.now();
    await telemetry?.shutdown();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(blackhole.sockets.size).toBeGreaterThan(0); // the exporter did try
  });
});

describe("startTracing: the SDK's own diagnostics", () => {
  let refusing: HttpServer | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (refusing === undefined ? resolve(undefined) : refusing.close(resolve)));
    refusing = undefined;
  });

  /** Tracing to a real OTLP/HTTP endpoint that answers every export 400, with `env` added. */
  async function startRefused(env: Record<string, string> = {}) {
    refusing = createHttpServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(400, { 'content-type': 'text/plain' }).end('not today'));
    });
    await new Promise<void>((resolve) => refusing?.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.address() as AddressInfo;
    const logger = { warn: vi.fn(), info: vi.fn(), debug: vi.fn() };
    const metrics = { spansExported: vi.fn() };
    telemetry = startTracing(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_BSP_SCHEDULE_DELAY: '20',
        ...env,
      }).telemetry,
      { logger, metrics },
    );
    trace.getTracer('bzzz').startSpan('refused').end();
    return { ...logger, metrics };
  }

  const fromOtel = (calls: unknown[][]): unknown[][] =>
    calls.filter(([fields]) => (fields as { component?: string }).component === 'opentelemetry');

  it('reports a backend that refuses the spans as a warning in the log, and stops at shutdown', async () => {
    const logger = await startRefused();
    await vi.waitFor(() => expect(logger.warn).toHaveBeenCalled(), { timeout: 5000 });
    const [fields, message] = logger.warn.mock.calls[0] as [Record<string, unknown>, string];
    expect(fields.component).toBe('opentelemetry');
    expect(message).toMatch(/Bad Request|400/);
    expect(message).not.toMatch(/^\{|stack/); // the exception's message, not its JSON
    // OTEL_LOG_LEVEL's default, info: the exporter's own line about the failure comes too.
    expect(logger.info).toHaveBeenCalledWith(
      { component: 'opentelemetry' },
      expect.stringMatching(/non-retryable/) as string,
    );

    await telemetry?.shutdown();
    expect(logger.metrics.spansExported).toHaveBeenCalledWith('failed', 1); // and counted as lost
    expect(logger.metrics.spansExported).not.toHaveBeenCalledWith('exported', expect.anything());
    logger.warn.mockClear();
    diag.error('after shutdown');
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('follows OTEL_LOG_LEVEL: errors only, or nothing at all', async () => {
    const errorsOnly = await startRefused({ OTEL_LOG_LEVEL: 'ERROR' });
    await vi.waitFor(() => expect(errorsOnly.warn).toHaveBeenCalled(), { timeout: 5000 });
    expect(errorsOnly.info).not.toHaveBeenCalled();
    await telemetry?.shutdown();
    await new Promise((resolve) => refusing?.close(resolve));
    refusing = undefined;

    const silent = await startRefused({ OTEL_LOG_LEVEL: 'none' });
    await telemetry?.shutdown(); // exports what is queued: refused once more
    expect(fromOtel(silent.warn.mock.calls)).toEqual([]);
    expect(silent.info).not.toHaveBeenCalled();
  });

  it('writes at most one warning and one info line per interval, and counts the lines it left out', () => {
    const logger = { warn: vi.fn(), info: vi.fn(), debug: vi.fn() };
    let now = 1_000;
    const diagLogger = otelDiagLogger(logger, 10_000, () => now);
    diagLogger.error('export failed', new Error('connection refused'));
    diagLogger.info('export failed with a non-retryable error');
    diagLogger.warn('export failed again');
    diagLogger.error('and again');
    diagLogger.info('and again, as info');
    diagLogger.debug('items to be sent', [1, 2]);
    diagLogger.debug('more items');
    now += 10_000;
    diagLogger.warn('dropped 7 spans', { queue: 2048 });
    expect(logger.warn.mock.calls).toEqual([
      [{ component: 'opentelemetry', details: ['connection refused'] }, 'export failed'],
      [{ component: 'opentelemetry', details: ['{"queue":2048}'], suppressed: 2 }, 'dropped 7 spans'],
    ]);
    expect(logger.info.mock.calls).toEqual([
      [{ component: 'opentelemetry' }, 'export failed with a non-retryable error'],
    ]);
    expect(logger.debug).toHaveBeenCalledTimes(2);
  });
});

/** An exporter that answers no export until told to, then every export, held or new, at once. */
class HeldExporter implements SpanExporter {
  readonly batches: ReadableSpan[][] = [];
  #held: ((result: ExportResult) => void)[] | undefined = [];

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.batches.push(spans);
    if (this.#held === undefined) done({ code: ExportResultCode.SUCCESS });
    else this.#held.push(done);
  }

  answerAll(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const done of held) done({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A SpanExporter whose exports and shutdown never complete: the worst an endpoint can do. */
class NeverAnsweringExporter implements SpanExporter {
  export(_spans: ReadableSpan[], _done: (result: ExportResult) => void): void {}
  shutdown(): Promise<void> {
    return new Promise(() => undefined);
  }
  forceFlush(): Promise<void> {
    return new Promise(() => undefined);
  }
}

interface Blackhole {
  readonly server: Server;
  readonly sockets: Set<Socket>;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
}

/** A TCP server that accepts connections and never answers. */
async function startBlackhole(): Promise<Blackhole> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, sockets, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
