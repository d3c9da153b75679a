/**
 * Tests of `linkSignals` and `followSignals`: abort with the first source's reason, and unlink from every
 * source.
 */
import { getEventListeners } from 'node:events';

import { describe, expect, it } from 'vitest';

import { followSignals, linkSignals } from '../../src/events/linked-signal.js';

/** How many 'abort' listeners a signal holds. */
function listenerCount(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

describe('linkSignals', () => {
  it('aborts with the reason of whichever source aborts first, and then leaves the others', () => {
    const first = new AbortController();
    const second = new AbortController();
    const { signal } = linkSignals(first.signal, second.signal);
    expect(signal.aborted).toBe(false);
    const reason = new Error('second went first');
    second.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
    expect(listenerCount(first.signal)).toBe(0);
    first.abort(new Error('later'));
    expect(signal.reason).toBe(reason);
  });

  it('starts aborted when a source already is, without listening to any', () => {
    const done = new AbortController();
    done.abort('gone');
    const open = new AbortController();
    const { signal } = linkSignals(open.signal, done.signal);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('gone');
    expect(listenerCount(open.signal)).toBe(0);
  });

  it('unlink removes its listeners from every source, after which they no longer abort it', () => {
    const first = new AbortController();
    const second = new AbortController();
    const { signal, unlink } = linkSignals(first.signal, second.signal);
    expect([listenerCount(first.signal), listenerCount(second.signal)]).toEqual([1, 1]);
    unlink();
    unlink();
    expect([listenerCount(first.signal), listenerCount(second.signal)]).toEqual([0, 0]);
    first.abort();
    expect(signal.aborted).toBe(false);
  });
});

describe('followSignals', () => {
  it("aborts the given controller with the source's reason, and stops following once unlinked", () => {
    const source = new AbortController();
    const follower = new AbortController();
    const unlink = followSignals(follower, [source.signal]);
    const reason = new Error('source went');
    source.abort(reason);
    expect(follower.signal.reason).toBe(reason);
    expect(listenerCount(source.signal)).toBe(0);

    const other = new AbortController();
    const second = new AbortController();
    const stop = followSignals(second, [other.signal]);
    stop();
    other.abort();
    expect(second.signal.aborted).toBe(false);
    expect(listenerCount(other.signal)).toBe(0);
    unlink();
  });

  it('aborts at once when a source already is, and leaves a controller aborted by its owner alone', () => {
    const done = new AbortController();
    done.abort('gone');
    const follower = new AbortController();
    followSignals(follower, [done.signal]);
    expect(follower.signal.reason).toBe('gone');

    const source = new AbortController();
    const owned = new AbortController();
    const unlink = followSignals(owned, [source.signal]);
    owned.abort('owner');
    source.abort('source');
    expect(owned.signal.reason).toBe('owner');
    unlink();
    expect(listenerCount(source.signal)).toBe(0);
  });
});
