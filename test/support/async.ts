/** Helpers for tests of async APIs that fail with `GatewayError`s. */
import { expect } from 'vitest';

import { GatewayError } from '../../src/errors/gateway-error.js';

/** Call options with a signal that never aborts. */
export function noSignal(): { signal: AbortSignal } {
  return { signal: new AbortController().signal };
}

/** The `GatewayError` `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(GatewayError.is(error), `expected a GatewayError, got ${String(error)}`).toBe(true);
  return error as GatewayError;
}
