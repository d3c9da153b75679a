/**
 * The composition root: `createGateway(config)` is the one place that picks concrete adapters (store,
 * agent client, transports) and wires them into the application services. `start()` opens the store,
 * recovers unfinished runs and starts the servers; `close()` shuts down in reverse order with a deadline.
 */
import { DefaultAgentRegistry } from './app/agent-registry.js';
import { DefaultArtifactService } from './app/artifact-service.js';
import { DefaultRunService } from './app/run-service.js';
import { RunTelemetry } from './app/run-telemetry.js';
import type { GatewayServices } from './app/services.js';
import { DefaultSessionService } from './app/session-service.js';
import type { Config } from './config/config.js';
import { ErrorCode, GatewayError } from './errors/gateway-error.js';
import { InProcessRunEventBus, type RunEventBus } from './events/run-event-bus.js';
import { createLogger, type Logger } from './logging/logger.js';
import type { A2AClient } from './remote/a2a-client.js';
import { BindingA2AClient } from './remote/binding-a2a-client.js';
import { InMemoryStore } from './store/memory/in-memory-store.js';
import { PostgresStore } from './store/postgres/postgres-store.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';
import { DefaultFacadeService } from './facade/facade-service.js';
import { FACADE_PATH_PREFIX } from './facade/agent-card-rewrite.js';
import { GrpcServer } from './transport/grpc/grpc-server.js';
import { createA2AHttpRouter } from './transport/http/a2a-http.js';
import { HttpServer } from './transport/http/http-server.js';
import { metricsHandler, PrometheusMetrics } from './telemetry/prometheus-metrics.js';
import { startTracing, type Telemetry } from './telemetry/tracing.js';

/** Replaceable parts, for tests and embedding. */
export interface GatewayOverrides {
  readonly store?: Store;
  readonly client?: A2AClient;
  readonly logger?: Logger;
}

/**
 * - `created`: built, nothing open.
 * - `running`: store open, servers listening, ready.
 * - `closing`: not ready; draining.
 * - `closed`: everything released.
 */
export type GatewayState = 'created' | 'starting' | 'running' | 'closing' | 'closed';

export interface Gateway {
  readonly services: GatewayServices;
  readonly logger: Logger;
  readonly state: GatewayState;
  /** Bound ports, known after `start()`. */
  readonly httpPort: number;
  readonly grpcPort: number;
  start(): Promise<void>;
  /** Idempotent: every call returns the same promise. */
  close(): Promise<void>;
}

export function createStore(config: Config, logger: Logger): Store {
  switch (config.store.kind) {
    case 'memory':
      return new InMemoryStore();
    case 'sqlite':
      return new SqliteStore({ file: config.store.file });
    case 'postgres':
      return new PostgresStore({
        url: config.store.url,
        // The pool has already dropped the connection; a server going away should still be seen.
        onPoolError: (error) =>
          logger.warn(
            { component: 'store', error: error.message },
            'PostgreSQL ended an idle pooled connection; the next query opens a new one',
          ),
      });
  }
}

