/**
 * The `bzzz` CLI run in-process (`runCli`) against a real GrpcServer on 127.0.0.1 port 0 backed by
 * mocked application services: the commands reach the right service calls, print what they should,
 * and exit 0 / 1 / 2 as documented.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunWatchEvent } from '../../src/app/services.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { runCli } from '../../src/cli/cli.js';
import type { GrpcServer } from '../../src/transport/grpc/grpc-server.js';
import {
  RUN_ID,
  RUN_SPAN_ID,
  SESSION_ID,
  STEP_ID,
  STEP_SPAN_ID,
  TRACE_ID,
  createMockServices,
  sampleAgent,
  sampleArtifact,
  sampleDetails,
  sampleRun,
  sampleSession,
  startServer,
  type MockServices,
} from '../transport/grpc/fixtures.js';
import { submitted } from '../support/mock-services.js';

let services: MockServices;
let server: GrpcServer;
let address: string;

beforeEach(async () => {
  services = createMockServices();
  ({ server, address } = await startServer(services));
});

afterEach(async () => {
  await server.close(1000);
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  env: Record<string, string> = { BZZZ_GATEWAY: address },
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
  });
  return { code, stdout, stderr };
}

/** A watch that reports the run running, then ending with `final`. */
function watchEnding(final: ReturnType<typeof sampleDetails>): void {
  services.runs.watch.mockImplementation(async function* (): AsyncIterable<RunWatchEvent> {
    yield { type: 'snapshot', seq: 1, details: sampleDetails({ status: 'running', error: undefined }) };
    yield { type: 'run', runId: RUN_ID, seq: 2, run: final.run };
  });
  services.runs.get.mockResolvedValue(final);
}

