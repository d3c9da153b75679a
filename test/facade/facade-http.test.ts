/**
 * The edges of the A2A façade on the HTTP port, seen on the wire with plain `fetch`: the agent card
 * (addresses, caching, versions, errors), the JSON-RPC binding's envelope errors and both dialects, the
 * HTTP+JSON routes (with and without a tenant prefix) and their AIP-193 errors, and SSE framing and
 * keep-alives. Real gateway (SQLite) and a real SDK streaming agent on loopback ports.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { startAgent, type RunningAgent } from '../../examples/serve-agent.js';
import { StreamingExecutor } from '../../examples/streaming-agent.js';
import { systemContext } from '../../src/domain/call-context.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const AGENT = 'streamer';
const CHUNKS = 3;
const MAX_BODY_BYTES = 4096;
const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';
const A2A_DOMAIN = 'a2a-protocol.org';
const GATEWAY_DOMAIN = 'bzzz.gateway';
const ctx = systemContext();

let agent: RunningAgent;

beforeAll(async () => {
  agent = await startAgent({
    executor: new StreamingExecutor({ chunks: CHUNKS, delayMs: 5, slowChunks: 50, slowDelayMs: 400 }),
    name: AGENT,
    description: 'streams chunks; "slow" runs long',
  });
});

afterAll(async () => {
  await agent.close();
});

/** A gateway with `AGENT` registered, closed after the enclosing describe. */
function useGateway(env: Record<string, string> = {}): () => TestGateway {
  let gateway: TestGateway | undefined;
  beforeAll(async () => {
    gateway = await startTestGateway({ env });
    await gateway.gateway.services.agents.register({ name: AGENT, url: agent.url }, ctx);
  });
  afterAll(async () => {
    await gateway?.close({ removeData: true });
  });
  return () => {
    if (gateway === undefined) throw new Error('the gateway has not started');
    return gateway;
  };
}

type Json = Record<string, unknown>;

function userMessage(text: string): Json {
  return { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] };
}

function rpcRequest(method: string, params?: unknown, id: string | number = 'req-1'): Json {
  return { jsonrpc: '2.0', id, method, ...(params !== undefined && { params }) };
}

