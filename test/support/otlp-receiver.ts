/**
 * A real OTLP trace receiver for tests, standing in for a Collector or Jaeger (none can be installed on
 * the build machines). It listens on 127.0.0.1 with an ephemeral port for each of:
 * - OTLP/HTTP: `POST /v1/traces` with `application/json` or `application/x-protobuf`, optionally gzip;
 * - OTLP/gRPC: `opentelemetry.proto.collector.trace.v1.TraceService/Export` (insecure).
 *
 * Requests are decoded with our own schema (`otlp/opentelemetry/proto/**`, loaded by `otlp/otlp-schema.ts`)
 * and flattened by `otlp/otlp-normalise.ts` into {@link ReceivedSpan}s that look the same whichever
 * protocol delivered them. Replies are what a Collector sends: 200 / OK with an
 * `ExportTraceServiceResponse` in the request's encoding, 400 / INVALID_ARGUMENT with a `google.rpc.Status`
 * for a malformed export.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

import * as grpc from '@grpc/grpc-js';

import type { OtlpProtocol, ReceivedSpan } from './otlp/otlp-normalise.js';
import { OTLP_PROTOCOL, OtlpDecodeError, normaliseTraceRequest } from './otlp/otlp-normalise.js';
import {
  FULL_SUCCESS_RESPONSE,
  RPC_CODE_INVALID_ARGUMENT,
  decodeTraceRequest,
  encodeRpcStatus,
  encodeTraceResponse,
  traceServiceDefinition,
} from './otlp/otlp-schema.js';

export type {
  AttributeValue,
  Attributes,
  OtlpProtocol,
  ReceivedEvent,
  ReceivedLink,
  ReceivedSpan,
  SpanKindName,
  StatusCodeName,
} from './otlp/otlp-normalise.js';
export { OTLP_PROTOCOL } from './otlp/otlp-normalise.js';

/** The OTLP/HTTP path for traces. */
export const OTLP_TRACES_PATH = '/v1/traces';

const JSON_CONTENT_TYPE = 'application/json';
const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';
const DEFAULT_WAIT_TIMEOUT_MS = 5000;
const GRPC_SHUTDOWN_GRACE_MS = 1000;

const gunzipAsync = promisify(gunzip);

/** One accepted export request. */
export interface ReceivedExport {
  readonly protocol: OtlpProtocol;
  /**
   * The HTTP `Content-Encoding` (e.g. `gzip`) when the client set one. Always `undefined` over gRPC:
   * grpc-js undoes per-message compression and hides the `grpc-encoding` header from handlers.
   */
  readonly contentEncoding: string | undefined;
  readonly spanCount: number;
}

/** A running receiver. */
export interface OtlpReceiver {
  /** Base URL of the OTLP/HTTP server, e.g. `http://127.0.0.1:PORT`; traces go to `${httpUrl}/v1/traces`. */
  readonly httpUrl: string;
  /** URL for the OTLP/gRPC exporter's `url` option, e.g. `http://127.0.0.1:PORT` (plaintext). */
  readonly grpcUrl: string;
  /** Every span accepted so far, in arrival order. */
  spans(): readonly ReceivedSpan[];
  /** Every export request accepted so far, in arrival order. */
  exports(): readonly ReceivedExport[];
  /**
   * Resolves with the received spans once `predicate` holds for them (checked now and after each export).
   * Rejects after `timeoutMs`, or when the receiver closes, listing what was received.
   * @param timeoutMs - @default 5000
   */
  waitForSpans(
    predicate: (spans: readonly ReceivedSpan[]) => boolean,
    timeoutMs?: number,
  ): Promise<readonly ReceivedSpan[]>;
  /** Forgets the spans and exports received so far. */
  clear(): void;
  /**
   * Stops both servers: open HTTP connections are closed, the gRPC server gets a short grace period
   * before it is forced down. Idempotent: every call returns the same promise.
   */
  close(): Promise<void>;
}

interface Waiter {
  readonly predicate: (spans: readonly ReceivedSpan[]) => boolean;
  readonly resolve: (spans: readonly ReceivedSpan[]) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Starts an OTLP receiver (HTTP and gRPC) on 127.0.0.1, each on a port chosen by the OS. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  let received: ReceivedSpan[] = [];
  let exportsReceived: ReceivedExport[] = [];
  const waiters = new Set<Waiter>();

