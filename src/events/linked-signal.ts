/**
 * A signal that aborts when any of several others does, detached from them again by `unlink()`.
 * Hand-written instead of `AbortSignal.any`: on Node 20 each `any` call allocates maps, sets, weak
 * references and a finalization registration so that it can be collected without being unlinked. On the
 * façade path that was 6 % of all allocation, and the weak references lengthened every young-generation
 * collection (docs/benchmarks.md). Here the links are plain listeners, which the caller removes when the
 * work ends: a link left in place would keep this signal alive as long as the source signals.
 */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Removes the listeners from the source signals. Idempotent. */
  readonly unlink: () => void;
}

export function linkSignals(...sources: readonly AbortSignal[]): LinkedSignal {
  const controller = new AbortController();
  const already = sources.find((source) => source.aborted);
  if (already !== undefined) {
    controller.abort(already.reason);
    return { signal: controller.signal, unlink: () => undefined };
  }
  const listeners = sources.map((source) => {
    const onAbort = (): void => {
      unlink();
      controller.abort(source.reason);
    };
    source.addEventListener('abort', onAbort);
    return { source, onAbort };
  });
  const unlink = (): void => {
    for (const { source, onAbort } of listeners) source.removeEventListener('abort', onAbort);
    listeners.length = 0;
  };
  return { signal: controller.signal, unlink };
}
