/**
 * The SERVER span of each `/v1` request and the trace carrier it puts into the `CallContext`: with an SDK
 * registered, a client's `traceparent` parents the span and the service receives the span's own context;
 * without one a new trace starts; names and attributes follow the HTTP conventions (route templates,
 * status, errors only on 5xx); an event stream's span lasts as long as the stream. With no SDK at all, or
 * only propagators, the client's trace context reaches the service unchanged.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { RunWatchEvent } from '../../../src/app/services.js';
import type { CallContext } from '../../../src/domain/call-context.js';
import { ErrorCode, GatewayError } from '../../../src/errors/gateway-error.js';
import {
  CLIENT_BAGGAGE,
  CLIENT_SPAN_ID,
  CLIENT_TRACE_ID,
  CLIENT_TRACEPARENT,
  CLIENT_TRACESTATE,
  parseTraceparent,
  registerTestTracing,
  type TestTracing,
} from '../tracing-kit.js';
import { sampleDetails, sampleRun, startTestServer, type TestHttpServer } from './http-test-kit.js';
import { submitted } from '../../support/mock-services.js';

let t: TestHttpServer;
let tracing: TestTracing | undefined;

beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  await t.server.close(0);
  await tracing?.disable();
  tracing = undefined;
});

const W3C_HEADERS = {
  traceparent: CLIENT_TRACEPARENT,
  tracestate: CLIENT_TRACESTATE,
  baggage: CLIENT_BAGGAGE,
};

async function submit(headers: Record<string, string>): Promise<Response> {
  return fetch(`${t.baseUrl}/v1/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ target: { agent: 'echo' }, input: { text: 'hi' } }),
  });
}

function submittedContext(): CallContext {
  const ctx = t.services.runs.submit.mock.calls[0]?.[1];
  expect(ctx).toBeDefined();
  return ctx!;
}

describe('with an SDK registered', () => {
  beforeEach(() => {
    tracing = registerTestTracing();
  });

  it("makes the SERVER span a child of the client's traceparent and hands the service its context", async () => {
    t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
    expect((await submit(W3C_HEADERS)).status).toBe(201);

    const [span, ...others] = await tracing!.ended(1);
    expect(others).toEqual([]);
    expect(span!.name).toBe('POST /v1/runs');
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.spanContext().traceId).toBe(CLIENT_TRACE_ID);
    expect(span!.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    expect(span!.parentSpanContext?.isRemote).toBe(true);
    expect(span!.attributes).toEqual({
      'http.request.method': 'POST',
      'url.path': '/v1/runs',
      'http.route': '/v1/runs',
      'http.response.status_code': 201,
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);

    const carrier = submittedContext().traceCarrier;
    const sent = parseTraceparent(carrier?.traceparent);
    expect(sent).toEqual({ traceId: CLIENT_TRACE_ID, spanId: span!.spanContext().spanId, flags: '01' });
    expect(carrier?.tracestate).toBe(CLIENT_TRACESTATE);
    expect(carrier?.baggage).toBe(CLIENT_BAGGAGE);
  });

  it('starts a new trace when the client sent no (or an invalid) traceparent', async () => {
    t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
    await submit({});
    await submit({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' });
    const spans = await tracing!.ended(2);
    expect(spans).toHaveLength(2);
    for (const [i, span] of spans.entries()) {
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe(CLIENT_TRACE_ID);
      const ctx = t.services.runs.submit.mock.calls[i]?.[1];
      expect(parseTraceparent(ctx?.traceCarrier?.traceparent)).toEqual({
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        flags: '01',
      });
    }
    expect(spans[0]!.spanContext().traceId).not.toBe(spans[1]!.spanContext().traceId);
  });

  it('names the span by route template, records the path, and hands the service its context in the carrier', async () => {
    const run = sampleRun();
    let servedTraceparent: string | undefined;
    t.services.runs.get.mockImplementation(async (_id: string, ctx: CallContext) => {
      servedTraceparent = ctx.traceCarrier?.traceparent;
      return sampleDetails(run);
    });
    const response = await fetch(`${t.baseUrl}/v1/runs/${run.id}?view=full`, { headers: W3C_HEADERS });
    expect(response.status).toBe(400); // unknown query parameter: refused before the service
    expect((await fetch(`${t.baseUrl}/v1/runs/${run.id}`, { headers: W3C_HEADERS })).status).toBe(200);

    const [refused, served] = await tracing!.ended(2);
    expect(refused!.name).toBe('GET /v1/runs/:id');
    expect(refused!.attributes['http.response.status_code']).toBe(400);
    expect(refused!.attributes['url.path']).toBe(`/v1/runs/${run.id}`);
    expect(refused!.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused!.attributes['error.type']).toBeUndefined();
    expect(served!.name).toBe('GET /v1/runs/:id');
    expect(served!.attributes['http.route']).toBe('/v1/runs/:id');
    expect(served!.attributes['http.response.status_code']).toBe(200);
    expect(parseTraceparent(servedTraceparent).spanId).toBe(served!.spanContext().spanId);
  });

  it('marks a 5xx answer as an error with the error code as error.type', async () => {
    t.services.runs.submit.mockRejectedValue(new GatewayError(ErrorCode.UNAVAILABLE, 'store down'));
    expect((await submit(W3C_HEADERS)).status).toBe(503);
    t.services.runs.submit.mockRejectedValue(new Error('a bug'));
    expect((await submit({})).status).toBe(500);

    const [unavailable, internal] = await tracing!.ended(2);
    expect(unavailable!.name).toBe('POST /v1/runs');
    expect(unavailable!.status.code).toBe(SpanStatusCode.ERROR);
    expect(unavailable!.attributes['error.type']).toBe('UNAVAILABLE');
    expect(unavailable!.attributes['http.response.status_code']).toBe(503);
    expect(internal!.status.code).toBe(SpanStatusCode.ERROR);
    expect(internal!.attributes['error.type']).toBe('INTERNAL');
  });

  it('names a request that matched no route by its method alone', async () => {
    expect((await fetch(`${t.baseUrl}/v1/nothing-here`, { method: 'DELETE' })).status).toBe(404);
    const [span] = await tracing!.ended(1);
    expect(span!.name).toBe('DELETE');
    expect(span!.attributes['http.route']).toBeUndefined();
    expect(span!.attributes['url.path']).toBe('/v1/nothing-here');
    expect(span!.attributes['http.response.status_code']).toBe(404);
  });

  it('traces only the API: probes get no span', async () => {
    expect((await fetch(`${t.baseUrl}/healthz`, { headers: W3C_HEADERS })).status).toBe(200);
    t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
    await submit({});
    const spans = await tracing!.ended(1);
    expect(spans.map((s) => s.name)).toEqual(['POST /v1/runs']);
  });

  it('ends the span of an event stream when the stream ends, not when it starts', async () => {
    const run = sampleRun({ status: 'running' });
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    t.services.runs.watch.mockImplementation(async function* (): AsyncIterable<RunWatchEvent> {
      yield { type: 'snapshot', seq: 1, details: sampleDetails(run) };
      await finished;
      yield { type: 'run', runId: run.id, seq: 2, run: { ...run, status: 'completed' } };
    });
    const response = await fetch(`${t.baseUrl}/v1/runs/${run.id}/events`, { headers: W3C_HEADERS });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('event: snapshot');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tracing!.exporter.getFinishedSpans()).toEqual([]);

    finish();
    while (!(await reader.read()).done) {
      // drain the rest of the stream
    }
    const [span] = await tracing!.ended(1);
    expect(span!.name).toBe('GET /v1/runs/:id/events');
    expect(span!.attributes['http.response.status_code']).toBe(200);
    expect(span!.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    const carrier = t.services.runs.watch.mock.calls[0]?.[1].traceCarrier;
    expect(parseTraceparent(carrier?.traceparent).spanId).toBe(span!.spanContext().spanId);
  });
});

describe('without an SDK', () => {
  it("passes the client's trace context to the service unchanged", async () => {
    t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
    await submit(W3C_HEADERS);
    expect(submittedContext().traceCarrier).toEqual(W3C_HEADERS);
  });

  it('passes nothing when the client sent nothing, and drops a malformed traceparent with its tracestate', async () => {
    t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
    await submit({});
    await submit({
      traceparent: 'not-a-traceparent',
      tracestate: CLIENT_TRACESTATE,
      baggage: CLIENT_BAGGAGE,
    });
    const [none, malformed] = t.services.runs.submit.mock.calls.map((call) => call[1]);
    expect(none).not.toHaveProperty('traceCarrier');
    expect(malformed?.traceCarrier).toEqual({ baggage: CLIENT_BAGGAGE });
  });

  it("with only the propagators registered, the no-op span carries the client's traceparent unchanged", async () => {
    tracing = registerTestTracing('propagators-only');
    t.services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
    await submit(W3C_HEADERS);
    expect(submittedContext().traceCarrier).toEqual(W3C_HEADERS);
    expect(tracing.exporter.getFinishedSpans()).toEqual([]);
  });
});
