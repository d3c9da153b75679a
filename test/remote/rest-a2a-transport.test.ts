/**
 * `RestA2ATransport` against real `@a2a-js/sdk` agents (the examples' HTTP+JSON binding) over loopback
 * sockets, plus raw `node:http` servers for the replies a real agent does not give (plain-text errors,
 * non-JSON successes, 405 on subscribe, stream error frames, oversized events, dropped consumers).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { JsonObject } from '../../src/a2a/operations.js';
import type { AgentEndpoint } from '../../src/domain/agent.js';
import { ErrorCode, type GatewayError } from '../../src/errors/gateway-error.js';
import { RestA2ATransport } from '../../src/remote/rest-a2a-transport.js';
import type { RawServer, RunningAgent } from '../support/agents.js';
import {
  REST_PATH,
  STREAM_ARTIFACT_ID,
  startEchoAgent,
  startRawServer,
  startStreamingAgent,
  unusedUrl,
} from '../support/agents.js';
import { noSignal, rejection } from '../support/async.js';

function restEndpoint(baseUrl: string, protocolVersion = '1.0'): AgentEndpoint {
  return { url: `${baseUrl}${REST_PATH}`, protocolBinding: 'HTTP+JSON', protocolVersion };
}

function sendParams(text: string, extra: JsonObject = {}): JsonObject {
  return { message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] }, ...extra };
}

async function collect(events: AsyncIterable<unknown>): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  for await (const event of events) out.push(event as JsonObject);
  return out;
}

async function streamRejection(events: AsyncIterable<unknown>): Promise<GatewayError> {
  return rejection(collect(events));
}

function iterate<T>(events: AsyncIterable<T>): AsyncIterator<T> {
  return events[Symbol.asyncIterator]();
}

/** The StreamResponse member each event carries (`task`, `statusUpdate`, …). */
function kinds(events: readonly JsonObject[]): string[] {
  return events.map((e) => Object.keys(e).join(','));
}

let transport: RestA2ATransport;
beforeAll(() => {
  transport = new RestA2ATransport({ defaultTimeoutMs: 5_000 });
});
afterAll(async () => {
  await transport.close();
});

