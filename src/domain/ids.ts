/** Identifiers of the state model: UUID v4 strings, as in the seed's `RunId::new()` and friends. */
import { v4 as uuidv4, validate, version } from 'uuid';

export type RunId = string;
export type StepId = string;
export type SessionId = string;
export type ArtifactId = string;

/** The tenant that owns records created by anonymous callers. */
export const DEFAULT_TENANT = 'default';

/** A fresh UUID v4. */
export function newId(): string {
  return uuidv4();
}

/** True for a well-formed UUID v4, the only id format the gateway issues. */
export function isId(value: string): boolean {
  return validate(value) && version(value) === 4;
}
