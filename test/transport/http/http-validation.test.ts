/**
 * Request validation: every refusal is `INVALID_ARGUMENT` (400) naming the first bad field by its
 * dotted path, before any service is called; malformed JSON, oversize bodies (413) and wrong content
 * types (415) get their own codes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createMockServices, sampleDetails, startTestServer, type TestHttpServer } from './http-test-kit.js';
import { submitted } from '../../support/mock-services.js';

let t: TestHttpServer;

beforeAll(async () => {
  t = await startTestServer(createMockServices(), { maxBodyBytes: 1024 });
});
afterAll(async () => {
  await t.server.close(0);
});
beforeEach(() => {
  t.services.runs.submit.mockReset();
  t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
});

async function post(path: string, body: string, contentType = 'application/json') {
  const response = await fetch(`${t.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: response.status, body: (await response.json()) as { error: Record<string, unknown> } };
}

const validRun = { target: { agent: 'echo' }, input: { text: 'hi' } };

describe('POST /v1/runs body', () => {
  it.each([
    [
      'missing target',
      { input: { text: 'x' } },
      'target',
      'target: exactly one of agent, url, swarm is required',
    ],
    [
      'two targets',
      { target: { agent: 'a', url: 'http://x.test' }, input: { text: 'x' } },
      'target',
      'target: exactly one of agent, url, swarm is required',
    ],
    [
      'empty target',
      { target: {}, input: { text: 'x' } },
      'target',
      'target: exactly one of agent, url, swarm is required',
    ],
    [
      'non-http url',
      { target: { url: 'ftp://x.test' }, input: { text: 'x' } },
      'target.url',
      'target.url: must be an http(s) URL',
    ],
    [
      'target not an object',
      { target: 'echo', input: { text: 'x' } },
      'target',
      'target: exactly one of agent, url, swarm is required',
    ],
    [
      'negative timeoutMs',
      { ...validRun, timeoutMs: -5 },
      'timeoutMs',
      'timeoutMs: must be a positive integer',
    ],
    [
      'fractional timeoutMs',
      { ...validRun, timeoutMs: 1.5 },
      'timeoutMs',
      'timeoutMs: must be a positive integer',
    ],
    [
      'string timeoutMs',
      { ...validRun, timeoutMs: '100' },
      'timeoutMs',
      'timeoutMs: must be a positive integer',
    ],
    ['unknown top-level field', { ...validRun, foo: 1 }, 'foo', "unknown field 'foo'"],
    [
      'unknown nested field',
      { target: { agent: 'a', extra: true }, input: { text: 'x' } },
      'target.extra',
      "unknown field 'target.extra'",
    ],
    ['missing input', { target: { agent: 'a' } }, 'input', 'input: is required'],
    ['empty input', { target: { agent: 'a' }, input: {} }, 'input', 'input: text or parts is required'],
    [
      'part with two contents',
      { target: { agent: 'a' }, input: { parts: [{ text: 'a', url: 'http://x.test' }] } },
      'input.parts.0',
      'input.parts.0: exactly one of text, raw, url, data is required',
    ],
    [
      'raw that is not base64',
      { target: { agent: 'a' }, input: { parts: [{ raw: '***' }] } },
      'input.parts.0.raw',
      'input.parts.0.raw: must be base64',
    ],
    [
      'text of the wrong type',
      { target: { agent: 'a' }, input: { text: 5 } },
      'input.text',
      'input.text: must be a string',
    ],
    ['array body', [validRun], 'body', 'body: must be an object'],
  ])('refuses %s', async (_name, body, field, message) => {
    const response = await post('/v1/runs', JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message,
      details: { field },
      retryable: false,
    });
    expect(t.services.runs.submit).not.toHaveBeenCalled();
  });

  it('accepts a valid body (the cases above fail for their own reason only)', async () => {
    expect((await post('/v1/runs', JSON.stringify(validRun))).status).toBe(201);
    expect(t.services.runs.submit).toHaveBeenCalledOnce();
  });

  it('refuses malformed JSON', async () => {
    const response = await post('/v1/runs', '{"target": ');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'body is not valid JSON',
      details: { field: 'body' },
    });
  });

  it('refuses a body over maxBodyBytes with 413', async () => {
    const big = JSON.stringify({ ...validRun, input: { text: 'x'.repeat(4096) } });
    const response = await post('/v1/runs', big);
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 1024 } });
    expect(t.services.runs.submit).not.toHaveBeenCalled();
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded'])(
    'refuses content type %s with 415',
    async (type) => {
      const response = await post('/v1/runs', JSON.stringify(validRun), type);
      expect(response.status).toBe(415);
      expect(response.body.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(String(response.body.error['message'])).toContain(type);
    },
  );

  it('accepts application/json with a charset and +json types', async () => {
    expect((await post('/v1/runs', JSON.stringify(validRun), 'application/json; charset=utf-8')).status).toBe(
      201,
    );
    expect((await post('/v1/runs', JSON.stringify(validRun), 'application/merge-patch+json')).status).toBe(
      201,
    );
  });
});

describe('other bodies', () => {
  it.each([
    ['/v1/sessions', {}, 'name', 'name: is required'],
    ['/v1/sessions', { name: '' }, 'name', 'name: must not be empty'],
    ['/v1/agents', { url: 'http://a.test' }, 'name', 'name: is required'],
    ['/v1/agents', { name: 'a/b', url: 'http://a.test' }, 'name', 'must be 1-63 letters'],
    ['/v1/agents', { name: 'a', url: 'not a url' }, 'url', 'url: must be an http(s) URL'],
    [
      '/v1/agents',
      { name: 'a', url: 'http://a.test', heartbeatTtlMs: 0 },
      'heartbeatTtlMs',
      'heartbeatTtlMs: must be a positive integer',
    ],
    [
      '/v1/agents',
      { name: 'a', url: 'http://a.test', credentials: { password: 'x' } },
      'credentials.password',
      "unknown field 'credentials.password'",
    ],
    [
      '/v1/agents',
      { name: 'a', url: 'http://a.test', labels: { k: 1 } },
      'labels.k',
      'labels.k: must be a string',
    ],
    ['/v1/runs/r1/cancel', { reason: 7 }, 'reason', 'reason: must be a string'],
    ['/v1/runs/r1/input', {}, 'input', 'input: is required'],
    ['/v1/sessions/s1/end', { now: true }, 'now', "unknown field 'now'"],
  ])('POST %s %j is refused naming %s', async (path, body, field, message) => {
    const response = await post(path, JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field } });
    expect(String(response.body.error['message'])).toContain(message);
  });

  it('query parameters on a POST route are refused too', async () => {
    const response = await post('/v1/runs?dryRun=1', JSON.stringify(validRun));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      message: "unknown query parameter 'dryRun'",
      details: { field: 'dryRun' },
    });
    expect(t.services.runs.submit).not.toHaveBeenCalled();
  });

  it('an empty POST body counts as {} (cancel without a reason)', async () => {
    t.services.runs.cancel.mockResolvedValue(sampleDetails());
    const response = await fetch(`${t.baseUrl}/v1/runs/r1/cancel`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(t.services.runs.cancel.mock.calls.at(-1)?.[1]).toBe('cancelled by the client');
  });
});

describe('queries', () => {
  it.each([
    ['/v1/runs?status=running,bogus', 'status', "status: unknown status 'bogus'"],
    ['/v1/runs?pageSize=0', 'pageSize', 'pageSize: must be an integer from 1 to 1000'],
    ['/v1/runs?pageSize=abc', 'pageSize', 'pageSize: must be an integer from 1 to 1000'],
    ['/v1/runs?pageSize=1001', 'pageSize', 'pageSize: must be an integer from 1 to 1000'],
    ['/v1/runs?createdAfter=yesterday', 'createdAfter', 'createdAfter: must be an ISO-8601 timestamp'],
    ['/v1/runs?colour=red', 'colour', "unknown query parameter 'colour'"],
    ['/v1/runs?agent=a&agent=b', 'agent', 'agent: must be given once'],
    ['/v1/runs?pageToken=a&pageToken=b', 'pageToken', 'pageToken: must be given once'],
    ['/v1/sessions?status=open', 'status', "status: unknown status 'open'"],
    ['/v1/runs/r1?verbose=1', 'verbose', "unknown query parameter 'verbose'"],
    ['/v1/agents?x=1', 'x', "unknown query parameter 'x'"],
  ])('GET %s is refused naming %s', async (path, field, message) => {
    const response = await fetch(`${t.baseUrl}${path}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field } });
    expect(String(body.error['message'])).toContain(message);
  });
});
