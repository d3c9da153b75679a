/**
 * Each `/v1` route maps its request to one service call (with the right arguments and a call context)
 * and the result to the right status and JSON body. Driven through the HTTP test client, so the client
 * is exercised too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CallContext } from '../../../src/domain/call-context.js';
import { newStep } from '../../../src/domain/step.js';
import { ApiError, type GatewayTestClient } from '../../support/gateway-client.js';
import { createHttpGatewayClient } from '../../support/http-gateway-client.js';
import {
  sampleAgent,
  sampleArtifactMeta,
  sampleDetails,
  sampleRun,
  sampleSession,
  startTestServer,
  type TestHttpServer,
} from './http-test-kit.js';
import { submitted } from '../../support/mock-services.js';

let t: TestHttpServer;
let client: GatewayTestClient;

beforeEach(async () => {
  t = await startTestServer();
  client = createHttpGatewayClient(t.baseUrl);
});
afterEach(async () => {
  await client.close();
  await t.server.close(0);
});

function expectContext(ctx: CallContext | undefined): void {
  expect(ctx).toMatchObject({ tenant: 'default', principal: 'anonymous' });
  expect(ctx?.requestId).toMatch(/.+/);
  expect(ctx?.signal).toBeInstanceOf(AbortSignal);
}

describe('runs', () => {
  it('POST /v1/runs submits and answers 201 with the run details', async () => {
    const details = sampleDetails();
    t.services.runs.submit.mockResolvedValue(submitted(details));
    const response = await fetch(`${t.baseUrl}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' },
      body: JSON.stringify({
        target: { agent: 'echo' },
        input: { text: 'hello', parts: [{ data: { a: 1 } }], metadata: { k: 'v' } },
        sessionId: 's-1',
        timeoutMs: 5000,
      }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('req-42');
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(details)));
    const [request, ctx] = t.services.runs.submit.mock.calls[0] ?? [];
    expect(request).toEqual({
      target: { kind: 'agent', name: 'echo' },
      input: { parts: [{ text: 'hello' }, { data: { a: 1 } }], metadata: { k: 'v' } },
      sessionId: 's-1',
      timeoutMs: 5000,
    });
    expectContext(ctx);
    expect(ctx?.requestId).toBe('req-42');
  });

  it.each([
    [{ url: 'https://agent.example/a2a' }, { kind: 'a2aAgent', url: 'https://agent.example/a2a' }],
    [{ swarm: 'swarms/review.yaml' }, { kind: 'swarm', swarmfilePath: 'swarms/review.yaml' }],
  ])('maps target %j to %j', async (target, expected) => {
    t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
    const response = await fetch(`${t.baseUrl}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target, input: { text: 'x' } }),
    });
    expect(response.status).toBe(201);
    expect(t.services.runs.submit.mock.calls[0]?.[0].target).toEqual(expected);
  });

  it('the client submits by agent name and by url', async () => {
    t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
    await client.submitRun({ agent: 'echo', text: 'a', timeoutMs: 10 });
    await client.submitRun({ url: 'http://127.0.0.1:1/', text: 'b' });
    expect(t.services.runs.submit.mock.calls.map((c) => c[0])).toEqual([
      { target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'a' }] }, timeoutMs: 10 },
      { target: { kind: 'a2aAgent', url: 'http://127.0.0.1:1/' }, input: { parts: [{ text: 'b' }] } },
    ]);
  });

  describe('idempotency key', () => {
    async function submit(
      body: Record<string, unknown>,
      headers: Record<string, string> = {},
    ): Promise<{ status: number; body: Record<string, unknown> }> {
      const response = await fetch(`${t.baseUrl}/v1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ target: { agent: 'echo' }, input: { text: 'x' }, ...body }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    }

    it('answers 200 with the run details (and no `created` flag) when the run existed', async () => {
      const details = sampleDetails();
      t.services.runs.submit.mockResolvedValue(submitted(details, false));
      const answer = await submit({ idempotencyKey: 'k-1' });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(JSON.parse(JSON.stringify(details)));
      expect(t.services.runs.submit.mock.calls[0]?.[0].idempotencyKey).toBe('k-1');
    });

    it('takes the key from the Idempotency-Key header, or from both when they agree', async () => {
      t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
      expect((await submit({}, { 'Idempotency-Key': 'from header' })).status).toBe(201);
      expect((await submit({ idempotencyKey: 'same' }, { 'idempotency-key': 'same' })).status).toBe(201);
      expect((await submit({})).status).toBe(201);
      // The draft standard's form: a structured-field string, quoted, with \" and \\ escapes.
      expect((await submit({}, { 'Idempotency-Key': '"q \\"k\\" \\\\ 1"' })).status).toBe(201);
      expect((await submit({ idempotencyKey: 'sf' }, { 'Idempotency-Key': '"sf"' })).status).toBe(201);
      expect(t.services.runs.submit.mock.calls.map((c) => c[0].idempotencyKey)).toEqual([
        'from header',
        'same',
        undefined,
        'q "k" \\ 1',
        'sf',
      ]);
    });

    it.each([
      ['body and header differ', { idempotencyKey: 'a' }, { 'Idempotency-Key': 'b' }, 'idempotencyKey'],
      ['an empty body key', { idempotencyKey: '' }, {}, 'idempotencyKey'],
      ['a body key over 200 characters', { idempotencyKey: 'k'.repeat(201) }, {}, 'idempotencyKey'],
      ['a body key with a non-ASCII character', { idempotencyKey: 'clé' }, {}, 'idempotencyKey'],
      ['a body key with a control character', { idempotencyKey: 'a\tb' }, {}, 'idempotencyKey'],
      ['a header key over 200 characters', {}, { 'Idempotency-Key': 'k'.repeat(201) }, 'Idempotency-Key'],
    ])('refuses %s with INVALID_ARGUMENT naming the field', async (_, body, headers, field) => {
      const answer = await submit(body, headers);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field } });
      expect(t.services.runs.submit).not.toHaveBeenCalled();
    });

    it('accepts a key of exactly 200 printable characters', async () => {
      t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
      const key = ' ~'.repeat(100);
      expect((await submit({ idempotencyKey: key })).status).toBe(201);
      expect(t.services.runs.submit.mock.calls[0]?.[0].idempotencyKey).toBe(key);
    });
  });

  it('GET /v1/runs/:id returns the details', async () => {
    const details = sampleDetails();
    t.services.runs.get.mockResolvedValue(details);
    expect(await client.getRun(details.run.id)).toEqual(JSON.parse(JSON.stringify(details)));
    expect(t.services.runs.get.mock.calls[0]?.[0]).toBe(details.run.id);
    expectContext(t.services.runs.get.mock.calls[0]?.[1]);
  });

  it('GET /v1/runs/:id returns the trace of the run and of its steps', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const run = sampleRun({ trace: { traceId, spanId: '00f067aa0ba902b7', traceFlags: 1 } });
    const step = {
      ...newStep({ runId: run.id, name: 'call echo', agent: 'echo' }),
      trace: { traceId, spanId: 'b7ad6b7169203331', traceFlags: 0 },
    };
    t.services.runs.get.mockResolvedValue({ run, steps: [step], artifacts: [] });
    const response = await fetch(`${t.baseUrl}/v1/runs/${run.id}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { run: { trace: unknown }; steps: { trace: unknown }[] };
    expect(body.run.trace).toEqual({ traceId, spanId: '00f067aa0ba902b7', traceFlags: 1 });
    expect(body.steps.map((s) => s.trace)).toEqual([{ traceId, spanId: 'b7ad6b7169203331', traceFlags: 0 }]);
  });

  it('GET /v1/runs passes the filters and the page, and returns runs with the next token', async () => {
    const runs = [sampleRun(), sampleRun()];
    t.services.runs.list.mockResolvedValue({ items: runs, nextPageToken: 'next' });
    const result = await client.listRuns({
      statuses: ['running', 'completed'],
      agent: 'echo',
      sessionId: 's-1',
      createdAfter: '2024-01-01T00:00:00Z',
      createdBefore: '2024-02-01T00:00:00.000+01:00',
      pageSize: 10,
      pageToken: 'tok',
    });
    expect(result).toEqual({ runs: JSON.parse(JSON.stringify(runs)), nextPageToken: 'next' });
    const [filter, page] = t.services.runs.list.mock.calls[0] ?? [];
    expect(filter).toEqual({
      statuses: ['running', 'completed'],
      agent: 'echo',
      sessionId: 's-1',
      createdAfter: '2024-01-01T00:00:00.000Z',
      createdBefore: '2024-01-31T23:00:00.000Z',
    });
    expect(page).toEqual({ pageSize: 10, pageToken: 'tok' });
  });

  it('GET /v1/runs without parameters lists with an empty filter', async () => {
    t.services.runs.list.mockResolvedValue({ items: [], nextPageToken: '' });
    expect(await client.listRuns({})).toEqual({ runs: [], nextPageToken: '' });
    expect(t.services.runs.list.mock.calls[0]?.slice(0, 2)).toEqual([{}, {}]);
  });

  it('POST /v1/runs/:id/cancel passes the reason, or a default one', async () => {
    t.services.runs.cancel.mockResolvedValue(sampleDetails());
    await client.cancelRun('r1', 'changed my mind');
    await client.cancelRun('r2');
    expect(t.services.runs.cancel.mock.calls.map((c) => [c[0], c[1]])).toEqual([
      ['r1', 'changed my mind'],
      ['r2', 'cancelled by the client'],
    ]);
  });

  it('POST /v1/runs/:id/input passes the input', async () => {
    t.services.runs.sendInput.mockResolvedValue(sampleDetails());
    await client.sendInput('r1', 'more');
    expect(t.services.runs.sendInput.mock.calls[0]?.slice(0, 2)).toEqual([
      'r1',
      { parts: [{ text: 'more' }] },
    ]);
  });

  it('a service error reaches the client as an ApiError with the code and HTTP status', async () => {
    const { notFound } = await import('../../../src/errors/gateway-error.js');
    t.services.runs.get.mockRejectedValue(notFound('RUN_NOT_FOUND', 'run', 'nope'));
    const error = await client.getRun('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'RUN_NOT_FOUND', wireStatus: 404, details: { run: 'nope' } });
  });
});

describe('sessions', () => {
  it('create (201), get, list and end map to the session service', async () => {
    const details = sampleSession('chat');
    t.services.sessions.create.mockResolvedValue(details);
    t.services.sessions.get.mockResolvedValue(details);
    t.services.sessions.end.mockResolvedValue(details);
    t.services.sessions.list.mockResolvedValue({ items: [details.session], nextPageToken: '' });

    const created = await fetch(`${t.baseUrl}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'chat' }),
    });
    expect(created.status).toBe(201);
    expect(t.services.sessions.create.mock.calls[0]?.[0]).toEqual({ name: 'chat' });

    const id = details.session.id;
    expect(await client.getSession(id)).toEqual(details);
    expect(await client.endSession(id)).toEqual(details);
    expect(await client.listSessions()).toEqual({ sessions: [details.session], nextPageToken: '' });
    expect(t.services.sessions.get.mock.calls[0]?.[0]).toBe(id);
    expect(t.services.sessions.end.mock.calls[0]?.[0]).toBe(id);
  });

  it('GET /v1/sessions passes status filter and page', async () => {
    t.services.sessions.list.mockResolvedValue({ items: [], nextPageToken: '' });
    const response = await fetch(`${t.baseUrl}/v1/sessions?status=active,ended&pageSize=5&pageToken=p`);
    expect(response.status).toBe(200);
    expect(t.services.sessions.list.mock.calls[0]?.slice(0, 2)).toEqual([
      { statuses: ['active', 'ended'] },
      { pageSize: 5, pageToken: 'p' },
    ]);
  });
});

describe('agents', () => {
  it('POST /v1/agents registers (201) with labels, credentials and TTL', async () => {
    const agent = sampleAgent('echo');
    t.services.agents.register.mockResolvedValue(agent);
    const response = await fetch(`${t.baseUrl}/v1/agents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'echo',
        url: 'http://127.0.0.1:9999',
        labels: { team: 'a' },
        credentials: { bearerToken: 'secret', headers: { 'x-k': 'v' } },
        heartbeatTtlMs: 30000,
      }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual(agent);
    expect(t.services.agents.register.mock.calls[0]?.[0]).toEqual({
      name: 'echo',
      url: 'http://127.0.0.1:9999',
      labels: { team: 'a' },
      credentials: { bearerToken: 'secret', headers: { 'x-k': 'v' } },
      heartbeatTtlMs: 30000,
    });
  });

  it('get, list, heartbeat and delete (204) map to the registry', async () => {
    const agent = sampleAgent('echo');
    t.services.agents.get.mockResolvedValue(agent);
    t.services.agents.list.mockResolvedValue([agent]);
    t.services.agents.heartbeat.mockResolvedValue(agent);
    t.services.agents.deregister.mockResolvedValue(undefined);

    expect(await client.getAgent('echo')).toEqual(agent);
    expect(await client.listAgents()).toEqual([agent]);
    expect(await client.heartbeatAgent('echo')).toEqual(agent);
    const deleted = await fetch(`${t.baseUrl}/v1/agents/echo`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    await expect(client.deregisterAgent('echo')).resolves.toBeUndefined();
    expect(t.services.agents.get.mock.calls[0]?.[0]).toBe('echo');
    expect(t.services.agents.heartbeat.mock.calls[0]?.[0]).toBe('echo');
    expect(t.services.agents.deregister.mock.calls.map((c) => c[0])).toEqual(['echo', 'echo']);
  });

  it('the client sends the bearer token as credentials', async () => {
    t.services.agents.register.mockResolvedValue(sampleAgent('a'));
    await client.registerAgent({
      name: 'a',
      url: 'http://127.0.0.1:1',
      bearerToken: 't0k',
      heartbeatTtlMs: 5,
    });
    expect(t.services.agents.register.mock.calls[0]?.[0]).toEqual({
      name: 'a',
      url: 'http://127.0.0.1:1',
      credentials: { bearerToken: 't0k' },
      heartbeatTtlMs: 5,
    });
  });
});

describe('artifacts', () => {
  it('GET /v1/artifacts/:id returns the metadata', async () => {
    const meta = sampleArtifactMeta();
    t.services.artifacts.get.mockResolvedValue(meta);
    expect(await client.getArtifact(meta.id)).toEqual(meta);
  });
});

describe('unknown routes', () => {
  it('answer 404 with the error body naming the route', async () => {
    const response = await fetch(`${t.baseUrl}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: 'no route GET /v1/nothing-here',
        details: { method: 'GET', path: '/v1/nothing-here' },
        retryable: false,
      },
    });
  });
});
