/**
 * A push-to-pull bridge: producers `push` synchronously (from event-bus listeners), one consumer
 * iterates with `for await`. Hand-written because it is twenty lines and the libraries that do it
 * (it-pushable and friends) bring their own stream abstractions. Iteration ends when `signal` aborts
 * or `end()` is called; pending items are still delivered before an `end()` takes effect.
 */
export class AsyncQueue<T> {
  readonly #items: T[] = [];
  #wake: (() => void) | undefined;
  #ended = false;

  push(item: T): void {
    this.#items.push(item);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  get size(): number {
    return this.#items.length;
  }

  async *drain(signal: AbortSignal): AsyncGenerator<T> {
    const onAbort = (): void => this.#wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const item = this.#items.shift();
        if (item !== undefined) {
          yield item;
          continue;
        }
        if (this.#ended || signal.aborted) return;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
