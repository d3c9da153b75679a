/**
 * Durability: a new gateway process on the same SQLite file serves the same agents, runs, steps and
 * artifacts; a run the previous process left unfinished is resolved, not lost.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEchoAgent } from '../../examples/echo-agent.js';
import type { RunningAgent } from '../../examples/serve-agent.js';
import { systemContext } from '../../src/domain/call-context.js';
import { newRun, startRun, nextVersion } from '../../src/domain/run.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createGrpcGatewayClient } from '../support/grpc-gateway-client.js';
import { makeDataDir, startTestGateway } from '../support/gateway.js';
import { settle } from './api-behaviour.js';

describe('restart on the same SQLite file', () => {
  let echo: RunningAgent;
  let dataDir: string;

  beforeAll(async () => {
    echo = await startEchoAgent();
    dataDir = await makeDataDir();
  });
  afterAll(async () => {
    await echo?.close();
  });

  it('serves the same runs, steps, artifacts and agents after a restart', async () => {
    const first = await startTestGateway({ dataDir });
    const firstClient = createGrpcGatewayClient(first.grpcAddress);
    await firstClient.registerAgent({ name: 'echo', url: echo.url });
    const done = await settle(
      firstClient,
      (await firstClient.submitRun({ agent: 'echo', text: 'remember me' })).run.id,
    );
    expect(done.run.status).toBe('completed');
    await firstClient.close();
    await first.close();

    const second = await startTestGateway({ dataDir });
    const secondClient = createGrpcGatewayClient(second.grpcAddress);
    try {
      const again = await secondClient.getRun(done.run.id);
      expect(again).toEqual(done);
      expect(Buffer.from(await secondClient.readArtifact(done.artifacts[0]!.id)).toString()).toBe(
        'echo: remember me',
      );
      expect((await secondClient.listAgents()).map((a) => a.name)).toEqual(['echo']);
      const more = await settle(
        secondClient,
        (await secondClient.submitRun({ agent: 'echo', text: 'still here' })).run.id,
      );
      expect(more.run.status).toBe('completed');
    } finally {
      await secondClient.close();
      await second.close({ removeData: true });
    }
  });

  it('keeps content above the inline limit in a file, spread by the id’s random last digits, served after a restart', async () => {
    const dir = await makeDataDir();
    const env = { BZZZ_INLINE_ARTIFACT_MAX_BYTES: '16' };
    const text = 'larger than sixteen bytes';
    const first = await startTestGateway({ dataDir: dir, env });
    const firstClient = createGrpcGatewayClient(first.grpcAddress);
    await firstClient.registerAgent({ name: 'echo', url: echo.url });
    const done = await settle(firstClient, (await firstClient.submitRun({ agent: 'echo', text })).run.id);
    await firstClient.close();
    await first.close();

    const { id } = done.artifacts[0]!;
    expect((await readFile(path.join(dir, 'artifacts', id.slice(-2), id))).toString()).toBe(`echo: ${text}`);
    const second = await startTestGateway({ dataDir: dir, env });
    const secondClient = createGrpcGatewayClient(second.grpcAddress);
    try {
      expect(Buffer.from(await secondClient.readArtifact(id)).toString()).toBe(`echo: ${text}`);
    } finally {
      await secondClient.close();
      await second.close({ removeData: true });
    }
  });

  it('resolves runs a stopped process left behind: pending runs execute, orphaned running runs fail retryably', async () => {
    const dir = await makeDataDir();
    const store = new SqliteStore({ file: `${dir}/bzzz.sqlite` });
    await store.start();
    const ctx = systemContext();
    const pending = newRun({
      target: { kind: 'a2aAgent', url: echo.url },
      input: { parts: [{ text: 'late' }] },
    });
    const orphan = nextVersion(
      startRun(newRun({ target: { kind: 'a2aAgent', url: echo.url }, input: { parts: [{ text: 'x' }] } })),
    );
    await store.createRun(pending, ctx);
    await store.createRun({ ...orphan, version: 1 }, ctx);
    await store.updateRun({ ...orphan, version: 2 }, ctx);
    await store.close();

    const gateway = await startTestGateway({ dataDir: dir });
    const client = createGrpcGatewayClient(gateway.grpcAddress);
    try {
      expect((await settle(client, pending.id)).run.status).toBe('completed');
      const failed = await client.getRun(orphan.id);
      expect(failed.run.status).toBe('failed');
      expect(failed.run.error?.kind).toBe('RuntimeError');
    } finally {
      await client.close();
      await gateway.close({ removeData: true });
    }
  });
});
