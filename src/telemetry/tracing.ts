/**
 * The tracing SDK setup: the one place that builds the tracer provider (resource, sampler, batch export
 * over OTLP in the configured protocol) and registers it with the `@opentelemetry/api` globals, together
 * with the W3C trace-context + baggage propagators. Everything else in the gateway uses only the API.
 * Settings come from `Config.telemetry` (src/config/config.ts); span names and attribute keys live in
 * `./semconv.ts`. The SDK's own diagnostics go to the gateway's log (`otelDiagLogger`), and the spans each
 * export sent or lost, and those dropped from a full queue, to the metrics.
 *
 * No context manager is registered: the gateway never reads an "active" context. Every span is started
 * with its parent given (a request's carrier in its `CallContext`, a run's stored trace, a step's
 * context in the outbound call's options), and log lines take their trace ids explicitly. On Node 20 the
 * AsyncLocalStorage context manager works through promise hooks, which cost every promise in the
 * process, traced or not: about 9 % of the gateway's CPU per run (docs/benchmarks.md), half of what
 * tracing cost in all.
 *
 * With tracing off (`OTEL_SDK_DISABLED=true`, or no endpoint) no tracer provider and no context manager
 * are registered, so every span is the API's no-op and the hot path does no tracing work. Only the W3C
 * propagators are registered: the gateway is then invisible in a trace, and a caller's `traceparent` is
 * passed on unchanged to the agents, so their spans still join the caller's trace (as children of the
 * caller's span, since the gateway records none). Baggage still goes only to allow-listed agents.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Metadata } from '@grpc/grpc-js';
import {
  diag,
  DiagLogLevel,
  propagation,
  ProxyTracerProvider,
  trace,
  TraceFlags,
  type Context,
  type DiagLogFunction,
  type DiagLogger,
} from '@opentelemetry/api';
import {
  CompositePropagator,
  ExportResultCode,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type BufferConfig,
  type ReadableSpan,
  type Sampler,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

import type { GatewayMetrics } from '../app/metrics.js';
import {
  OtlpCompression,
  OtlpProtocol,
  TraceSamplerName,
  type OtelLogLevel,
  type TelemetryConfig,
} from '../config/config.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import type { Logger } from '../logging/logger.js';

/** The running tracing setup, as the composition root sees it. */
export interface Telemetry {
  /** Whether spans are recorded and exported (a tracer provider is registered). */
  readonly enabled: boolean;
  /**
   * Exports the spans still queued, shuts the exporter down and unregisters the globals this setup
   * registered. Waits at most `shutdownTimeoutMs`, whether or not the endpoint answers, and never
   * rejects: spans that could not be sent by then are dropped (with a warning when a logger was given).
   * Idempotent: every call returns the same promise.
   */
  shutdown(): Promise<void>;
}

export interface StartTracingOptions {
  /** Replaces the OTLP exporter the protocol selects, e.g. an `InMemorySpanExporter` in tests. */
  readonly exporter?: SpanExporter;
  /**
   * Told when shutdown could not export everything in time, and given the SDK's own diagnostics (a
   * failed export, spans dropped from a full queue) from `OTEL_LOG_LEVEL` up, through {@link otelDiagLogger}.
   */
  readonly logger?: DiagTarget;
  /** Told how many spans each export sent, or lost. */
  readonly metrics?: Pick<GatewayMetrics, 'spansExported'>;
}

/** At most one line of the SDK's diagnostics per this long (see {@link otelDiagLogger}). */
const DIAG_LINE_INTERVAL_MS = 10_000;

/** The logger methods the SDK's diagnostics are written with. */
export type DiagTarget = Pick<Logger, 'warn' | 'info' | 'debug'>;

const DIAG_LOG_LEVELS: Readonly<Record<OtelLogLevel, DiagLogLevel>> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * Sets up tracing as `config` says and registers it globally. Throws `INTERNAL` when tracing is on and
 * another tracer provider is already registered (spans would silently go elsewhere).
 */
