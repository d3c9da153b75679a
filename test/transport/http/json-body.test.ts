/**
 * JSON bodies written in pieces (src/transport/http/json-body.ts): an SSE frame holds the same text as
 * `JSON.stringify`, and a façade reply or an HTTP API answer larger than V8's large-object size reaches a
 * plain HTTP client whole (the official SDK's echo agent behind a real gateway), its long strings plain or
 * full of characters to escape.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEchoAgent } from '../../../examples/echo-agent.js';
import type { RunningAgent } from '../../../examples/serve-agent.js';
import { systemContext } from '../../../src/domain/call-context.js';
import { jsonFrame } from '../../../src/transport/http/json-body.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

/** V8's largest regular object is 128 KiB: a two-byte string of 64 Ki units. */
const LARGE_OBJECT_UNITS = 64 * 1024;

/** Text of `units` UTF-16 units mixing ASCII, escapes, Latin-1, BMP and astral characters (pairs). */
function mixedText(units: number): string {
  const sample = 'a"b\\c\n\u0001é€😀 ';
  return sample.repeat(Math.ceil(units / sample.length)).slice(0, units);
}

describe('jsonFrame', () => {
  it('frames a small value as one string and a large one as a Buffer of the same text', () => {
    const small = { kind: 'status-update', final: true };
    expect(jsonFrame('data: ', small, '\n\n')).toBe(`data: ${JSON.stringify(small)}\n\n`);

    const large = { artifact: { parts: [{ text: mixedText(100_000) }] } };
    const frame = jsonFrame('event: artifact\ndata: ', large, '\n\n');
    expect(Buffer.isBuffer(frame)).toBe(true);
    expect(frame.toString()).toBe(`event: artifact\ndata: ${JSON.stringify(large)}\n\n`);
  });
});

/** Every `text` string anywhere in `value`. */
function textsIn(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, member]) =>
    key === 'text' && typeof member === 'string' ? [member] : textsIn(member),
  );
}

describe('a reply larger than the large-object size', () => {
  let agent: RunningAgent;
  let gateway: TestGateway;

  beforeAll(async () => {
    agent = await startEchoAgent();
    gateway = await startTestGateway();
    await gateway.gateway.services.agents.register({ name: 'echo', url: agent.url }, systemContext());
  });

  afterAll(async () => {
    await gateway.close({ removeData: true });
    await agent.close();
  });

  /** A JSON-RPC `method` with one text part to the façade of the echo agent. */
  function sendToEcho(method: string, id: string, text: string): Promise<Response> {
    return fetch(`${gateway.httpUrl}/a2a/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id,
        method,
        params: { message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] } },
      }),
    });
  }

  it.each([
    ['full of characters to escape', mixedText(40_000)],
    ['of plain text', 'p'.repeat(48_000)],
  ])('reaches the client whole, with its length and type: strings %s', async (_kind, text) => {
    // The agent (the SDK's express app) takes bodies up to 100 kB: these are about 83 and 48 kB of JSON,
    // and each reply, holding the text twice (the message and its echo), about 167 and 96 kB.
    const response = await sendToEcho('SendMessage', 'big', text);
    const body = Buffer.from(await response.arrayBuffer());

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(response.headers.get('content-length'))).toBe(body.length);
    expect(body.length).toBeGreaterThan(2 * text.length);
    const reply = JSON.parse(body.toString('utf8')) as {
      id: string;
      result: { task: { status: { state: string }; artifacts: { parts: { text: string }[] }[] } };
    };
    expect(reply.id).toBe('big');
    expect(reply.result.task.status.state).toBe('TASK_STATE_COMPLETED');
    expect(reply.result.task.artifacts[0]?.parts[0]?.text).toBe(`echo: ${text}`);
  });

  it('reaches the client whole as SSE events: SendStreamingMessage', async () => {
    const text = mixedText(40_000);
    const response = await sendToEcho('SendStreamingMessage', 'big-stream', text);
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = body
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: '))
      .map((frame) => JSON.parse(frame.slice('data: '.length)) as { id: string });
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame.id).toBe('big-stream');
    const texts = frames.flatMap(textsIn);
    expect(texts).toContain(text);
    expect(texts).toContain(`echo: ${text}`);
  });

  it('reaches the client whole from the HTTP API too: a run with a large input', async () => {
    const text = mixedText(70_000);
    const submitted = await fetch(`${gateway.httpUrl}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: { agent: 'echo' }, input: { text } }),
    });
    const { run } = (await submitted.json()) as { run: { id: string } };
    expect(submitted.status).toBe(201);

    const response = await fetch(`${gateway.httpUrl}/v1/runs/${run.id}`);
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBe(body.length);
    expect(body.length).toBeGreaterThan(2 * LARGE_OBJECT_UNITS);
    const details = JSON.parse(body.toString('utf8')) as { run: { id: string; input: unknown } };
    expect(details.run.id).toBe(run.id);
    expect(details.run.input).toEqual({ parts: [{ text }] });
  });
});
