/** Timestamps in the state model are ISO-8601 UTC strings with milliseconds, which sort as they compare. */
export type Timestamp = string;

/** The last timestamp formatted, reused within its millisecond: a run's records take many per request. */
let formatted = { ms: Number.NaN, iso: '' };

export function now(): Timestamp {
  const ms = Date.now();
  if (ms !== formatted.ms) formatted = { ms, iso: new Date(ms).toISOString() };
  return formatted.iso;
}

/** Milliseconds between two timestamps, or undefined when either is missing. */
export function elapsedMs(from: Timestamp | undefined, to: Timestamp | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  return Math.max(0, Date.parse(to) - Date.parse(from));
}
