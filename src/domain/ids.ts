/**
 * Identifiers of the state model: UUID strings. The seed's `RunId::new()` and friends issue v4; the
 * gateway issues v7 (RFC 9562) instead. Their leading 48 bits are the creation time, so a new record's id
 * sorts after the ids before it and lands at the end of every index keyed by id (primary keys, a step's
 * run id). Random v4 ids land anywhere: each write dirties another page of each such index, and the
 * SQLite store's writes took half as long again with them (docs/benchmarks.md).
 * v4 ids, issued before the change or by other seed implementations, stay valid.
 */
import { v7 as uuidv7, validate, version } from 'uuid';

export type RunId = string;
export type StepId = string;
export type SessionId = string;
export type ArtifactId = string;

/** The tenant that owns records created by anonymous callers. */
export const DEFAULT_TENANT = 'default';

/** A fresh UUID v7: unique, and later than every id this process issued before (monotonic within a millisecond). */
export function newId(): string {
  return uuidv7();
}

/** True for a well-formed UUID v7 (what the gateway issues) or v4 (what it issued before). */
export function isId(value: string): boolean {
  if (!validate(value)) return false;
  const issued = version(value);
  return issued === 7 || issued === 4;
}