export function startTracing(config: TelemetryConfig, options: StartTracingOptions = {}): Telemetry {
  if (!config.enabled || config.tracesEndpoint === undefined) return startPropagationOnly();

  const exporter = options.exporter ?? createExporter(config, config.tracesEndpoint);
  // Every setting given, so that the SDK reads none of its OTEL_BSP_* variables past the config.
  const batching: Required<BufferConfig> = {
    scheduledDelayMillis: config.exportDelayMs,
    maxQueueSize: config.maxQueueSize,
    maxExportBatchSize: config.maxExportBatchSize,
    exportTimeoutMillis: config.exportTimeoutMs,
  };
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes(serviceAttributes(config.serviceName))),
    sampler: createSampler(config.sampler, config.samplerRatio),
    spanProcessors: [
      options.metrics === undefined
        ? new BatchSpanProcessor(exporter, batching)
        : new CountedBatchSpanProcessor(exporter, batching, options.metrics),
    ],
  });
  provider.register({ propagator: w3cPropagator(), contextManager: null });
  if (!isRegistered(provider)) {
    void provider.shutdown();
    throw new GatewayError(ErrorCode.INTERNAL, 'another OpenTelemetry tracer provider is already registered');
  }
  const { logger } = options;
  if (logger !== undefined) {
    diag.setLogger(otelDiagLogger(logger), {
      logLevel: DIAG_LOG_LEVELS[config.diagLogLevel],
      suppressOverrideMessage: true,
    });
  }

  let shutdown: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown: () => {
      shutdown ??= boundedShutdown(provider, config.shutdownTimeoutMs, logger).finally(() => {
        trace.disable();
        propagation.disable();
        if (logger !== undefined) diag.disable();
      });
      return shutdown;
    },
  };
}

/**
 * The SDK's own diagnostics in the gateway's log: its errors and warnings as warnings, its info lines as
 * info, its debug and verbose lines as debug. Without a diag logger they go nowhere: a tracing backend
 * that is down, or that refuses the gateway's spans, would lose every span unnoticed. A backend that is
 * down fails every export, several a second under load, with an info line and an error each, so warnings
 * (errors included) and info lines are each written at most once per `intervalMs`; the next one written
 * counts those left out meanwhile (`suppressed`). Debug lines, asked for when troubleshooting, are not
 * held back.
 */
export function otelDiagLogger(
  logger: DiagTarget,
  intervalMs: number = DIAG_LINE_INTERVAL_MS,
  now: () => number = Date.now,
): DiagLogger {
  const fields = (args: unknown[]): Record<string, unknown> => ({
    component: 'opentelemetry',
    ...(args.length > 0 && { details: args.map(describeDiagArgument) }),
  });
  const limited = (level: 'warn' | 'info'): DiagLogFunction => {
    let lastLineAt = Number.NEGATIVE_INFINITY;
    let suppressed = 0;
    return (message, ...args) => {
      const at = now();
      if (at - lastLineAt < intervalMs) {
        suppressed += 1;
        return;
      }
      lastLineAt = at;
      logger[level]({ ...fields(args), ...(suppressed > 0 && { suppressed }) }, readableDiagMessage(message));
      suppressed = 0;
    };
  };
  const warn = limited('warn');
  const debug: DiagLogFunction = (message, ...args) =>
    logger.debug(fields(args), readableDiagMessage(message));
  return { error: warn, warn, info: limited('info'), debug, verbose: debug };
}

/** The SDK's error handler logs an exception as its JSON, stack and all: its message says enough. */
function readableDiagMessage(message: string): string {
  if (!message.startsWith('{')) return message;
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : message;
  } catch {
    return message;
  }
}

function describeDiagArgument(argument: unknown): string {
  if (argument instanceof Error) return argument.message;
  if (typeof argument === 'string') return argument;
  try {
    return JSON.stringify(argument) ?? String(argument);
  } catch {
    return String(argument); // Circular, or a BigInt inside.
  }
}

/**
 * The SDK's batch processor, counted: the spans each export sent or lost, and the spans dropped because
 * the queue was full (the backend, or the export, slower than the gateway ends spans). The SDK's
 * processor drops those with a log line and keeps no count one can read, so the queue limit is kept
 * here, in front of it: a span is handed on only while fewer than `maxQueueSize` wait for their export,
 * so the SDK's own limit is never reached. Its queue is the spans handed on and not yet given to the
 * exporter: it hands a batch over as it takes it out of the queue.
 */
class CountedBatchSpanProcessor implements SpanProcessor {
  readonly #batch: BatchSpanProcessor;
  readonly #maxQueueSize: number;
  readonly #metrics: Pick<GatewayMetrics, 'spansExported'>;
  #queued = 0;
  /** Spans dropped since the queue last had room: told in one warning once it has room again. */
  #droppedSinceWarning = 0;

