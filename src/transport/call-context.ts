/**
 * Builds the transport-independent `CallContext` (src/domain/call-context.ts) that every transport (gRPC
 * in src/transport/grpc, HTTP in src/transport/http) hands to the application services. Until
 * authentication exists every caller is `anonymous` in the `default` tenant; this is the one place that
 * will change when it does.
 */
import type { CallContext } from '../domain/call-context.js';
import { DEFAULT_TENANT, newId } from '../domain/ids.js';

/** The principal of every caller until authentication exists. */
export const ANONYMOUS_PRINCIPAL = 'anonymous';

/** Longest request id accepted from a client; longer (or non-printable) ids are replaced. */
const MAX_REQUEST_ID_LENGTH = 128;
const REQUEST_ID_PATTERN = /^[\x21-\x7e]+$/;

export interface CallContextInput {
  /** The client's request id (`x-request-id`); a fresh id is generated when absent or unusable. */
  readonly requestId?: string;
  /** The tenant the caller acts for. @default 'default' */
  readonly tenant?: string;
  /** Aborts when the client cancels, its deadline passes, or the server shuts down. */
  readonly signal: AbortSignal;
}

/** The call context for one incoming call. */
export function buildCallContext(input: CallContextInput): CallContext {
  const requestId =
    input.requestId !== undefined &&
    input.requestId.length <= MAX_REQUEST_ID_LENGTH &&
    REQUEST_ID_PATTERN.test(input.requestId)
      ? input.requestId
      : newId();
  return {
    tenant: input.tenant ?? DEFAULT_TENANT,
    principal: ANONYMOUS_PRINCIPAL,
    requestId,
    signal: input.signal,
  };
}
