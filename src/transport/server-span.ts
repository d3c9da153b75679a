/**
 * The SERVER span of one inbound call, shared by the HTTP and gRPC transports, through
 * `@opentelemetry/api` only: the caller's trace context is extracted with the registered propagator, the
 * span starts as its child, and the span's own context is injected into a W3C carrier that goes into the
 * `CallContext`, so the run the call starts becomes the span's child.
 *
 * With no SDK registered the API is a no-op: the propagator extracts nothing and injects nothing. The
 * carrier then falls back to the W3C fields the client sent, so the client's trace still reaches the run.
 * (With a propagator but no tracer provider the no-op span keeps the extracted span context, and the
 * injected carrier is the client's `traceparent` unchanged.) Either way the cost is a few small objects.
 *
 * The span names and the HTTP / RPC attribute keys follow the stable OpenTelemetry HTTP and RPC
 * conventions.
 */
import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';

import { Attr } from '../telemetry/semconv.js';
import { TRACE_CARRIER_FIELDS } from './call-context.js';

/** The tracer the gateway's spans come from. */
export const TRACER_NAME = 'bzzz';

/** A started SERVER span and the carrier for the `CallContext`. */
export interface ServerSpan {
  readonly span: Span;
  /** W3C fields carrying the SERVER span's context, or the client's own when nothing was injected. */
  readonly carrier: Readonly<Record<string, string>> | undefined;
}

/** The W3C fields of an inbound carrier as one string each (repeated `tracestate` / `baggage` joined). */
function inboundFields<C>(inbound: C, getter: TextMapGetter<C>): Record<string, string> | undefined {
  let fields: Record<string, string> | undefined;
  for (const field of TRACE_CARRIER_FIELDS) {
    const value = getter.get(inbound, field);
    if (value === undefined) continue;
    // Several traceparents make the header invalid; taking the first is what the W3C propagator does.
    const text = typeof value === 'string' ? value : field === 'traceparent' ? value[0] : value.join(',');
    if (text !== undefined) (fields ??= {})[field] = text;
  }
  return fields;
}

/**
 * Starts the SERVER span `name` as a child of the context the client sent in `inbound` (read through
 * `getter`). The caller ends the span when the call is over.
 */
export function startServerSpan<C>(
  name: string,
  attributes: Attributes,
  inbound: C,
  getter: TextMapGetter<C>,
): ServerSpan {
  const parent = propagation.extract(ROOT_CONTEXT, inbound, getter);
  // Looked up per call: a tracer obtained before the SDK was registered (or after it was replaced) would
  // keep delegating to the old one.
  const span = trace.getTracer(TRACER_NAME).startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  const injected = Object.keys(carrier).length > 0;
  return { span, carrier: injected ? carrier : inboundFields(inbound, getter) };
}

/** Marks a span failed: status ERROR and `error.type`. */
export function failServerSpan(span: Span, errorType: string): void {
  span.setAttribute(Attr.ERROR_TYPE, errorType);
  span.setStatus({ code: SpanStatusCode.ERROR });
}
