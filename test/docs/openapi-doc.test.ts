/**
 * Keeps docs/openapi.yaml in step with the HTTP routes: every route the app serves is described, with
 * its method, and the document describes no route that does not exist. The gateway serves the document
 * itself at /openapi.yaml.
 */
import { readFile } from 'node:fs/promises';

import type { Router } from 'express';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { callContextOf, createHttpApp } from '../../src/transport/http/http-app.js';
import { createApiRouter } from '../../src/transport/http/http-routes.js';
import { HttpServer } from '../../src/transport/http/http-server.js';
import { createMockServices } from '../support/mock-services.js';

const documentText = await readFile(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8');
const document = parse(documentText) as { openapi: string; paths: Record<string, Record<string, unknown>> };
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /path/{param}` for each route of an express router. */
function routesOf(router: Router, prefix: string): string[] {
  return (router.stack as RouteLayer[]).flatMap((layer) =>
    layer.route === undefined
      ? []
      : Object.keys(layer.route.methods).map(
          (method) => `${method.toUpperCase()} ${prefix}${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`,
        ),
  );
}

const options = { services: createMockServices(), logger: pino({ level: 'silent' }), maxBodyBytes: 1024 };

describe('docs/openapi.yaml', () => {
  const described = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => HTTP_METHODS.has(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
  const served = [
    ...routesOf(createHttpApp(options).router, ''),
    ...routesOf(
      createApiRouter({
        ...options,
        contextOf: callContextOf,
        shutdownSignal: new AbortController().signal,
        sseKeepAliveMs: 1000,
      }),
      '/v1',
    ),
  ];

  it('is an OpenAPI 3 document', () => {
    expect(document.openapi).toMatch(/^3\./);
  });

  it('describes exactly the routes the gateway serves', () => {
    expect(served.length).toBeGreaterThan(15);
    expect([...described].sort()).toEqual([...served].sort());
  });

  it('is served at /openapi.yaml', async () => {
    const server = new HttpServer({ ...options, host: '127.0.0.1', port: 0 });
    await server.start();
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/openapi.yaml`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/yaml');
      expect(await response.text()).toBe(documentText);
    } finally {
      await server.close(100);
    }
  });
});
