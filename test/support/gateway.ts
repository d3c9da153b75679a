/**
 * Starts a real gateway for integration tests: real HTTP and gRPC servers on 127.0.0.1 port 0, a real
 * SQLite file (or the in-memory store) in a fresh temporary data directory, logging silenced.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { loadConfig, type Config } from '../../src/config/config.js';
import { createGateway, type Gateway, type GatewayOverrides } from '../../src/gateway.js';

export interface TestGateway {
  readonly gateway: Gateway;
  readonly config: Config;
  readonly dataDir: string;
  readonly httpUrl: string;
  readonly grpcAddress: string;
  /** Closes the gateway; the data directory is kept unless `removeData`. */
  close(options?: { removeData?: boolean }): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'bzzz-test-'));
}

export async function startTestGateway(
  options: { dataDir?: string; env?: Record<string, string>; overrides?: GatewayOverrides } = {},
): Promise<TestGateway> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const config = loadConfig({
    BZZZ_HTTP_PORT: '0',
    BZZZ_GRPC_PORT: '0',
    BZZZ_DATA_DIR: dataDir,
    BZZZ_LOG_LEVEL: 'silent',
    BZZZ_SHUTDOWN_GRACE_MS: '2000',
    ...options.env,
  });
  const gateway = await createGateway(config, options.overrides);
  await gateway.start();
  return {
    gateway,
    config,
    dataDir,
    httpUrl: `http://127.0.0.1:${gateway.httpPort}`,
    grpcAddress: `127.0.0.1:${gateway.grpcPort}`,
    async close(closeOptions = {}) {
      await gateway.close();
      if (closeOptions.removeData === true) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
