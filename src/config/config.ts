/**
 * The one configuration of the gateway: environment variables parsed once by a zod schema into a frozen
 * `Config` with defaults filled in and units in the names. Blank values count as unset. Every bad value
 * is reported at start-up, all at once, naming the variable. Nothing else reads `process.env` for
 * settings.
 */
import path from 'node:path';
import { z } from 'zod';

/** The values of `OTEL_EXPORTER_OTLP_PROTOCOL`. */
export const OtlpProtocol = {
  httpJson: 'http/json',
  httpProtobuf: 'http/protobuf',
  grpc: 'grpc',
} as const;
export type OtlpProtocol = (typeof OtlpProtocol)[keyof typeof OtlpProtocol];

/** The values of `OTEL_EXPORTER_OTLP_COMPRESSION`. */
export const OtlpCompression = { none: 'none', gzip: 'gzip' } as const;
export type OtlpCompression = (typeof OtlpCompression)[keyof typeof OtlpCompression];

/** The values of `OTEL_TRACES_SAMPLER` the gateway supports. */
export const TraceSamplerName = {
  alwaysOn: 'always_on',
  alwaysOff: 'always_off',
  traceIdRatio: 'traceidratio',
  parentBasedAlwaysOn: 'parentbased_always_on',
  parentBasedAlwaysOff: 'parentbased_always_off',
  parentBasedTraceIdRatio: 'parentbased_traceidratio',
} as const;
export type TraceSamplerName = (typeof TraceSamplerName)[keyof typeof TraceSamplerName];

/** The values of `OTEL_LOG_LEVEL`: how much of the OpenTelemetry SDK's own diagnostics reaches the log. */
export const OtelLogLevel = {
  none: 'none',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  verbose: 'verbose',
  all: 'all',
} as const;
export type OtelLogLevel = (typeof OtelLogLevel)[keyof typeof OtelLogLevel];

const blankAsUnset = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const port = (fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(65535).default(fallback));
const positiveInt = (fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().int().positive().default(fallback));
const optionalPositiveInt = z.preprocess(blankAsUnset, z.coerce.number().int().positive().optional());
const text = (fallback: string) => z.preprocess(blankAsUnset, z.string().default(fallback));
/** A word read in any case: blank counts as unset, anything else is trimmed and lowercased. */
const anyCase = (value: unknown): unknown => {
  const unset = blankAsUnset(value);
  return typeof unset === 'string' ? unset.trim().toLowerCase() : unset;
};
/** `true` / `false`, any case, as the OpenTelemetry specification reads booleans. */
const flag = (fallback: boolean) =>
  z.preprocess(
    anyCase,
    z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true'),
  );
const httpUrl = z.preprocess(
  blankAsUnset,
  z.string().trim().refine(isHttpUrl, { message: 'must be an http:// or https:// URL' }).optional(),
);
/** One of `values`; anything else is refused with the list. */
function oneOf<const T extends Readonly<Record<string, string>>>(values: T) {
  return z.enum(values, { message: `must be one of ${Object.values(values).join(', ')}` });
}
const otlpProtocol = z.preprocess(
  blankAsUnset,
  z.enum(Object.values(OtlpProtocol), { message: 'must be http/json, http/protobuf or grpc' }).optional(),
);
const otlpCompression = z.preprocess(
  blankAsUnset,
  z.enum(Object.values(OtlpCompression), { message: 'must be gzip or none' }).optional(),
);
const otlpHeaders = z.preprocess(
  blankAsUnset,
  z
    .string()
    .refine((v) => parseOtlpHeaders(v) !== undefined, {
      message: 'must be key=value pairs separated by commas',
    })
    .optional(),
);

