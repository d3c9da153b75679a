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
