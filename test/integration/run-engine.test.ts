/**
 * Run engine behaviour through the application services of a real gateway (SQLite, real agents):
 * what the transport suites do not reach — swarm refusal, the concurrency limit, agent health, and
 * following a run across a gateway restart mid-exchange.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { startEchoAgent } from '../../examples/echo-agent.js';
import { startInputAgent } from '../../examples/input-agent.js';
import type { RunningAgent } from '../../examples/serve-agent.js';
import { startStreamingAgent } from '../../examples/streaming-agent.js';
import type { GatewayServices, RunDetails } from '../../src/app/services.js';
import { systemContext } from '../../src/domain/call-context.js';
import { isTerminalRunStatus } from '../../src/domain/run.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { startRawServer } from '../support/agents.js';
import { makeDataDir, startTestGateway, type TestGateway } from '../support/gateway.js';
import { rejection } from '../support/async.js';

const ctx = systemContext();

async function waitFor(
  services: GatewayServices,
  id: string,
  done: (d: RunDetails) => boolean,
): Promise<RunDetails> {
  for await (const event of services.runs.watch(id, ctx)) {
    const details = await services.runs.get(id, ctx);
    if (done(details) || (event.type === 'run' && isTerminalRunStatus(event.run.status))) break;
  }
  return services.runs.get(id, ctx);
}

/**
 * A raw streaming JSON-RPC agent named `name`: it serves its card, and lets `stream` answer each message
 * with SSE frames (`frame` wraps a result in the request's JSON-RPC envelope).
 */
