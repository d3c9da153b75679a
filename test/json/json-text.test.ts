/**
 * JSON text made by the gateway's own serialiser (src/json/json-text.ts): whatever the value, the text
 * is exactly `JSON.stringify`'s, whether a long string takes the plain path or is escaped in slices; the
 * pieces are none of V8's large-object size; and the check for characters to escape finds every one,
 * wherever it falls among the bytes checked four at a time.
 */
import { describe, expect, it } from 'vitest';

import { isPlainJsonString, jsonPieces, jsonText } from '../../src/json/json-text.js';

/** V8's largest regular object is 128 KiB: a two-byte string of 64 Ki units. */
const LARGE_OBJECT_UNITS = 64 * 1024;
/** Longer than one slice (8 Ki units) and than one check (16 Ki units). */
const LONG = 40_000;

/** Text of `units` UTF-16 units mixing ASCII, escapes, Latin-1, BMP and astral characters (pairs). */
function mixedText(units: number): string {
  const sample = 'a"b\\c\n\u0001é€😀 ';
  return sample.repeat(Math.ceil(units / sample.length)).slice(0, units);
}

/** `LONG` units of plain text with `character` put at `at`. */
function plainWith(character: string, at: number): string {
  const text = 'abcdefgh'.repeat(LONG / 8);
  return text.slice(0, at) + character + text.slice(at + character.length);
}

describe('jsonPieces', () => {
  it('gives a small value as JSON.stringify does, in one piece', () => {
    const value = { id: 7, text: 'héllo "x"', list: [1, null, true], nested: { at: new Date(0) } };
    expect(jsonPieces(value)).toEqual([JSON.stringify(value)]);
  });

  it('gives a large value in pieces that join to JSON.stringify, none of large-object size', () => {
    const skipped = {
      missing: undefined,
      fn: () => 1,
      symbol: Symbol('s'),
      numbers: [Number.NaN, -0, Infinity, 1e21, 0.1],
    };
    const value = {
      big: mixedText(200_000),
      plain: 'p'.repeat(200_000),
      list: [mixedText(70_000), undefined, () => 1, 'short', { at: new Date(86_400_000) }],
      skipped,
      empty: { object: {}, array: [], text: '' },
    };
    const pieces = jsonPieces(value);

    expect(pieces.join('')).toBe(JSON.stringify(value));
    expect(pieces.length).toBeGreaterThan(8);
    for (const piece of pieces) expect(piece.length).toBeLessThan(LARGE_OBJECT_UNITS);
  });

  it('never splits a surrogate pair, wherever the slices fall, plain or escaped', () => {
    for (const offset of [0, 1, 2, 3]) {
      const plain = 'x'.repeat(offset) + '😀'.repeat(40_000);
      const escaped = `"${plain}`;
      expect(jsonPieces({ plain }).join('')).toBe(JSON.stringify({ plain }));
      expect(jsonPieces({ escaped }).join('')).toBe(JSON.stringify({ escaped }));
    }
  });

  it('gives nothing for a value without a JSON form', () => {
    expect(jsonPieces(undefined)).toEqual([]);
  });
});

describe('jsonText', () => {
  it('is JSON.stringify for small and large values', () => {
    const values: unknown[] = [
      null,
      'short "quoted"',
      [1, 'two', { three: 3 }],
      { message: { parts: [{ text: 'x'.repeat(65_536) }], role: 'ROLE_USER' } },
      { parts: [{ text: mixedText(LONG) }, { data: { nested: 'é'.repeat(LONG) } }] },
      'y'.repeat(LONG),
      { lone: `${'z'.repeat(LONG)}\ud800`, pair: `${'z'.repeat(LONG)}\ud83d\ude00` },
    ];
    for (const value of values) expect(jsonText(value)).toBe(JSON.stringify(value));
  });

  it('is empty for a value without a JSON form', () => {
    expect(jsonText(undefined)).toBe('');
  });

  it('escapes a long string with one character to escape, wherever it is', () => {
    const escapable = ['"', '\\', '\u0000', '\n', '\u001f', '\ud800', '\udfff'];
    // Every byte position of a word, and the edges of a slice (8,192) and of a check (16,384).
    const places = [0, 1, 2, 3, 4, 5, 6, 7, 8191, 8192, 8193, 16_383, 16_384, 16_385, LONG - 1];
    for (const character of escapable) {
      for (const at of places) {
        const text = plainWith(character, at);
        expect(jsonText({ text }), `${JSON.stringify(character)} at ${at}`).toBe(JSON.stringify({ text }));
      }
    }
  });
});

describe('isPlainJsonString', () => {
  it('agrees with JSON.stringify on every character below U+0080, at every byte of a word', () => {
    for (let code = 0; code < 0x80; code += 1) {
      for (const at of [0, 1, 2, 3, LONG - 4, LONG - 3, LONG - 2, LONG - 1]) {
        const text = plainWith(String.fromCharCode(code), at);
        expect(isPlainJsonString(text), `U+${code.toString(16)} at ${at}`).toBe(
          JSON.stringify(text) === `"${text}"`,
        );
      }
    }
  });

  it('takes characters of several UTF-8 bytes as plain, and lone surrogates as not', () => {
    expect(isPlainJsonString('é€😀\u2028\u007f'.repeat(5000))).toBe(true);
    expect(isPlainJsonString(`${'😀'.repeat(9000)}\udc00`)).toBe(false);
    expect(isPlainJsonString(`\ud83d${'😀'.repeat(9000)}`)).toBe(false);
    // A pair cut by the check's slices is no lone surrogate.
    expect(isPlainJsonString(`${'a'.repeat(16_383)}😀${'b'.repeat(20_000)}`)).toBe(true);
  });

  it('is true for the empty string and for short plain text', () => {
    expect(isPlainJsonString('')).toBe(true);
    expect(isPlainJsonString('abc')).toBe(true);
    expect(isPlainJsonString('ab"')).toBe(false);
  });
});
