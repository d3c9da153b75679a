/**
 * The one configuration of the gateway: environment variables parsed once by a zod schema into a frozen
 * `Config` with defaults filled in and units in the names. Blank values count as unset. Every bad value
 * is reported at start-up, all at once, naming the variable. Nothing else reads `process.env` for
 * settings.
 */
import path from 'node:path';
import { z } from 'zod';

const blankAsUnset = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const port = (fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(65535).default(fallback));
const positiveInt = (fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().int().positive().default(fallback));
const optionalPositiveInt = z.preprocess(blankAsUnset, z.coerce.number().int().positive().optional());
const text = (fallback: string) => z.preprocess(blankAsUnset, z.string().default(fallback));

const EnvSchema = z.object({
  BZZZ_HOST: text('127.0.0.1'),
  BZZZ_HTTP_PORT: port(8080),
  BZZZ_GRPC_PORT: port(50051),
  BZZZ_DATA_DIR: text('./data'),
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
  BZZZ_MAX_CONCURRENT_RUNS: positiveInt(10_000),
});

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
  /** Runs executing at once; further submissions wait in `pending`. @default 10000 */
  readonly maxConcurrentRuns: number;
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

/** Parses the environment (or any record of the same variables) into a frozen `Config`. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    host: e.BZZZ_HOST,
    httpPort: e.BZZZ_HTTP_PORT,
    grpcPort: e.BZZZ_GRPC_PORT,
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
    maxConcurrentRuns: e.BZZZ_MAX_CONCURRENT_RUNS,
  });
}
