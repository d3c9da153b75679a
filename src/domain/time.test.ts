/** Tests of the model's timestamps (ISO-8601 UTC strings) and of `elapsedMs`, behind every duration. */
import { describe, expect, it } from 'vitest';

import { elapsedMs, now } from './time.js';

describe('now', () => {
  it('is an ISO-8601 UTC timestamp with milliseconds', () => {
    const at = now();
    expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(new Date(at).toISOString()).toBe(at);
  });
});

describe('elapsedMs', () => {
  it('is the milliseconds between two timestamps', () => {
    expect(elapsedMs('2025-01-01T00:00:00.000Z', '2025-01-01T00:01:30.250Z')).toBe(90_250);
  });

  it('is undefined while either end is missing', () => {
    expect(elapsedMs(undefined, '2025-01-01T00:00:00.000Z')).toBeUndefined();
    expect(elapsedMs('2025-01-01T00:00:00.000Z', undefined)).toBeUndefined();
    expect(elapsedMs(undefined, undefined)).toBeUndefined();
  });

  it('never goes negative when the clock stepped back', () => {
    expect(elapsedMs('2025-01-01T00:00:01.000Z', '2025-01-01T00:00:00.000Z')).toBe(0);
  });
});
