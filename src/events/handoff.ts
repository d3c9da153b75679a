/**
 * A one-slot handoff from one producer to one consumer, for piping a stream with backpressure: `offer`
 * resolves only once the consumer has taken the item, so a slow consumer slows the producer down instead
 * of letting items pile up. When the consumer stops iterating, later offers resolve at once (the producer
 * carries on without it). Hand-written: Node's streams would do it, at the price of object-mode stream
 * plumbing around what is one promise per item.
 */
export class Handoff<T> {
  #item: { value: T; taken: () => void } | undefined;
  #wake: (() => void) | undefined;
  #closed: { error?: unknown } | undefined;
  #abandoned = false;

  /** Hands `value` over; resolves when the consumer took it, or at once if the consumer is gone. */
  offer(value: T): Promise<void> {
    if (this.#abandoned || this.#closed !== undefined) return Promise.resolve();
    return new Promise<void>((taken) => {
      this.#item = { value, taken };
      this.#wake?.();
    });
  }

  /** No more items; the consumer's iteration ends, throwing `error` when one is given. */
  close(error?: unknown): void {
    this.#closed ??= error === undefined ? {} : { error };
    this.#wake?.();
  }

  async *take(): AsyncGenerator<T> {
    try {
      for (;;) {
        const item = this.#item;
        if (item !== undefined) {
          this.#item = undefined;
          item.taken();
          yield item.value;
          continue;
        }
        if (this.#closed !== undefined) {
          if ('error' in this.#closed) throw this.#closed.error;
          return;
        }
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
      }
    } finally {
      this.#abandoned = true;
      this.#item?.taken();
      this.#item = undefined;
    }
  }
}
