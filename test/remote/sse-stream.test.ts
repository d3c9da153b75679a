/**
 * SSE parsing of `BindingA2AClient.sendStreamingMessage` against raw `node:http` servers that write the
 * stream byte by byte as scripted: multi-line data, comments, keep-alives, events split across TCP chunks,
 * error frames, pre-stream JSON errors, and teardown when the consumer stops early.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import type { A2AStreamEvent } from '../../src/remote/a2a-types.js';
import { BindingA2AClient } from '../../src/remote/binding-a2a-client.js';
import type { RawServer } from '../support/agents.js';
import { startRawServer } from '../support/agents.js';

const client = new BindingA2AClient({ defaultTimeoutMs: 2_000 });
afterAll(() => client.close());

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const request = { message: { messageId: 'm1', role: 'ROLE_USER' as const, parts: [{ text: 'hi' }] } };
const options = { signal: new AbortController().signal };

function envelope(id: string, result: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result });
}

const task = { task: { id: 't1', contextId: 'c1', status: { state: 'TASK_STATE_WORKING' } } };
const completed = {
  statusUpdate: { taskId: 't1', contextId: 'c1', status: { state: 'TASK_STATE_COMPLETED' } },
};

/** A server that writes each of `pieces(id)` as its own TCP write, with a short pause between. */
async function sseServer(pieces: (id: string) => (string | Buffer)[], pauseMs = 5): Promise<RawServer> {
  return startRawServer(async (_req, res: ServerResponse, body) => {
    const { id } = JSON.parse(body) as { id: string };
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    for (const piece of pieces(id)) {
      res.write(piece);
      await sleep(pauseMs);
    }
    res.end();
  });
}

async function collect(): Promise<A2AStreamEvent[]> {
  if (server === undefined) throw new Error('no server');
  const out: A2AStreamEvent[] = [];
  const endpoint = { url: server.url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' };
  for await (const event of client.sendStreamingMessage(endpoint, request, options)) out.push(event);
  return out;
}

async function failure(): Promise<GatewayError> {
  try {
    await collect();
  } catch (error) {
    if (GatewayError.is(error)) return error;
    throw error;
  }
  throw new Error('expected the stream to fail');
}

describe('SSE parsing', () => {
  it('joins multi-line data, skips comments and keep-alive lines', async () => {
    server = await sseServer((id) => {
      const [first, ...rest] = JSON.stringify({ jsonrpc: '2.0', id, result: task }, null, 1).split('\n');
      return [
        ': keep-alive\n\n',
        `data: ${first}\n${rest.map((line) => `data: ${line}\n`).join('')}\n`,
        ':\n',
        '\n',
        `event: message\nid: 2\ndata: ${envelope(id, completed)}\n\n`,
      ];
    });
    const events = await collect();
    expect(events).toEqual([task, completed]);
  });

  it('reassembles an event split across TCP chunks, even inside a UTF-8 character', async () => {
    const withEmoji = { ...task, task: { ...task.task, metadata: { note: 'héllo 🐝' } } };
    server = await sseServer((id) => {
      const frame = Buffer.from(`data: ${envelope(id, withEmoji)}\r\n\r\n`, 'utf8');
      const bee = frame.indexOf(Buffer.from('🐝'));
      // Split in the middle of the 4-byte emoji, and again inside the JSON.
      return [frame.subarray(0, 10), frame.subarray(10, bee + 2), frame.subarray(bee + 2)];
    });
    const events = await collect();
    expect(events).toEqual([withEmoji]);
  });

  it('an event: error frame after events is REMOTE_ERROR with the remote code', async () => {
    server = await sseServer((id) => [
      `data: ${envelope(id, task)}\n\n`,
      `event: error\ndata: ${JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32603, message: 'boom' } })}\n\n`,
    ]);
    const error = await failure();
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    expect(error.details['remoteCode']).toBe(-32603);
  });

  it('a JSON-RPC error reply instead of a stream is REMOTE_ERROR', async () => {
    server = await startRawServer((_req, res, body) => {
      const { id } = JSON.parse(body) as { id: string };
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32001, message: 'Task not found: x' } }));
    });
    const error = await failure();
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    expect(error.details['remoteCode']).toBe(-32001);
  });

  it('an invalid event is REMOTE_PROTOCOL_ERROR naming the path', async () => {
    server = await sseServer((id) => [`data: ${envelope(id, { statusUpdate: { taskId: 't1' } })}\n\n`]);
    const error = await failure();
    expect(error.code).toBe(ErrorCode.REMOTE_PROTOCOL_ERROR);
    expect(error.message).toMatch(/result\.statusUpdate\.status/);
  });

  it('a stream cut mid-event after a first event fails, not retryable', async () => {
    server = await startRawServer(async (_req, res, body) => {
      const { id } = JSON.parse(body) as { id: string };
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${envelope(id, task)}\n\ndata: {"jsonrpc":`);
      await sleep(20);
      res.socket?.destroy();
    });
    const error = await failure();
    expect(error.code).toBe(ErrorCode.REMOTE_UNAVAILABLE);
    expect(error.retryable).toBe(false);
  });

  it('stopping the iteration closes the upstream connection', async () => {
    let upstreamClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    server = await startRawServer(async (_req, res, body) => {
      const { id } = JSON.parse(body) as { id: string };
      res.on('close', () => upstreamClosed());
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(`data: ${envelope(id, task)}\n\n`);
        await sleep(10);
      }
      res.end();
    });
    const endpoint = { url: server.url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' };
    let seen = 0;
    for await (const _event of client.sendStreamingMessage(endpoint, request, options)) {
      if (++seen === 2) break;
    }
    await closed;
    expect(seen).toBe(2);
  });

  it('the timeout bounds the wait for headers only', async () => {
    server = await sseServer(
      (id) => [`data: ${envelope(id, task)}\n\n`, `data: ${envelope(id, completed)}\n\n`],
      400,
    );
    const endpoint = { url: server.url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' };
    const events: A2AStreamEvent[] = [];
    for await (const event of client.sendStreamingMessage(endpoint, request, {
      ...options,
      timeoutMs: 250,
    })) {
      events.push(event);
    }
    expect(events).toEqual([task, completed]);

    await server.close();
    server = await startRawServer(async (_req, res) => {
      await sleep(1_000);
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end();
    });
    const slow = { url: server.url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' };
    const stream = client.sendStreamingMessage(slow, request, { ...options, timeoutMs: 250 });
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: ErrorCode.DEADLINE_EXCEEDED,
    });
  });
});
