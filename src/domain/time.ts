/** Timestamps in the state model are ISO-8601 UTC strings with milliseconds, which sort as they compare. */
export type Timestamp = string;

export function now(): Timestamp {
  return new Date().toISOString();
}

/** Milliseconds between two timestamps, or undefined when either is missing. */
export function elapsedMs(from: Timestamp | undefined, to: Timestamp | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  return Math.max(0, Date.parse(to) - Date.parse(from));
}
