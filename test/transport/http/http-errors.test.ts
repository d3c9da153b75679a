/**
 * The error mapping: every `ErrorCode` thrown by a service reaches the client with the status from
 * the one table and the one body shape; an unexpected error becomes a generic 500 `INTERNAL` whose
 * cause is logged and never sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ErrorCode, GatewayError } from '../../../src/errors/gateway-error.js';
import { HTTP_STATUS_BY_CODE } from '../../../src/transport/http/http-status.js';
import { startTestServer, type TestHttpServer } from './http-test-kit.js';

let t: TestHttpServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.server.close(0);
});

const EXPECTED_STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RUN_NOT_FOUND: 404,
  RUN_ALREADY_EXISTS: 409,
  SESSION_NOT_FOUND: 404,
  ARTIFACT_NOT_FOUND: 404,
  AGENT_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  AGENT_UNHEALTHY: 503,
  INVALID_AGENT_CARD: 422,
  ILLEGAL_STATE_TRANSITION: 409,
  INVALID_CONFIG: 422,
  VERSION_NOT_SUPPORTED: 400,
  UNSUPPORTED_OPERATION: 400,
  REMOTE_UNAVAILABLE: 502,
  REMOTE_PROTOCOL_ERROR: 502,
  REMOTE_ERROR: 502,
  DEADLINE_EXCEEDED: 504,
  CANCELLED: 499,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

describe('the status table', () => {
  it('has exactly one entry per error code, as documented', () => {
    expect(HTTP_STATUS_BY_CODE).toEqual(EXPECTED_STATUS);
    expect(Object.keys(HTTP_STATUS_BY_CODE).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it.each(Object.values(ErrorCode))(
    '%s thrown by a service is sent with its status and body',
    async (code) => {
      const error = new GatewayError(code, `failure ${code}`, { details: { runId: 'r1', attempt: 2 } });
      t.services.runs.get.mockRejectedValueOnce(error);
      const response = await fetch(`${t.baseUrl}/v1/runs/r1`);
      expect(response.status).toBe(EXPECTED_STATUS[code]);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        error: {
          code,
          message: `failure ${code}`,
          details: { runId: 'r1', attempt: 2 },
          retryable: error.retryable,
        },
      });
    },
  );
});

describe('unexpected errors', () => {
  it('become a generic 500 INTERNAL; the cause is logged, never sent', async () => {
    t.services.sessions.get.mockRejectedValueOnce(new Error('db password is hunter2'));
    const response = await fetch(`${t.baseUrl}/v1/sessions/s1`, { headers: { 'x-request-id': 'trace-me' } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text)).toEqual({
      error: { code: 'INTERNAL', message: 'internal error', details: {}, retryable: false },
    });
    const logged = t.logs.find((line) => line['requestId'] === 'trace-me' && line['level'] === 50);
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toContain('hunter2');
  });

  it('a service throwing synchronously is handled the same way', async () => {
    t.services.agents.list.mockImplementationOnce(() => {
      throw new TypeError('boom');
    });
    const response = await fetch(`${t.baseUrl}/v1/agents`);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INTERNAL');
  });
});
