/** Tests of `Deadline`: one signal that the timer and the caller's signal both abort, with their reasons. */
import { getEventListeners } from 'node:events';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { Deadline } from '../../src/remote/http-support.js';

describe('Deadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts with DEADLINE_EXCEEDED naming the call once the time is up', () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const deadline = new Deadline(caller.signal, 50, 'SendMessage to http://agent');
    vi.advanceTimersByTime(49);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    const reason: unknown = deadline.signal.reason;
    expect(GatewayError.is(reason) && reason.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
    expect((reason as Error).message).toBe('SendMessage to http://agent: no reply within 50 ms');
    deadline.release();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it("aborts with the caller's reason when the caller's signal aborts first", () => {
    const caller = new AbortController();
    const deadline = new Deadline(caller.signal, 60_000, 'GetTask');
    caller.abort('caller left');
    expect(deadline.signal.reason).toBe('caller left');
    deadline.release();
  });

  it('after clear() only the caller can abort it; release() also stops following the caller', () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const deadline = new Deadline(caller.signal, 10, 'stream');
    deadline.clear();
    vi.advanceTimersByTime(100);
    expect(deadline.signal.aborted).toBe(false);
    deadline.release();
    caller.abort('late');
    expect(deadline.signal.aborted).toBe(false);
  });
});
