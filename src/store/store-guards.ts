/**
 * Checks and errors every store adapter shares, so that the in-memory, SQLite and PostgreSQL stores
 * refuse the same things with the same codes: writing a record on behalf of another tenant, reusing an
 * id or an idempotency key, touching a store that is not open.
 */
import type { CallContext } from '../domain/call-context.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';

/**
 * A record is written by its own tenant only: a call context for tenant B cannot create, replace or
 * register a record that says it belongs to tenant A.
 */
export function assertTenantMatches(recordTenant: string, ctx: CallContext, kind: string): void {
  if (recordTenant !== ctx.tenant) {
    throw new GatewayError(
      ErrorCode.INVALID_ARGUMENT,
      `${kind}.tenant: '${recordTenant}' does not match the caller's tenant '${ctx.tenant}'`,
      { details: { field: `${kind}.tenant`, reason: 'does not match the caller tenant' } },
    );
  }
}

/** An insert hit an id that already exists (in any tenant). A bug in the caller, hence INTERNAL. */
export function duplicateId(kind: string, id: string, cause?: unknown): GatewayError {
  return new GatewayError(ErrorCode.INTERNAL, `${kind} '${id}' already exists`, {
    details: { [kind]: id },
    cause,
  });
}

/** `createRun` refused: the tenant already has a run (`runId`) with the new run's idempotency key. */
export function runAlreadyExists(runId: string, cause?: unknown): GatewayError {
  return new GatewayError(
    ErrorCode.RUN_ALREADY_EXISTS,
    `run '${runId}' was already submitted with this idempotency key`,
    { details: { runId }, cause },
  );
}

/** A call on a store that has not been started, or has been closed. */
export function storeNotOpen(store: string, state: string): GatewayError {
  return new GatewayError(ErrorCode.UNAVAILABLE, `${store} is ${state}`, { details: { state } });
}
