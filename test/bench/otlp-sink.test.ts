/**
 * The benchmark's OTLP sink (`bench/otlp-sink.ts`) fed by the real OTLP/HTTP protobuf exporter, plain and
 * gzip: the tracing-on figures rest on its span count (the harness reports spans the exporter dropped
 * as the difference), so the count must be exactly the spans the SDK exported, and a body that is not
 * an export must be refused rather than counted.
 */
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { countSpans, startOtlpSink, type OtlpSink, type SinkStats } from '../../bench/otlp-sink.js';
import { RecordingExporter } from '../support/recording-exporter.js';

type Compression = NonNullable<
  NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['compression']
>;

let sink: OtlpSink;

beforeEach(async () => {
  sink = await startOtlpSink(0);
});

afterEach(async () => {
  await sink.close();
});

async function stats(): Promise<SinkStats> {
  const response = await fetch(`${sink.url}/stats`);
  expect(response.status).toBe(200);
  return (await response.json()) as SinkStats;
}

async function postTraces(body: Uint8Array): Promise<number> {
  const response = await fetch(`${sink.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

describe('the OTLP sink', () => {
  it.each<Compression>(['none', 'gzip'] as Compression[])(
    'counts every span the protobuf exporter sends (compression %s), over scopes and requests',
    async (compression) => {
      const exporter = new RecordingExporter(
        new OTLPTraceExporter({ url: `${sink.url}/v1/traces`, compression }),
      );
      // A simple processor exports each span on its own: one request per span.
      const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
      const runs = provider.getTracer('bzzz.runs');
      const steps = provider.getTracer('bzzz.steps', '1.0.0');
      for (let i = 0; i < 3; i += 1) runs.startSpan(`run ${i}`).end();
      for (let i = 0; i < 4; i += 1) {
        const span = steps.startSpan(`step ${i}`, { attributes: { 'bzzz.step.index': i } });
        span.addEvent('a2a.status_update', { 'a2a.task.state': 'TASK_STATE_WORKING' });
        span.end();
      }
      await provider.forceFlush();
      await provider.shutdown();

      expect(exporter.results.map((r) => r.code)).toEqual(Array(7).fill(ExportResultCode.SUCCESS));
      const received = await stats();
      expect(received).toMatchObject({ requests: 7, spans: 7, rejected: 0 });
      expect(received.bytes).toBeGreaterThan(7 * 20);
    },
  );

  it('counts the spans of one export holding two resources and two scopes', async () => {
    // ExportTraceServiceRequest { resource_spans (1) { scope_spans (2) { spans (2) … } } }, by hand:
    // the batch processor's exports look like this, several spans under one scope.
    const span = field(2, Uint8Array.of(0x0a, 0x02, 0xab, 0xcd)); // a span holding only trace_id
    const scope = (spans: number): Uint8Array => field(2, concat(...Array<Uint8Array>(spans).fill(span)));
    const resource = (...scopes: Uint8Array[]): Uint8Array =>
      field(1, concat(field(1, new Uint8Array()), ...scopes));
    const request = concat(resource(scope(2), scope(3)), resource(scope(1)));
    expect(countSpans(request)).toBe(6);
    expect(await postTraces(request)).toBe(200);
    expect(await stats()).toMatchObject({ requests: 1, spans: 6, rejected: 0 });
  });

  it('accepts an empty export as zero spans', async () => {
    expect(await postTraces(new Uint8Array())).toBe(200);
    expect(await stats()).toMatchObject({ requests: 1, spans: 0, rejected: 0 });
  });

  it.each([
    ['a length past the end', Uint8Array.of(0x0a, 0x05, 0x01)],
    ['a truncated varint', Uint8Array.of(0x08, 0x80)],
    ['a group wire type', Uint8Array.of(0x0b)],
  ])('refuses a body with %s (400, counted as rejected, no spans)', async (_what, body) => {
    expect(() => countSpans(body)).toThrow();
    expect(await postTraces(body)).toBe(400);
    expect(await stats()).toMatchObject({ requests: 1, spans: 0, rejected: 1 });
  });

  it('answers 404 to anything but POST /v1/traces and GET /stats', async () => {
    expect((await fetch(`${sink.url}/v1/traces`)).status).toBe(404);
    expect((await fetch(`${sink.url}/v1/metrics`, { method: 'POST', body: '' })).status).toBe(404);
    expect(await stats()).toMatchObject({ requests: 0, spans: 0, rejected: 0 });
  });
});

/** A length-delimited protobuf field (wire type 2); the lengths here stay below 128 (one varint byte). */
function field(number: number, payload: Uint8Array): Uint8Array {
  if (payload.length > 127) throw new Error('payload too long for this helper');
  return concat(Uint8Array.of((number << 3) | 2, payload.length), payload);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}
