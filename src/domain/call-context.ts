/**
 * The per-call context every transport builds before reaching application code, and every port method
 * receives: who is calling, for which tenant, and the signal that ends the call (client cancel,
 * deadline or shutdown). Transport-independent by design.
 */
import { DEFAULT_TENANT } from './ids.js';

export interface CallContext {
  readonly tenant: string;
  /** The authenticated caller; `anonymous` until authentication exists. */
  readonly principal: string;
  readonly requestId: string;
  readonly signal: AbortSignal;
  /**
   * The caller's trace context as W3C carrier fields (`traceparent`, `tracestate`, `baggage`): the
   * inbound request's span when the transport traced it, else what the client sent. Absent: untraced.
   */
  readonly traceCarrier?: Readonly<Record<string, string>>;
}

/** A context for work the gateway does on its own behalf (health checks, recovery, tests). */
export function systemContext(
  signal: AbortSignal = new AbortController().signal,
  tenant = DEFAULT_TENANT,
): CallContext {
  return { tenant, principal: 'system', requestId: 'system', signal };
}