  const settleWaiters = (): void => {
    for (const waiter of waiters) {
      if (waiter.predicate(received)) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(received);
      }
    }
  };
  const accept = (
    spans: ReceivedSpan[],
    protocol: OtlpProtocol,
    contentEncoding: string | undefined,
  ): void => {
    received = [...received, ...spans];
    exportsReceived = [...exportsReceived, { protocol, contentEncoding, spanCount: spans.length }];
    settleWaiters();
  };

  const httpServer = createServer((req, res) => {
    handleHttp(req, res, accept).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const httpPort = (httpServer.address() as AddressInfo).port;

  const grpcServer = new grpc.Server();
  grpcServer.addService(lenientTraceService(), {
    Export: (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      try {
        if (call.request instanceof UndecodableRequest) throw call.request.error;
        accept(
          normaliseTraceRequest(call.request, 'protobuf', OTLP_PROTOCOL.grpc),
          OTLP_PROTOCOL.grpc,
          undefined,
        );
        callback(null, FULL_SUCCESS_RESPONSE);
      } catch (error) {
        const code = error instanceof OtlpDecodeError ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL;
        callback({ code, details: (error as Error).message });
      }
    },
  });
  let grpcPort: number;
  try {
    grpcPort = await new Promise<number>((resolve, reject) => {
      grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      );
    });
  } catch (error) {
    await closeHttp(httpServer);
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    grpcUrl: `http://127.0.0.1:${grpcPort}`,
    spans: () => received,
    exports: () => exportsReceived,
    waitForSpans: (predicate, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS) => {
      if (predicate(received)) return Promise.resolve(received);
      if (closing) return Promise.reject(new Error('waitForSpans: the receiver is closed'));
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new Error(`waitForSpans: no match after ${timeoutMs} ms; ${describe(received)}`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    clear: () => {
      received = [];
      exportsReceived = [];
    },
    close: () => {
      closing ??= (async () => {
        for (const waiter of waiters) {
          clearTimeout(waiter.timer);
          waiter.reject(new Error(`waitForSpans: the receiver closed; ${describe(received)}`));
        }
        waiters.clear();
        await Promise.all([closeHttp(httpServer), closeGrpc(grpcServer)]);
      })();
      return closing;
    },
  };
}

/** A gRPC request body that is not a valid `ExportTraceServiceRequest`. */
class UndecodableRequest {
  readonly error: OtlpDecodeError;
  constructor(cause: unknown) {
    this.error = new OtlpDecodeError(`undecodable ExportTraceServiceRequest: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/**
 * The TraceService whose request decoder hands undecodable bytes to the handler instead of throwing, so
 * the reply is INVALID_ARGUMENT (as from a Collector) rather than grpc-js's INTERNAL.
 */
function lenientTraceService(): grpc.ServiceDefinition {
  const exportMethod = traceServiceDefinition['Export'];
  if (exportMethod === undefined) throw new Error('otlp-receiver: TraceService has no Export method');
  return {
    Export: {
      ...exportMethod,
      requestDeserialize: (body: Buffer): unknown => {
        try {
          return decodeTraceRequest(body);
        } catch (error) {
          return new UndecodableRequest(error);
        }
      },
    },
  };
}

/** Serves one OTLP/HTTP request. */
async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  accept: (spans: ReceivedSpan[], protocol: OtlpProtocol, contentEncoding: string | undefined) => void,
): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (path !== OTLP_TRACES_PATH) {
    req.resume();
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`no OTLP endpoint at ${path}`);
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('use POST');
    return;
  }
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const isJson = mediaType === JSON_CONTENT_TYPE;
  if (!isJson && mediaType !== PROTOBUF_CONTENT_TYPE) {
    req.resume();
    res
      .writeHead(415, { 'content-type': 'text/plain' })
      .end(
        `unsupported content type ${JSON.stringify(mediaType)}; use ${JSON_CONTENT_TYPE} or ${PROTOBUF_CONTENT_TYPE}`,
      );
    return;
  }

  const send = (status: number, json: object, protobuf: () => Buffer): void => {
    const payload = isJson ? Buffer.from(JSON.stringify(json)) : protobuf();
    res.writeHead(status, {
      'content-type': isJson ? JSON_CONTENT_TYPE : PROTOBUF_CONTENT_TYPE,
      'content-length': payload.length,
    });
    res.end(payload);
  };
  const badRequest = (message: string): void =>
    send(400, { code: RPC_CODE_INVALID_ARGUMENT, message }, () =>
      encodeRpcStatus(RPC_CODE_INVALID_ARGUMENT, message),
    );

  const raw = await readBody(req);
  const contentEncoding = req.headers['content-encoding']?.trim().toLowerCase() || undefined;
  let body: Buffer;
  if (contentEncoding === undefined || contentEncoding === 'identity') {
    body = raw;
  } else if (contentEncoding === 'gzip') {
    try {
      body = await gunzipAsync(raw);
    } catch (error) {
      badRequest(`invalid gzip body: ${(error as Error).message}`);
      return;
    }
  } else {
    badRequest(`unsupported Content-Encoding ${JSON.stringify(contentEncoding)}`);
    return;
  }

  let spans: ReceivedSpan[];
  try {
    spans = isJson
      ? normaliseTraceRequest(JSON.parse(body.toString('utf8')), 'json', OTLP_PROTOCOL.httpJson)
      : normaliseTraceRequest(decodeTraceRequest(body), 'protobuf', OTLP_PROTOCOL.httpProtobuf);
  } catch (error) {
    // JSON.parse, the protobuf decoder and the normaliser all report a malformed export by throwing.
    badRequest(`malformed ExportTraceServiceRequest: ${(error as Error).message}`);
    return;
  }
  accept(spans, isJson ? OTLP_PROTOCOL.httpJson : OTLP_PROTOCOL.httpProtobuf, contentEncoding);
  send(200, FULL_SUCCESS_RESPONSE, () => encodeTraceResponse(FULL_SUCCESS_RESPONSE));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** One line per span, for timeout messages. */
function describe(spans: readonly ReceivedSpan[]): string {
  if (spans.length === 0) return 'received no spans';
  const lines = spans.map(
    (s) =>
      `  [${s.protocol}] ${JSON.stringify(s.name)} ${s.kind} ${s.status.code} trace=${s.traceId} ` +
      `span=${s.spanId} parent=${s.parentSpanId ?? '-'} service=${JSON.stringify(s.resource['service.name'])}`,
  );
  return `received ${spans.length} span(s):\n${lines.join('\n')}`;
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function closeGrpc(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, GRPC_SHUTDOWN_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
