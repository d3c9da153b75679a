/** Tests of the identifiers: UUID v4 strings, fresh on every call (the seed's `RunId::new()` and friends). */
import { describe, expect, it } from 'vitest';

import { DEFAULT_TENANT, isId, newId } from './ids.js';

describe('newId', () => {
  it('test_run_id_generation: two ids are different', () => {
    expect(newId()).not.toBe(newId());
  });

  it('issues UUID v4 strings, unique over many calls', () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isId(id)).toBe(true);
    }
  });
});

describe('isId', () => {
  it.each([
    ['a UUID v1', 'c232ab00-9414-11ec-b3c8-9f6bdeced846'],
    ['a UUID v7', '01890a5d-ac96-774b-bcce-b302099a8057'],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
    ['an empty string', ''],
    ['a name', 'run-1'],
    ['a v4 UUID without dashes', '9b1deb4d3b7d4bad9bdd2b0d7b3dcb6d'],
    ['a v4 UUID with a trailing character', '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6dx'],
  ])('rejects %s', (_label, value) => {
    expect(isId(value)).toBe(false);
  });

  it('accepts a well-formed v4 UUID', () => {
    expect(isId('9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d')).toBe(true);
  });
});

describe('DEFAULT_TENANT', () => {
  it('is the tenant anonymous callers share', () => {
    expect(DEFAULT_TENANT).toBe('default');
  });
});
