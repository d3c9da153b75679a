/**
 * The process logger: pino, structured JSON, with every place a secret can appear redacted (agent
 * credentials, authorization headers), so a log line never carries one, and the active span's
 * `trace_id` / `span_id` on every line written while handling a request or a run.
 */
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';

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
    mixin: traceFields,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** The ids of the span active where the line is written (none outside a request or a run). */
function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (span === undefined) return {};
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext)
    ? { trace_id: spanContext.traceId, span_id: spanContext.spanId }
    : {};
}
