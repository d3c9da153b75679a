/**
 * The test OTLP receiver (`test/support/otlp-receiver.ts`) fed by the real OpenTelemetry JS exporters over
 * OTLP/HTTP JSON, OTLP/HTTP protobuf and OTLP/gRPC, plain and gzip: what it normalises must be exactly the
 * spans the SDK created, its replies must be what a Collector sends, and malformed exports get 400 /
 * INVALID_ARGUMENT.
 */
import { gzipSync } from 'node:zlib';

import * as grpc from '@grpc/grpc-js';
import type { Span, Tracer } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';

import { TRACE_EXPORT_GRPC_PATH, traceServiceDefinition } from '../support/otlp/otlp-schema.js';
import { RecordingExporter } from '../support/recording-exporter.js';
import type { OtlpProtocol, OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver.js';
import { OTLP_PROTOCOL, OTLP_TRACES_PATH, startOtlpReceiver } from '../support/otlp-receiver.js';

type Compression = NonNullable<
  NonNullable<ConstructorParameters<typeof JsonTraceExporter>[0]>['compression']
>;

const EXPORT_TIMEOUT_MS = 3000;
const SERVICE_NAME = 'otlp-receiver-test';
const RESOURCE_ATTRIBUTES = { 'service.name': SERVICE_NAME, 'service.version': '1.2.3' };
/** Span flags as the exporter sends them: W3C "sampled", plus "the is-remote bit is known" (and not set). */
const SPAN_FLAGS = 0x01 | 0x100;
const SCOPE = { name: 'bzzz.test', version: '0.0.1' };
const LINKED = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

/** Fixed times (seconds, nanoseconds) so the received nanoseconds can be compared exactly. */
const ROOT_START: [number, number] = [1_700_000_000, 100_000_001];
const CHILD_START: [number, number] = [1_700_000_000, 200_000_002];
const EVENT_TIME: [number, number] = [1_700_000_000, 300_000_003];
const CHILD_END: [number, number] = [1_700_000_000, 400_000_004];
const ROOT_END: [number, number] = [1_700_000_001, 5];
const ns = ([s, n]: [number, number]): bigint => BigInt(s) * 1_000_000_000n + BigInt(n);

const CHILD_ATTRIBUTES = {
  'a2a.method.name': 'SendMessage',
  'server.port': 8080,
  'bzzz.negative': -7,
  'bzzz.large': 2 ** 40,
  'bzzz.ratio': 0.25,
  'bzzz.streaming': true,
  'bzzz.off': false,
  'bzzz.tags': ['alpha', 'beta'],
  'bzzz.sizes': [1, 2, 3],
  'bzzz.flags': [true, false],
};
const EVENT_ATTRIBUTES = { 'a2a.task.state': 'TASK_STATE_WORKING', 'bzzz.artifact.size_bytes': 12 };

interface ExporterCase {
  readonly protocol: OtlpProtocol;
  readonly compression: 'none' | 'gzip';
  readonly make: (receiver: OtlpReceiver, compression: Compression) => SpanExporter;
}

const EXPORTER_CASES: ExporterCase[] = [
  OTLP_PROTOCOL.httpJson,
  OTLP_PROTOCOL.httpProtobuf,
  OTLP_PROTOCOL.grpc,
]
  .flatMap((protocol) => (['none', 'gzip'] as const).map((compression) => ({ protocol, compression })))
  .map(({ protocol, compression }) => ({
    protocol,
    compression,
    make: (receiver, c) => {
      const httpOptions = { url: `${receiver.httpUrl}${OTLP_TRACES_PATH}`, compression: c };
      switch (protocol) {
        case OTLP_PROTOCOL.httpJson:
          return new JsonTraceExporter({ ...httpOptions, timeoutMillis: EXPORT_TIMEOUT_MS });
        case OTLP_PROTOCOL.httpProtobuf:
          return new ProtobufTraceExporter({ ...httpOptions, timeoutMillis: EXPORT_TIMEOUT_MS });
        case OTLP_PROTOCOL.grpc:
          return new GrpcTraceExporter({
            url: receiver.grpcUrl,
            compression: c,
            timeoutMillis: EXPORT_TIMEOUT_MS,
          });
      }
    },
  }));

let receiver: OtlpReceiver | undefined;
let provider: TracerProvider | undefined;

afterEach(async () => {
  await provider?.shutdown();
  await receiver?.close();
  provider = undefined;
  receiver = undefined;
});

/** A SERVER root with a linked span, and a CLIENT child with attributes of every type, an event and an error. */
function createTree(tracer: Tracer): { root: Span; child: Span } {
  const root = tracer.startSpan('POST /runs', {
    kind: SpanKind.SERVER,
    startTime: ROOT_START,
    attributes: { 'bzzz.run.id': 'run-1' },
    links: [{ context: { ...LINKED, traceFlags: 1 }, attributes: { 'bzzz.link': 'previous' } }],
  });
  const child = tracer.startSpan(
    'SendMessage',
    { kind: SpanKind.CLIENT, startTime: CHILD_START, attributes: CHILD_ATTRIBUTES },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  child.addEvent('a2a.status_update', EVENT_ATTRIBUTES, EVENT_TIME);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'agent unreachable' });
  child.end(CHILD_END);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end(ROOT_END);
  return { root, child };
}