/** POSTs `body` (JSON-encoded unless a string) to the JSON-RPC endpoint of `name`. */
function postRpc(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
  name = AGENT,
): Promise<Response> {
  return fetch(`${baseUrl}/a2a/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Asserts a JSON-RPC error response (HTTP 200, JSON) and returns its `error`. */
async function expectRpcError(
  response: Response,
  expected: { code: number; reason: string; domain: string; id: string | number | null },
): Promise<{ code: number; message: string; data: Json[] }> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as Json;
  expect(body).toMatchObject({ jsonrpc: '2.0', id: expected.id, error: { code: expected.code } });
  expect(body).not.toHaveProperty('result');
  const error = body['error'] as { code: number; message: string; data: Json[] };
  expect(typeof error.message).toBe('string');
  expect(error.data[0]).toMatchObject({
    '@type': ERROR_INFO_TYPE,
    reason: expected.reason,
    domain: expected.domain,
  });
  return error;
}

/** Asserts an AIP-193 error response and returns its `error`. */
async function expectRestError(
  response: Response,
  expected: { httpStatus: number; status: string; reason: string; domain: string },
): Promise<{ message: string; details: Json[] }> {
  expect(response.status).toBe(expected.httpStatus);
  expect(response.headers.get('content-type')).toMatch(/^application\/a2a\+json/);
  const body = (await response.json()) as { error: { message: string; details: Json[] } };
  expect(body.error).toMatchObject({ code: expected.httpStatus, status: expected.status });
  expect(typeof body.error.message).toBe('string');
  expect(body.error.details).toEqual([
    expect.objectContaining({ '@type': ERROR_INFO_TYPE, reason: expected.reason, domain: expected.domain }),
  ]);
  return body.error;
}

/** The SSE blocks of a response (`data: …` events and `: keep-alive` comments), as they arrive. */
async function* sseBlocks(response: Response): AsyncGenerator<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('the response has no body');
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        yield buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
    expect(buffer).toBe('');
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Every `data:` frame of a stream that ends, parsed; comments are skipped. */
async function sseData(response: Response): Promise<Json[]> {
  const frames: Json[] = [];
  for await (const block of sseBlocks(response)) {
    if (block.startsWith(':')) continue;
    expect(block).toMatch(/^data: /);
    expect(block).not.toContain('\n');
    frames.push(JSON.parse(block.slice('data: '.length)) as Json);
  }
  return frames;
}

function expectSseHeaders(response: Response): void {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(response.headers.get('x-accel-buffering')).toBe('no');
  expect(response.headers.get('cache-control')).toBe('no-cache');
}

/**
 * Starts a `slow` task through the REST binding and returns its id once the agent has created it; the
 * opening stream is closed (which leaves the task running).
 */
async function startSlowTask(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/a2a/${AGENT}/rest/message:stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: userMessage('slow') }),
  });
  expectSseHeaders(response);
  for await (const block of sseBlocks(response)) {
    if (block.startsWith(':')) continue;
    const first = JSON.parse(block.slice('data: '.length)) as { task?: { id: string } };
    expect(first.task?.id).toEqual(expect.any(String));
    return first.task?.id ?? '';
  }
  throw new Error('the stream ended before its first event');
}

async function cancelTask(baseUrl: string, taskId: string): Promise<void> {
  const response = await fetch(`${baseUrl}/a2a/${AGENT}/rest/tasks/${taskId}:cancel`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { status: { state: string } }).status.state).toBe('TASK_STATE_CANCELED');
}

function completedTaskOf(reply: Json): { id: string; contextId: string } {
  expect(reply).toMatchObject({ task: { status: { state: 'TASK_STATE_COMPLETED' } } });
  return reply['task'] as { id: string; contextId: string };
}

describe('the agent card', () => {
  const gw = useGateway({ BZZZ_HEALTH_CHECK_INTERVAL_MS: '50' });
  const cardUrl = (name = AGENT): string => `${gw().httpUrl}/a2a/${name}/.well-known/agent-card.json`;
  const grpcPort = (): string => gw().grpcAddress.split(':')[1] ?? '';

  it('is served with interfaces on the gateway, an ETag and Cache-Control', async () => {
    const response = await fetch(cardUrl());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(response.headers.get('vary')).toBe('A2A-Version, Host, X-Forwarded-Proto, X-Forwarded-Host');
    const card = (await response.json()) as Json;
    expect(card['name']).toBe(AGENT);
    const base = `${gw().httpUrl}/a2a/${AGENT}`;
    expect(card['supportedInterfaces']).toEqual([
      { url: base, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' },
      { url: `${base}/rest`, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0', tenant: '' },
      { url: gw().grpcAddress, protocolBinding: 'GRPC', protocolVersion: '1.0', tenant: AGENT },
      { url: base, protocolBinding: 'JSONRPC', protocolVersion: '0.3', tenant: '' },
    ]);
  });

  it('answers If-None-Match with its ETag by 304 without a body', async () => {
    const etag = (await fetch(cardUrl())).headers.get('etag') ?? '';
    const response = await fetch(cardUrl(), { headers: { 'if-none-match': etag } });
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe(etag);
    expect(await response.text()).toBe('');
    const stale = await fetch(cardUrl(), { headers: { 'if-none-match': '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it('points at the forwarded host and protocol', async () => {
    const response = await fetch(cardUrl(), {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gw.example.com' },
    });
    expect(response.status).toBe(200);
    const card = (await response.json()) as { supportedInterfaces: Json[] };
    expect(card.supportedInterfaces.map((i) => i['url'])).toEqual([
      `https://gw.example.com/a2a/${AGENT}`,
      `https://gw.example.com/a2a/${AGENT}/rest`,
      `gw.example.com:${grpcPort()}`,
      `https://gw.example.com/a2a/${AGENT}`,
    ]);
  });

  it('answers an unknown agent with a 404 AIP-193 body', async () => {
    await expectRestError(await fetch(cardUrl('no-such-agent')), {
      httpStatus: 404,
      status: 'NOT_FOUND',
      reason: 'AGENT_NOT_FOUND',
      domain: GATEWAY_DOMAIN,
    });
  });

  it('answers for an unhealthy agent with 503 AGENT_UNHEALTHY', async () => {
    const { agents } = gw().gateway.services;
    await agents.register({ name: 'lapsed', url: agent.url, heartbeatTtlMs: 50 }, ctx);
    await vi.waitFor(async () => expect((await agents.get('lapsed', ctx)).health).toBe('unhealthy'), {
      timeout: 3000,
    });
    await expectRestError(await fetch(cardUrl('lapsed')), {
      httpStatus: 503,
      status: 'UNAVAILABLE',
      reason: 'AGENT_UNHEALTHY',
      domain: GATEWAY_DOMAIN,
    });
  });

  it('is 0.3-shaped for A2A-Version 0.3 and 1.0-only for 1.0, each with its own ETag', async () => {
    const v03 = await fetch(cardUrl(), { headers: { 'A2A-Version': '0.3' } });
    expect(v03.status).toBe(200);
    const card03 = (await v03.json()) as Json;
    expect(card03).toMatchObject({
      url: `${gw().httpUrl}/a2a/${AGENT}`,
      preferredTransport: 'JSONRPC',
      protocolVersion: expect.stringMatching(/^0\.3/),
    });
    expect(card03).not.toHaveProperty('supportedInterfaces');

    const v10 = await fetch(cardUrl(), { headers: { 'A2A-Version': '1.0' } });
    const card10 = (await v10.json()) as Json;
    expect(card10['supportedInterfaces']).toHaveLength(4);
    expect(card10).not.toHaveProperty('url');
    expect(card10).not.toHaveProperty('preferredTransport');
    expect(new Set([v03.headers.get('etag'), v10.headers.get('etag')]).size).toBe(2);
  });

  it('refuses an unknown A2A-Version with 400 VERSION_NOT_SUPPORTED', async () => {
    await expectRestError(await fetch(cardUrl(), { headers: { 'A2A-Version': '9.9' } }), {
      httpStatus: 400,
      status: 'FAILED_PRECONDITION',
      reason: 'VERSION_NOT_SUPPORTED',
      domain: A2A_DOMAIN,
    });
  });
});

