/**
 * Builds the transport-independent `CallContext` (src/domain/call-context.ts) that every transport (gRPC
 * in src/transport/grpc, HTTP in src/transport/http) hands to the application services. Until
 * authentication exists every caller is `anonymous` in the `default` tenant; this is the one place that
 * will change when it does. It is also the one place where an inbound trace carrier is checked before it
 * reaches the application: only the W3C fields, a well-formed `traceparent`, bounded sizes.
 */
import type { CallContext } from '../domain/call-context.js';
import { DEFAULT_TENANT, newId } from '../domain/ids.js';

/** The principal of every caller until authentication exists. */
export const ANONYMOUS_PRINCIPAL = 'anonymous';

/** Longest request id accepted from a client; longer (or non-printable) ids are replaced. */
const MAX_REQUEST_ID_LENGTH = 128;
const REQUEST_ID_PATTERN = /^[\x21-\x7e]+$/;

/** The W3C trace context fields a trace carrier may hold (header / metadata names, lowercase). */
export const TRACE_CARRIER_FIELDS = ['traceparent', 'tracestate', 'baggage'] as const;
export type TraceCarrierField = (typeof TRACE_CARRIER_FIELDS)[number];

/** Longest carrier value kept (the W3C baggage limit); longer values are dropped, not truncated. */
const MAX_CARRIER_VALUE_LENGTH = 8192;
/**
 * `version-traceid-parentid-flags`, lowercase hex. Version `ff` is invalid; a later version may append
 * fields, version `00` may not; all-zero ids are invalid.
 */
const TRACEPARENT_PATTERN = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}(-.*)?$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

function isValidTraceparent(value: string): boolean {
  const match = TRACEPARENT_PATTERN.exec(value);
  if (match === null) return false;
  const [, version, traceId, spanId, rest] = match;
  return (
    version !== 'ff' &&
    !(version === '00' && rest !== undefined) &&
    traceId !== ZERO_TRACE_ID &&
    spanId !== ZERO_SPAN_ID
  );
}

/**
 * The usable part of an inbound carrier: the W3C fields only, each a non-empty string within the size
 * limit, `tracestate` only beside a valid `traceparent`. Undefined when nothing is left.
 */
export function sanitizeTraceCarrier(
  carrier: Readonly<Record<string, string | undefined>> | undefined,
): Readonly<Record<TraceCarrierField, string>> | undefined {
  if (carrier === undefined) return undefined;
  const kept: Partial<Record<TraceCarrierField, string>> = {};
  for (const field of TRACE_CARRIER_FIELDS) {
    const value = carrier[field]?.trim();
    if (value !== undefined && value !== '' && value.length <= MAX_CARRIER_VALUE_LENGTH) kept[field] = value;
  }
  if (kept.traceparent !== undefined && !isValidTraceparent(kept.traceparent)) delete kept.traceparent;
  if (kept.traceparent === undefined) delete kept.tracestate;
  return Object.keys(kept).length === 0 ? undefined : (kept as Record<TraceCarrierField, string>);
}

export interface CallContextInput {
  /** The client's request id (`x-request-id`); a fresh id is generated when absent or unusable. */
  readonly requestId?: string;
  /** The tenant the caller acts for. @default 'default' */
  readonly tenant?: string;
  /** Aborts when the client cancels, its deadline passes, or the server shuts down. */
  readonly signal: AbortSignal;
  /**
   * The inbound trace context as W3C carrier fields: the transport's SERVER span when it traced the
   * call, else what the client sent. Checked by `sanitizeTraceCarrier`. @default untraced
   */
  readonly traceCarrier?: Readonly<Record<string, string | undefined>>;
}

/** The call context for one incoming call. */
export function buildCallContext(input: CallContextInput): CallContext {
  const requestId =
    input.requestId !== undefined &&
    input.requestId.length <= MAX_REQUEST_ID_LENGTH &&
    REQUEST_ID_PATTERN.test(input.requestId)
      ? input.requestId
      : newId();
  const traceCarrier = sanitizeTraceCarrier(input.traceCarrier);
  return {
    tenant: input.tenant ?? DEFAULT_TENANT,
    principal: ANONYMOUS_PRINCIPAL,
    requestId,
    signal: input.signal,
    ...(traceCarrier !== undefined && { traceCarrier }),
  };
}

/** `ctx` with its trace carrier replaced by `carrier` (checked as in `buildCallContext`; none: removed). */
export function withTraceCarrier(
  ctx: CallContext,
  carrier: Readonly<Record<string, string | undefined>> | undefined,
): CallContext {
  const { traceCarrier: _previous, ...rest } = ctx;
  const traceCarrier = sanitizeTraceCarrier(carrier);
  return traceCarrier === undefined ? rest : { ...rest, traceCarrier };
}
