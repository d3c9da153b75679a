import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './config.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills in the documented defaults, with SQLite under the data directory', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      httpPort: 8080,
      grpcPort: 50051,
      dataDir: './data',
      store: { kind: 'sqlite', file: path.join('./data', 'bzzz.sqlite') },
      logLevel: 'info',
      maxBodyBytes: 4 * 1024 * 1024,
      inlineArtifactMaxBytes: 64 * 1024,
      agentCallTimeoutMs: 30_000,
      shutdownGraceMs: 10_000,
    });
    expect(config.runTimeoutMs).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      BZZZ_HTTP_PORT: '0',
      BZZZ_GRPC_PORT: '6000',
      BZZZ_DATA_DIR: '/var/lib/bzzz',
      BZZZ_RUN_TIMEOUT_MS: '5000',
      BZZZ_LOG_LEVEL: 'debug',
    });
    expect(config.httpPort).toBe(0);
    expect(config.grpcPort).toBe(6000);
    expect(config.store).toEqual({ kind: 'sqlite', file: '/var/lib/bzzz/bzzz.sqlite' });
    expect(config.runTimeoutMs).toBe(5000);
    expect(config.logLevel).toBe('debug');
  });

  it('selects the store from BZZZ_STORE_URL', () => {
    expect(loadConfig({ BZZZ_STORE_URL: 'postgres://u@db:5432/bzzz' }).store).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/bzzz',
    });
    expect(loadConfig({ BZZZ_STORE_URL: 'sqlite:/tmp/x.db' }).store).toEqual({
      kind: 'sqlite',
      file: '/tmp/x.db',
    });
    expect(loadConfig({ BZZZ_STORE_URL: 'memory:' }).store).toEqual({ kind: 'memory' });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ BZZZ_HTTP_PORT: '  ', BZZZ_STORE_URL: '' }).httpPort).toBe(8080);
  });

  it('names every bad value at once', () => {
    const error = configError({
      BZZZ_HTTP_PORT: 'eighty',
      BZZZ_GRPC_PORT: '70000',
      BZZZ_STORE_URL: 'mysql://db',
      BZZZ_LOG_LEVEL: 'loud',
      BZZZ_MAX_BODY_BYTES: '-1',
    });
    const named = error.issues.map((issue) => issue.split(':')[0]);
    expect(named.sort()).toEqual(
      ['BZZZ_GRPC_PORT', 'BZZZ_HTTP_PORT', 'BZZZ_LOG_LEVEL', 'BZZZ_MAX_BODY_BYTES', 'BZZZ_STORE_URL'].sort(),
    );
    expect(error.message).toContain('BZZZ_STORE_URL: must start with postgres://');
  });
});

