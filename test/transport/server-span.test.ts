/**
 * `startServerSpan` and the call context's trace carrier, below the transports: what the carrier holds
 * with a full SDK, with only propagators (the API's no-op span keeps the extracted span context, so the
 * client's `traceparent` is injected unchanged), and with nothing registered (the client's fields are
 * passed through); and how `buildCallContext` checks an inbound carrier.
 */
import { defaultTextMapGetter, SpanKind } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';

import {
  buildCallContext,
  sanitizeTraceCarrier,
  withTraceCarrier,
} from '../../src/transport/call-context.js';
import { startServerSpan } from '../../src/transport/server-span.js';
import {
  CLIENT_BAGGAGE,
  CLIENT_SPAN_ID,
  CLIENT_TRACE_ID,
  CLIENT_TRACEPARENT,
  CLIENT_TRACESTATE,
  parseTraceparent,
  registerTestTracing,
  type TestTracing,
} from './tracing-kit.js';

const INBOUND = { traceparent: CLIENT_TRACEPARENT, tracestate: CLIENT_TRACESTATE, baggage: CLIENT_BAGGAGE };

let tracing: TestTracing | undefined;
afterEach(async () => {
  await tracing?.disable();
  tracing = undefined;
});

describe('startServerSpan', () => {
  it('with an SDK: a recording SERVER span under the client span, whose context the carrier holds', async () => {
    tracing = registerTestTracing();
    const { span, carrier } = startServerSpan('op', { a: 1 }, INBOUND, defaultTextMapGetter);
    expect(span.isRecording()).toBe(true);
    span.end();
    const [ended] = await tracing.ended(1);
    expect(ended!.kind).toBe(SpanKind.SERVER);
    expect(ended!.attributes).toEqual({ a: 1 });
    expect(ended!.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    expect(parseTraceparent(carrier?.traceparent)).toEqual({
      traceId: CLIENT_TRACE_ID,
      spanId: span.spanContext().spanId,
      flags: '01',
    });
    expect(span.spanContext().spanId).not.toBe(CLIENT_SPAN_ID);
    expect(carrier).toMatchObject({ tracestate: CLIENT_TRACESTATE, baggage: CLIENT_BAGGAGE });
  });

  it("with only propagators: the no-op span is the client's span, injected unchanged", () => {
    tracing = registerTestTracing('propagators-only');
    const { span, carrier } = startServerSpan('op', {}, INBOUND, defaultTextMapGetter);
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toMatchObject({
      traceId: CLIENT_TRACE_ID,
      spanId: CLIENT_SPAN_ID,
      traceFlags: 1,
    });
    expect(carrier).toEqual(INBOUND);
  });

  it("with nothing registered: the client's W3C fields, joined when repeated; nothing when none", () => {
    const { span, carrier } = startServerSpan(
      'op',
      {},
      { ...INBOUND, tracestate: ['a=1', 'b=2'], 'x-other': 'kept out' },
      defaultTextMapGetter,
    );
    expect(span.isRecording()).toBe(false);
    expect(carrier).toEqual({ ...INBOUND, tracestate: 'a=1,b=2' });
    expect(startServerSpan('op', {}, {}, defaultTextMapGetter).carrier).toBeUndefined();
  });
});

describe('the call context trace carrier', () => {
  const signal = new AbortController().signal;

  it('keeps the W3C fields only', () => {
    const ctx = buildCallContext({ signal, traceCarrier: { ...INBOUND, authorization: 'Bearer x' } });
    expect(ctx.traceCarrier).toEqual(INBOUND);
  });

  it.each([
    ['a malformed value', 'garbage'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${CLIENT_SPAN_ID}-01`],
    ['an all-zero span id', `00-${CLIENT_TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`],
    ['version 00 with extra fields', `${CLIENT_TRACEPARENT}-extra`],
    ['upper-case hex', CLIENT_TRACEPARENT.toUpperCase()],
  ])('drops a traceparent with %s, and the tracestate with it', (_, traceparent) => {
    expect(sanitizeTraceCarrier({ ...INBOUND, traceparent })).toEqual({ baggage: CLIENT_BAGGAGE });
  });

  it('accepts a later version with extra fields, and drops over-long and empty values', () => {
    const later = `01-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01-more`;
    expect(sanitizeTraceCarrier({ traceparent: later, baggage: 'x'.repeat(8193), tracestate: ' ' })).toEqual({
      traceparent: later,
    });
    expect(buildCallContext({ signal, traceCarrier: { baggage: '' } })).not.toHaveProperty('traceCarrier');
  });

  it('withTraceCarrier replaces the carrier, or removes it', () => {
    const ctx = buildCallContext({ signal, requestId: 'r-1', traceCarrier: INBOUND });
    const replaced = withTraceCarrier(ctx, { traceparent: `00-${CLIENT_TRACE_ID}-${'1'.repeat(16)}-01` });
    expect(replaced).toEqual({
      ...ctx,
      traceCarrier: { traceparent: `00-${CLIENT_TRACE_ID}-${'1'.repeat(16)}-01` },
    });
    const removed = withTraceCarrier(ctx, undefined);
    expect(removed).not.toHaveProperty('traceCarrier');
    expect(removed.requestId).toBe('r-1');
  });
});
