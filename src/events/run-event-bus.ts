/**
 * The event-bus port run events travel on. `InProcessRunEventBus` is the first adapter; a bus shared
 * by several replicas (PostgreSQL LISTEN/NOTIFY or similar) implements the same port later, so nothing
 * assumes the replica that executes a run is the one that watches it.
 */
import type { RunEvent } from '../domain/run-event.js';

export type RunEventListener = (event: RunEvent) => void;

export interface RunEventBus {
  /** Delivers the event to every current subscriber of its run, synchronously and in call order. */
  publish(event: RunEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(runId: string, listener: RunEventListener): () => void;
  /** Open subscriptions, for metrics and tests. */
  subscriberCount(): number;
}

export class InProcessRunEventBus implements RunEventBus {
  readonly #listeners = new Map<string, Set<RunEventListener>>();
  #count = 0;

  publish(event: RunEvent): void {
    const listeners = this.#listeners.get(event.runId);
    if (listeners === undefined) return;
    for (const listener of listeners) listener(event);
  }

  subscribe(runId: string, listener: RunEventListener): () => void {
    let listeners = this.#listeners.get(runId);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(runId, listeners);
    }
    listeners.add(listener);
    this.#count += 1;
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.#count -= 1;
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(runId);
    };
  }

  subscriberCount(): number {
    return this.#count;
  }
}
