/** Tests of the identifiers: UUID v7 strings, fresh and ordered (the seed's `RunId::new()` issues v4, still accepted). */
import { describe, expect, it } from 'vitest';

import { DEFAULT_TENANT, isId, newId } from './ids.js';

describe('newId', () => {
  it('test_run_id_generation: two ids are different', () => {
    expect(newId()).not.toBe(newId());
  });

  it('issues UUID v7 strings, unique and each sorting after the one before', () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isId(id)).toBe(true);
    }
    expect([...ids].sort()).toEqual(ids);
  });

  it('starts with the creation time in milliseconds', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    const issuedAt = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(issuedAt).toBeGreaterThanOrEqual(before);
    expect(issuedAt).toBeLessThanOrEqual(after);
  });
});

describe('isId', () => {
  it.each([
    ['a UUID v1', 'c232ab00-9414-11ec-b3c8-9f6bdeced846'],
    ['a UUID v6', '1ec9414c-232a-6b00-b3c8-9f6bdeced846'],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
    ['the max UUID', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
    ['an empty string', ''],
    ['a name', 'run-1'],
    ['a v7 UUID without dashes', '01890a5dac96774bbcceb302099a8057'],
    ['a v7 UUID with a trailing character', '01890a5d-ac96-774b-bcce-b302099a8057x'],
  ])('rejects %s', (_label, value) => {
    expect(isId(value)).toBe(false);
  });

  it.each([
    ['a v7 UUID (what the gateway issues)', '01890a5d-ac96-774b-bcce-b302099a8057'],
    ['a v4 UUID (what it issued before, and what the seed issues)', '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d'],
  ])('accepts %s', (_label, value) => {
    expect(isId(value)).toBe(true);
  });
});

describe('DEFAULT_TENANT', () => {
  it('is the tenant anonymous callers share', () => {
    expect(DEFAULT_TENANT).toBe('default');
  });
});
