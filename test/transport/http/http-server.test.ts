/**
 * `HttpServer` lifecycle (start, port, graceful and forced close), the health probes, artifact
 * content streaming (byte-exact, with content type, length and ETag), and the server's requests and
 * responses created with the express app's prototypes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

import express from 'express';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { ErrorCode, GatewayError, notFound } from '../../../src/errors/gateway-error.js';
import { HttpServer, createExpressServer } from '../../../src/transport/http/http-server.js';
import { createHttpGatewayClient } from '../../support/http-gateway-client.js';
import {
  createMockServices,
  sampleArtifactMeta,
  sampleDetails,
  startTestServer,
  type TestHttpServer,
} from './http-test-kit.js';

let t: TestHttpServer | undefined;

afterEach(async () => {
  await t?.server.close(0);
  t = undefined;
});

describe('lifecycle', () => {
  it('binds a free port, refuses a second start, and closes idempotently', async () => {
    t = await startTestServer();
    expect(t.server.port).toBeGreaterThan(0);
    expect(t.server.state).toBe('listening');
    await expect(t.server.start()).rejects.toMatchObject({ code: 'ILLEGAL_STATE_TRANSITION' });

    const first = t.server.close(1000);
    expect(t.server.close(1000)).toBe(first);
    await first;
    expect(t.server.state).toBe('closed');
    await expect(fetch(`${t.baseUrl}/healthz`)).rejects.toThrow();
  });

  it('close() before start() resolves, and the port is not readable', async () => {
    const server = new HttpServer({
      services: createMockServices(),
      logger: pino({ level: 'silent' }),
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1024,
    });
    expect(() => server.port).toThrow(GatewayError);
    await server.close(0);
    expect(server.state).toBe('closed');
    await expect(server.start()).rejects.toMatchObject({ code: 'ILLEGAL_STATE_TRANSITION' });
  });

  it('lets an in-flight request finish within the grace period', async () => {
    t = await startTestServer();
    let release: () => void = () => undefined;
    t.services.runs.get.mockImplementation(
      () => new Promise((resolve) => (release = () => resolve(sampleDetails()))),
    );
    const pending = fetch(`${t.baseUrl}/v1/runs/r1`);
    await expect.poll(() => t?.services.runs.get.mock.calls.length).toBe(1);
    const closing = t.server.close(5_000);
    release();
    expect((await pending).status).toBe(200);
    await closing;
  });

  it('after the grace period, cuts the requests that remain and aborts their signal', async () => {
    t = await startTestServer();
    let signal: AbortSignal | undefined;
    t.services.runs.get.mockImplementation((_id, ctx) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    });
    const pending = fetch(`${t.baseUrl}/v1/runs/r1`).catch((e: unknown) => e);
    await expect.poll(() => signal).toBeDefined();
    const started = Date.now();
    await t.server.close(100);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(await pending).toBeInstanceOf(Error);
    await expect.poll(() => signal?.aborted).toBe(true);
  });
});

describe('probes', () => {
  it('/healthz answers 200 while the process runs, ready or not', async () => {
    t = await startTestServer();
    t.services.isReady.mockReturnValue(false);
    const response = await fetch(`${t.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz follows services.isReady(): 200, then 503 UNAVAILABLE', async () => {
    t = await startTestServer();
    t.services.isReady.mockReturnValue(true);
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });

    t.services.isReady.mockReturnValue(false);
    const notReady = await fetch(`${t.baseUrl}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ error: { code: 'UNAVAILABLE', retryable: true } });
  });
});

describe('artifact content', () => {
  const bytes = randomBytes(300 * 1024 + 17);
  const checksum = createHash('sha256').update(bytes).digest('hex');
  const meta = sampleArtifactMeta({
    contentType: 'image/png',
    size: bytes.length,
    checksum: { algorithm: 'sha256', value: checksum },
  });

  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let offset = 0; offset < bytes.length; offset += 64 * 1024) {
      yield new Uint8Array(bytes.subarray(offset, offset + 64 * 1024));
    }
  }

  it('streams the bytes exactly, with content type, length and ETag', async () => {
    t = await startTestServer();
    t.services.artifacts.get.mockResolvedValue(meta);
    t.services.artifacts.read.mockImplementation(() => chunks());
    const response = await fetch(`${t.baseUrl}/v1/artifacts/${meta.id}/content`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.headers.get('etag')).toBe(`"${checksum}"`);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(t.services.artifacts.read.mock.calls[0]?.[0]).toBe(meta.id);

    const client = createHttpGatewayClient(t.baseUrl);
    try {
      expect(Buffer.from(await client.readArtifact(meta.id)).equals(bytes)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('answers 304 to a matching If-None-Match without reading the content', async () => {
    t = await startTestServer();
    t.services.artifacts.get.mockResolvedValue(meta);
    const response = await fetch(`${t.baseUrl}/v1/artifacts/${meta.id}/content`, {
      headers: { 'if-none-match': `"other", "${checksum}"` },
    });
    expect(response.status).toBe(304);
    expect(t.services.artifacts.read).not.toHaveBeenCalled();
  });

  it('an unknown artifact is a JSON 404', async () => {
    t = await startTestServer();
    t.services.artifacts.get.mockRejectedValue(notFound(ErrorCode.ARTIFACT_NOT_FOUND, 'artifact', 'a1'));
    const response = await fetch(`${t.baseUrl}/v1/artifacts/a1/content`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'ARTIFACT_NOT_FOUND' } });
  });

  it('a read failure after the first bytes cuts the connection instead of sending a short body as complete', async () => {
    t = await startTestServer();
    t.services.artifacts.get.mockResolvedValue(meta);
    t.services.artifacts.read.mockImplementation(async function* () {
      yield new Uint8Array(bytes.subarray(0, 1024));
      throw new Error('disk gone');
    });
    // Depending on timing the cut lands before or after the headers; either way the download fails.
    const outcome = await fetch(`${t.baseUrl}/v1/artifacts/${meta.id}/content`)
      .then((response) => response.arrayBuffer())
      .then(
        () => 'complete',
        () => 'failed',
      );
    expect(outcome).toBe('failed');
    await expect
      .poll(() => t?.logs.some((l) => l['msg'] === 'artifact content failed mid-stream'))
      .toBe(true);
  });
});

describe('createExpressServer', () => {
  it("creates requests and responses with the app's prototypes before express sees them", async () => {
    const app = express();
    app.get('/echo', (req, res) => {
      res.status(201).json({ header: req.get('x-probe') });
    });
    const server = createExpressServer(app);
    const seen: boolean[] = [];
    // Runs before express's handler, which would set the prototypes itself.
    server.prependListener('request', (req, res) => {
      seen.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/echo`, { headers: { 'x-probe': 'yes' } });
      expect(seen).toStrictEqual([true, true]);
      // express's own request and response helpers work on them.
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toStrictEqual({ header: 'yes' });
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
