/**
 * `BindingA2AClient` against real `@a2a-js/sdk` agents (the examples) over real loopback sockets — the
 * JSON-RPC suite, then the same agents over each binding and a 0.3-only agent — plus the failure
 * classification against misbehaving raw servers and the dispatch rules.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { EchoExecutor } from '../../examples/echo-agent.js';
import { startAgent } from '../../examples/serve-agent.js';
import { StreamingExecutor } from '../../examples/streaming-agent.js';
import type { JsonObject } from '../../src/a2a/operations.js';
import type { AgentEndpoint } from '../../src/domain/agent.js';
import type { Part } from '../../src/domain/part.js';
import { partsText } from '../../src/domain/part.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import type { A2AMessage, A2AStreamEvent } from '../../src/remote/a2a-types.js';
import { validateAgentCard } from '../../src/remote/agent-card.js';
import { BindingA2AClient } from '../../src/remote/binding-a2a-client.js';
import type { RawServer, RunningAgent } from '../support/agents.js';
import {
  AGENT_CARD_PATH,
  INPUT_QUESTION,
  JSONRPC_PATH,
  REST_PATH,
  STREAM_ARTIFACT_ID,
  startEchoAgent,
  startGarbageAgent,
  startInputAgent,
  startRawServer,
  startStreamingAgent,
  unusedUrl,
} from '../support/agents.js';
import { noSignal, rejection } from '../support/async.js';

function userMessage(text: string, extra: Partial<A2AMessage> = {}): A2AMessage {
  return { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }], ...extra };
}

function endpointOf(url: string, protocolVersion = '1.0'): AgentEndpoint {
  return { url, protocolBinding: 'JSONRPC', protocolVersion };
}

async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function textOf(parts: readonly Part[] | undefined): string {
  return partsText(parts ?? []);
}

let client: BindingA2AClient;
beforeAll(() => {
  client = new BindingA2AClient({ defaultTimeoutMs: 5_000 });
});
afterAll(async () => {
  await client.close();
});

describe('against the real SDK agents', () => {
  const agents: RunningAgent[] = [];
  let echo: RunningAgent;
  let streaming: RunningAgent;
  let input: RunningAgent;

  beforeAll(async () => {
    echo = await startEchoAgent({ legacyCompat: true });
    streaming = await startStreamingAgent({ chunks: 3, delayMs: 5, slowDelayMs: 100 });
    input = await startInputAgent();
    agents.push(echo, streaming, input);
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
  });

  it('fetches the card, validates it and picks the 1.0 JSON-RPC endpoint', async () => {
    const fetched = await client.fetchAgentCard(echo.url, noSignal());
    expect(fetched.cardUrl).toBe(`${echo.url}/.well-known/agent-card.json`);
    const { endpoint, name } = validateAgentCard(fetched.card, fetched.cardUrl);
    expect(name).toBe('echo');
    expect(endpoint).toEqual({
      url: `${echo.url}${JSONRPC_PATH}`,
      protocolBinding: 'JSONRPC',
      protocolVersion: '1.0',
    });
  });

  it('sendMessage to echo returns a completed task with the echoed artifact', async () => {
    const result = await client.sendMessage(
      endpointOf(`${echo.url}${JSONRPC_PATH}`),
      { message: userMessage('hello there') },
      noSignal(),
    );
    if (!('task' in result)) throw new Error('expected a task');
    expect(result.task.status.state).toBe('TASK_STATE_COMPLETED');
    expect(textOf(result.task.artifacts?.[0]?.parts)).toBe('echo: hello there');
  });

  it('speaks the 0.3 dialect to a 0.3 endpoint and normalises the reply', async () => {
    const endpoint = endpointOf(`${echo.url}${JSONRPC_PATH}`, '0.3');
    const result = await client.sendMessage(endpoint, { message: userMessage('old peer') }, noSignal());
    if (!('task' in result)) throw new Error('expected a task');
    expect(result.task.status.state).toBe('TASK_STATE_COMPLETED');
    expect(textOf(result.task.artifacts?.[0]?.parts)).toBe('echo: old peer');
    const task = await client.getTask(endpoint, { id: result.task.id }, noSignal());
    expect(task.status.state).toBe('TASK_STATE_COMPLETED');
    const events = await collect(
      client.sendStreamingMessage(endpoint, { message: userMessage('s') }, noSignal()),
    );
    expect(events.map((e) => Object.keys(e)[0])).toEqual(['task', 'artifactUpdate', 'statusUpdate']);
  });

  it('streams events in order, several chunks, and ends when the agent closes the stream', async () => {
    const events = await collect(
      client.sendStreamingMessage(
        endpointOf(`${streaming.url}${JSONRPC_PATH}`),
        { message: userMessage('go') },
        noSignal(),
      ),
    );
    expect(events.map((e) => Object.keys(e)[0])).toEqual([
      'task',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
    ]);
    const chunks = events.flatMap((e) => ('artifactUpdate' in e ? [e.artifactUpdate] : []));
    expect(chunks.map((c) => textOf(c.artifact.parts))).toEqual(['chunk-1 ', 'chunk-2 ', 'chunk-3 ']);
    expect(chunks.map((c) => c.artifact.artifactId)).toEqual([
      STREAM_ARTIFACT_ID,
      STREAM_ARTIFACT_ID,
      STREAM_ARTIFACT_ID,
    ]);
    expect(chunks.map((c) => c.append ?? false)).toEqual([false, true, true]);
    const last = events.at(-1);
    expect(last !== undefined && 'statusUpdate' in last && last.statusUpdate.status.state).toBe(
      'TASK_STATE_COMPLETED',
    );
  });

  it('input-required, then a follow-up on the same task completes it', async () => {
    const endpoint = endpointOf(`${input.url}${JSONRPC_PATH}`);
    const first = await client.sendMessage(endpoint, { message: userMessage('greet someone') }, noSignal());
    if (!('task' in first)) throw new Error('expected a task');
    expect(first.task.status.state).toBe('TASK_STATE_INPUT_REQUIRED');
    expect(textOf(first.task.status.message?.parts)).toBe(INPUT_QUESTION);

    const second = await client.sendMessage(
      endpoint,
      { message: userMessage('Ada', { taskId: first.task.id, contextId: first.task.contextId }) },
      noSignal(),
    );
    if (!('task' in second)) throw new Error('expected a task');
    expect(second.task.id).toBe(first.task.id);
    expect(second.task.status.state).toBe('TASK_STATE_COMPLETED');
    expect(textOf(second.task.artifacts?.[0]?.parts)).toBe('Hello, Ada!');

    const fetched = await client.getTask(endpoint, { id: first.task.id }, noSignal());
    expect(fetched.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('cancelTask on a slow streaming task ends it as CANCELED, and the stream closes', async () => {
    const endpoint = endpointOf(`${streaming.url}${JSONRPC_PATH}`);
    const stream = client.sendStreamingMessage(endpoint, { message: userMessage('slow') }, noSignal());
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done === true || !('task' in first.value)) throw new Error('expected a task first');
    const taskId = first.value.task.id;

    const cancelled = await client.cancelTask(endpoint, { id: taskId }, noSignal());
    expect(cancelled.status.state).toBe('TASK_STATE_CANCELED');

    const rest: A2AStreamEvent[] = [];
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next())
      rest.push(next.value);
    const last = rest.at(-1);
    expect(last !== undefined && 'statusUpdate' in last && last.statusUpdate.status.state).toBe(
      'TASK_STATE_CANCELED',
    );
    expect((await client.getTask(endpoint, { id: taskId }, noSignal())).status.state).toBe(
      'TASK_STATE_CANCELED',
    );
  });

  it('GetTask of an unknown id is REMOTE_ERROR with remoteCode -32001', async () => {
    const error = await rejection(
      client.getTask(endpointOf(`${echo.url}${JSONRPC_PATH}`), { id: 'nope' }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    expect(error.details['remoteCode']).toBe(-32001);
    expect(error.message).toContain('TaskNotFound');
    expect(error.retryable).toBe(false);
  });

  it('a per-call timeout on a slow agent is DEADLINE_EXCEEDED', async () => {
    const error = await rejection(
      client.sendMessage(
        endpointOf(`${streaming.url}${JSONRPC_PATH}`),
        { message: userMessage('slow') },
        { ...noSignal(), timeoutMs: 150 },
      ),
    );
    expect(error.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
    expect(error.retryable).toBe(true);
  });

  it('aborting the signal is CANCELLED, and a GatewayError abort reason is rethrown as is', async () => {
    const endpoint = endpointOf(`${streaming.url}${JSONRPC_PATH}`);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const cancelled = await rejection(
      client.sendMessage(endpoint, { message: userMessage('slow') }, { signal: controller.signal }),
    );
    expect(cancelled.code).toBe(ErrorCode.CANCELLED);

    const own = new GatewayError(ErrorCode.DEADLINE_EXCEEDED, 'run deadline');
    const second = new AbortController();
    setTimeout(() => second.abort(own), 100);
    const rethrown = await rejection(client.sendMessage(endpoint, { message: userMessage('slow') }, second));
    expect(rethrown).toBe(own);
  });

  it('aborting mid-stream is CANCELLED', async () => {
    const controller = new AbortController();
    const stream = client.sendStreamingMessage(
      endpointOf(`${streaming.url}${JSONRPC_PATH}`),
      { message: userMessage('slow') },
      { signal: controller.signal },
    );
    const seen: A2AStreamEvent[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of stream) {
          seen.push(event);
          if (seen.length === 2) controller.abort();
        }
      })(),
    );
    expect(error.code).toBe(ErrorCode.CANCELLED);
    expect(seen).toHaveLength(2);
  });
});

describe('misbehaving agents', () => {
  let server: RawServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each([
    ['text', /not JSON \(content-type text\/plain\): 'hello, I am not an agent'/],
    ['broken-json', /not valid JSON/],
    ['not-a2a', /agent reply invalid: result\.task\.status\.state: /],
  ] as const)('garbage (%s) is REMOTE_PROTOCOL_ERROR with a helpful message', async (kind, message) => {
    server = await startGarbageAgent(kind);
    const error = await rejection(
      client.sendMessage(endpointOf(server.url), { message: userMessage('hi') }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_PROTOCOL_ERROR);
    expect(error.message).toMatch(message);
  });

  it('nothing listening is REMOTE_UNAVAILABLE and retryable', async () => {
    const url = await unusedUrl();
    const error = await rejection(
      client.sendMessage(endpointOf(url), { message: userMessage('hi') }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_UNAVAILABLE);
    expect(error.retryable).toBe(true);
    expect(error.details['networkCode']).toBe('ECONNREFUSED');
    const stream = client.sendStreamingMessage(endpointOf(url), { message: userMessage('hi') }, noSignal());
    expect((await rejection(collect(stream))).code).toBe(ErrorCode.REMOTE_UNAVAILABLE);
    expect((await rejection(client.fetchAgentCard(url, noSignal()))).code).toBe(ErrorCode.REMOTE_UNAVAILABLE);
  });

  it('a connection reset before any reply is REMOTE_UNAVAILABLE and retryable', async () => {
    server = await startRawServer((req) => {
      req.socket.destroy();
    });
    const error = await rejection(
      client.sendMessage(endpointOf(server.url), { message: userMessage('hi') }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_UNAVAILABLE);
    expect(error.retryable).toBe(true);
  });

  it('sends the JSON-RPC envelope with A2A-Version, tenant and extra headers', async () => {
    server = await startRawServer((_req, res, body) => {
      const { id } = JSON.parse(body) as { id: string };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id, result: { id: 't1', status: { state: 'completed' } } }));
    });
    const task = await client.getTask(
      { ...endpointOf(server.url), tenant: 'acme' },
      { id: 't1', historyLength: 2 },
      { ...noSignal(), headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } },
    );
    expect(task.status.state).toBe('TASK_STATE_COMPLETED');
    const sent = server.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers['a2a-version']).toBe('1.0');
    expect(sent?.headers['traceparent']).toMatch(/^00-/);
    const envelope = JSON.parse(sent?.body ?? '{}') as Record<string, unknown>;
    expect(envelope).toMatchObject({
      jsonrpc: '2.0',
      method: 'GetTask',
      params: { tenant: 'acme', id: 't1', historyLength: 2 },
    });
    expect(typeof envelope['id']).toBe('string');
  });

  it('a reply larger than maxResponseBytes is REMOTE_PROTOCOL_ERROR', async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"pad":"${'x'.repeat(5000)}"}`);
    });
    const small = new BindingA2AClient({ maxResponseBytes: 1000 });
    try {
      const error = await rejection(
        small.sendMessage(endpointOf(server.url), { message: userMessage('hi') }, noSignal()),
      );
      expect(error.code).toBe(ErrorCode.REMOTE_PROTOCOL_ERROR);
      expect(error.message).toContain('larger than 1000 bytes');
    } finally {
      await small.close();
    }
  });

  it('HTTP 503 is REMOTE_UNAVAILABLE; HTTP 404 is REMOTE_PROTOCOL_ERROR naming the status', async () => {
    server = await startRawServer((req, res) => {
      res.writeHead(req.url === '/busy' ? 503 : 404, { 'content-type': 'text/html' }).end('<h1>nope</h1>');
    });
    const busy = await rejection(
      client.sendMessage(endpointOf(`${server.url}/busy`), { message: userMessage('hi') }, noSignal()),
    );
    expect(busy.code).toBe(ErrorCode.REMOTE_UNAVAILABLE);
    const missing = await rejection(
      client.sendMessage(endpointOf(`${server.url}/x`), { message: userMessage('hi') }, noSignal()),
    );
    expect(missing.code).toBe(ErrorCode.REMOTE_PROTOCOL_ERROR);
    expect(missing.message).toContain('HTTP 404');
  });

  it('fetchAgentCard: .json URLs as-is, A2A-Version sent, bad cards are INVALID_AGENT_CARD naming the URL', async () => {
    server = await startRawServer((req, res) => {
      if (req.url === '/custom/card.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"x"}');
      } else res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    });
    const custom = await client.fetchAgentCard(`${server.url}/custom/card.json`, noSignal());
    expect(custom).toEqual({ cardUrl: `${server.url}/custom/card.json`, card: { name: 'x' } });
    expect(server.requests[0]?.headers['a2a-version']).toBe('1.0');

    const error = await rejection(client.fetchAgentCard(`${server.url}/base/`, noSignal()));
    expect(error.code).toBe(ErrorCode.INVALID_AGENT_CARD);
    expect(error.message).toContain(`${server.url}/base/.well-known/agent-card.json`);
    expect(error.message).toContain('not JSON');
  });
});

it('close() is idempotent and later calls fail cleanly', async () => {
  const own = new BindingA2AClient();
  const first = own.close();
  expect(own.close()).toBe(first);
  await first;
  const error = await rejection(own.getTask(endpointOf('http://127.0.0.1:9'), { id: 'x' }, noSignal()));
  expect(error.code).toBe(ErrorCode.UNAVAILABLE);
});

describe.each(['JSONRPC', 'HTTP+JSON', 'GRPC'] as const)('the same agents over %s', (binding) => {
  let echo: RunningAgent;
  let streaming: RunningAgent;
  let echoEndpoint: AgentEndpoint;
  let streamingEndpoint: AgentEndpoint;

  async function endpointFromCard(agent: RunningAgent): Promise<AgentEndpoint> {
    const fetched = await client.fetchAgentCard(agent.url, noSignal());
    return validateAgentCard(fetched.card, fetched.cardUrl).endpoint;
  }

  beforeAll(async () => {
    echo = await startAgent({
      executor: new EchoExecutor(),
      name: 'echo',
      description: 'echo',
      bindings: [binding],
    });
    streaming = await startAgent({
      executor: new StreamingExecutor({ slowDelayMs: 50 }),
      name: 'streaming',
      description: 'streaming',
      bindings: [binding],
    });
    echoEndpoint = await endpointFromCard(echo);
    streamingEndpoint = await endpointFromCard(streaming);
  });
  afterAll(async () => {
    await Promise.all([echo.close(), streaming.close()]);
  });

  it('the card names the binding, and its URL is the one that binding serves', () => {
    const expectedUrl = {
      JSONRPC: `${echo.url}${JSONRPC_PATH}`,
      'HTTP+JSON': `${echo.url}${REST_PATH}`,
      GRPC: echo.grpcAddress,
    }[binding];
    expect(echoEndpoint).toEqual({ url: expectedUrl, protocolBinding: binding, protocolVersion: '1.0' });
  });

  it('sendMessage, then getTask and ListTasks see the completed task', async () => {
    const result = await client.sendMessage(echoEndpoint, { message: userMessage('hi') }, noSignal());
    if (!('task' in result)) throw new Error('expected a task');
    expect(result.task.status.state).toBe('TASK_STATE_COMPLETED');
    expect(textOf(result.task.artifacts?.[0]?.parts)).toBe('echo: hi');

    const task = await client.getTask(echoEndpoint, { id: result.task.id }, noSignal());
    expect(task.id).toBe(result.task.id);
    expect(task.status.state).toBe('TASK_STATE_COMPLETED');

    const listed = await client.unary(echoEndpoint, 'ListTasks', {}, noSignal());
    const tasks = listed['tasks'] as { id: string; status: { state: string } }[];
    expect(tasks.find((t) => t.id === result.task.id)?.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('sendStreamingMessage yields the task, its artifact and the final status', async () => {
    const events = await collect(
      client.sendStreamingMessage(echoEndpoint, { message: userMessage('streamed') }, noSignal()),
    );
    expect(events.map((e) => Object.keys(e)[0])).toEqual(['task', 'artifactUpdate', 'statusUpdate']);
    const artifact = events.find((e) => 'artifactUpdate' in e);
    expect(
      artifact !== undefined &&
        'artifactUpdate' in artifact &&
        textOf(artifact.artifactUpdate.artifact.parts),
    ).toBe('echo: streamed');
  });

  it('an unknown task is REMOTE_ERROR with remoteCode -32001 (TaskNotFound)', async () => {
    const error = await rejection(client.getTask(echoEndpoint, { id: randomUUID() }, noSignal()));
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    expect(error.details['remoteCode']).toBe(-32001);
  });

  it("stream('SubscribeToTask') follows a running task, and cancelTask cancels it", async () => {
    const started = await client.sendMessage(
      streamingEndpoint,
      { message: userMessage('slow'), configuration: { returnImmediately: true } },
      noSignal(),
    );
    if (!('task' in started)) throw new Error('expected a task');
    const taskId = started.task.id;

    const seen: JsonObject[] = [];
    for await (const event of client.stream(
      streamingEndpoint,
      'SubscribeToTask',
      { id: taskId },
      noSignal(),
    )) {
      seen.push(event);
      if (seen.length === 3) break;
    }
    expect(seen).toHaveLength(3);
    const taskIds = seen.map((event) => {
      const [kind, body] = Object.entries(event)[0] ?? [];
      return kind === 'task' ? (body as { id: string }).id : (body as { taskId: string }).taskId;
    });
    expect(taskIds).toEqual([taskId, taskId, taskId]);

    const cancelled = await client.cancelTask(streamingEndpoint, { id: taskId }, noSignal());
    expect(cancelled.status.state).toBe('TASK_STATE_CANCELED');
    expect((await client.getTask(streamingEndpoint, { id: taskId }, noSignal())).status.state).toBe(
      'TASK_STATE_CANCELED',
    );
  });
});

describe('a 0.3 JSON-RPC agent', () => {
  let legacy: RunningAgent;
  let endpoint: AgentEndpoint;

  beforeAll(async () => {
    legacy = await startEchoAgent({ legacyCompat: true });
    const interfaces = legacy.card.supportedInterfaces.filter((i) => i.protocolVersion === '0.3');
    const card = { ...legacy.card, supportedInterfaces: interfaces };
    endpoint = validateAgentCard(card, `${legacy.url}${AGENT_CARD_PATH}`).endpoint;
  });
  afterAll(async () => {
    await legacy.close();
  });

  it('is chosen from a card listing only its 0.3 interface', () => {
    expect(endpoint).toEqual({
      url: `${legacy.url}${JSONRPC_PATH}`,
      protocolBinding: 'JSONRPC',
      protocolVersion: '0.3',
    });
  });

  it("unary('GetTask') speaks 0.3 and answers in the 1.0 shape", async () => {
    const sent = await client.sendMessage(endpoint, { message: userMessage('old') }, noSignal());
    if (!('task' in sent)) throw new Error('expected a task');
    const task = await client.unary(endpoint, 'GetTask', { id: sent.task.id }, noSignal());
    expect(task).toMatchObject({ id: sent.task.id, status: { state: 'TASK_STATE_COMPLETED' } });
    expect(task).not.toHaveProperty('kind');
    const versions = legacy.requests
      .filter((r) => r.path === JSONRPC_PATH)
      .map((r) => r.headers['a2a-version']);
    expect(versions.at(-1)).toBe('0.3');
  });

  it('ListTasks, which 0.3 lacks, is UNSUPPORTED_OPERATION without a request', async () => {
    const before = legacy.requests.length;
    const error = await rejection(client.unary(endpoint, 'ListTasks', {}, noSignal()));
    expect(error.code).toBe(ErrorCode.UNSUPPORTED_OPERATION);
    expect(legacy.requests).toHaveLength(before);
  });
});

describe('dispatch and replies', () => {
  let server: RawServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('an endpoint with a binding the gateway does not speak is INVALID_CONFIG', async () => {
    const endpoint = { url: 'http://127.0.0.1:9', protocolBinding: 'WEBSOCKET', protocolVersion: '1.0' };
    const error = await rejection(client.getTask(endpoint, { id: 't1' }, noSignal()));
    expect(error.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(error.message).toContain("'WEBSOCKET'");
    const streamError = await rejection(
      collect(client.stream(endpoint, 'SubscribeToTask', { id: 't1' }, noSignal())),
    );
    expect(streamError.code).toBe(ErrorCode.INVALID_CONFIG);
  });

  it("unary sets the endpoint's tenant and drops a caller's tenant when the endpoint has none", async () => {
    server = await startRawServer((_req, res, body) => {
      const { id } = JSON.parse(body) as { id: string };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id, result: { tasks: [] } }));
    });
    await client.unary(
      { ...endpointOf(server.url), tenant: 'acme' },
      'ListTasks',
      { tenant: 'evil' },
      noSignal(),
    );
    await client.unary(endpointOf(server.url), 'ListTasks', { tenant: 'evil', pageSize: 5 }, noSignal());
    const params = server.requests.map((r) => (JSON.parse(r.body) as { params: unknown }).params);
    expect(params).toEqual([{ tenant: 'acme' }, { pageSize: 5 }]);
  });

  it('a reply that is not a JSON object is REMOTE_PROTOCOL_ERROR for unary and stream', async () => {
    server = await startRawServer((_req, res, body) => {
      const { id } = JSON.parse(body) as { id: string };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id, result: [1] }));
    });
    const error = await rejection(client.unary(endpointOf(server.url), 'ListTasks', {}, noSignal()));
    expect(error.code).toBe(ErrorCode.REMOTE_PROTOCOL_ERROR);
    expect(error.message).toContain('ListTasks');
    const streamError = await rejection(
      collect(client.stream(endpointOf(server.url), 'SubscribeToTask', { id: 't1' }, noSignal())),
    );
    expect(streamError.code).toBe(ErrorCode.REMOTE_PROTOCOL_ERROR);
  });

  it('a 0.3 endpoint gets the 0.3 method and params, and its 0.3 reply comes back in the 1.0 shape', async () => {
    server = await startRawServer((_req, res, body) => {
      const { id } = JSON.parse(body) as { id: string };
      const result = { kind: 'task', id: 't1', contextId: 'c1', status: { state: 'completed' } };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id, result }));
    });
    const endpoint = { ...endpointOf(server.url, '0.3'), tenant: 'acme' };
    const task = await client.unary(endpoint, 'GetTask', { id: 't1', historyLength: 1 }, noSignal());
    expect(task).toEqual({ id: 't1', contextId: 'c1', status: { state: 'TASK_STATE_COMPLETED' } });
    const sent = JSON.parse(server.requests[0]?.body ?? '{}') as Record<string, unknown>;
    expect(sent).toMatchObject({ method: 'tasks/get', params: { id: 't1', historyLength: 1 } });
    expect(sent['params']).not.toHaveProperty('tenant');
    expect(server.requests[0]?.headers['a2a-version']).toBe('0.3');
  });

  it('a JSON-RPC error carries RemoteErrorDetails with the ErrorInfo reason', async () => {
    server = await startRawServer((_req, res, body) => {
      const { id } = JSON.parse(body) as { id: string };
      const error = {
        code: -32002,
        message: 'task is done',
        data: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'TASK_NOT_CANCELABLE',
            domain: 'a2a-protocol.org',
          },
        ],
      };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id, error }));
    });
    const error = await rejection(
      client.unary(endpointOf(server.url), 'CancelTask', { id: 't1' }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    expect(error.details).toEqual({
      remoteCode: -32002,
      remoteMessage: 'task is done',
      remoteReason: 'TASK_NOT_CANCELABLE',
    });
    expect(error.message).toContain('TaskNotCancelable');
  });
});