export async function createGateway(config: Config, overrides: GatewayOverrides = {}): Promise<Gateway> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const store = overrides.store ?? createStore(config, logger);
  const client = overrides.client ?? new BindingA2AClient({ defaultTimeoutMs: config.agentCallTimeoutMs });
  const bus: RunEventBus = new InProcessRunEventBus();
  const artifacts = new DefaultArtifactService({
    store,
    dataDir: config.dataDir,
    inlineMaxBytes: config.inlineArtifactMaxBytes,
  });
  const agents = new DefaultAgentRegistry({
    store,
    client,
    logger,
    healthCheckIntervalMs: config.healthCheckIntervalMs,
    failuresBeforeUnhealthy: config.healthCheckFailures,
    callTimeoutMs: config.agentCallTimeoutMs,
  });
  // Read at scrape time; `runs` exists by then.
  const metrics = new PrometheusMetrics({
    sources: {
      activeRuns: () => runs.activeCount,
      openWatchStreams: () => bus.subscriberCount(),
      agents: async () => (await store.listAllAgents()).map(({ name, health }) => ({ name, health })),
      ...(store instanceof SqliteStore && { sqliteFiles: () => store.fileSizes() }),
    },
  });
  const runs: DefaultRunService = new DefaultRunService({
    store,
    bus,
    client,
    agents,
    artifacts,
    logger,
    agentCallTimeoutMs: config.agentCallTimeoutMs,
    maxConcurrentRuns: config.maxConcurrentRuns,
    telemetry: new RunTelemetry({ metrics, recordContent: config.telemetry.traceContent }),
    baggageAgents: new Set(config.telemetry.baggageAgents),
    ...(config.runTimeoutMs !== undefined && { defaultRunTimeoutMs: config.runTimeoutMs }),
  });

  let state: GatewayState = 'created';
  const services: GatewayServices = {
    runs,
    sessions: new DefaultSessionService(store),
    agents,
    artifacts,
    isReady: () => state === 'running',
  };
  const facade = new DefaultFacadeService({
    agents,
    runs,
    client,
    agentCallTimeoutMs: config.agentCallTimeoutMs,
    addresses: () => {
      const httpBaseUrl = config.publicUrl ?? `http://${hostForUrl(config.host)}:${http.port}`;
      return { httpBaseUrl, grpcAddress: grpcAddressFor(httpBaseUrl) };
    },
  });
  const grpcAddressFor = (httpBaseUrl: string): string =>
    config.publicGrpcAddress ?? `${new URL(httpBaseUrl).hostname}:${grpc.port}`;
  const a2aRouter = createA2AHttpRouter({
    facade,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    keepAliveMs: config.sseKeepAliveMs,
    ...(config.publicUrl !== undefined && { publicUrl: config.publicUrl }),
    grpcAddress: grpcAddressFor,
  });
  const http = new HttpServer({
    services,
    logger,
    host: config.host,
    port: config.httpPort,
    maxBodyBytes: config.maxBodyBytes,
    sseKeepAliveMs: config.sseKeepAliveMs,
    mounts: [
      { path: '/metrics', handler: metricsHandler(metrics) },
      { path: FACADE_PATH_PREFIX, handler: a2aRouter },
    ],
  });
  const grpc = new GrpcServer({ services, logger, host: config.host, port: config.grpcPort, facade });
  let closing: Promise<void> | undefined;
  let tracing: Telemetry | undefined;

  return {
    services,
    logger,
    get state() {
      return state;
    },
    get httpPort() {
      return http.port;
    },
    get grpcPort() {
      return grpc.port;
    },
    async start() {
      if (state !== 'created') {
        throw new GatewayError(ErrorCode.INTERNAL, `cannot start a gateway that is ${state}`);
      }
      state = 'starting';
      // First, so that everything after it is traced (or, with tracing off, propagates context).
      tracing = startTracing(config.telemetry, { logger, metrics });
      await store.start();
      await runs.start();
      agents.start();
      await Promise.all([http.start(), grpc.start()]);
      state = 'running';
      grpc.setServing(true);
      logger.info(
        { httpPort: http.port, grpcPort: grpc.port, store: config.store.kind, dataDir: config.dataDir },
        'bzzz gateway started',
      );
    },
    close() {
      closing ??= (async () => {
        state = 'closing';
        grpc.setServing(false);
        // Transports stop taking new calls while in-flight runs drain; then everything else closes.
        const deadline = config.shutdownGraceMs;
        await Promise.all([runs.close(deadline), http.close(deadline), grpc.close(deadline)]);
        await agents.close();
        await tracing?.shutdown();
        await client.close();
        await store.close();
        state = 'closed';
        logger.info('bzzz gateway stopped');
      })();
      return closing;
    },
  };
}

/** A bind address as the host of a URL: IPv6 in brackets, the wildcard as the loopback. */
function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
