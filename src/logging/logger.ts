/**
 * The process logger: pino, structured JSON, with every place a secret can appear redacted (agent
 * credentials, authorization headers), so a log line never carries one. Lines about a request or a run
 * carry its `trace_id` / `span_id`, given explicitly by `traceLogFields` / `callLogFields`: the gateway
 * keeps no active trace context (see src/telemetry/tracing.ts), so there is none to read implicitly.
 */
import { pino, type Logger } from 'pino';

import type { CallContext } from '../domain/call-context.js';

export type { Logger } from 'pino';

export const REDACTED_PATHS: readonly string[] = [
  'credentials',
  '*.credentials',
  '*.*.credentials',
  'headers.authorization',
  '*.headers.authorization',
  'bearerToken',
  '*.bearerToken',
  '*.*.bearerToken',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'bzzz' },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export interface TraceLogFields {
  readonly trace_id?: string;
  readonly span_id?: string;
}

/** The ids of a stored trace reference (a run's or a step's span), for a log line about it. */
export function traceLogFields(
  trace: { readonly traceId: string; readonly spanId: string } | undefined,
): TraceLogFields {
  return trace === undefined ? {} : { trace_id: trace.traceId, span_id: trace.spanId };
}

/**
 * What a log line about a call carries: its request id, and the ids of its trace context (its SERVER
 * span's when tracing is on, the caller's own when it is off). The carrier's `traceparent` is well-formed
 * (checked on the way in).
 */
export function callLogFields(ctx: CallContext): { readonly requestId: string } & TraceLogFields {
  const [, traceId, spanId] = ctx.traceCarrier?.traceparent?.split('-') ?? [];
  return {
    requestId: ctx.requestId,
    ...(traceId !== undefined && spanId !== undefined && { trace_id: traceId, span_id: spanId }),
  };
}
