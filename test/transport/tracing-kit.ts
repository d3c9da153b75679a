/**
 * An OpenTelemetry SDK for the transport tracing tests: a tracer provider exporting to memory and the W3C
 * trace-context and baggage propagators, registered globally and removed again by `disable()`; plus a
 * few W3C helpers. Like the gateway's own setup (src/telemetry/tracing.ts) it registers no context
 * manager: what nests under what must come from the contexts the code passes, never from an active one.
 * Only tests register an SDK: the code under test sees nothing but `@opentelemetry/api`.
 */
import { propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';

/** A client's span: what the tests send as `traceparent`. */
export const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const CLIENT_SPAN_ID = '00f067aa0ba902b7';
export const CLIENT_TRACEPARENT = `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`;
export const CLIENT_TRACESTATE = 'vendor=opaque,other=1';
export const CLIENT_BAGGAGE = 'user=ada';

/** The parts of a `traceparent`. */
export function parseTraceparent(value: string | undefined): {
  traceId: string;
  spanId: string;
  flags: string;
} {
  const match = /^00-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/.exec(value ?? '');
  if (match === null) throw new Error(`not a version-00 traceparent: ${String(value)}`);
  return { traceId: match[1]!, spanId: match[2]!, flags: match[3]! };
}

export interface TestTracing {
  readonly exporter: InMemorySpanExporter;
  /** Waits (briefly) until `count` spans have ended, and returns them. */
  readonly ended: (count: number) => Promise<ReadableSpan[]>;
  /** Unregisters everything; call it in afterEach. */
  readonly disable: () => Promise<void>;
}

/** What to register: everything, or only the propagators (no tracer provider: the API's no-op spans). */
export type TracingSetup = 'sdk' | 'propagators-only';

export function registerTestTracing(setup: TracingSetup = 'sdk'): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  if (setup === 'sdk') {
    trace.setGlobalTracerProvider(provider);
  }
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  return {
    exporter,
    ended: async (count) => {
      const deadline = Date.now() + 2000;
      while (exporter.getFinishedSpans().length < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return exporter.getFinishedSpans();
    },
    disable: async () => {
      trace.disable();
      propagation.disable();
      await provider.shutdown();
    },
  };
}
