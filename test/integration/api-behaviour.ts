/**
 * The gateway API behaviour suite: one set of end-to-end scenarios run unchanged over gRPC and HTTP
 * (`grpc-api.test.ts`, `http-api.test.ts`) against a real gateway (SQLite store) and real
 * `@a2a-js/sdk` agents on loopback sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunDetails, RunWatchEvent } from '../../src/app/services.js';
import { startEchoAgent } from '../../examples/echo-agent.js';
import { INPUT_QUESTION, startInputAgent } from '../../examples/input-agent.js';
import type { RunningAgent } from '../../examples/serve-agent.js';
import { startStreamingAgent } from '../../examples/streaming-agent.js';
import { startGarbageAgent, startRawServer, unusedUrl } from '../support/agents.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { ApiError, type GatewayTestClient } from '../support/gateway-client.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'timeout']);

/** Collects watch events until the stream ends. */
export async function collect(events: AsyncIterable<RunWatchEvent>): Promise<RunWatchEvent[]> {
  const out: RunWatchEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** Waits (by watching) until the run is terminal or waits for input, then returns its details. */
export async function settle(client: GatewayTestClient, id: string): Promise<RunDetails> {
  for await (const event of client.watchRun(id)) {
    const status =
      event.type === 'snapshot' ? event.details.run.status : event.type === 'run' ? event.run.status : '';
    if (TERMINAL.has(status) || status === 'input_required') break;
  }
  return client.getRun(id);
}

async function expectApiError(promise: Promise<unknown>, code: string): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected an ApiError ${code}`).toBeInstanceOf(ApiError);
  expect((error as ApiError).code).toBe(code);
  return error as ApiError;
}

function artifactText(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

export function describeApiBehaviour(
  transport: 'grpc' | 'http',
  makeClient: (gateway: TestGateway) => GatewayTestClient,
): void {
  describe(`gateway API over ${transport}`, () => {
    let gateway: TestGateway;
    let client: GatewayTestClient;
    let echo: RunningAgent;
    let streaming: RunningAgent;
    let input: RunningAgent;

    beforeAll(async () => {
      [echo, streaming, input] = await Promise.all([
        startEchoAgent(),
        startStreamingAgent({ chunks: 3, delayMs: 20, slowChunks: 200, slowDelayMs: 50 }),
        startInputAgent(),
      ]);
      gateway = await startTestGateway();
      client = makeClient(gateway);
      await client.registerAgent({
        name: 'echo',
        url: echo.url,
        labels: { team: 'core' },
        bearerToken: 'sekrit',
      });
      await client.registerAgent({ name: 'streaming', url: streaming.url });
      await client.registerAgent({ name: 'asker', url: input.url });
    });

    afterAll(async () => {
      await client?.close();
      await gateway?.close({ removeData: true });
      await Promise.all([echo?.close(), streaming?.close(), input?.close()]);
    });

    it('registers agents with their card and never returns credentials', async () => {
      const agent = await client.getAgent('echo');
      expect(agent.name).toBe('echo');
      expect(agent.health).toBe('healthy');
      expect(agent.labels).toEqual({ team: 'core' });
      expect(agent.hasCredentials).toBe(true);
      expect(agent.endpoint.url).toBe(`${echo.url}/a2a/jsonrpc`);
      expect(JSON.stringify(agent)).not.toContain('sekrit');
      const names = (await client.listAgents()).map((a) => a.name);
      expect(names).toEqual(['asker', 'echo', 'streaming']);
      expect(JSON.stringify(await client.listAgents())).not.toContain('sekrit');
    });

    it('runs a registered agent to completion with its step and artifact stored', async () => {
      const submitted = await client.submitRun({ agent: 'echo', text: 'hello' });
      expect(submitted.run.status).toBe('pending');
      const done = await settle(client, submitted.run.id);
      expect(done.run.status).toBe('completed');
      expect(done.run.target).toEqual({ kind: 'agent', name: 'echo' });
      expect(done.run.startedAt).toBeDefined();
      expect(done.run.finishedAt).toBeDefined();
      expect(done.steps).toHaveLength(1);
      expect(done.steps[0]?.status).toBe('completed');
      expect(done.steps[0]?.remote?.state).toBe('TASK_STATE_COMPLETED');
      expect(done.artifacts).toHaveLength(1);
      const artifact = done.artifacts[0]!;
      expect(artifact.checksum?.algorithm).toBe('sha256');
      expect(artifactText(await client.readArtifact(artifact.id))).toBe('echo: hello');
      expect(done.steps[0]?.outputArtifactIds).toEqual([artifact.id]);
    });

    it('answers a submission that waits once the run stops: completed, or waiting for input', async () => {
      const done = await client.submitRun({ agent: 'echo', text: 'hello', waitMs: 20_000 });
      expect(done.run.status).toBe('completed');
      expect(done.steps.map((s) => s.status)).toEqual(['completed']);
      expect(done.artifacts).toHaveLength(1);
      expect(artifactText(await client.readArtifact(done.artifacts[0]!.id))).toBe('echo: hello');
      expect(await client.getRun(done.run.id)).toEqual(done);
      // A streamed run: several steps' and artifacts' changes, answered as the store has them.
      const streamed = await client.submitRun({ url: streaming.url, text: 'go', waitMs: 20_000 });
      expect(streamed.run.status).toBe('completed');
      expect(streamed.artifacts).toHaveLength(1);
      expect(await client.getRun(streamed.run.id)).toEqual(streamed);
      // A run that times out: its failed step and the step cancelling the task come before its end.
      const late = await client.submitRun({
        agent: 'streaming',
        text: 'slow',
        timeoutMs: 300,
        waitMs: 20_000,
      });
      expect(late.run.status).toBe('timeout');
      expect(late.steps.map((s) => [s.name, s.status])).toEqual([
        ['send-message', 'failed'],
        ['cancel-task', 'completed'],
      ]);
      expect(await client.getRun(late.run.id)).toEqual(late);

      const asked = await client.submitRun({ agent: 'asker', text: 'hi', waitMs: 20_000 });
      expect(asked.run.status).toBe('input_required');
      expect(asked.steps.map((step) => step.status)).toEqual(['completed']);
      expect(await client.getRun(asked.run.id)).toEqual(asked);
      // Input can wait the same way: the answer comes with the run completed.
      const answered = await client.sendInput(asked.run.id, 'Ada', 20_000);
      expect(answered.run.status).toBe('completed');
      expect(answered.steps.map((step) => step.status)).toEqual(['completed', 'completed']);
      expect(artifactText(await client.readArtifact(answered.artifacts.at(-1)!.id))).toContain('Ada');
    });

    it('answers a waiting submission when waitMs passes, with the run still executing', async () => {
      const startedAt = performance.now();
      const early = await client.submitRun({ agent: 'streaming', text: 'slow', waitMs: 300 });
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
      expect(['pending', 'running']).toContain(early.run.status);
      // The run went on after the answer: a retry with a key waits on it the same way.
      const keyed = await client.submitRun({ agent: 'streaming', text: 'slow', idempotencyKey: 'slow-1' });
      const retried = await client.submitRun({
        agent: 'streaming',
        text: 'slow',
        idempotencyKey: 'slow-1',
        waitMs: 200,
      });
      expect(retried.run.id).toBe(keyed.run.id);
      expect(retried.run.status).toBe('running');
      for (const id of [early.run.id, keyed.run.id]) {
        expect((await client.cancelRun(id)).run.status).toBe('cancelled');
      }
    });

    it('refuses a wait longer than ten minutes, naming waitMs', async () => {
      const error = await expectApiError(
        client.submitRun({ agent: 'echo', text: 'x', waitMs: 600_001 }),
        'INVALID_ARGUMENT',
      );
      expect(error.details.field).toBe('waitMs');
      expect(error.message).toContain('600000');
      const asked = await client.submitRun({ agent: 'asker', text: 'hi', waitMs: 20_000 });
      const refused = await expectApiError(
        client.sendInput(asked.run.id, 'Ada', 600_001),
        'INVALID_ARGUMENT',
      );
      expect(refused.details.field).toBe('waitMs');
      expect((await client.getRun(asked.run.id)).run.status).toBe('input_required');
      await client.cancelRun(asked.run.id);
    });

    it('streams a URL-addressed agent: chunks joined into one artifact, events in order', async () => {
      const submitted = await client.submitRun({ url: streaming.url, text: 'go' });
      const events = await collect(client.watchRun(submitted.run.id));
      // In order; the events of one commit share a seq, so (seq, type) is unique.
      const seqs = events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const keys = events.map((e) => `${e.seq}:${e.type}`);
      expect(new Set(keys).size).toBe(keys.length);
      const last = events.at(-1)!;
      expect(last.type === 'run' && last.run.status).toBe('completed');
      expect(events.some((e) => e.type === 'artifact')).toBe(true);
      const done = await client.getRun(submitted.run.id);
      expect(done.steps[0]?.remote?.method).toBe('SendStreamingMessage');
      expect(done.steps[0]?.remote?.eventCount).toBeGreaterThan(3);
      expect(done.artifacts).toHaveLength(1);
      expect(artifactText(await client.readArtifact(done.artifacts[0]!.id))).toMatch(
        /chunk-1.*chunk-2.*chunk-3/s,
      );
    });

    it('gives a late watcher the current state, then every later event, with no gap and no duplicate', async () => {
      const submitted = await client.submitRun({ agent: 'streaming', text: 'go' });
      const early = collect(client.watchRun(submitted.run.id));
      // Join once the run is under way.
      for await (const event of client.watchRun(submitted.run.id)) {
        if (event.type === 'step' && (event.step.remote?.eventCount ?? 0) >= 2) break;
      }
      const late = await collect(client.watchRun(submitted.run.id));
      const all = await early;
      const snapshot = late[0]!;
      expect(snapshot.type).toBe('snapshot');
      const expected = all.filter((e) => e.type !== 'snapshot' && e.seq > snapshot.seq).map((e) => e.seq);
      expect(late.slice(1).map((e) => e.seq)).toEqual(expected);
      const finished = await collect(client.watchRun(submitted.run.id));
      expect(finished).toHaveLength(1);
      expect(finished[0]?.type === 'snapshot' && finished[0].details.run.status).toBe('completed');
    });

    it('pauses a run for input and continues it on the same task', async () => {
      const submitted = await client.submitRun({ agent: 'asker', text: 'hi' });
      const waiting = await settle(client, submitted.run.id);
      expect(waiting.run.status).toBe('input_required');
      expect(waiting.steps[0]?.remote?.statusMessage).toContain(INPUT_QUESTION);
      const taskId = waiting.run.remote?.taskId;
      expect(taskId).toBeDefined();
      await client.sendInput(submitted.run.id, 'Ada');
      const done = await settle(client, submitted.run.id);
      expect(done.run.status).toBe('completed');
      expect(done.steps).toHaveLength(2);
      expect(done.steps[1]?.remote?.taskId).toBe(taskId);
      expect(artifactText(await client.readArtifact(done.artifacts.at(-1)!.id))).toContain('Ada');
      await expectApiError(client.sendInput(submitted.run.id, 'again'), 'ILLEGAL_STATE_TRANSITION');
    });

    it('cancels a run mid-stream and the agent task ends CANCELED', async () => {
      const submitted = await client.submitRun({ agent: 'streaming', text: 'slow' });
      for await (const event of client.watchRun(submitted.run.id)) {
        if (event.type === 'step' && event.step.remote?.state === 'TASK_STATE_WORKING') break;
      }
      const cancelled = await client.cancelRun(submitted.run.id, 'changed my mind');
      expect(cancelled.run.status).toBe('cancelled');
      expect(cancelled.run.error).toEqual({ kind: 'Cancelled', reason: 'changed my mind' });
      const cancelStep = cancelled.steps.find((s) => s.name === 'cancel-task');
      expect(cancelStep?.status).toBe('completed');
      expect(cancelStep?.remote?.state).toBe('TASK_STATE_CANCELED');
      expect(cancelled.steps[0]?.status).toBe('cancelled');
      await expectApiError(client.cancelRun(submitted.run.id), 'ILLEGAL_STATE_TRANSITION');
    });

    it('cancels a run that waits for input, and its agent task with it', async () => {
      const waiting = await settle(client, (await client.submitRun({ agent: 'asker', text: 'hi' })).run.id);
      expect(waiting.run.status).toBe('input_required');
      const cancelled = await client.cancelRun(waiting.run.id, 'never mind');
      expect(cancelled.run.status).toBe('cancelled');
      expect(cancelled.steps.map((s) => [s.name, s.status])).toEqual([
        ['send-message', 'completed'],
        ['cancel-task', 'completed'],
      ]);
      expect(cancelled.steps[1]?.remote?.state).toBe('TASK_STATE_CANCELED');
      await expectApiError(client.sendInput(waiting.run.id, 'too late'), 'ILLEGAL_STATE_TRANSITION');
    });

    it('times a run out, recording Timeout and cancelling the agent task', async () => {
      const submitted = await client.submitRun({ agent: 'streaming', text: 'slow', timeoutMs: 300 });
      const done = await settle(client, submitted.run.id);
      expect(done.run.status).toBe('timeout');
      expect(done.run.error).toEqual({ kind: 'Timeout', afterMs: 300 });
      expect(done.steps[0]?.error).toEqual({ kind: 'Timeout', afterMs: 300 });
      expect(done.steps.find((s) => s.name === 'cancel-task')?.remote?.state).toBe('TASK_STATE_CANCELED');
    });

    it('submits at most once per idempotency key: retries get the same run and the agent is called once', async () => {
      // An agent of its own, so its received requests are this test's alone.
      const once = await startEchoAgent();
      try {
        await client.registerAgent({ name: 'once', url: once.url });
        const key = 'order-42 / attempt 1';
        const first = await client.submitRun({ agent: 'once', text: 'only once', idempotencyKey: key });
        expect(first.run.idempotencyKey).toBe(key);
        // A retry right away (the first answer was lost) and one after the run ended.
        const early = await client.submitRun({ agent: 'once', text: 'only once', idempotencyKey: key });
        expect(early.run.id).toBe(first.run.id);
        const done = await settle(client, first.run.id);
        expect(done.run.status).toBe('completed');
        const late = await client.submitRun({ agent: 'once', text: 'only once', idempotencyKey: key });
        expect(late.run).toEqual(done.run);
        expect(late.steps).toEqual(done.steps);
        expect(late.artifacts).toEqual(done.artifacts);

        const listed = await client.listRuns({ agent: 'once' });
        expect(listed.runs.map((r) => r.id)).toEqual([first.run.id]);
        expect(listed.runs[0]?.idempotencyKey).toBe(key);
        // One message exchange: the retries started nothing (card fetches are GETs).
        expect(once.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

        // The key reused for another target names the run that has it.
        const reused = await expectApiError(
          client.submitRun({ url: once.url, text: 'only once', idempotencyKey: key }),
          'RUN_ALREADY_EXISTS',
        );
        expect(reused.details.runId).toBe(first.run.id);
        expect(reused.wireStatus).toBe(transport === 'http' ? 409 : 'ALREADY_EXISTS');
        // So is the key reused for the same target with a different input.
        await expectApiError(
          client.submitRun({ agent: 'once', text: 'something else', idempotencyKey: key }),
          'RUN_ALREADY_EXISTS',
        );
        // Without a key, the same submission is a new run.
        const fresh = await client.submitRun({ agent: 'once', text: 'only once' });
        expect(fresh.run.id).not.toBe(first.run.id);
        await settle(client, fresh.run.id);
        expect((await client.listRuns({ agent: 'once' })).runs).toHaveLength(2);
      } finally {
        await client.deregisterAgent('once');
        await once.close();
      }
    });

    it('refuses an unknown agent with a not-found error naming it', async () => {
      const error = await expectApiError(client.submitRun({ agent: 'nobody', text: 'x' }), 'AGENT_NOT_FOUND');
      expect(error.message).toContain("'nobody'");
      expect(error.wireStatus).toBe(transport === 'http' ? 404 : 'NOT_FOUND');
      await expectApiError(client.getAgent('nobody'), 'AGENT_NOT_FOUND');
      await expectApiError(client.getRun('00000000-0000-4000-8000-000000000000'), 'RUN_NOT_FOUND');
    });

    it('names the bad field of a malformed request', async () => {
      const error = await expectApiError(
        client.submitRun({ url: 'ftp://example/agent', text: 'x' }),
        'INVALID_ARGUMENT',
      );
      expect(error.message).toMatch(/target\.(a2aAgent\.)?url/);
      await expectApiError(client.registerAgent({ name: 'bad name!', url: echo.url }), 'INVALID_ARGUMENT');
    });

    it('fails a run clearly when the agent answers garbage', async () => {
      // A valid card, then a JSON-RPC reply that is not A2A.
      const garbage = await startRawServer((req, res, body) => {
        if (req.method === 'GET') {
          const base = `http://${req.headers.host}`;
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              name: 'garbage',
              description: 'answers nonsense',
              version: '1',
              supportedInterfaces: [
                { url: `${base}/rpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
              ],
              capabilities: {},
              defaultInputModes: ['text/plain'],
              defaultOutputModes: ['text/plain'],
              skills: [],
            }),
          );
          return;
        }
        const id = (JSON.parse(body) as { id: unknown }).id;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id, result: { task: { id: 7 } } }));
      });
      const badCard = await startGarbageAgent('text');
      try {
        const done = await settle(client, (await client.submitRun({ url: garbage.url, text: 'x' })).run.id);
        expect(done.run.status).toBe('failed');
        expect(done.run.error?.kind).toBe('ExecutionFailed');
        expect(JSON.stringify(done.run.error)).toContain('task');
        expect(done.steps[0]?.error?.kind).toBe('OutputFailed');
        const noCard = await settle(client, (await client.submitRun({ url: badCard.url, text: 'x' })).run.id);
        expect(noCard.run.status).toBe('failed');
        expect(noCard.run.error?.kind).toBe('StartupFailed');
      } finally {
        await Promise.all([garbage.close(), badCard.close()]);
      }
    });

    it('fails a run as retryable when the agent is down', async () => {
      const done = await settle(
        client,
        (await client.submitRun({ url: await unusedUrl(), text: 'x' })).run.id,
      );
      expect(done.run.status).toBe('failed');
      expect(done.run.error?.kind).toBe('RuntimeError');
    });

    it('keeps a session as one conversation (its id is the contextId) and refuses runs once ended', async () => {
      const { session } = await client.createSession('chat');
      const first = await settle(
        client,
        (await client.submitRun({ agent: 'echo', text: 'one', sessionId: session.id })).run.id,
      );
      const second = await settle(
        client,
        (await client.submitRun({ agent: 'echo', text: 'two', sessionId: session.id })).run.id,
      );
      expect(first.run.remote?.contextId).toBe(session.id);
      expect(second.run.remote?.contextId).toBe(session.id);
      const details = await client.getSession(session.id);
      expect([...details.runIds].sort()).toEqual([first.run.id, second.run.id].sort());
      expect((await client.listSessions()).sessions.map((s) => s.id)).toContain(session.id);
      expect((await client.endSession(session.id)).session.status).toBe('ended');
      await expectApiError(
        client.submitRun({ agent: 'echo', text: 'three', sessionId: session.id }),
        'ILLEGAL_STATE_TRANSITION',
      );
      await expectApiError(
        client.submitRun({ agent: 'echo', text: 'x', sessionId: '00000000-0000-4000-8000-000000000000' }),
        'SESSION_NOT_FOUND',
      );
    });

    it('lists runs with filters and page tokens', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1)
        ids.push(
          (await settle(client, (await client.submitRun({ agent: 'echo', text: `n${i}` })).run.id)).run.id,
        );
      const page1 = await client.listRuns({ agent: 'echo', statuses: ['completed'], pageSize: 2 });
      expect(page1.runs).toHaveLength(2);
      expect(page1.nextPageToken).not.toBe('');
      const page2 = await client.listRuns({
        agent: 'echo',
        statuses: ['completed'],
        pageSize: 2,
        pageToken: page1.nextPageToken,
      });
      const seen = [...page1.runs, ...page2.runs].map((r) => r.id);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, 3)).toEqual([...ids].reverse());
      expect(page1.runs.every((r) => r.status === 'completed' && r.target.kind === 'agent')).toBe(true);
      const none = await client.listRuns({ agent: 'echo', statuses: ['timeout'] });
      expect(none.runs).toEqual([]);
    });

    it('renews heartbeats and deregisters agents', async () => {
      const beat = await client.heartbeatAgent('echo');
      expect(beat.lastHeartbeatAt).toBeDefined();
      await client.registerAgent({ name: 'temp', url: echo.url });
      await client.deregisterAgent('temp');
      await expectApiError(client.getAgent('temp'), 'AGENT_NOT_FOUND');
      await expectApiError(client.deregisterAgent('temp'), 'AGENT_NOT_FOUND');
    });
  });
}