describe('the agent card with configured public addresses', () => {
  const gw = useGateway({
    BZZZ_PUBLIC_URL: 'https://public.example.com',
    BZZZ_PUBLIC_GRPC_ADDRESS: 'grpc.example.com:443',
  });

  it('uses them whatever the request headers say', async () => {
    const response = await fetch(`${gw().httpUrl}/a2a/${AGENT}/.well-known/agent-card.json`, {
      headers: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'gw.example.com', 'A2A-Version': '1.0' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('vary')).toBe('A2A-Version');
    const card = (await response.json()) as { supportedInterfaces: Json[] };
    expect(card.supportedInterfaces.map((i) => [i['protocolBinding'], i['url'], i['tenant']])).toEqual([
      ['JSONRPC', `https://public.example.com/a2a/${AGENT}`, ''],
      ['HTTP+JSON', `https://public.example.com/a2a/${AGENT}/rest`, ''],
      ['GRPC', 'grpc.example.com:443', AGENT],
      ['JSONRPC', `https://public.example.com/a2a/${AGENT}`, ''],
    ]);
  });
});

describe('the JSON-RPC binding', () => {
  const gw = useGateway({ BZZZ_MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
  const rpc = (body: unknown, headers?: Record<string, string>, name?: string): Promise<Response> =>
    postRpc(gw().httpUrl, body, headers, name);

  it('answers invalid JSON with -32700 and id null', async () => {
    await expectRpcError(await rpc('{"jsonrpc":"2.0","id":"x",'), {
      code: -32700,
      reason: 'PARSE_ERROR',
      domain: A2A_DOMAIN,
      id: null,
    });
  });

  it('refuses a batch with -32600', async () => {
    const error = await expectRpcError(await rpc([rpcRequest('GetTask', { id: 'a' })]), {
      code: -32600,
      reason: 'INVALID_REQUEST',
      domain: A2A_DOMAIN,
      id: null,
    });
    expect(error.message).toMatch(/batch/);
  });

  it('refuses a request without jsonrpc, or with a method that is not a string, with -32600', async () => {
    await expectRpcError(await rpc({ id: 7, method: 'GetTask', params: { id: 'a' } }), {
      code: -32600,
      reason: 'INVALID_REQUEST',
      domain: A2A_DOMAIN,
      id: 7,
    });
    await expectRpcError(await rpc({ jsonrpc: '2.0', id: 'm', method: 42 }), {
      code: -32600,
      reason: 'INVALID_REQUEST',
      domain: A2A_DOMAIN,
      id: 'm',
    });
  });

  it('refuses an empty body with -32600', async () => {
    await expectRpcError(await rpc(''), {
      code: -32600,
      reason: 'INVALID_REQUEST',
      domain: A2A_DOMAIN,
      id: null,
    });
  });

  it('answers a stream that fails before its first event with a plain JSON-RPC error', async () => {
    const response = await rpc(rpcRequest('SubscribeToTask', { id: 'no-such-task' }, 9));
    await expectRpcError(response, { code: -32001, reason: 'TASK_NOT_FOUND', domain: A2A_DOMAIN, id: 9 });
  });

  it('answers an unknown method with -32601', async () => {
    const error = await expectRpcError(await rpc(rpcRequest('NoSuchMethod', {})), {
      code: -32601,
      reason: 'ROUTE_NOT_FOUND',
      domain: GATEWAY_DOMAIN,
      id: 'req-1',
    });
    expect(error.message).toContain('NoSuchMethod');
  });

  it('refuses params that are not an object with -32602', async () => {
    const error = await expectRpcError(await rpc(rpcRequest('GetTask', ['a'])), {
      code: -32602,
      reason: 'INVALID_PARAMS',
      domain: A2A_DOMAIN,
      id: 'req-1',
    });
    expect(error.data[0]?.['metadata']).toMatchObject({ field: 'params' });
  });

  it('refuses SendMessage without message.parts with -32602 naming the field', async () => {
    const message = { messageId: randomUUID(), role: 'ROLE_USER' };
    const error = await expectRpcError(await rpc(rpcRequest('SendMessage', { message })), {
      code: -32602,
      reason: 'INVALID_PARAMS',
      domain: A2A_DOMAIN,
      id: 'req-1',
    });
    expect(error.message).toContain('message.parts');
    expect(error.data[0]?.['metadata']).toMatchObject({ field: 'message.parts' });
  });

  it('answers a body over the limit with a JSON-RPC -32600 PAYLOAD_TOO_LARGE error', async () => {
    const big = rpcRequest('SendMessage', { message: userMessage('x'.repeat(MAX_BODY_BYTES * 2)) });
    await expectRpcError(await rpc(big), {
      code: -32600,
      reason: 'PAYLOAD_TOO_LARGE',
      domain: GATEWAY_DOMAIN,
      id: null,
    });
  });

  it('refuses a text/plain body with -32005 and accepts application/a2a+json', async () => {
    const request = rpcRequest('SendMessage', { message: userMessage('hello') });
    await expectRpcError(await rpc(request, { 'content-type': 'text/plain' }), {
      code: -32005,
      reason: 'CONTENT_TYPE_NOT_SUPPORTED',
      domain: A2A_DOMAIN,
      id: null,
    });
    const accepted = await rpc(request, { 'content-type': 'application/a2a+json' });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await accepted.json()) as Json;
    expect(body).toMatchObject({ jsonrpc: '2.0', id: 'req-1' });
    completedTaskOf(body['result'] as Json);
  });

  it('refuses A2A-Version 9.9 with -32009', async () => {
    await expectRpcError(await rpc(rpcRequest('GetTask', { id: 'a' }), { 'A2A-Version': '9.9' }), {
      code: -32009,
      reason: 'VERSION_NOT_SUPPORTED',
      domain: A2A_DOMAIN,
      id: 'req-1',
    });
  });

  it('answers an unknown agent with -32000 AGENT_NOT_FOUND in the gateway domain', async () => {
    const response = await rpc(rpcRequest('GetTask', { id: 'a' }), {}, 'no-such-agent');
    await expectRpcError(response, {
      code: -32000,
      reason: 'AGENT_NOT_FOUND',
      domain: GATEWAY_DOMAIN,
      id: 'req-1',
    });
    const badName = await rpc(rpcRequest('GetTask', { id: 'a' }), {}, 'Not%20An%20Agent');
    await expectRpcError(badName, {
      code: -32000,
      reason: 'AGENT_NOT_FOUND',
      domain: GATEWAY_DOMAIN,
      id: 'req-1',
    });
    const badEncoding = await rpc(rpcRequest('GetTask', { id: 'a' }), {}, '%E0%A4%A');
    await expectRpcError(badEncoding, {
      code: -32602,
      reason: 'INVALID_PARAMS',
      domain: A2A_DOMAIN,
      id: null,
    });
    const sent = await rpc(rpcRequest('SendMessage', { message: userMessage('hi') }), {}, 'no-such-agent');
    await expectRpcError(sent, {
      code: -32000,
      reason: 'AGENT_NOT_FOUND',
      domain: GATEWAY_DOMAIN,
      id: 'req-1',
    });
  });

  it("answers an unknown task with the agent's -32001 TASK_NOT_FOUND and message", async () => {
    const error = await expectRpcError(await rpc(rpcRequest('GetTask', { id: 'no-such-task' })), {
      code: -32001,
      reason: 'TASK_NOT_FOUND',
      domain: A2A_DOMAIN,
      id: 'req-1',
    });
    expect(error.message).toContain('no-such-task');
  });

  it('streams SendStreamingMessage as SSE frames carrying the request id', async () => {
    const response = await rpc(rpcRequest('SendStreamingMessage', { message: userMessage('hi') }, 41));
    expectSseHeaders(response);
    const frames = await sseData(response);
    for (const frame of frames) {
      expect(Object.keys(frame).sort()).toEqual(['id', 'jsonrpc', 'result']);
      expect(frame).toMatchObject({ jsonrpc: '2.0', id: 41 });
    }
    const results = frames.map((frame) => frame['result'] as Json);
    expect(Object.keys(results[0] ?? {})).toEqual(['task']);
    expect(results.filter((r) => 'artifactUpdate' in r)).toHaveLength(CHUNKS);
    expect(results.at(-1)).toMatchObject({ statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } } });
  });

  describe('in the 0.3 dialect (no A2A-Version)', () => {
    const v03Message = (text: string): Json => ({
      kind: 'message',
      messageId: randomUUID(),
      role: 'user',
      parts: [{ kind: 'text', text }],
    });

    it('answers message/send with a 0.3 task', async () => {
      const response = await rpc(rpcRequest('message/send', { message: v03Message('hello') }));
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result: Json };
      expect(body.result).toMatchObject({ kind: 'task', status: { state: 'completed' } });
      expect(body.result['artifacts']).toEqual([
        expect.objectContaining({
          parts: [1, 2, 3].map((i) => ({ kind: 'text', text: `chunk-${i} ` })),
        }),
      ]);
    });

    it('answers tasks/get of an unknown task with -32001 and free-form data', async () => {
      const response = await rpc(rpcRequest('tasks/get', { id: 'no-such-task' }));
      expect(response.status).toBe(200);
      const body = (await response.json()) as { id: unknown; error: { code: number; data: unknown } };
      expect(body.id).toBe('req-1');
      expect(body.error.code).toBe(-32001);
      expect(body.error.data).toMatchObject({ reason: 'TASK_NOT_FOUND', domain: A2A_DOMAIN });
      expect(Array.isArray(body.error.data)).toBe(false);
    });

    it('streams message/stream as 0.3 events ending with a final status-update', async () => {
      const response = await rpc(rpcRequest('message/stream', { message: v03Message('hi') }, 's1'));
      expectSseHeaders(response);
      const results = (await sseData(response)).map((frame) => {
        expect(frame).toMatchObject({ jsonrpc: '2.0', id: 's1' });
        return frame['result'] as Json;
      });
      expect(results[0]).toMatchObject({ kind: 'task' });
      for (const result of results) {
        expect(['task', 'message', 'status-update', 'artifact-update']).toContain(result['kind']);
      }
      expect(results.filter((r) => r['kind'] === 'artifact-update')).toHaveLength(CHUNKS);
      expect(results.at(-1)).toMatchObject({
        kind: 'status-update',
        final: true,
        status: { state: 'completed' },
      });
    });
  });
});

