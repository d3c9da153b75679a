/**
 * Agent reply bodies parsed from bytes (src/remote/json-body.ts): whatever the body, the result is what
 * `JSON.parse` of the whole text gives, and invalid JSON still fails with a `SyntaxError`, including
 * bodies large enough that their long strings are decoded on their own.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

import { parseJsonBody } from '../../src/remote/json-body.js';

/** Text mixing ASCII, JSON escapes, Latin-1, BMP and astral characters. */
function mixedText(units: number): string {
  const sample = 'a"b\\c\n\u0001é€😀 \\"';
  return sample.repeat(Math.ceil(units / sample.length)).slice(0, units);
}

/** V8's largest regular object is 128 KiB: a two-byte string of 64 Ki units. */
const LARGE_OBJECT_UNITS = 64 * 1024;

/** A JSON-RPC reply holding a completed task whose history and artifacts carry `text` three times. */
function echoReply(text: string): unknown {
  return {
    jsonrpc: '2.0',
    id: 'r-1',
    result: {
      task: {
        id: 'task-1',
        history: [{ role: 'ROLE_USER', parts: [{ text }] }],
        artifacts: [{ artifactId: 'a-1', parts: [{ text: `echo: ${text}` }, { data: { list: [text, 1] } }] }],
        status: { state: 'TASK_STATE_COMPLETED' },
      },
    },
  };
}

function same(text: string): void {
  expect(parseJsonBody(Buffer.from(text, 'utf8'))).toStrictEqual(JSON.parse(text));
}

/** The lengths of the texts `parseJsonBody` hands to `JSON.parse` for `text`. */
function parsedLengths(text: string): number[] {
  const spy = vi.spyOn(JSON, 'parse');
  parseJsonBody(Buffer.from(text, 'utf8'));
  const lengths = spy.mock.calls.map(([arg]) => String(arg).length);
  spy.mockRestore();
  return lengths;
}

describe('parseJsonBody', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('parses small bodies as JSON.parse does', () => {
    same('{"a":1,"b":[true,null,"x"],"c":{"d":"é😀"}}');
    same('"just a string"');
    same('  [ ]  ');
  });

  it('parses a large A2A reply, long strings and all, as JSON.parse does', () => {
    const reply = echoReply(mixedText(70_000));
    same(JSON.stringify(reply));
    // Pretty-printed: whitespace between a long literal and what follows.
    same(JSON.stringify(reply, null, 2));
  });

  it('decodes the long strings of a large body on their own, none of large-object size', () => {
    const lengths = parsedLengths(JSON.stringify(echoReply('x'.repeat(60_000))));
    expect(lengths.length).toBeGreaterThan(1);
    expect(Math.max(...lengths)).toBeLessThan(LARGE_OBJECT_UNITS);
  });

  it('keeps long object keys and strings that end in escaped quotes or backslashes', () => {
    const longKey = 'k'.repeat(20_000);
    same(JSON.stringify({ [longKey]: 'v'.repeat(70_000), tail: `${'x'.repeat(20_000)}\\` }));
    same(JSON.stringify({ quotes: `${'"'.repeat(15_000)}\\"\\\\`, more: 'y'.repeat(60_000) }));
    same(
      `{"spaced" :  ${JSON.stringify('z'.repeat(70_000))} , "__proto__": ${JSON.stringify('p'.repeat(9000))}}`,
    );
  });

  it('parses a large body of many short strings whole', () => {
    const text = JSON.stringify(Array.from({ length: 12_000 }, (_, i) => `item ${i}`));
    same(text);
    expect(parsedLengths(text)).toEqual([text.length]);
  });

  it('fails on invalid JSON with a SyntaxError, large or small', () => {
    const long = 'x'.repeat(70_000);
    for (const text of [
      '{"a":',
      `{"a": "${long}"`,
      `{"a": "${long}}`,
      `{"a": "${long}\u0001"}`,
      `{"a": "${long}\\q"}`,
      `{"a": "${long}" "b"}`,
      `["${long}",]`,
    ]) {
      expect(() => parseJsonBody(Buffer.from(text)), text.slice(-12)).toThrow(SyntaxError);
    }
  });
});