describe.each(EXPORTER_CASES)('the real $protocol exporter (compression $compression)', (exporterCase) => {
  it('delivers exactly the spans that were created, and gets SUCCESS back', async () => {
    receiver = await startOtlpReceiver();
    const exporter = new RecordingExporter(
      exporterCase.make(receiver, exporterCase.compression as Compression),
    );
    provider = new TracerProvider({
      resource: resourceFromAttributes(RESOURCE_ATTRIBUTES),
      spanProcessors: [new BatchSpanProcessor({ exporter })],
    });
    const { root, child } = createTree(provider.getTracer(SCOPE.name, SCOPE.version));
    await provider.forceFlush();

    const spans = await receiver.waitForSpans((s) => s.length >= 2, EXPORT_TIMEOUT_MS);
    expect(exporter.results).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect(receiver.exports()).toEqual([
      {
        protocol: exporterCase.protocol,
        // grpc-js hides the gRPC message encoding from handlers; over HTTP it is the Content-Encoding.
        contentEncoding:
          exporterCase.compression === 'gzip' && exporterCase.protocol !== OTLP_PROTOCOL.grpc
            ? 'gzip'
            : undefined,
        spanCount: 2,
      },
    ]);

    const { traceId } = root.spanContext();
    const common = {
      protocol: exporterCase.protocol,
      traceId,
      traceState: '',
      resource: RESOURCE_ATTRIBUTES,
      scope: SCOPE,
    };
    const expectedChild: ReceivedSpan = {
      ...common,
      spanId: child.spanContext().spanId,
      parentSpanId: root.spanContext().spanId,
      flags: SPAN_FLAGS,
      name: 'SendMessage',
      kind: 'CLIENT',
      startTimeUnixNano: ns(CHILD_START),
      endTimeUnixNano: ns(CHILD_END),
      attributes: CHILD_ATTRIBUTES,
      events: [{ name: 'a2a.status_update', timeUnixNano: ns(EVENT_TIME), attributes: EVENT_ATTRIBUTES }],
      links: [],
      status: { code: 'ERROR', message: 'agent unreachable' },
    };
    const expectedRoot: ReceivedSpan = {
      ...common,
      spanId: root.spanContext().spanId,
      parentSpanId: undefined,
      flags: SPAN_FLAGS,
      name: 'POST /runs',
      kind: 'SERVER',
      startTimeUnixNano: ns(ROOT_START),
      endTimeUnixNano: ns(ROOT_END),
      attributes: { 'bzzz.run.id': 'run-1' },
      events: [],
      links: [{ ...LINKED, traceState: '', attributes: { 'bzzz.link': 'previous' } }],
      status: { code: 'OK', message: '' },
    };
    // The batch processor exports spans in the order they ended.
    expect(spans).toEqual([expectedChild, expectedRoot]);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('the exporter result', () => {
  it('is FAILED when the reply is not what a collector sends (here a 404), so SUCCESS above means something', async () => {
    receiver = await startOtlpReceiver();
    const exporter = new RecordingExporter(
      new JsonTraceExporter({ url: `${receiver.httpUrl}/v1/nowhere`, timeoutMillis: EXPORT_TIMEOUT_MS }),
    );
    provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
    createTree(provider.getTracer(SCOPE.name));
    await expect(provider.forceFlush()).rejects.toBeTruthy(); // the processor passes the failure on
    expect(exporter.results).toMatchObject([{ code: ExportResultCode.FAILED, error: { code: 404 } }]);
    expect(receiver.spans()).toEqual([]);
  });
});

describe('OTLP/HTTP replies', () => {
  const minimalRequest = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: SERVICE_NAME } }] },
        scopeSpans: [
          {
            scope: { name: 'raw' },
            spans: [
              {
                traceId: LINKED.traceId,
                spanId: LINKED.spanId,
                name: 'raw span',
                kind: 2,
                startTimeUnixNano: '1',
                endTimeUnixNano: '2',
              },
            ],
          },
        ],
      },
    ],
  };

  const post = (body: string | Buffer, headers: Record<string, string>, path = OTLP_TRACES_PATH) =>
    fetch(`${receiver?.httpUrl}${path}`, { method: 'POST', headers, body });

  it('answers a JSON export with 200 and an empty partial success in JSON, as a Collector does', async () => {
    receiver = await startOtlpReceiver();
    const response = await post(JSON.stringify(minimalRequest), { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ partialSuccess: {} });
    expect(receiver.spans().map((s) => [s.name, s.kind, s.protocol])).toEqual([
      ['raw span', 'SERVER', 'http/json'],
    ]);
  });

  it('answers a protobuf export with 200 and an ExportTraceServiceResponse in protobuf', async () => {
    receiver = await startOtlpReceiver();
    const exportMethod = traceServiceDefinition['Export'];
    const body = exportMethod!.requestSerialize({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from(LINKED.traceId, 'hex'),
                  spanId: Buffer.from(LINKED.spanId, 'hex'),
                  name: 'raw span',
                  kind: 4,
                },
              ],
            },
          ],
        },
      ],
    });
    const response = await post(body, { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const reply = Buffer.from(await response.arrayBuffer());
    expect(exportMethod!.responseDeserialize(reply)).toEqual({ partialSuccess: {} });
    expect(receiver.spans().map((s) => [s.name, s.kind, s.traceId])).toEqual([
      ['raw span', 'PRODUCER', LINKED.traceId],
    ]);
  });

  it('accepts snake_case field names, enum names and upper-case hex ids in JSON, as the Collector does', async () => {
    receiver = await startOtlpReceiver();
    const snakeCase = {
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: LINKED.traceId.toUpperCase(),
                  span_id: LINKED.spanId,
                  parent_span_id: '00f067aa0ba902b7',
                  name: 'snake',
                  kind: 'SPAN_KIND_CONSUMER',
                  start_time_unix_nano: 1_000_000_000,
                  attributes: [
                    { key: 'n', value: { int_value: '9007199254740991' } },
                    { key: 'd', value: { double_value: 'Infinity' } },
                    { key: 'b', value: { bytes_value: Buffer.from('hi').toString('base64') } },
                    {
                      key: 'm',
                      value: { kvlist_value: { values: [{ key: 'k', value: { string_value: 'v' } }] } },
                    },
                    { key: 'e', value: {} },
                  ],
                  status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await post(JSON.stringify(snakeCase), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(response.status).toBe(200);
    const [span] = receiver.spans();
    expect(span).toMatchObject({
      traceId: LINKED.traceId,
      parentSpanId: '00f067aa0ba902b7',
      kind: 'CONSUMER',
      startTimeUnixNano: 1_000_000_000n,
      status: { code: 'ERROR', message: 'boom' },
      attributes: {
        n: Number.MAX_SAFE_INTEGER,
        d: Infinity,
        b: new Uint8Array(Buffer.from('hi')),
        m: { k: 'v' },
        e: null,
      },
    });
  });

  it.each([
    ['not JSON', 'application/json', '{"resourceSpans": [', 'malformed'],
    ['a trace id that is not hex', 'application/json', withTraceId('zz'.repeat(16)), 'traceId'],
    ['a trace id of the wrong length', 'application/json', withTraceId('abcd'), 'must be 16 bytes'],
    ['an unknown span kind', 'application/json', withKind(9), 'kind'],
    [
      'spans that are not a list',
      'application/json',
      '{"resourceSpans": [{"scopeSpans": [{"spans": 3}]}]}',
      'spans',
    ],
  ])('rejects %s in JSON with 400 and a google.rpc.Status', async (_what, contentType, body, mentions) => {
    receiver = await startOtlpReceiver();
    const response = await post(body, { 'content-type': contentType });
    expect(response.status).toBe(400);
    const status = (await response.json()) as { code: number; message: string };
    expect(status.code).toBe(3); // INVALID_ARGUMENT
    expect(status.message).toContain(mentions);
    expect(receiver.spans()).toEqual([]);
    expect(receiver.exports()).toEqual([]);
  });

  it('rejects undecodable protobuf with 400 and a protobuf google.rpc.Status', async () => {
    receiver = await startOtlpReceiver();
    // Field 1 (resource_spans), length-delimited, claiming far more bytes than follow.
    const response = await post(Buffer.from([0x0a, 0xff, 0xff, 0x03, 0x01]), {
      'content-type': 'application/x-protobuf',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const body = Buffer.from(await response.arrayBuffer());
    expect([...body.subarray(0, 2)]).toEqual([0x08, 3]); // code = INVALID_ARGUMENT
    expect(body.subarray(4).toString('utf8')).toContain('malformed ExportTraceServiceRequest');
    expect(receiver.spans()).toEqual([]);
  });

  it('decodes gzip bodies and rejects a body that claims gzip but is not', async () => {
    receiver = await startOtlpReceiver();
    const gzipped = gzipSync(JSON.stringify(minimalRequest));
    const ok = await post(gzipped, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(ok.status).toBe(200);
    expect(receiver.exports()).toEqual([{ protocol: 'http/json', contentEncoding: 'gzip', spanCount: 1 }]);
    const bad = await post('plain text', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('gzip');
    const unknown = await post('{}', { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(unknown.status).toBe(400);
  });

  it('answers 415 for other media types, 405 for other methods and 404 for other paths', async () => {
    receiver = await startOtlpReceiver();
    expect((await post('{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await fetch(`${receiver.httpUrl}${OTLP_TRACES_PATH}`)).status).toBe(405);
    expect((await post('{}', { 'content-type': 'application/json' }, '/v1/metrics')).status).toBe(404);
    expect(receiver.exports()).toEqual([]);
  });
});

describe('OTLP/gRPC replies', () => {
  /** Calls Export with raw request bytes and returns the gRPC status code. */
  async function exportRaw(target: OtlpReceiver, body: Buffer): Promise<grpc.status> {
    const client = new grpc.Client(new URL(target.grpcUrl).host, grpc.credentials.createInsecure());
    try {
      return await new Promise<grpc.status>((resolve) => {
        client.makeUnaryRequest(
          TRACE_EXPORT_GRPC_PATH,
          (b: Buffer) => b,
          (b: Buffer) => b,
          body,
          (error) => resolve(error ? (error.code ?? grpc.status.UNKNOWN) : grpc.status.OK),
        );
      });
    } finally {
      client.close();
    }
  }

  it('answers INVALID_ARGUMENT for undecodable bytes and for a span with a bad id, and records nothing', async () => {
    receiver = await startOtlpReceiver();
    expect(await exportRaw(receiver, Buffer.from([0x0a, 0xff, 0xff, 0x03, 0x01]))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    const badId = traceServiceDefinition['Export']!.requestSerialize({
      resourceSpans: [
        { scopeSpans: [{ spans: [{ traceId: Buffer.from([1, 2, 3]), spanId: Buffer.alloc(8, 1) }] }] },
      ],
    });
    expect(await exportRaw(receiver, badId)).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await exportRaw(receiver, Buffer.alloc(0))).toBe(grpc.status.OK); // an empty export is valid
    expect(receiver.spans()).toEqual([]);
  });
});

describe('waitForSpans', () => {
  it('rejects on timeout with a list of what was received', async () => {
    receiver = await startOtlpReceiver();
    await fetch(`${receiver.httpUrl}${OTLP_TRACES_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: withKind(3),
    });
    await expect(receiver.waitForSpans((s) => s.some((span) => span.name === 'missing'), 50)).rejects.toThrow(
      /no match after 50 ms; received 1 span\(s\):\n {2}\[http\/json\] "x" CLIENT UNSET trace=0af7651916cd43dd8448eb211c80319c/,
    );
  });

  it('resolves when a later export satisfies the predicate, and clear() forgets everything', async () => {
    receiver = await startOtlpReceiver();
    const waiting = receiver.waitForSpans((s) => s.length === 1, EXPORT_TIMEOUT_MS);
    await fetch(`${receiver.httpUrl}${OTLP_TRACES_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: withKind(1),
    });
    expect((await waiting).map((s) => s.kind)).toEqual(['INTERNAL']);
    receiver.clear();
    expect(receiver.spans()).toEqual([]);
    expect(receiver.exports()).toEqual([]);
  });

  it('rejects pending waits when the receiver closes', async () => {
    const closing = await startOtlpReceiver();
    const waiting = closing.waitForSpans(() => false, EXPORT_TIMEOUT_MS);
    await closing.close();
    await expect(waiting).rejects.toThrow(/receiver closed; received no spans/);
  });
});

/** A one-span OTLP/JSON export with the given trace id. */
function withTraceId(traceId: string): string {
  return JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: LINKED.spanId, name: 'x' }] }] }],
  });
}

/** A one-span OTLP/JSON export with the given numeric kind. */
function withKind(kind: number): string {
  return JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: [{ ...LINKED, name: 'x', kind }] }] }],
  });
}
