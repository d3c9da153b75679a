/**
 * Signals that abort when any of several others does, detached from them again by `unlink()`.
 * Hand-written instead of `AbortSignal.any`: on Node 20 each `any` call allocates maps, sets, weak
 * references and a finalization registration so that it can be collected without being unlinked. On the
 * façade path that was 6 % of all allocation, and the weak references lengthened every young-generation
 * collection (docs/benchmarks.md). Here the links are plain listeners, which the caller removes when the
 * work ends: a link left in place would keep the follower alive as long as the source signals.
 */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Removes the listeners from the source signals. Idempotent. */
  readonly unlink: () => void;
}

/** A new signal that aborts when any of `sources` does. */
export function linkSignals(...sources: readonly AbortSignal[]): LinkedSignal {
  const controller = new AbortController();
  return { signal: controller.signal, unlink: followSignals(controller, sources) };
}

/**
 * Makes `controller` abort, with the source's reason, when any of `sources` does; returns the `unlink`
 * that stops following. For a controller the caller owns anyway: no second signal is made (each
 * AbortSignal costs an EventTarget; a façade message went through seven).
 */
export function followSignals(controller: AbortController, sources: readonly AbortSignal[]): () => void {
  const already = sources.find((source) => source.aborted);
  if (already !== undefined) {
    controller.abort(already.reason);
    return () => undefined;
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
  return unlink;
}