describe('loadConfig: telemetry', () => {
  it('is off by default: no endpoint, parent-based always-on sampling, no content, no baggage', () => {
    expect(loadConfig({}).telemetry).toEqual({
      enabled: false,
      serviceName: 'bzzz',
      protocol: 'http/protobuf',
      headers: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      shutdownTimeoutMs: 5000,
      exportDelayMs: 5000,
      maxQueueSize: 2048,
      maxExportBatchSize: 512,
      exportTimeoutMs: 30_000,
      exporterTimeoutMs: 10_000,
      compression: 'none',
      diagLogLevel: 'info',
      traceContent: false,
      baggageAgents: [],
    });
    expect(loadConfig({ OTEL_BSP_SCHEDULE_DELAY: '50' }).telemetry.exportDelayMs).toBe(50);
    expect(() => loadConfig({ OTEL_BSP_SCHEDULE_DELAY: 'soon' })).toThrow(/OTEL_BSP_SCHEDULE_DELAY/);
    expect(Object.isFrozen(loadConfig({}).telemetry)).toBe(true);
  });

  it('is on when an endpoint is configured, unless OTEL_SDK_DISABLED is true (any case)', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(loadConfig(endpoint).telemetry.enabled).toBe(true);
    expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: 'false' }).telemetry.enabled).toBe(true);
    expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' }).telemetry.enabled).toBe(false);
    expect(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: ' ' }).telemetry.enabled).toBe(true);
    expect(loadConfig({ OTEL_SDK_DISABLED: 'false' }).telemetry.enabled).toBe(false);
  });

  it('appends v1/traces to the base endpoint for the HTTP protocols, keeping its path', () => {
    const traces = (env: Record<string, string>) => loadConfig(env).telemetry.tracesEndpoint;
    expect(traces({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(traces({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector/otlp/' })).toBe(
      'https://collector/otlp/v1/traces',
    );
    expect(
      traces({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }),
    ).toBe('http://collector:4318/v1/traces');
  });

  it('uses the base endpoint as it is for gRPC', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    });
    expect(config.telemetry).toMatchObject({ tracesEndpoint: 'http://collector:4317', protocol: 'grpc' });
  });

  it('prefers the traces endpoint and uses it as it is', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom',
    });
    expect(config.telemetry.tracesEndpoint).toBe('http://traces:9999/custom');
    expect(config.telemetry.enabled).toBe(true);
  });

  it('prefers the traces protocol over the general one', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).telemetry.protocol).toBe('grpc');
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' })
        .telemetry.protocol,
    ).toBe('http/json');
  });

  it('reads the service name, sampler, its ratio, the shutdown timeout, content and baggage settings', () => {
    const { telemetry } = loadConfig({
      OTEL_SERVICE_NAME: 'edge-gateway',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      BZZZ_TELEMETRY_SHUTDOWN_TIMEOUT_MS: '1500',
      BZZZ_TRACE_CONTENT: 'true',
      BZZZ_TRACE_BAGGAGE_AGENTS: ' echo, ,planner ',
    });
    expect(telemetry).toMatchObject({
      serviceName: 'edge-gateway',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      shutdownTimeoutMs: 1500,
      traceContent: true,
      baggageAgents: ['echo', 'planner'],
    });
    for (const sampler of ['always_on', 'always_off', 'traceidratio', 'parentbased_always_off']) {
      expect(loadConfig({ OTEL_TRACES_SAMPLER: sampler }).telemetry.sampler).toBe(sampler);
    }
  });

  it('reads the batch processor and exporter settings, the traces-only ones winning, and checks them', () => {
    const { telemetry } = loadConfig({
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '100',
      OTEL_BSP_EXPORT_TIMEOUT: '2000',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
    });
    expect(telemetry).toMatchObject({
      maxQueueSize: 100,
      maxExportBatchSize: 100,
      exportTimeoutMs: 2000,
      exporterTimeoutMs: 3000,
    });
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_TIMEOUT: '3000', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '500' }).telemetry
        .exporterTimeoutMs,
    ).toBe(500);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }).telemetry.compression).toBe('gzip');
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip', OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'none' })
        .telemetry.compression,
    ).toBe('none');
    expect(configError({ OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' }).issues).toEqual([
      'OTEL_EXPORTER_OTLP_COMPRESSION: must be gzip or none',
    ]);
    expect(
      configError({ OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '11' }).issues,
    ).toEqual(['OTEL_BSP_MAX_EXPORT_BATCH_SIZE: must not exceed OTEL_BSP_MAX_QUEUE_SIZE']);
    const named = configError({
      OTEL_BSP_EXPORT_TIMEOUT: '0',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: 'soon',
    }).issues.map((issue) => issue.split(':')[0]);
    expect(named.sort()).toEqual(['OTEL_BSP_EXPORT_TIMEOUT', 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT']);
  });

  it('reads OTEL_LOG_LEVEL in any case, info by default, and refuses other values', () => {
    expect(loadConfig({}).telemetry.diagLogLevel).toBe('info');
    expect(loadConfig({ OTEL_LOG_LEVEL: ' ' }).telemetry.diagLogLevel).toBe('info');
    expect(loadConfig({ OTEL_LOG_LEVEL: 'DEBUG' }).telemetry.diagLogLevel).toBe('debug');
    expect(loadConfig({ OTEL_LOG_LEVEL: 'none' }).telemetry.diagLogLevel).toBe('none');
    expect(configError({ OTEL_LOG_LEVEL: 'loud' }).issues).toEqual([
      'OTEL_LOG_LEVEL: must be one of none, error, warn, info, debug, verbose, all',
    ]);
  });

  it('parses the OTLP headers, percent-decoding values, the traces-only ones overriding key by key', () => {
    const { telemetry } = loadConfig({
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%20123, X-Tenant=blue,',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=green',
    });
    expect(telemetry.headers).toEqual({ 'api-key': 'abc 123', 'x-tenant': 'green' });
  });

  it('names every bad telemetry value at once', () => {
    const error = configError({
      OTEL_SDK_DISABLED: 'yes',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://collector',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'thrift',
      OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'bad key=1',
      OTEL_TRACES_SAMPLER: 'jaeger_remote',
      OTEL_TRACES_SAMPLER_ARG: '1.5',
      BZZZ_TELEMETRY_SHUTDOWN_TIMEOUT_MS: '0',
      BZZZ_TRACE_CONTENT: 'on',
    });
    const named = error.issues.map((issue) => issue.split(':')[0]);
    expect(named.sort()).toEqual(
      [
        'BZZZ_TELEMETRY_SHUTDOWN_TIMEOUT_MS',
        'BZZZ_TRACE_CONTENT',
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        'OTEL_EXPORTER_OTLP_HEADERS',
        'OTEL_EXPORTER_OTLP_PROTOCOL',
        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
        'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
        'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
        'OTEL_SDK_DISABLED',
        'OTEL_TRACES_SAMPLER',
        'OTEL_TRACES_SAMPLER_ARG',
      ].sort(),
    );
    expect(error.message).toContain('OTEL_SDK_DISABLED: must be true or false');
    expect(error.message).toContain('OTEL_EXPORTER_OTLP_PROTOCOL: must be http/json, http/protobuf or grpc');
    expect(error.message).toContain('OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1');
    expect(configError({ OTEL_TRACES_SAMPLER_ARG: 'half' }).issues).toEqual([
      'OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1',
    ]);
    expect(configError({ OTEL_EXPORTER_OTLP_HEADERS: 'k=%zz' }).issues[0]).toMatch(
      /^OTEL_EXPORTER_OTLP_HEADERS: /,
    );
  });
});
