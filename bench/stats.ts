/**
 * Small statistics for the benchmark harness: percentiles of a latency sample (nearest rank) and the
 * median of per-round figures, and pairs of measurements: their order and their median ratio. No I/O of
 * its own.
 */

/** The value at percentile `p` (0..100) of `values`, by the nearest-rank method; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** The median of `values` (the mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? Number.NaN;
  return ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/** The ratios `a / b` of measurements taken in pairs: how many, their median, lowest and highest. */
export interface PairedRatio {
  readonly pairs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The ratio of two subjects measured in pairs, each pair back to back: the median of the pairs' own
 * ratios. On a machine whose speed drifts from minute to minute, a ratio within a pair is taken at one
 * speed, where a ratio of two medians compares rounds taken at different ones. NaN figures when empty.
 */
export function pairedRatio(pairs: readonly (readonly [a: number, b: number])[]): PairedRatio {
  const ratios = pairs.map(([a, b]) => a / b);
  return {
    pairs: ratios.length,
    median: median(ratios),
    min: ratios.length === 0 ? Number.NaN : Math.min(...ratios),
    max: ratios.length === 0 ? Number.NaN : Math.max(...ratios),
  };
}

/**
 * `count` pairs of measurements of two subjects, each pair back to back, and which goes first alternating
 * (`a` in the first pair), so that neither always meets the machine a moment later. Resolves with each
 * pair as `[a, b]`, whatever the order it was measured in.
 */
export async function measurePairs<T>(
  count: number,
  measureA: () => Promise<T>,
  measureB: () => Promise<T>,
): Promise<[a: T, b: T][]> {
  const pairs: [T, T][] = [];
  for (let pair = 0; pair < count; pair += 1) {
    if (pair % 2 === 0) {
      const a = await measureA();
      pairs.push([a, await measureB()]);
    } else {
      const b = await measureB();
      pairs.push([await measureA(), b]);
    }
  }
  return pairs;
}
