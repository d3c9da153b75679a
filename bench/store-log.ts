/**
 * The largest size a gateway's SQLite write-ahead log reaches while it runs, sampled. The store keeps the
 * log near its limit (64 MiB by default) by checkpointing; a log that outgrows it under load would fill
 * the disk of a busy gateway, which the harness reports rather than leaves to a probe to find.
 */
import { statSync } from 'node:fs';

export class StoreLogSampler {
  readonly #file: string;
  readonly #timer: NodeJS.Timeout;
  #largestBytes = 0;

  /** Starts sampling `file` (the store's `…-wal`; absent until the first write) every `intervalMs`. */
  constructor(file: string, intervalMs = 100) {
    this.#file = file;
    this.#timer = setInterval(() => this.#sample(), intervalMs).unref();
  }

  /** Stops sampling (after one last sample) and returns the largest size seen, in bytes. */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return this.#largestBytes;
  }

  #sample(): void {
    // Absent before the store's first write and after a clean close, which removes it: nothing to count.
    const size = statSync(this.#file, { throwIfNoEntry: false })?.size ?? 0;
    if (size > this.#largestBytes) this.#largestBytes = size;
  }
}
