/**
 * Remote agents for tests: the real `@a2a-js/sdk` example agents (echo, streaming, input) on loopback
 * ports, raw `node:http` servers for agents that misbehave, and a URL where nothing listens. Every
 * helper returns something with `close()`; call it in `afterEach`/`afterAll`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startEchoAgent } from '../../examples/echo-agent.js';
import { INPUT_QUESTION, startInputAgent } from '../../examples/input-agent.js';
import type { RunningAgent } from '../../examples/serve-agent.js';
import { AGENT_CARD_PATH, JSONRPC_PATH, REST_PATH } from '../../examples/serve-agent.js';
import { STREAM_ARTIFACT_ID, startStreamingAgent } from '../../examples/streaming-agent.js';

export type { RunningAgent };
export {
  AGENT_CARD_PATH,
  INPUT_QUESTION,
  JSONRPC_PATH,
  REST_PATH,
  STREAM_ARTIFACT_ID,
  startEchoAgent,
  startInputAgent,
  startStreamingAgent,
};

export interface RawServer {
  /** Base URL, e.g. `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Requests received so far, with their bodies. */
  readonly requests: readonly {
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    body: string;
  }[];
  /** Stops listening and destroys open sockets. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a raw HTTP server on 127.0.0.1 (port 0). `handle` gets each request after its body was read;
 * use it to script any misbehaviour (garbage, cut streams, slow replies).
 */
export async function startRawServer(
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>,
): Promise<RawServer> {
  const requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      Promise.resolve(handle(req, res, body)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** What the garbage agent answers. */
export type GarbageKind =
  /** HTTP 200, `text/plain`, not JSON. */
  | 'text'
  /** HTTP 200, `application/json`, a body that does not parse. */
  | 'broken-json'
  /** HTTP 200, a JSON-RPC envelope whose result is not an A2A reply (a task without status). */
  | 'not-a2a';

/** An "agent" that answers every request with garbage of the given kind. */
export function startGarbageAgent(kind: GarbageKind): Promise<RawServer> {
  return startRawServer((_req, res, body) => {
    if (kind === 'text') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello, I am not an agent');
      return;
    }
    if (kind === 'broken-json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc": "2.0", "result": ');
      return;
    }
    const id = (JSON.parse(body) as { id?: unknown }).id ?? null;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ jsonrpc: '2.0', id, result: { task: { id: 't1', status: { state: 'DONE' } } } }));
  });
}

/** A URL on 127.0.0.1 where nothing listens: a port bound, then released. */
export async function unusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return `http://127.0.0.1:${port}`;
}
