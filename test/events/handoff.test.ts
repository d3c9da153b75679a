import { describe, expect, it } from 'vitest';

import { Handoff } from '../../src/events/handoff.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Handoff', () => {
  it('delivers items in order and ends when closed', async () => {
    const handoff = new Handoff<number>();
    const producing = (async () => {
      for (const n of [1, 2, 3]) await handoff.offer(n);
      handoff.close();
    })();
    const taken: number[] = [];
    for await (const n of handoff.take()) taken.push(n);
    await producing;
    expect(taken).toEqual([1, 2, 3]);
  });

  it('holds the producer until the consumer takes the item (backpressure)', async () => {
    const handoff = new Handoff<string>();
    let delivered = false;
    const offered = handoff.offer('a').then(() => (delivered = true));
    await tick();
    expect(delivered).toBe(false);
    const iterator = handoff.take();
    expect((await iterator.next()).value).toBe('a');
    await offered;
    expect(delivered).toBe(true);
    // The next offer waits again until the consumer asks for more.
    let second = false;
    const next = handoff.offer('b').then(() => (second = true));
    await tick();
    expect(second).toBe(false);
    expect((await iterator.next()).value).toBe('b');
    await next;
    handoff.close();
    expect((await iterator.next()).done).toBe(true);
  });

  it('throws the error it was closed with, after the items before it', async () => {
    const handoff = new Handoff<number>();
    const producing = (async () => {
      await handoff.offer(1);
      handoff.close(new Error('upstream broke'));
    })();
    const taken: number[] = [];
    const error = await (async () => {
      for await (const n of handoff.take()) taken.push(n);
    })().catch((e: unknown) => e);
    await producing;
    expect(taken).toEqual([1]);
    expect((error as Error).message).toBe('upstream broke');
  });

  it('lets the producer carry on once the consumer has stopped', async () => {
    const handoff = new Handoff<number>();
    const pending = handoff.offer(1);
    for await (const n of handoff.take()) {
      expect(n).toBe(1);
      break;
    }
    await pending;
    await handoff.offer(2); // resolves at once: nobody is listening
  });
});