const EnvSchema = z.object({
  BZZZ_HOST: text('127.0.0.1'),
  BZZZ_HTTP_PORT: port(8080),
  BZZZ_GRPC_PORT: port(50051),
  BZZZ_DATA_DIR: text('./data'),
  BZZZ_PUBLIC_URL: httpUrl,
  BZZZ_PUBLIC_GRPC_ADDRESS: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[^\s/:]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/, { message: 'must be host:port' })
      .optional(),
  ),
  BZZZ_STORE_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((v) => /^(postgres|postgresql|sqlite|memory):/.test(v), {
        message: 'must start with postgres://, postgresql://, sqlite: or memory:',
      })
      .optional(),
  ),
  BZZZ_LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  BZZZ_MAX_BODY_BYTES: positiveInt(4 * 1024 * 1024),
  BZZZ_INLINE_ARTIFACT_MAX_BYTES: positiveInt(64 * 1024),
  BZZZ_RUN_TIMEOUT_MS: optionalPositiveInt,
  BZZZ_AGENT_CALL_TIMEOUT_MS: positiveInt(30_000),
  BZZZ_HEALTH_CHECK_INTERVAL_MS: positiveInt(15_000),
  BZZZ_HEALTH_CHECK_FAILURES: positiveInt(3),
  BZZZ_SHUTDOWN_GRACE_MS: positiveInt(10_000),
  BZZZ_SSE_KEEP_ALIVE_MS: positiveInt(15_000),
  BZZZ_MAX_CONCURRENT_RUNS: positiveInt(10_000),
  // The standard OpenTelemetry SDK variables, read as the OpenTelemetry specification describes them.
  OTEL_SDK_DISABLED: flag(false),
  OTEL_SERVICE_NAME: text('bzzz'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol,
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders,
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: otlpHeaders,
  OTEL_TRACES_SAMPLER: z.preprocess(
    blankAsUnset,
    oneOf(TraceSamplerName).default(TraceSamplerName.parentBasedAlwaysOn),
  ),
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ message: 'must be a number from 0 to 1' })
      .min(0, { message: 'must be a number from 0 to 1' })
      .max(1, { message: 'must be a number from 0 to 1' })
      .optional(),
  ),
  BZZZ_TELEMETRY_SHUTDOWN_TIMEOUT_MS: positiveInt(5000),
  OTEL_BSP_SCHEDULE_DELAY: positiveInt(5000),
  OTEL_BSP_MAX_QUEUE_SIZE: positiveInt(2048),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: positiveInt(512),
  OTEL_BSP_EXPORT_TIMEOUT: positiveInt(30_000),
  OTEL_EXPORTER_OTLP_TIMEOUT: positiveInt(10_000),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: optionalPositiveInt,
  OTEL_EXPORTER_OTLP_COMPRESSION: otlpCompression,
  OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: otlpCompression,
  OTEL_LOG_LEVEL: z.preprocess(anyCase, oneOf(OtelLogLevel).default(OtelLogLevel.info)),
  BZZZ_TRACE_CONTENT: flag(false),
  BZZZ_TRACE_BAGGAGE_AGENTS: z.preprocess(blankAsUnset, z.string().optional()),
});