describe('the HTTP+JSON binding', () => {
  const gw = useGateway({ BZZZ_MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
  const restUrl = (path: string): string => `${gw().httpUrl}/a2a/${AGENT}/rest${path}`;
  const post = (path: string, body: unknown, contentType = 'application/json'): Promise<Response> =>
    fetch(restUrl(path), {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  async function expectOk(response: Response): Promise<Json> {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/a2a\+json/);
    return (await response.json()) as Json;
  }

  describe.each([
    ['without a tenant', ''],
    ['with a tenant prefix', '/acme'],
  ])('%s', (_label, prefix) => {
    it('sends, gets, lists and streams; both JSON content types are accepted', async () => {
      const sent = completedTaskOf(
        await expectOk(await post(`${prefix}/message:send`, { message: userMessage('hello') })),
      );
      const sentA2A = completedTaskOf(
        await expectOk(
          await post(`${prefix}/message:send`, { message: userMessage('hi') }, 'application/a2a+json'),
        ),
      );
      expect(sentA2A.id).not.toBe(sent.id);

      const got = await expectOk(await fetch(restUrl(`${prefix}/tasks/${sent.id}?historyLength=1`)));
      expect(got).toMatchObject({ id: sent.id, status: { state: 'TASK_STATE_COMPLETED' } });

      const listed = await expectOk(await fetch(restUrl(`${prefix}/tasks?contextId=${sent.contextId}`)));
      expect((listed['tasks'] as Json[]).map((t) => t['id'])).toEqual([sent.id]);

      const stream = await post(`${prefix}/message:stream`, { message: userMessage('hi') });
      expectSseHeaders(stream);
      const events = await sseData(stream);
      expect(Object.keys(events[0] ?? {})).toEqual(['task']);
      expect(events.filter((e) => 'artifactUpdate' in e)).toHaveLength(CHUNKS);
      expect(events.at(-1)).toMatchObject({ statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } } });
    });

    it('subscribes with GET and with POST to a running task, then cancels it', async () => {
      const taskId = await startSlowTask(gw().httpUrl);
      for (const method of ['GET', 'POST']) {
        const response = await fetch(restUrl(`${prefix}/tasks/${taskId}:subscribe`), {
          method,
          ...(method === 'POST' && { headers: { 'content-type': 'application/json' }, body: '{}' }),
        });
        expectSseHeaders(response);
        for await (const block of sseBlocks(response)) {
          if (block.startsWith(':')) continue;
          const snapshot = JSON.parse(block.slice('data: '.length)) as Json;
          expect(snapshot).toMatchObject({ task: { id: taskId } });
          break;
        }
      }
      const cancelled = await expectOk(await post(`${prefix}/tasks/${taskId}:cancel`, {}));
      expect(cancelled).toMatchObject({ id: taskId, status: { state: 'TASK_STATE_CANCELED' } });
    });

    it("reaches the agent's push-config and extended-card routes, which answer with A2A errors", async () => {
      const pushRoutes: [string, string, unknown][] = [
        ['POST', `/tasks/t-1/pushNotificationConfigs`, { url: 'https://hook.example.com/a2a' }],
        ['GET', `/tasks/t-1/pushNotificationConfigs`, undefined],
        ['GET', `/tasks/t-1/pushNotificationConfigs/c-1`, undefined],
        ['DELETE', `/tasks/t-1/pushNotificationConfigs/c-1`, undefined],
      ];
      for (const [method, path, body] of pushRoutes) {
        const response = await fetch(restUrl(`${prefix}${path}`), {
          method,
          ...(body !== undefined && {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }),
        });
        await expectRestError(response, {
          httpStatus: 400,
          status: 'FAILED_PRECONDITION',
          reason: 'PUSH_NOTIFICATION_NOT_SUPPORTED',
          domain: A2A_DOMAIN,
        });
      }
      await expectRestError(await fetch(restUrl(`${prefix}/extendedAgentCard`)), {
        httpStatus: 400,
        status: 'FAILED_PRECONDITION',
        reason: 'UNSUPPORTED_OPERATION',
        domain: A2A_DOMAIN,
      });
    });

    it('answers an unknown task with 404 TASK_NOT_FOUND', async () => {
      const error = await expectRestError(await fetch(restUrl(`${prefix}/tasks/no-such-task`)), {
        httpStatus: 404,
        status: 'NOT_FOUND',
        reason: 'TASK_NOT_FOUND',
        domain: A2A_DOMAIN,
      });
      expect(error.message).toContain('no-such-task');
    });
  });

  it('answers an unknown route below the façade with 404 ROUTE_NOT_FOUND', async () => {
    const base = `${gw().httpUrl}/a2a/${AGENT}`;
    for (const [method, url] of [
      ['GET', restUrl('/no/such/route')],
      ['DELETE', restUrl('/tasks/t-1')],
      ['GET', restUrl('/message:send')],
      ['GET', `${base}/rest`],
      ['GET', `${base}/rest/`],
      ['GET', base],
      ['POST', `${base}/.well-known/agent-card.json`],
    ] as const) {
      await expectRestError(await fetch(url, { method }), {
        httpStatus: 404,
        status: 'UNIMPLEMENTED',
        reason: 'ROUTE_NOT_FOUND',
        domain: GATEWAY_DOMAIN,
      });
    }
  });

  it('refuses a path that is not valid percent-encoding and an unknown A2A-Version with 400', async () => {
    await expectRestError(await fetch(restUrl('/tasks/%E0%A4%A')), {
      httpStatus: 400,
      status: 'INVALID_ARGUMENT',
      reason: 'INVALID_PARAMS',
      domain: A2A_DOMAIN,
    });
    for (const init of [{ headers: { 'A2A-Version': '9.9' } }, {}]) {
      const query = 'headers' in init ? '' : '?A2A-Version=9.9';
      await expectRestError(await fetch(restUrl(`/tasks/t-1${query}`), init), {
        httpStatus: 400,
        status: 'FAILED_PRECONDITION',
        reason: 'VERSION_NOT_SUPPORTED',
        domain: A2A_DOMAIN,
      });
    }
  });

  it('answers bad JSON, a bad query number and a wrong content type with 400', async () => {
    const badJson = await expectRestError(await post('/message:send', '{"message":'), {
      httpStatus: 400,
      status: 'INVALID_ARGUMENT',
      reason: 'INVALID_PARAMS',
      domain: A2A_DOMAIN,
    });
    expect(badJson.message).toMatch(/invalid JSON/);
    const badNumber = await expectRestError(await fetch(restUrl('/tasks/t-1?historyLength=abc')), {
      httpStatus: 400,
      status: 'INVALID_ARGUMENT',
      reason: 'INVALID_PARAMS',
      domain: A2A_DOMAIN,
    });
    expect(badNumber.details[0]?.['metadata']).toMatchObject({ field: 'historyLength' });
    for (const query of ['historyLength=', 'historyLength=1e3', 'historyLength=1.5', 'pageSize=x']) {
      await expectRestError(await fetch(restUrl(`/tasks?${query}`)), {
        httpStatus: 400,
        status: 'INVALID_ARGUMENT',
        reason: 'INVALID_PARAMS',
        domain: A2A_DOMAIN,
      });
    }
    await expectRestError(await post('/message:send', { message: userMessage('x') }, 'text/plain'), {
      httpStatus: 400,
      status: 'INVALID_ARGUMENT',
      reason: 'CONTENT_TYPE_NOT_SUPPORTED',
      domain: A2A_DOMAIN,
    });
  });

  it('answers a body over the limit with 413 in the AIP-193 shape', async () => {
    const big = { message: userMessage('x'.repeat(MAX_BODY_BYTES * 2)) };
    await expectRestError(await post('/message:send', big), {
      httpStatus: 413,
      status: 'RESOURCE_EXHAUSTED',
      reason: 'PAYLOAD_TOO_LARGE',
      domain: GATEWAY_DOMAIN,
    });
  });
});

describe('SSE keep-alive on an idle stream', () => {
  const gw = useGateway({ BZZZ_SSE_KEEP_ALIVE_MS: '50' });

  /** Reads the first `frames` data frames; returns how many keep-alives came between each two of them. */
  async function keepAlivesBetweenEvents(response: Response, frames: number): Promise<number[]> {
    expectSseHeaders(response);
    const gaps: number[] = [];
    let events = 0;
    for await (const block of sseBlocks(response)) {
      if (block.startsWith('data: ')) {
        events += 1;
        if (events === frames) break;
        gaps.push(0);
      } else {
        expect(block).toBe(': keep-alive');
        if (events > 0) gaps[gaps.length - 1] = (gaps.at(-1) ?? 0) + 1;
      }
    }
    expect(events).toBe(frames);
    return gaps;
  }

  it('sends keep-alive comments between events on JSON-RPC and REST subscriptions', async () => {
    const taskId = await startSlowTask(gw().httpUrl);
    try {
      const rpcStream = await postRpc(gw().httpUrl, rpcRequest('SubscribeToTask', { id: taskId }), {
        'A2A-Version': '1.0',
      });
      // The snapshot, then per chunk a status and an artifact update back to back, 400 ms apart: one of
      // the gaps between the first four events is a whole pause, filled by keep-alives every 50 ms.
      expect(Math.max(...(await keepAlivesBetweenEvents(rpcStream, 4)))).toBeGreaterThanOrEqual(2);
      const restStream = await fetch(`${gw().httpUrl}/a2a/${AGENT}/rest/tasks/${taskId}:subscribe`);
      expect(Math.max(...(await keepAlivesBetweenEvents(restStream, 4)))).toBeGreaterThanOrEqual(2);
    } finally {
      await cancelTask(gw().httpUrl, taskId);
    }
  });
});
