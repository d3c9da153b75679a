/**
 * `HttpServer`: the HTTP listener of the gateway and its lifecycle (`start`, graceful `close`). The
 * routes live in the express app built by `createHttpApp` (`http-app.ts`); this file only owns the
 * socket, the connections and shutdown.
 */
import { setMaxListeners } from 'node:events';
import { IncomingMessage, ServerResponse, createServer, type Server } from 'node:http';

import type { Express } from 'express';
import type { Logger } from 'pino';

import type { GatewayServices } from '../../app/services.js';
import { ErrorCode, GatewayError } from '../../errors/gateway-error.js';
import { createHttpApp, type HttpMount } from './http-app.js';

/** Options of `HttpServer`. */
export interface HttpServerOptions {
  readonly services: GatewayServices;
  readonly logger: Logger;
  /** Address to bind, e.g. `127.0.0.1` or `0.0.0.0`. */
  readonly host: string;
  /** Port to bind; 0 picks a free one (read it back from `port`). */
  readonly port: number;
  /** Largest accepted request body, in bytes. */
  readonly maxBodyBytes: number;
  /** Interval between SSE keep-alive comments, in milliseconds. @default 15000 */
  readonly sseKeepAliveMs?: number;
  /** Extra routes (the A2A façade), mounted before the 404 fallback. @default none */
  readonly mounts?: readonly HttpMount[];
}

/**
 * The server's lifecycle:
 * - `initialized`: constructed, not listening;
 * - `starting`: `start()` is binding the port;
 * - `listening`: accepting connections;
 * - `closing`: `close()` stopped accepting and waits for open requests;
 * - `closed`: every connection is gone.
 */
export type HttpServerState = 'initialized' | 'starting' | 'listening' | 'closing' | 'closed';

/**
 * An HTTP server for `app` whose requests and responses are created with the app's own prototypes
 * (`app.request`, `app.response`). express gives each request and response those prototypes as it
 * enters the app (`Object.setPrototypeOf`); on an object created with them that is a no-op. Done per
 * object, it made V8's young-generation collections keep and promote megabytes of short-lived objects:
 * an express app answering 300 requests a second had 3–6 MB survive each collection and 6–12 ms pauses,
 * and created this way 3 KB and 0.4 ms (`--trace-gc-nvp`; see docs/benchmarks.md).
 */
export function createExpressServer(app: Express): Server {
  // Node's IncomingMessage and ServerResponse are function constructors, initialised on an object that
  // `new` created with the prototype below. (Constructing them with `Reflect.construct` and this
  // function as new.target kept a third of the survivors.)
  function AppRequest(this: IncomingMessage, ...args: unknown[]): void {
    Reflect.apply(IncomingMessage, this, args);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: ServerResponse, ...args: unknown[]): void {
    Reflect.apply(ServerResponse, this, args);
  }
  AppResponse.prototype = app.response;
  return createServer(
    {
      IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
      ServerResponse: AppResponse as unknown as typeof ServerResponse,
    },
    app,
  );
}

/** The gateway's HTTP listener. */
export class HttpServer {
  readonly #options: HttpServerOptions;
  readonly #server: Server;
  /** Aborted on close: ends every open event stream, each of which listens to it (thousands is no leak). */
  readonly #shutdown = new AbortController();
  #state: HttpServerState = 'initialized';
  #closing: Promise<void> | undefined;

  constructor(options: HttpServerOptions) {
    this.#options = options;
    setMaxListeners(0, this.#shutdown.signal);
    const app = createHttpApp({
      services: options.services,
      logger: options.logger,
      maxBodyBytes: options.maxBodyBytes,
      shutdownSignal: this.#shutdown.signal,
      ...(options.sseKeepAliveMs !== undefined && { sseKeepAliveMs: options.sseKeepAliveMs }),
      ...(options.mounts !== undefined && { mounts: options.mounts }),
    });
    this.#server = createExpressServer(app);
  }

  /** The current lifecycle state. */
  get state(): HttpServerState {
    return this.#state;
  }

  /** The bound port; only valid once `start()` resolved. */
  get port(): number {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') {
      throw new GatewayError(
        ErrorCode.ILLEGAL_STATE_TRANSITION,
        `HttpServer is ${this.#state}, not listening`,
      );
    }
    return address.port;
  }

  /** Binds the port: `initialized` → `starting` → `listening`. Throws unless `initialized`. */
  async start(): Promise<void> {
    if (this.#state !== 'initialized') {
      throw new GatewayError(
        ErrorCode.ILLEGAL_STATE_TRANSITION,
        `cannot start HttpServer: it is ${this.#state}`,
      );
    }
    this.#state = 'starting';
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        this.#state = 'closed';
        reject(error);
      };
      this.#server.once('error', onError);
      this.#server.listen(this.#options.port, this.#options.host, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    this.#state = 'listening';
    this.#options.logger.info({ host: this.#options.host, port: this.port }, 'HTTP server listening');
  }

  /**
   * Stops accepting connections, closes idle keep-alive connections and ends open event streams (each
   * with a retryable `UNAVAILABLE` event), lets in-flight requests finish for up to `graceMs`, then
   * destroys the connections that remain: `listening` → `closing` → `closed`. Idempotent: every call
   * returns the same promise.
   */
  close(graceMs: number): Promise<void> {
    this.#closing ??= this.#close(graceMs);
    return this.#closing;
  }

  async #close(graceMs: number): Promise<void> {
    if (this.#state === 'initialized' || this.#state === 'closed') {
      this.#state = 'closed';
      return;
    }
    this.#state = 'closing';
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#shutdown.abort();
    this.#server.closeIdleConnections();
    // Connections that finish their last response during the grace period become idle; close them too.
    const sweep = setInterval(() => this.#server.closeIdleConnections(), 50);
    const force = setTimeout(() => this.#server.closeAllConnections(), graceMs);
    try {
      await closed;
    } finally {
      clearInterval(sweep);
      clearTimeout(force);
    }
    this.#state = 'closed';
    this.#options.logger.info('HTTP server closed');
  }
}
