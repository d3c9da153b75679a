/**
 * A minimal OTLP/HTTP trace sink, run by the harness as a child process for the tracing-on rounds
 * (`node dist/bench/otlp-sink.js`, listening on `PORT`, default any free port, and printing its URL). It
 * accepts `POST /v1/traces` with a protobuf body (gzip or not), counts the requests, bytes and spans, and
 * answers 200 with an empty `ExportTraceServiceResponse`, which is full success; `GET /stats` returns the
 * counts as JSON. What is measured is the exporter's cost in the gateway, so the sink does the least work
 * a collector must: it walks the protobuf wire format just deep enough to count spans.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The sink's counters, as `GET /stats` returns them. */
export interface SinkStats {
  readonly requests: number;
  readonly bytes: number;
  readonly spans: number;
  /** Requests whose body could not be read as an OTLP protobuf export. */
  readonly rejected: number;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

/** Reads a base-128 varint at `offset`; returns the value and the offset after it. */
function readVarint(buffer: Uint8Array, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    const byte = buffer[position];
    if (byte === undefined) throw new Error('truncated varint');
    position += 1;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, position];
    shift += 7;
    if (shift > 63) throw new Error('varint too long');
  }
}

/** The length-delimited fields numbered `fieldNumber` of one protobuf message. */
function lengthDelimitedFields(message: Uint8Array, fieldNumber: number): Uint8Array[] {
  const found: Uint8Array[] = [];
  let offset = 0;
  while (offset < message.length) {
    const [key, afterKey] = readVarint(message, offset);
    const wireType = key % 8;
    const number = Math.floor(key / 8);
    offset = afterKey;
    switch (wireType) {
      case WIRE_VARINT:
        offset = readVarint(message, offset)[1];
        break;
      case WIRE_FIXED64:
        offset += 8;
        break;
      case WIRE_FIXED32:
        offset += 4;
        break;
      case WIRE_LENGTH_DELIMITED: {
        const [length, afterLength] = readVarint(message, offset);
        const end = afterLength + length;
        if (end > message.length) throw new Error('truncated field');
        if (number === fieldNumber) found.push(message.subarray(afterLength, end));
        offset = end;
        break;
      }
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  return found;
}

/**
 * Spans in an `ExportTraceServiceRequest`: resource_spans (1) → scope_spans (2) → spans (2).
 * @throws Error when the bytes are not a well-formed protobuf message.
 */
export function countSpans(request: Uint8Array): number {
  let spans = 0;
  for (const resourceSpans of lengthDelimitedFields(request, 1)) {
    for (const scopeSpans of lengthDelimitedFields(resourceSpans, 2)) {
      spans += lengthDelimitedFields(scopeSpans, 2).length;
    }
  }
  return spans;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

/** A running sink: its base URL, and how to stop it. */
export interface OtlpSink {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the sink on 127.0.0.1:`port` (0: any free port). */
export async function startOtlpSink(port: number): Promise<OtlpSink> {
  let requests = 0;
  let bytes = 0;
  let spans = 0;
  let rejected = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET' && req.url === '/stats') {
      const stats: SinkStats = { requests, bytes, spans, rejected };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(stats));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      res.writeHead(404).end();
      return;
    }
    const body = await readBody(req);
    requests += 1;
    bytes += body.length;
    try {
      spans += countSpans(body);
    } catch {
      rejected += 1;
      res.writeHead(400).end();
      return;
    }
    // An empty ExportTraceServiceResponse: no partial_success, so every span was accepted.
    res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': '0' }).end();
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sink = await startOtlpSink(Number(process.env['PORT'] ?? 0));
  process.once('SIGTERM', () => void sink.close());
  console.log(`otlp sink listening on ${sink.url}`);
}
