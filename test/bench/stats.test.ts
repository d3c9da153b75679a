/**
 * The harness's statistics (`bench/stats.ts`): nearest-rank percentiles of a latency sample and the
 * median of per-round figures, which every reported figure goes through, and the median ratio of paired
 * measurements, which the two verdicts comparing two subjects go through.
 */
import { describe, expect, it } from 'vitest';

import { measurePairs, median, pairedRatio, percentile } from '../../bench/stats.js';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose

  it('takes the nearest rank: p50 of 1..100 is 50, p99 is 99, p100 the largest', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 90)).toBe(90);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });

  it('rounds a rank up and never falls below the smallest value', () => {
    expect(percentile([5, 1, 3], 50)).toBe(3); // rank ⌈1.5⌉ = 2
    expect(percentile([5, 1, 3], 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN for an empty sample, and leaves its input unsorted', () => {
    expect(percentile([], 50)).toBeNaN();
    const sample = [3, 1, 2];
    percentile(sample, 50);
    expect(sample).toEqual([3, 1, 2]);
  });
});

describe('median', () => {
  it('is the middle value of an odd count and the mean of the two middle ones of an even count', () => {
    expect(median([857, 1268, 1153])).toBe(1153);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is NaN for no rounds', () => {
    expect(median([])).toBeNaN();
  });
});

describe('pairedRatio', () => {
  it("takes the median of the pairs' own ratios, with the lowest and the highest", () => {
    // Ratios 0.9, 0.5 (a pair caught in a slow spell), 0.8: the median pair is 0.8.
    expect(
      pairedRatio([
        [900, 1000],
        [300, 600],
        [800, 1000],
      ]),
    ).toEqual({ pairs: 3, median: 0.8, min: 0.5, max: 0.9 });
  });

  it('is NaN throughout without pairs', () => {
    const none = pairedRatio([]);
    expect(none.pairs).toBe(0);
    expect([none.median, none.min, none.max].every(Number.isNaN)).toBe(true);
  });
});

describe('measurePairs', () => {
  it('measures each pair back to back, the first alternating, and keeps each result on its side', async () => {
    const order: string[] = [];
    let calls = 0;
    const measure = (subject: string) => async (): Promise<string> => {
      calls += 1;
      order.push(subject);
      return `${subject}${calls}`;
    };
    const pairs = await measurePairs(3, measure('a'), measure('b'));
    expect(order).toEqual(['a', 'b', 'b', 'a', 'a', 'b']);
    expect(pairs).toEqual([
      ['a1', 'b2'],
      ['a4', 'b3'],
      ['a5', 'b6'],
    ]);
  });

  it('measures nothing for no pairs', async () => {
    let calls = 0;
    const measure = async (): Promise<number> => (calls += 1);
    expect(await measurePairs(0, measure, measure)).toEqual([]);
    expect(calls).toBe(0);
  });
});
