/**
 * The `bzzz` CLI against a running gateway: `bzzz serve` started in-process (SQLite in a temp dir) with
 * a real echo agent, then the documented commands end to end, then SIGTERM stops the server cleanly.
 */
import { createServer } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEchoAgent } from '../../examples/echo-agent.js';
import { startInputAgent } from '../../examples/input-agent.js';
import type { RunningAgent } from '../../examples/serve-agent.js';
import { runCli, serveGateway } from '../../src/cli/cli.js';
import { makeDataDir } from '../support/gateway.js';
import { GatewayGrpcClient } from '../../src/transport/grpc/gateway-grpc-client.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('bzzz against a running gateway', () => {
  let echo: RunningAgent;
  let asker: RunningAgent;
  let gateway: string;
  let serving: Promise<number>;
  let serveErr = '';

  async function cli(...argv: string[]): Promise<CliResult> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { BZZZ_GATEWAY: gateway },
    });
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    [echo, asker] = await Promise.all([startEchoAgent(), startInputAgent()]);
    const grpcPort = await freePort();
    gateway = `127.0.0.1:${grpcPort}`;
    serving = serveGateway({
      stdout: { write: () => true },
      stderr: { write: (s: string) => (serveErr += s) },
      env: {
        BZZZ_GRPC_PORT: String(grpcPort),
        BZZZ_HTTP_PORT: '0',
        BZZZ_DATA_DIR: await makeDataDir(),
        BZZZ_LOG_LEVEL: 'silent',
      },
    });
    // Ready when the gRPC API answers.
    const probe = new GatewayGrpcClient({ address: gateway });
    try {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await probe.listAgents();
          break;
        } catch (error) {
          if (attempt > 100) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      await probe.close();
    }
  });

  afterAll(async () => {
    await Promise.all([echo?.close(), asker?.close()]);
  });

  it('registers, lists and shows agents', async () => {
    const registered = await cli('agents', 'register', 'echo', echo.url, '--label', 'team=core');
    expect(registered.code).toBe(0);
    expect(registered.stdout).toContain('echo');
    expect((await cli('agents', 'register', 'asker', asker.url)).code).toBe(0);
    const list = await cli('agents', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/asker[\s\S]*echo/);
    const got = await cli('agents', 'get', 'echo', '--json');
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({
      name: 'echo',
      health: 'healthy',
      labels: { team: 'core' },
    });
  });

  it('runs an agent with --wait --json and prints the final run with steps and artifacts', async () => {
    const result = await cli('run', 'echo', 'hello cli', '--wait', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout);
    expect(run).toMatchObject({ status: 'completed' });
    expect(typeof run.id).toBe('string');
    expect(run.steps).toHaveLength(1);
    expect(run.artifacts).toHaveLength(1);

    const fetched = await cli('runs', 'get', run.id, '--json');
    expect(JSON.parse(fetched.stdout).id).toBe(run.id);
    const listed = await cli('runs', 'list', '--status', 'completed');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(run.id);
  });

  it('runs a URL target, watches it, and continues a run that asks for input', async () => {
    const watched = await cli('run', echo.url, 'by url', '--watch');
    expect(watched.code).toBe(0);
    expect(watched.stdout).toContain('completed');

    const waiting = await cli('run', 'asker', 'hi', '--wait', '--json');
    expect(waiting.code).toBe(0);
    const run = JSON.parse(waiting.stdout);
    expect(run.status).toBe('input_required');
    const answered = await cli('runs', 'input', run.id, 'Ada', '--wait');
    expect(answered.code).toBe(0);
    expect(answered.stdout).toContain('completed');
  });

  it('exits non-zero with the error code for an unknown agent and for a failed run', async () => {
    const unknown = await cli('run', 'nobody', 'x', '--wait');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('AGENT_NOT_FOUND');
    const down = await cli('run', 'http://127.0.0.1:1', 'x', '--wait');
    expect(down.code).toBe(1);
    expect(down.stdout + down.stderr).toContain('failed');
  });

  it('cancels, removes agents, and manages sessions', async () => {
    const created = await cli('sessions', 'create', 'chat', '--json');
    expect(created.code).toBe(0);
    const sessionId = JSON.parse(created.stdout).session.id as string;
    const inSession = JSON.parse(
      (await cli('run', 'echo', 'one', '--session', sessionId, '--wait', '--json')).stdout,
    );
    const session = await cli('sessions', 'get', sessionId, '--json');
    expect(JSON.parse(session.stdout).runIds).toEqual([inSession.id]);
    expect((await cli('sessions', 'end', sessionId)).code).toBe(0);
    const waiting = JSON.parse((await cli('run', 'asker', 'hi', '--wait', '--json')).stdout);
    const cancelled = await cli('runs', 'cancel', waiting.id);
    expect(cancelled.stderr).toBe('');
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain('cancelled');
    expect((await cli('agents', 'remove', 'asker')).code).toBe(0);
    expect((await cli('agents', 'get', 'asker')).code).toBe(1);
  });

  it('run --idempotency-key submits once: a retry prints the same run, another target is refused', async () => {
    const first = JSON.parse(
      (await cli('run', 'echo', 'once', '--idempotency-key', 'cli-key', '--json')).stdout,
    );
    const retry = await cli('run', 'echo', 'once', '--idempotency-key', 'cli-key', '--wait', '--json');
    expect(retry.code).toBe(0);
    const again = JSON.parse(retry.stdout);
    expect(again).toMatchObject({ id: first.id, idempotencyKey: 'cli-key', status: 'completed' });
    expect(again.steps).toHaveLength(1);
    const shown = await cli('runs', 'get', first.id);
    expect(shown.stdout).toContain('\n  key      cli-key\n');
    const reused = await cli('run', echo.url, 'once', '--idempotency-key', 'cli-key');
    expect(reused.code).toBe(1);
    expect(reused.stderr).toContain(`RUN_ALREADY_EXISTS`);
    expect(reused.stderr).toContain(first.id);
  });

  it('stops `bzzz serve` cleanly on SIGTERM', async () => {
    process.emit('SIGTERM');
    expect(await serving).toBe(0);
    expect(serveErr).toBe('');
  });
});