/** The checks across variables. */
const CheckedEnvSchema = EnvSchema.refine(
  (e) => e.OTEL_BSP_MAX_EXPORT_BATCH_SIZE <= e.OTEL_BSP_MAX_QUEUE_SIZE,
  { path: ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'], message: 'must not exceed OTEL_BSP_MAX_QUEUE_SIZE' },
);

/** Tracing and trace-content settings, from the standard `OTEL_*` variables and our `BZZZ_TRACE*` ones. */
export interface TelemetryConfig {
  /**
   * Whether spans are recorded and exported: `OTEL_SDK_DISABLED` is not `true` and a traces endpoint is
   * configured. When false no tracer provider is registered and the API stays a no-op.
   */
  readonly enabled: boolean;
  /** `OTEL_SERVICE_NAME`. @default bzzz */
  readonly serviceName: string;
  /**
   * Where spans go. `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is used as it is; otherwise for the HTTP
   * protocols `OTEL_EXPORTER_OTLP_ENDPOINT` with `v1/traces` appended to its path, and for gRPC that
   * endpoint as it is. Unset: nothing is exported.
   */
  readonly tracesEndpoint?: string;
  /** `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`. @default http/protobuf */
  readonly protocol: OtlpProtocol;
  /** Sent with every export: `OTEL_EXPORTER_OTLP_HEADERS`, overridden key by key by the traces-only ones. */
  readonly headers: Readonly<Record<string, string>>;
  /** `OTEL_TRACES_SAMPLER`. @default parentbased_always_on */
  readonly sampler: TraceSamplerName;
  /** `OTEL_TRACES_SAMPLER_ARG`: the share of traces the ratio samplers keep, 0 to 1. @default 1 */
  readonly samplerRatio: number;
  /** How long shutdown waits for the last spans to be exported before giving up. @default 5 s */
  readonly shutdownTimeoutMs: number;
  /** How long finished spans wait before a batch is exported (`OTEL_BSP_SCHEDULE_DELAY`). @default 5000 */
  readonly exportDelayMs: number;
  /** Finished spans kept for export at most; more are dropped (`OTEL_BSP_MAX_QUEUE_SIZE`). @default 2048 */
  readonly maxQueueSize: number;
  /** Spans per export request, at most the queue size (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`). @default 512 */
  readonly maxExportBatchSize: number;
  /** How long one export may take before it is abandoned (`OTEL_BSP_EXPORT_TIMEOUT`). @default 30000 */
  readonly exportTimeoutMs: number;
  /**
   * How long the exporter waits for the backend, retries included: `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`,
   * else `OTEL_EXPORTER_OTLP_TIMEOUT`. @default 10000
   */
  readonly exporterTimeoutMs: number;
  /** `OTEL_EXPORTER_OTLP_TRACES_COMPRESSION`, else `OTEL_EXPORTER_OTLP_COMPRESSION`. @default none */
  readonly compression: OtlpCompression;
  /**
   * `OTEL_LOG_LEVEL`, any case: the SDK's own diagnostics from this level up reach the gateway's log
   * (debug and verbose as pino `debug` lines, so `BZZZ_LOG_LEVEL=debug` as well). @default info
   */
  readonly diagLogLevel: OtelLogLevel;
  /** `BZZZ_TRACE_CONTENT`: record message and artifact text in span events. @default false */
  readonly traceContent: boolean;
  /** `BZZZ_TRACE_BAGGAGE_AGENTS`: the agents that receive the caller's `baggage`. @default none */
  readonly baggageAgents: readonly string[];
}

export type StoreConfig =
  | { readonly kind: 'memory' }
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

export interface Config {
  /** Address the HTTP and gRPC servers bind to. @default 127.0.0.1 */
  readonly host: string;
  /** 0 picks a free port. @default 8080 */
  readonly httpPort: number;
  /** 0 picks a free port. @default 50051 */
  readonly grpcPort: number;
  /**
   * Base URL clients reach the HTTP port at, for the A2A façade's agent cards (e.g. behind a proxy).
   * Unset: from `X-Forwarded-Proto` / `X-Forwarded-Host`, else the request's own `Host`.
   */
  readonly publicUrl?: string;
  /** `host:port` clients reach the gRPC port at, for the façade's cards. Unset: the public URL's host and `grpcPort`. */
  readonly publicGrpcAddress?: string;
  /** Holds the SQLite file and large artifact content. @default ./data */
  readonly dataDir: string;
  readonly store: StoreConfig;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest accepted request body. @default 4 MiB */
  readonly maxBodyBytes: number;
  /** Artifact content up to this size is stored inline; larger content goes to files. @default 64 KiB */
  readonly inlineArtifactMaxBytes: number;
  /** Default run time limit when a submission sets none. Unset: no limit. */
  readonly runTimeoutMs?: number;
  /** Limit on a single non-streaming call to an agent. @default 30 s */
  readonly agentCallTimeoutMs: number;
  readonly healthCheckIntervalMs: number;
  /** Consecutive failed checks that mark an agent unhealthy. @default 3 */
  readonly healthCheckFailures: number;
  /** How long shutdown lets in-flight runs and streams drain before forcing them. @default 10 s */
  readonly shutdownGraceMs: number;
  /** Interval of keep-alive comments on idle SSE streams (run watches and the A2A façade). @default 15 s */
  readonly sseKeepAliveMs: number;
  /** Runs executing at once; further submissions wait in `pending`. @default 10000 */
  readonly maxConcurrentRuns: number;
  readonly telemetry: TelemetryConfig;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function storeConfig(url: string | undefined, dataDir: string): StoreConfig {
  if (url === undefined) return { kind: 'sqlite', file: path.join(dataDir, 'bzzz.sqlite') };
  if (url.startsWith('postgres')) return { kind: 'postgres', url };
  if (url === 'memory:') return { kind: 'memory' };
  const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
  return { kind: 'sqlite', file: file === '' ? path.join(dataDir, 'bzzz.sqlite') : file };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Parses `OTEL_EXPORTER_OTLP_HEADERS`: `key=value` pairs separated by commas, values percent-decoded
 * (the W3C Baggage format, as the specification says). Undefined when malformed.
 */
function parseOtlpHeaders(value: string): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    if (at <= 0) return undefined;
    const key = pair.slice(0, at).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) return undefined;
    try {
      headers[key.toLowerCase()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return undefined;
    }
  }
  return headers;
}

/** The spec's rule for OTLP/HTTP: the signal path is appended to the base endpoint's path. */
function withTracesPath(base: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

type Env = z.infer<typeof EnvSchema>;

function telemetryConfig(e: Env): TelemetryConfig {
  const protocol =
    e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL ?? OtlpProtocol.httpProtobuf;
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesEndpoint =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (base === undefined || protocol === OtlpProtocol.grpc ? base : withTracesPath(base));
  return Object.freeze({
    enabled: !e.OTEL_SDK_DISABLED && tracesEndpoint !== undefined,
    serviceName: e.OTEL_SERVICE_NAME,
    ...(tracesEndpoint !== undefined && { tracesEndpoint }),
    protocol,
    headers: Object.freeze({
      ...parseOtlpHeaders(e.OTEL_EXPORTER_OTLP_HEADERS ?? ''),
      ...parseOtlpHeaders(e.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? ''),
    }),
    sampler: e.OTEL_TRACES_SAMPLER,
    samplerRatio: e.OTEL_TRACES_SAMPLER_ARG ?? 1,
    shutdownTimeoutMs: e.BZZZ_TELEMETRY_SHUTDOWN_TIMEOUT_MS,
    exportDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
    maxQueueSize: e.OTEL_BSP_MAX_QUEUE_SIZE,
    maxExportBatchSize: e.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
    exportTimeoutMs: e.OTEL_BSP_EXPORT_TIMEOUT,
    exporterTimeoutMs: e.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? e.OTEL_EXPORTER_OTLP_TIMEOUT,
    compression:
      e.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION ?? e.OTEL_EXPORTER_OTLP_COMPRESSION ?? OtlpCompression.none,
    diagLogLevel: e.OTEL_LOG_LEVEL,
    traceContent: e.BZZZ_TRACE_CONTENT,
    baggageAgents: Object.freeze(
      (e.BZZZ_TRACE_BAGGAGE_AGENTS ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
  });
}

/** Parses the environment (or any record of the same variables) into a frozen `Config`. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const parsed = CheckedEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    host: e.BZZZ_HOST,
    httpPort: e.BZZZ_HTTP_PORT,
    grpcPort: e.BZZZ_GRPC_PORT,
    ...(e.BZZZ_PUBLIC_URL !== undefined && { publicUrl: e.BZZZ_PUBLIC_URL }),
    ...(e.BZZZ_PUBLIC_GRPC_ADDRESS !== undefined && { publicGrpcAddress: e.BZZZ_PUBLIC_GRPC_ADDRESS }),
    dataDir: e.BZZZ_DATA_DIR,
    store: storeConfig(e.BZZZ_STORE_URL, e.BZZZ_DATA_DIR),
    logLevel: e.BZZZ_LOG_LEVEL,
    maxBodyBytes: e.BZZZ_MAX_BODY_BYTES,
    inlineArtifactMaxBytes: e.BZZZ_INLINE_ARTIFACT_MAX_BYTES,
    ...(e.BZZZ_RUN_TIMEOUT_MS !== undefined && { runTimeoutMs: e.BZZZ_RUN_TIMEOUT_MS }),
    agentCallTimeoutMs: e.BZZZ_AGENT_CALL_TIMEOUT_MS,
    healthCheckIntervalMs: e.BZZZ_HEALTH_CHECK_INTERVAL_MS,
    healthCheckFailures: e.BZZZ_HEALTH_CHECK_FAILURES,
    shutdownGraceMs: e.BZZZ_SHUTDOWN_GRACE_MS,
    sseKeepAliveMs: e.BZZZ_SSE_KEEP_ALIVE_MS,
    maxConcurrentRuns: e.BZZZ_MAX_CONCURRENT_RUNS,
    telemetry: telemetryConfig(e),
  });
}