  constructor(
    exporter: SpanExporter,
    config: Required<BufferConfig>,
    metrics: Pick<GatewayMetrics, 'spansExported'>,
  ) {
    this.#maxQueueSize = config.maxQueueSize;
    this.#metrics = metrics;
    const counting: SpanExporter = {
      export: (spans, done) => {
        this.#queued -= spans.length;
        exporter.export(spans, (result) => {
          // Compared as numbers: the SDK types the code with its own copy of @opentelemetry/core's enum.
          const exported = (result.code as number) === (ExportResultCode.SUCCESS as number);
          metrics.spansExported(exported ? 'exported' : 'failed', spans.length);
          done(result);
        });
      },
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    };
    this.#batch = new BatchSpanProcessor(counting, config);
  }

  onStart(span: Span, parentContext: Context): void {
    this.#batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // The batch processor ignores unsampled spans: they never wait in its queue.
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) {
      if (this.#queued >= this.#maxQueueSize) {
        this.#droppedSinceWarning += 1;
        this.#metrics.spansExported('dropped', 1);
        return;
      }
      if (this.#droppedSinceWarning > 0) {
        diag.warn(
          `dropped ${this.#droppedSinceWarning} spans: ${this.#maxQueueSize} were waiting for export`,
        );
        this.#droppedSinceWarning = 0;
      }
      this.#queued += 1;
    }
    this.#batch.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#batch.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#batch.shutdown();
  }
}

/** Tracing off: only the propagators, so a caller's trace context still reaches the agents. */
function startPropagationOnly(): Telemetry {
  // False when a propagator is already registered (another gateway in this process): then it is not ours.
  const registered = propagation.setGlobalPropagator(w3cPropagator());
  let shutdown: Promise<void> | undefined;
  return {
    enabled: false,
    shutdown: () => {
      shutdown ??= Promise.resolve().then(() => {
        if (registered) propagation.disable();
      });
      return shutdown;
    },
  };
}

function w3cPropagator(): CompositePropagator {
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
}

function isRegistered(provider: NodeTracerProvider): boolean {
  const global = trace.getTracerProvider();
  return global instanceof ProxyTracerProvider && global.getDelegate() === provider;
}

async function boundedShutdown(
  provider: NodeTracerProvider,
  timeoutMs: number,
  logger: Pick<Logger, 'warn'> | undefined,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([provider.shutdown().then(() => 'done' as const), deadline]);
    if (outcome === 'timeout') {
      logger?.warn({ timeoutMs }, 'tracing shutdown timed out; spans not yet exported are dropped');
    }
  } catch (error) {
    logger?.warn({ err: error }, 'tracing shutdown failed; spans not yet exported are dropped');
  } finally {
    clearTimeout(timer);
  }
}

/** Every setting given, so that the exporters read none of their OTEL_EXPORTER_OTLP_* variables past the config. */
function createExporter(config: TelemetryConfig, url: string): SpanExporter {
  const timeoutMillis = config.exporterTimeoutMs;
  const compression =
    config.compression === OtlpCompression.gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE;
  const headers = { ...config.headers };
  switch (config.protocol) {
    case OtlpProtocol.httpJson:
      return new OtlpJsonTraceExporter({ url, headers, timeoutMillis, compression });
    case OtlpProtocol.httpProtobuf:
      return new OtlpProtobufTraceExporter({ url, headers, timeoutMillis, compression });
    case OtlpProtocol.grpc: {
      const metadata = new Metadata();
      for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
      return new OtlpGrpcTraceExporter({ url, metadata, timeoutMillis, compression });
    }
  }
}

function createSampler(name: TraceSamplerName, ratio: number): Sampler {
  switch (name) {
    case TraceSamplerName.alwaysOn:
      return new AlwaysOnSampler();
    case TraceSamplerName.alwaysOff:
      return new AlwaysOffSampler();
    case TraceSamplerName.traceIdRatio:
      return new TraceIdRatioBasedSampler(ratio);
    case TraceSamplerName.parentBasedAlwaysOn:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case TraceSamplerName.parentBasedAlwaysOff:
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case TraceSamplerName.parentBasedTraceIdRatio:
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

function serviceAttributes(serviceName: string): Record<string, string> {
  const version = gatewayVersion();
  return {
    [ATTR_SERVICE_NAME]: serviceName,
    ...(version !== undefined && { [ATTR_SERVICE_VERSION]: version }),
  };
}

/** The gateway's version from its package.json, the nearest one above this module (in src/ or dist/). */
function gatewayVersion(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        return pkg.name === 'bzzz' && typeof pkg.version === 'string' ? pkg.version : undefined;
      } catch {
        return undefined;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