function startRawStreamingAgent(
  name: string,
  stream: (res: ServerResponse, frame: (result: unknown) => string) => void,
): ReturnType<typeof startRawServer> {
  return startRawServer((req, res, body) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          name,
          supportedInterfaces: [
            { url: `http://${req.headers.host}/rpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
          ],
          capabilities: { streaming: true },
        }),
      );
      return;
    }
    const { id } = JSON.parse(body) as { id: unknown };
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    stream(res, (result) => `data: ${JSON.stringify({ jsonrpc: '2.0', id, result })}\n\n`);
  });
}

/** The gateway's `bzzz_open_watch_streams` gauge: its run-event subscriptions open now. */
async function openWatchStreams(gw: TestGateway): Promise<number> {
  const text = await (await fetch(`${gw.httpUrl}/metrics`)).text();
  const line = /^bzzz_open_watch_streams (\d+)$/m.exec(text);
  if (line === null) throw new Error('no bzzz_open_watch_streams in /metrics');
  return Number(line[1]);
}

describe('run engine', () => {
  let echo: RunningAgent;
  let streaming: RunningAgent;

  beforeAll(async () => {
    [echo, streaming] = await Promise.all([
      startEchoAgent(),
      startStreamingAgent({ chunks: 3, delayMs: 5, slowChunks: 15, slowDelayMs: 60 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([echo?.close(), streaming?.close()]);
  });

  describe('on one gateway', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway({
        env: { BZZZ_MAX_CONCURRENT_RUNS: '1', BZZZ_HEALTH_CHECK_INTERVAL_MS: '50' },
      });
    });
    afterAll(async () => {
      await gw?.close({ removeData: true });
    });

    it('refuses swarm targets with INVALID_CONFIG', async () => {
      const error = await rejection(
        gw.gateway.services.runs.submit(
          { target: { kind: 'swarm', swarmfilePath: 'team.yaml' }, input: { parts: [{ text: 'x' }] } },
          ctx,
        ),
      );
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toContain('swarm');
    });

    it('queues runs beyond the concurrency limit in pending and runs them in order', async () => {
      const { runs } = gw.gateway.services;
      const slow = await runs.submit(
        { target: { kind: 'a2aAgent', url: streaming.url }, input: { parts: [{ text: 'slow' }] } },
        ctx,
      );
      const queued = await runs.submit(
        { target: { kind: 'a2aAgent', url: echo.url }, input: { parts: [{ text: 'q' }] } },
        ctx,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await runs.get(queued.run.id, ctx)).run.status).toBe('pending');
      await runs.cancel(slow.run.id, 'make room', ctx);
      const done = await waitFor(gw.gateway.services, queued.run.id, (d) =>
        isTerminalRunStatus(d.run.status),
      );
      expect(done.run.status).toBe('completed');
    });

    it('ends a waiting submission when its caller leaves, and the run goes on', async () => {
      const { runs } = gw.gateway.services;
      const request = {
        target: { kind: 'a2aAgent', url: streaming.url },
        input: { parts: [{ text: 'slow' }] },
        idempotencyKey: 'caller-leaves',
      } as const;
      const caller = new AbortController();
      const waiting = runs.submit({ ...request, waitMs: 20_000 }, systemContext(caller.signal));
      await new Promise((resolve) => setTimeout(resolve, 100));
      caller.abort(new GatewayError(ErrorCode.CANCELLED, 'the client closed the connection'));
      expect((await rejection(waiting)).code).toBe('CANCELLED');
      expect(await openWatchStreams(gw)).toBe(0);
      // The run was stored before the wait began, and executes without its caller.
      const run = (await runs.submit(request, ctx)).run;
      expect(run.status).toBe('running');
      await runs.cancel(run.id, 'done', ctx);
    });

    it('cancels a queued run without calling any agent', async () => {
      const { runs } = gw.gateway.services;
      const slow = await runs.submit(
        { target: { kind: 'a2aAgent', url: streaming.url }, input: { parts: [{ text: 'slow' }] } },
        ctx,
      );
      const queued = await runs.submit(
        { target: { kind: 'a2aAgent', url: echo.url }, input: { parts: [{ text: 'q' }] } },
        ctx,
      );
      const cancelled = await runs.cancel(queued.run.id, 'not needed', ctx);
      expect(cancelled.run.status).toBe('cancelled');
      expect(cancelled.steps).toEqual([]);
      await runs.cancel(slow.run.id, 'done', ctx);
    });

    it('calls an agent with its registered credentials and the A2A version, and never returns them', async () => {
      const authorized = (headers: Record<string, string | string[] | undefined>): boolean =>
        headers.authorization === 'Bearer tok-9' && headers['x-api-key'] === 'key-9';
      const agent = await startRawServer((req, res, body) => {
        if (!authorized(req.headers)) {
          res.writeHead(401).end();
          return;
        }
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              name: 'guarded',
              supportedInterfaces: [
                { url: `http://${req.headers.host}/rpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
              ],
              capabilities: { streaming: false },
            }),
          );
          return;
        }
        const request = JSON.parse(body) as { id: string; params: { message: { contextId?: string } } };
        const task = {
          id: 'task-1',
          contextId: request.params.message.contextId ?? 'ctx-1',
          status: { state: 'TASK_STATE_COMPLETED' },
          artifacts: [{ artifactId: 'a1', parts: [{ text: 'secret handshake ok' }] }],
        };
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: request.id, result: { task } }));
      });
      try {
        const { agents, runs } = gw.gateway.services;
        const view = await agents.register(
          {
            name: 'guarded',
            url: agent.url,
            credentials: { bearerToken: 'tok-9', headers: { 'x-api-key': 'key-9' } },
          },
          ctx,
        );
        expect(JSON.stringify(view)).not.toContain('tok-9');
        expect(JSON.stringify(await agents.list(ctx))).not.toContain('key-9');
        const submitted = await runs.submit(
          { target: { kind: 'agent', name: 'guarded' }, input: { parts: [{ text: 'hi' }] } },
          ctx,
        );
        const done = await waitFor(gw.gateway.services, submitted.run.id, (d) =>
          isTerminalRunStatus(d.run.status),
        );
        expect(done.run.status).toBe('completed');
        expect(done.steps[0]?.remote?.method).toBe('SendMessage');
        const rpc = agent.requests.filter((r) => r.method === 'POST');
        expect(rpc).toHaveLength(1);
        expect(rpc[0]?.headers['a2a-version']).toBe('1.0');
        expect(JSON.parse(rpc[0]!.body).method).toBe('SendMessage');
        expect(agent.requests.every((r) => authorized(r.headers))).toBe(true);
      } finally {
        await agent.close();
      }
    });

    it('times out a run that waits for input past its limit, and cancels the agent task', async () => {
      const asker = await startInputAgent();
      try {
        const { runs } = gw.gateway.services;
        const submitted = await runs.submit(
          {
            target: { kind: 'a2aAgent', url: asker.url },
            input: { parts: [{ text: 'hi' }] },
            timeoutMs: 400,
          },
          ctx,
        );
        const done = await waitFor(gw.gateway.services, submitted.run.id, (d) =>
          isTerminalRunStatus(d.run.status),
        );
        expect(done.run.status).toBe('timeout');
        expect(done.run.error).toEqual({ kind: 'Timeout', afterMs: 400 });
        expect(done.steps.map((s) => [s.name, s.status])).toEqual([
          ['send-message', 'completed'],
          ['cancel-task', 'completed'],
        ]);
        expect(done.steps[1]?.remote?.state).toBe('TASK_STATE_CANCELED');
      } finally {
        await asker.close();
      }
    });

    it('keeps a run that got its input in time', async () => {
      const asker = await startInputAgent();
      try {
        const { runs } = gw.gateway.services;
        const submitted = await runs.submit(
          {
            target: { kind: 'a2aAgent', url: asker.url },
            input: { parts: [{ text: 'hi' }] },
            timeoutMs: 1500,
          },
          ctx,
        );
        await waitFor(gw.gateway.services, submitted.run.id, (d) => d.run.status === 'input_required');
        await runs.sendInput(submitted.run.id, { parts: [{ text: 'Ada' }] }, ctx);
        const done = await waitFor(gw.gateway.services, submitted.run.id, (d) =>
          isTerminalRunStatus(d.run.status),
        );
        expect(done.run.status).toBe('completed');
        // Past the original limit, the completed run stays completed.
        await new Promise((resolve) =>
          setTimeout(resolve, 1600 - (Date.now() - Date.parse(done.run.startedAt!))),
        );
        expect((await runs.get(submitted.run.id, ctx)).run.status).toBe('completed');
      } finally {
        await asker.close();
      }
    });

    it('completes a run whose agent cut its stream after reporting the final state', async () => {
      const cutter = await startRawStreamingAgent('cutter', (res, frame) => {
        res.write(frame({ task: { id: 't-1', contextId: 'c-1', status: { state: 'TASK_STATE_WORKING' } } }));
        res.write(
          frame({
            artifactUpdate: {
              taskId: 't-1',
              contextId: 'c-1',
              artifact: { artifactId: 'a', parts: [{ text: 'done' }] },
            },
          }),
        );
        res.write(
          frame({
            statusUpdate: { taskId: 't-1', contextId: 'c-1', status: { state: 'TASK_STATE_COMPLETED' } },
          }),
        );
        // Cut the connection instead of ending the stream.
        setTimeout(() => res.socket?.destroy(), 20);
      });
      try {
        const { runs } = gw.gateway.services;
        const submitted = await runs.submit(
          { target: { kind: 'a2aAgent', url: cutter.url }, input: { parts: [{ text: 'go' }] } },
          ctx,
        );
        const done = await waitFor(gw.gateway.services, submitted.run.id, (d) =>
          isTerminalRunStatus(d.run.status),
        );
        expect(done.run.status).toBe('completed');
        expect(done.steps[0]?.status).toBe('completed');
        expect(done.artifacts).toHaveLength(1);
      } finally {
        await cutter.close();
      }
    });

    it('stores events an agent sends together in one write, and one that comes alone as it comes', async () => {
      let finish: (() => void) | undefined;
      const agent = await startRawStreamingAgent('pauser', (res, frame) => {
        res.write(frame({ task: { id: 't-1', contextId: 'c-1', status: { state: 'TASK_STATE_WORKING' } } }));
        // The rest comes in one piece when the test says so.
        finish = () =>
          res.end(
            frame({
              artifactUpdate: {
                taskId: 't-1',
                contextId: 'c-1',
                artifact: { artifactId: 'a', parts: [{ text: 'done' }] },
                lastChunk: true,
              },
            }) +
              frame({
                statusUpdate: { taskId: 't-1', contextId: 'c-1', status: { state: 'TASK_STATE_COMPLETED' } },
              }),
          );
      });
      try {
        const { runs } = gw.gateway.services;
        const submitted = await runs.submit(
          { target: { kind: 'a2aAgent', url: agent.url }, input: { parts: [{ text: 'go' }] } },
          ctx,
        );
        // The task event came alone: stored without waiting for the next one.
        await vi.waitFor(async () => {
          const { run } = await runs.get(submitted.run.id, ctx);
          expect(run.remote).toMatchObject({ taskId: 't-1', state: 'TASK_STATE_WORKING' });
          expect(run.status).toBe('running');
        });
        finish?.();
        const done = await waitFor(gw.gateway.services, submitted.run.id, (d) =>
          isTerminalRunStatus(d.run.status),
        );
        expect(done.run.status).toBe('completed');
        expect(done.artifacts.map((a) => a.name)).toStrictEqual(['a']);
        expect(done.steps[0]?.remote).toMatchObject({ taskId: 't-1', state: 'TASK_STATE_COMPLETED' });
        // Writes: the submission, the start with its step, the task, then the artifact and the outcome as one.
        expect(done.run.version).toBe(4);
      } finally {
        await agent.close();
      }
    });

    it('marks an agent that misses its heartbeat unhealthy, refuses runs to it, and recovers on heartbeat', async () => {
      const { agents, runs } = gw.gateway.services;
      await agents.register({ name: 'beating', url: echo.url, heartbeatTtlMs: 100 }, ctx);
      await vi.waitFor(async () => expect((await agents.get('beating', ctx)).health).toBe('unhealthy'), {
        timeout: 3000,
      });
      expect((await agents.get('beating', ctx)).healthReason).toContain('heartbeat');
      const error = await rejection(
        runs.submit({ target: { kind: 'agent', name: 'beating' }, input: { parts: [{ text: 'x' }] } }, ctx),
      );
      expect(error.code).toBe('AGENT_UNHEALTHY');
      expect((await agents.heartbeat('beating', ctx)).health).toBe('healthy');
    });

    it('marks an agent unhealthy after failed health checks and healthy again when it returns', async () => {
      const { agents } = gw.gateway.services;
      const flaky = await startEchoAgent();
      const port = flaky.port;
      await agents.register({ name: 'flaky', url: flaky.url }, ctx);
      await flaky.close();
      await vi.waitFor(async () => expect((await agents.get('flaky', ctx)).health).toBe('unhealthy'), {
        timeout: 3000,
      });
      const back = await startEchoAgent({ port });
      try {
        await vi.waitFor(async () => expect((await agents.get('flaky', ctx)).health).toBe('healthy'), {
          timeout: 3000,
        });
      } finally {
        await back.close();
      }
    });
  });

  it('answers a waiting submission as soon as the gateway starts closing, with the run still running', async () => {
    const gw = await startTestGateway({ env: { BZZZ_SHUTDOWN_GRACE_MS: '5000' } });
    const waiting = gw.gateway.services.runs.submit(
      {
        target: { kind: 'a2aAgent', url: streaming.url },
        input: { parts: [{ text: 'slow' }] },
        waitMs: 60_000,
      },
      ctx,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = gw.close({ removeData: true });
    const answered = await Promise.race([
      waiting,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3000)),
    ]);
    expect(answered?.run.status).toBe('running');
    expect(answered?.steps.map((s) => s.status)).toEqual(['running']);
    await closing;
  });

  it('follows a run that was mid-exchange when the gateway stopped, after the restart', async () => {
    const dataDir = await makeDataDir();
    const first = await startTestGateway({ dataDir, env: { BZZZ_SHUTDOWN_GRACE_MS: '1' } });
    const submitted = await first.gateway.services.runs.submit(
      { target: { kind: 'a2aAgent', url: streaming.url }, input: { parts: [{ text: 'slow' }] } },
      ctx,
    );
    await waitFor(
      first.gateway.services,
      submitted.run.id,
      (d) => d.steps[0]?.remote?.state === 'TASK_STATE_WORKING',
    );
    await first.close();
    expect(first.gateway.state).toBe('closed');

    const second = await startTestGateway({ dataDir });
    try {
      const done = await waitFor(second.gateway.services, submitted.run.id, (d) =>
        isTerminalRunStatus(d.run.status),
      );
      expect(done.run.status).toBe('completed');
      expect(done.steps.map((s) => [s.name, s.status])).toEqual([
        ['send-message', 'failed'],
        ['poll-task', 'completed'],
      ]);
      expect(done.steps[0]?.error?.kind).toBe('AgentFailed');
      expect(done.artifacts.length).toBeGreaterThan(0);
    } finally {
      await second.close({ removeData: true });
    }
  });
});