describe('bzzz agents', () => {
  it('register passes name, URL, labels, token and TTL, and prints the agent', async () => {
    services.agents.register.mockResolvedValue(sampleAgent());
    const result = await cli([
      'agents',
      'register',
      'echo',
      'http://127.0.0.1:9999',
      '--label',
      'team=core',
      '--label',
      'tier=gold',
      '--bearer-token',
      'secret-token',
      '--heartbeat-ttl',
      '10000',
    ]);
    expect(result.code).toBe(0);
    expect(services.agents.register.mock.calls[0]?.[0]).toEqual({
      name: 'echo',
      url: 'http://127.0.0.1:9999',
      labels: { team: 'core', tier: 'gold' },
      credentials: { bearerToken: 'secret-token' },
      heartbeatTtlMs: 10_000,
    });
    expect(result.stdout).toContain('agent echo healthy');
    expect(result.stdout).not.toContain('secret-token');
  });

  it('list prints a table, and --json parses', async () => {
    services.agents.list.mockResolvedValue([
      sampleAgent(),
      sampleAgent({ name: 'other', health: 'unhealthy' }),
    ]);
    const table = await cli(['agents', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+HEALTH\s+URL\s+LABELS$/);
    expect(lines[1]).toMatch(/^echo\s+healthy\s+http:\/\/127\.0\.0\.1:9999\s+team=core$/);
    expect(lines[2]).toMatch(/^other\s+unhealthy/);
    const asJson = await cli(['agents', 'list', '--json']);
    expect((JSON.parse(asJson.stdout) as { name: string }[]).map((a) => a.name)).toEqual(['echo', 'other']);
  });

  it('get, heartbeat and remove address the agent by name', async () => {
    services.agents.get.mockResolvedValue(sampleAgent());
    services.agents.heartbeat.mockResolvedValue(sampleAgent());
    services.agents.deregister.mockResolvedValue(undefined);
    expect((await cli(['agents', 'get', 'echo'])).code).toBe(0);
    expect(services.agents.get.mock.calls[0]?.[0]).toBe('echo');
    expect((await cli(['agents', 'heartbeat', 'echo'])).stdout).toBe('agent echo healthy\n');
    const removed = await cli(['agents', 'remove', 'echo']);
    expect(removed).toMatchObject({ code: 0, stdout: 'agent echo removed\n' });
    expect(services.agents.deregister.mock.calls[0]?.[0]).toBe('echo');
  });

  it('an unknown agent prints the error code and exits 1', async () => {
    services.agents.get.mockRejectedValue(
      new GatewayError(ErrorCode.AGENT_NOT_FOUND, "agent 'ghost' not found", { details: { agent: 'ghost' } }),
    );
    const result = await cli(['agents', 'get', 'ghost']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: AGENT_NOT_FOUND: agent 'ghost' not found\n");
    expect(result.stdout).toBe('');
  });
});

describe('bzzz run', () => {
  it('--wait lets the submission wait, and prints the run it answers with without watching', async () => {
    services.runs.submit.mockResolvedValue(
      submitted(sampleDetails({ status: 'completed', error: undefined })),
    );
    const result = await cli(['run', 'echo', 'hello', '--wait', '--json']);
    expect(result.code).toBe(0);
    expect(services.runs.submit.mock.calls[0]?.[0].waitMs).toBe(600_000);
    expect(services.runs.watch).not.toHaveBeenCalled();
    expect(JSON.parse(result.stdout)).toMatchObject({ id: RUN_ID, status: 'completed' });
  });

  it('--wait --json follows a run its submission left still executing, and prints one JSON object', async () => {
    services.runs.submit.mockResolvedValue(submitted(sampleDetails({ status: 'pending', error: undefined })));
    watchEnding(sampleDetails({ status: 'completed', error: undefined }));
    const result = await cli([
      'run',
      'echo',
      'hello',
      '--wait',
      '--json',
      '--session',
      SESSION_ID,
      '--timeout',
      '5000',
    ]);
    expect(result.code).toBe(0);
    expect(services.runs.submit.mock.calls[0]?.[0]).toEqual({
      target: { kind: 'agent', name: 'echo' },
      input: { parts: [{ text: 'hello' }] },
      sessionId: SESSION_ID,
      timeoutMs: 5000,
      waitMs: 600_000,
    });
    expect(services.runs.watch).toHaveBeenCalledOnce();
    const run = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(run.id).toBe(RUN_ID);
    expect(run.status).toBe('completed');
    expect(run.steps).toHaveLength(1);
    expect(run.artifacts).toEqual([sampleArtifact()]);
  });

  it('a URL target runs against the A2A agent directly; without --wait it prints the submitted run', async () => {
    services.runs.submit.mockResolvedValue(submitted(sampleDetails({ status: 'pending', error: undefined })));
    const result = await cli(['run', 'https://agent.example/a2a', 'hi', '--json']);
    expect(result.code).toBe(0);
    expect(services.runs.submit.mock.calls[0]?.[0]).toMatchObject({
      target: { kind: 'a2aAgent', url: 'https://agent.example/a2a' },
    });
    expect((JSON.parse(result.stdout) as { status: string }).status).toBe('pending');
    expect(services.runs.watch).not.toHaveBeenCalled();
  });

  it('a run that fails while waiting exits 1', async () => {
    services.runs.submit.mockResolvedValue(submitted(sampleDetails({ status: 'pending', error: undefined })));
    watchEnding(
      sampleDetails({ status: 'failed', error: { kind: 'ExecutionFailed', message: 'agent exploded' } }),
    );
    const result = await cli(['run', 'echo', 'hello', '--wait']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`run ${RUN_ID} failed`);
    expect(result.stdout).toContain('Execution failed: agent exploded');
  });

  it('--watch prints progress lines; a run waiting for input exits 0 with a hint', async () => {
    services.runs.submit.mockResolvedValue(submitted(sampleDetails({ status: 'pending', error: undefined })));
    services.runs.watch.mockImplementation(async function* (): AsyncIterable<RunWatchEvent> {
      yield { type: 'snapshot', seq: 1, details: sampleDetails({ status: 'running', error: undefined }) };
      yield {
        type: 'run',
        runId: RUN_ID,
        seq: 2,
        run: sampleRun({ status: 'input_required', error: undefined }),
      };
      // A watch never ends on its own while the run waits: the CLI must stop by itself.
      await new Promise(() => undefined);
    });
    services.runs.get.mockResolvedValue(
      sampleDetails({ status: 'input_required', error: undefined, artifactIds: [] }),
    );
    services.artifacts.read.mockImplementation(async function* () {
      yield Buffer.from('what is your name?');
    });
    const result = await cli(['run', 'echo', 'hello', '--watch']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`run ${RUN_ID} running\n`);
    expect(result.stdout).toContain('run input_required\n');
    expect(result.stdout).toContain('what is your name?');
    expect(result.stderr).toContain(`bzzz runs input ${RUN_ID}`);
  });

  it('--idempotency-key passes the key with the submission', async () => {
    services.runs.submit.mockResolvedValue(submitted(sampleDetails({ status: 'pending', error: undefined })));
    const result = await cli(['run', 'echo', 'hello', '--idempotency-key', 'order 42']);
    expect(result.code).toBe(0);
    expect(services.runs.submit.mock.calls[0]?.[0]).toEqual({
      target: { kind: 'agent', name: 'echo' },
      input: { parts: [{ text: 'hello' }] },
      idempotencyKey: 'order 42',
    });
    expect(result.stdout).toBe(`run ${RUN_ID} pending\n`);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['run', 'echo'])).code).toBe(2);
    expect((await cli(['run', 'echo', 'hi', '--timeout', 'soon'])).code).toBe(2);
    expect((await cli(['agents', 'register', 'a', 'http://x', '--label', 'novalue'])).code).toBe(2);
    expect((await cli(['runs', 'list', '--status', 'bogus'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect(services.runs.submit).not.toHaveBeenCalled();
  });
});

describe('bzzz runs and sessions', () => {
  it('runs list passes filters and prints a table', async () => {
    services.runs.list.mockResolvedValue({ items: [sampleRun()], nextPageToken: '' });
    const result = await cli([
      'runs',
      'list',
      '--status',
      'failed,running',
      '--agent',
      'echo',
      '--session',
      SESSION_ID,
      '--limit',
      '5',
    ]);
    expect(result.code).toBe(0);
    expect(services.runs.list.mock.calls[0]?.slice(0, 2)).toEqual([
      { statuses: ['failed', 'running'], agent: 'echo', sessionId: SESSION_ID },
      { pageSize: 5 },
    ]);
    expect(result.stdout).toMatch(
      new RegExp(`^ID\\s+STATUS\\s+TARGET\\s+CREATED\\n${RUN_ID}\\s+failed\\s+echo\\s+2025-`),
    );
  });

  it('runs get shows the trace of the run and of each step, as text and as JSON', async () => {
    services.runs.get.mockResolvedValue(sampleDetails());
    const text = await cli(['runs', 'get', RUN_ID]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`\n  trace    ${TRACE_ID} (span ${RUN_SPAN_ID})\n`);
    expect(text.stdout).toContain('\n  key      order-42\n');
    expect(text.stdout).toMatch(
      new RegExp(`\n  step 0 .*\n           trace ${TRACE_ID} \\(span ${STEP_SPAN_ID}\\)\n`),
    );
    const got = JSON.parse((await cli(['runs', 'get', RUN_ID, '--json'])).stdout) as {
      trace: unknown;
      steps: { id: string; trace: unknown }[];
    };
    expect(got.trace).toEqual({ traceId: TRACE_ID, spanId: RUN_SPAN_ID, traceFlags: 1 });
    expect(got.steps).toMatchObject([
      { id: STEP_ID, trace: { traceId: TRACE_ID, spanId: STEP_SPAN_ID, traceFlags: 1 } },
    ]);
  });

  it('runs get of an untraced run prints no trace line', async () => {
    const details = sampleDetails({ trace: undefined });
    services.runs.get.mockResolvedValue({ ...details, steps: [] });
    const text = await cli(['runs', 'get', RUN_ID]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`run ${RUN_ID} failed\n`);
    expect(text.stdout).not.toContain('trace');
  });

  it('runs get, cancel and input', async () => {
    services.runs.get.mockResolvedValue(sampleDetails());
    services.runs.cancel.mockResolvedValue(sampleDetails({ status: 'cancelled' }));
    services.runs.sendInput.mockResolvedValue(sampleDetails({ status: 'running' }));
    const got = await cli(['runs', 'get', RUN_ID, '--json']);
    expect((JSON.parse(got.stdout) as { id: string }).id).toBe(RUN_ID);
    expect(await cli(['runs', 'cancel', RUN_ID])).toMatchObject({
      code: 0,
      stdout: `run ${RUN_ID} cancelled\n`,
    });
    expect(await cli(['runs', 'input', RUN_ID, 'Ada'])).toMatchObject({
      code: 0,
      stdout: `run ${RUN_ID} running\n`,
    });
    expect(services.runs.sendInput.mock.calls[0]?.slice(0, 2)).toEqual([
      RUN_ID,
      { parts: [{ text: 'Ada' }] },
    ]);
    expect(services.runs.sendInput.mock.calls[0]?.[3]).toEqual({ waitMs: undefined });
  });

  it('runs input --wait lets the input call wait for the run to stop again', async () => {
    services.runs.sendInput.mockResolvedValue(sampleDetails({ status: 'completed', error: undefined }));
    const result = await cli(['runs', 'input', RUN_ID, 'Ada', '--wait', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: RUN_ID, status: 'completed' });
    expect(services.runs.sendInput.mock.calls[0]?.[3]).toEqual({ waitMs: 600_000 });
    expect(services.runs.watch).not.toHaveBeenCalled();
  });

  it('runs watch exits 1 when the run ends cancelled', async () => {
    watchEnding(sampleDetails({ status: 'cancelled', error: { kind: 'Cancelled', reason: 'stop' } }));
    const result = await cli(['runs', 'watch', RUN_ID]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('run cancelled: Cancelled: stop');
  });

  it('sessions create, get, list and end', async () => {
    services.sessions.create.mockResolvedValue(sampleSession());
    services.sessions.get.mockResolvedValue(sampleSession());
    services.sessions.end.mockResolvedValue(sampleSession());
    services.sessions.list.mockResolvedValue({ items: [sampleSession().session], nextPageToken: '' });
    const created = await cli(['sessions', 'create', 'chat', '--json']);
    expect((JSON.parse(created.stdout) as { session: { id: string } }).session.id).toBe(SESSION_ID);
    expect(services.sessions.create.mock.calls[0]?.[0]).toEqual({ name: 'chat' });
    expect((await cli(['sessions', 'get', SESSION_ID])).stdout).toContain(`session ${SESSION_ID} chat ended`);
    expect((await cli(['sessions', 'list'])).stdout).toMatch(/^ID\s+NAME\s+STATUS\s+CREATED\n/);
    expect((await cli(['sessions', 'end', SESSION_ID])).code).toBe(0);
    expect(services.sessions.end.mock.calls[0]?.[0]).toBe(SESSION_ID);
  });
});

describe('gateway address', () => {
  it('--gateway wins over BZZZ_GATEWAY', async () => {
    services.agents.list.mockResolvedValue([]);
    const result = await cli(['--gateway', address, 'agents', 'list'], { BZZZ_GATEWAY: '127.0.0.1:1' });
    expect(result.code).toBe(0);
    expect(services.agents.list).toHaveBeenCalledTimes(1);
  });

  it('BZZZ_GATEWAY is used without --gateway; an unreachable gateway is an error exiting 1', async () => {
    services.agents.list.mockResolvedValue([]);
    expect((await cli(['agents', 'list'], { BZZZ_GATEWAY: address })).code).toBe(0);
    const unreachable = await cli(['agents', 'list'], { BZZZ_GATEWAY: '127.0.0.1:1' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^error: UNAVAILABLE: /);
    expect(services.agents.list).toHaveBeenCalledTimes(1);
  });
});