describe('against the real SDK agents', () => {
  let echo: RunningAgent;
  let streaming: RunningAgent;

  beforeAll(async () => {
    echo = await startEchoAgent();
    streaming = await startStreamingAgent({ chunks: 3, delayMs: 5, slowDelayMs: 100 });
  });
  afterAll(async () => {
    await Promise.all([echo.close(), streaming.close()]);
  });

  async function sendEcho(text: string): Promise<JsonObject> {
    const reply = (await transport.unary(
      restEndpoint(echo.url),
      'SendMessage',
      sendParams(text),
      noSignal(),
    )) as { task: JsonObject };
    return reply.task;
  }

  it('SendMessage returns the completed task with the echo artifact', async () => {
    const reply = await transport.unary(restEndpoint(echo.url), 'SendMessage', sendParams('hi'), noSignal());
    expect(reply).toMatchObject({
      task: {
        status: { state: 'TASK_STATE_COMPLETED' },
        artifacts: [{ artifactId: 'echo', parts: [{ text: 'echo: hi' }] }],
      },
    });
    const last = echo.requests.at(-1);
    expect(last).toMatchObject({ method: 'POST', path: `${REST_PATH}/message:send` });
    expect(last?.headers['content-type']).toBe('application/a2a+json');
  });

  it('SendStreamingMessage yields the task, status and artifact events in order, then ends', async () => {
    const events = await collect(
      transport.stream(restEndpoint(streaming.url), 'SendStreamingMessage', sendParams('go'), noSignal()),
    );
    expect(kinds(events)).toEqual([
      'task',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
    ]);
    expect(events[0]).toMatchObject({ task: { status: { state: 'TASK_STATE_SUBMITTED' } } });
    expect(events[2]).toMatchObject({
      artifactUpdate: { artifact: { artifactId: STREAM_ARTIFACT_ID, parts: [{ text: 'chunk-1 ' }] } },
    });
    expect(events.at(-1)).toMatchObject({ statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } } });
    expect(streaming.requests.at(-1)?.headers['accept']).toContain('text/event-stream');
  });

  it('GetTask passes historyLength in the query', async () => {
    const task = await sendEcho('history');
    const id = task['id'] as string;
    const got = (await transport.unary(
      restEndpoint(echo.url),
      'GetTask',
      { id, historyLength: 1 },
      noSignal(),
    )) as JsonObject;
    expect(got).toMatchObject({ id, status: { state: 'TASK_STATE_COMPLETED' } });
    expect((got['history'] as unknown[]).length).toBe(1);
    expect(echo.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `${REST_PATH}/tasks/${id}?historyLength=1`,
    });
  });

  it('ListTasks finds the sent task by its context', async () => {
    const task = await sendEcho('list me');
    const contextId = task['contextId'] as string;
    const listed = (await transport.unary(
      restEndpoint(echo.url),
      'ListTasks',
      { contextId, pageSize: 10 },
      noSignal(),
    )) as { tasks: JsonObject[] };
    expect(listed.tasks.map((t) => t['id'])).toEqual([task['id']]);
    expect(echo.requests.at(-1)?.path).toBe(
      `${REST_PATH}/tasks?contextId=${encodeURIComponent(contextId)}&pageSize=10`,
    );
  });

  it('CancelTask of a finished task is the TaskNotCancelable error', async () => {
    const task = await sendEcho('done already');
    const error = await rejection(
      transport.unary(restEndpoint(echo.url), 'CancelTask', { id: task['id'] }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    expect(error.details).toMatchObject({
      remoteCode: -32002,
      remoteReason: 'TASK_NOT_CANCELABLE',
      remoteStatus: 400,
    });
  });

  it('GetTask of an unknown id is TaskNotFound with the HTTP status', async () => {
    const error = await rejection(
      transport.unary(restEndpoint(echo.url), 'GetTask', { id: 'no such/task' }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    expect(error.details).toMatchObject({
      remoteCode: -32001,
      remoteReason: 'TASK_NOT_FOUND',
      remoteStatus: 404,
    });
    expect(error.details['remoteMessage']).toContain('no such/task');
    // The id is one URL-encoded path segment.
    expect(echo.requests.at(-1)?.path).toBe(`${REST_PATH}/tasks/no%20such%2Ftask`);
  });

  it('SubscribeToTask on a running task yields the task snapshot first', async () => {
    const endpoint = restEndpoint(streaming.url);
    const sending = iterate(
      transport.stream(endpoint, 'SendStreamingMessage', sendParams('slow'), noSignal()),
    );
    const first = await sending.next();
    const id = ((first.value as JsonObject)['task'] as JsonObject)['id'] as string;

    const subscription = iterate(transport.stream(endpoint, 'SubscribeToTask', { id }, noSignal()));
    const snapshot = await subscription.next();
    expect(snapshot).toMatchObject({ done: false, value: { task: { id } } });
    await subscription.return?.(undefined);
    const subscribe = streaming.requests.find((r) => r.path.endsWith(`/tasks/${id}:subscribe`));
    expect(subscribe?.method).toBe('POST');

    const canceled = await transport.unary(endpoint, 'CancelTask', { id }, noSignal());
    expect(canceled).toMatchObject({ id, status: { state: 'TASK_STATE_CANCELED' } });
    const rest = await collect({ [Symbol.asyncIterator]: () => sending });
    expect(rest.at(-1)).toMatchObject({ statusUpdate: { status: { state: 'TASK_STATE_CANCELED' } } });
  });

  it('push notification config operations answer PushNotificationNotSupported', async () => {
    const task = await sendEcho('push');
    const taskId = task['id'] as string;
    const endpoint = restEndpoint(echo.url);
    const calls = [
      transport.unary(
        endpoint,
        'CreateTaskPushNotificationConfig',
        { taskId, url: 'http://127.0.0.1:1/hook' },
        noSignal(),
      ),
      transport.unary(endpoint, 'GetTaskPushNotificationConfig', { taskId, id: 'c1' }, noSignal()),
      transport.unary(endpoint, 'ListTaskPushNotificationConfigs', { taskId, pageSize: 5 }, noSignal()),
      transport.unary(endpoint, 'DeleteTaskPushNotificationConfig', { taskId, id: 'c1' }, noSignal()),
    ];
    for (const call of calls) {
      const error = await rejection(call);
      expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
      expect(error.details).toMatchObject({
        remoteCode: -32003,
        remoteReason: 'PUSH_NOTIFICATION_NOT_SUPPORTED',
      });
    }
    const paths = echo.requests.slice(-4).map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([
      `POST ${REST_PATH}/tasks/${taskId}/pushNotificationConfigs`,
      `GET ${REST_PATH}/tasks/${taskId}/pushNotificationConfigs/c1`,
      `GET ${REST_PATH}/tasks/${taskId}/pushNotificationConfigs?pageSize=5`,
      `DELETE ${REST_PATH}/tasks/${taskId}/pushNotificationConfigs/c1`,
    ]);
  });

  it('GetExtendedAgentCard relays the agent answer', async () => {
    const error = await rejection(
      transport.unary(restEndpoint(echo.url), 'GetExtendedAgentCard', {}, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    // The SDK answers UnsupportedOperation when the card does not advertise an extended card.
    expect(error.details).toMatchObject({
      remoteCode: -32004,
      remoteReason: 'UNSUPPORTED_OPERATION',
      remoteStatus: 400,
    });
    expect(echo.requests.at(-1)).toMatchObject({ method: 'GET', path: `${REST_PATH}/extendedAgentCard` });
  });

  it('sends A2A-Version and the caller headers', async () => {
    await transport.unary(restEndpoint(echo.url), 'SendMessage', sendParams('headers'), {
      ...noSignal(),
      headers: { 'x-custom': 'yes' },
    });
    const headers = echo.requests.at(-1)?.headers;
    expect(headers?.['a2a-version']).toBe('1.0');
    expect(headers?.['x-custom']).toBe('yes');
  });

  it('prefixes the path with the tenant and leaves it out of the body', async () => {
    const reply = await transport.unary(
      restEndpoint(echo.url),
      'SendMessage',
      sendParams('tenant', { tenant: 'acme' }),
      noSignal(),
    );
    expect(reply).toMatchObject({ task: { status: { state: 'TASK_STATE_COMPLETED' } } });
    expect(echo.requests.at(-1)?.path).toBe(`${REST_PATH}/acme/message:send`);
  });

  it('aborting mid-stream rejects with CANCELLED', async () => {
    const controller = new AbortController();
    const events = transport.stream(restEndpoint(streaming.url), 'SendStreamingMessage', sendParams('slow'), {
      signal: controller.signal,
    });
    const error = await rejection(
      (async () => {
        for await (const _event of events) controller.abort();
      })(),
    );
    expect(error.code).toBe(ErrorCode.CANCELLED);
  });
});

describe('against raw servers', () => {
  let server: RawServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('an unreachable agent is REMOTE_UNAVAILABLE', async () => {
    const error = await rejection(
      transport.unary(restEndpoint(await unusedUrl()), 'GetTask', { id: 't1' }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_UNAVAILABLE);
    expect(error.retryable).toBe(true);
  });

  it('a 500 text/plain reply is REMOTE_ERROR with the status', async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('kaboom');
    });
    const error = await rejection(
      transport.unary(restEndpoint(server.url), 'GetTask', { id: 't1' }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    expect(error.details).toMatchObject({ remoteCode: -32603, remoteStatus: 500, remoteMessage: 'kaboom' });
  });

  it('a 2xx reply that is not JSON is REMOTE_PROTOCOL_ERROR', async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
    });
    const error = await rejection(
      transport.unary(restEndpoint(server.url), 'GetTask', { id: 't1' }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.REMOTE_PROTOCOL_ERROR);
  });

  it('an empty 2xx reply is an empty object', async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(204).end();
    });
    const reply = await transport.unary(
      restEndpoint(server.url),
      'DeleteTaskPushNotificationConfig',
      { taskId: 't1', id: 'c1', tenant: 'acme' },
      noSignal(),
    );
    expect(reply).toEqual({});
    expect(server.requests[0]).toMatchObject({
      method: 'DELETE',
      url: `${REST_PATH}/acme/tasks/t1/pushNotificationConfigs/c1`,
      body: '',
    });
  });

  it('CancelTask sends the remaining params as the body', async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/a2a+json' }).end('{"id":"t1"}');
    });
    await transport.unary(
      restEndpoint(server.url),
      'CancelTask',
      { id: 't1', tenant: '', metadata: { why: 'test' } },
      noSignal(),
    );
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      url: `${REST_PATH}/tasks/t1:cancel`,
      body: '{"metadata":{"why":"test"}}',
    });
  });

  it('a status without a reason maps through the HTTP status', async () => {
    server = await startRawServer((_req, res) => {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"error":{"code":404,"status":"NOT_FOUND","message":"gone"}}');
    });
    const error = await rejection(
      transport.unary(restEndpoint(server.url), 'GetTask', { id: 't1' }, noSignal()),
    );
    expect(error.details).toEqual({ remoteCode: -32001, remoteMessage: 'gone', remoteStatus: 404 });
  });

  it('SubscribeToTask retries with GET when POST is 405', async () => {
    server = await startRawServer((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(405, { allow: 'GET' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ task: { id: 't1' } })}\n\n`);
    });
    const events = await collect(
      transport.stream(restEndpoint(server.url), 'SubscribeToTask', { id: 't1' }, noSignal()),
    );
    expect(events).toEqual([{ task: { id: 't1' } }]);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${REST_PATH}/tasks/t1:subscribe`,
      `GET ${REST_PATH}/tasks/t1:subscribe`,
    ]);
  });

  it('a stream error frame is REMOTE_ERROR from its AIP-193 body', async () => {
    const errorBody = {
      error: {
        code: 400,
        status: 'FAILED_PRECONDITION',
        message: 'cannot go on',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'UNSUPPORTED_OPERATION',
            domain: 'a2a-protocol.org',
          },
        ],
      },
    };
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ task: { id: 't1' } })}\n\n`);
      res.end(`event: error\ndata: ${JSON.stringify(errorBody)}\n\n`);
    });
    const seen: unknown[] = [];
    const error = await rejection(
      (async () => {
        for await (const event of transport.stream(
          restEndpoint(server.url),
          'SendStreamingMessage',
          sendParams('x'),
          noSignal(),
        )) {
          seen.push(event);
        }
      })(),
    );
    expect(seen).toEqual([{ task: { id: 't1' } }]);
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    expect(error.details).toMatchObject({
      remoteCode: -32004,
      remoteReason: 'UNSUPPORTED_OPERATION',
      remoteMessage: 'cannot go on',
    });
  });

  it('a streaming call answered with one JSON message yields it once', async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":{"messageId":"m1"}}');
    });
    const events = await collect(
      transport.stream(restEndpoint(server.url), 'SendStreamingMessage', sendParams('x'), noSignal()),
    );
    expect(events).toEqual([{ message: { messageId: 'm1' } }]);
  });

  it('an oversized stream event is REMOTE_PROTOCOL_ERROR', async () => {
    const small = new RestA2ATransport({ maxResponseBytes: 64 });
    try {
      server = await startRawServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        // An event still incomplete after a chunk is what the parser buffers and bounds.
        res.write(`data: ${JSON.stringify({ task: { id: 'x'.repeat(200) } })}`);
      });
      const error = await streamRejection(
        small.stream(restEndpoint(server.url), 'SendStreamingMessage', sendParams('x'), noSignal()),
      );
      expect(error.code).toBe(ErrorCode.REMOTE_PROTOCOL_ERROR);
    } finally {
      await small.close();
    }
  });

  it('aborting mid-stream closes the connection to the agent', async () => {
    let closed!: () => void;
    const agentSawClose = new Promise<void>((resolve) => (closed = resolve));
    server = await startRawServer((_req, res: ServerResponse) => {
      res.on('close', closed);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ task: { id: 't1' } })}\n\n`);
    });
    const controller = new AbortController();
    const error = await rejection(
      (async () => {
        for await (const _event of transport.stream(
          restEndpoint(server.url),
          'SendStreamingMessage',
          sendParams('x'),
          { signal: controller.signal },
        )) {
          controller.abort();
        }
      })(),
    );
    expect(error.code).toBe(ErrorCode.CANCELLED);
    await agentSawClose;
  });

  it('a 0.3 endpoint is INVALID_CONFIG', async () => {
    const error = await rejection(
      transport.unary(restEndpoint('http://127.0.0.1:1', '0.3'), 'GetTask', { id: 't1' }, noSignal()),
    );
    expect(error.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(error.message).toContain('register their JSON-RPC interface');
  });
});
