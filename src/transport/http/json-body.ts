/**
 * JSON response bodies serialised and written in pieces, none of them a string of 128 KiB or more.
 *
 * V8 allocates every object of that size or more (its largest regular object) in large-object pages of
 * its own, mapped when allocated and unmapped when collected. `JSON.stringify` builds a large result
 * from small parts, but writing it (express's `send` makes a Buffer of it, so does `res.end`) first
 * flattens it into one such string. On the VM the benchmarks ran on, each page of a fresh
 * mapping cost about 20 µs to fault in: a 129 KiB reply, flattened, cost 0.65 ms of the gateway's CPU
 * (docs/benchmarks.md). Here the value is serialised in pieces of at most `PIECE_CHARS` UTF-16 units,
 * each encoded on its own and the Buffers written to the socket together. `JSON.stringify` cannot give
 * its parts, so the walk over objects and arrays is ours; every leaf is still serialised by it.
 */
import type { Response } from 'express';

/**
 * Text is collected into a piece until it would pass this many UTF-16 units; a serialised slice longer
 * than that (below) is a piece of its own. So a piece is at most 48 Ki units: under 128 KiB as a V8
 * string, at most 144 KiB as UTF-8.
 */
const PIECE_CHARS = 32 * 1024;
/**
 * Longest slice of a string serialised at once. Escaping can make a unit six characters (`\u001f`), so
 * a slice serialises to at most 48 Ki units: still under V8's limit as a two-byte string.
 */
const SLICE_CHARS = 8 * 1024;

/** Collects serialised text into pieces (see `PIECE_CHARS`). */
class Pieces {
  readonly #done: string[] = [];
  #current = '';

  add(text: string): void {
    if (this.#current.length + text.length > PIECE_CHARS && this.#current !== '') {
      this.#done.push(this.#current);
      this.#current = '';
    }
    this.#current += text;
  }

  finish(): string[] {
    if (this.#current !== '') this.#done.push(this.#current);
    return this.#done;
  }
}

/**
 * `JSON.stringify(value)` as pieces whose concatenation is exactly that text, for the plain data the
 * gateway serialises (what `JSON.parse` produces, plus `toJSON` objects such as dates). Like
 * `JSON.stringify`, object members whose value is undefined, a function or a symbol are left out, and
 * such array elements become `null`. Returns `[]` when `JSON.stringify` would return undefined.
 */
export function jsonPieces(value: unknown): string[] {
  if (roughJsonLength(value, PIECE_CHARS) <= PIECE_CHARS) {
    const text = JSON.stringify(value) as string | undefined;
    return text === undefined ? [] : [text];
  }
  const pieces = new Pieces();
  writeValue(pieces, value, '');
  return pieces.finish();
}

/** Writes `value` (the member `key` of its holder); false when it has no JSON form (undefined, …). */
function writeValue(pieces: Pieces, value: unknown, key: string): boolean {
  const json =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
      ? (value as { toJSON(key: string): unknown }).toJSON(key)
      : value;
  if (typeof json === 'string') {
    writeString(pieces, json);
    return true;
  }
  if (typeof json !== 'object' || json === null) {
    const text = JSON.stringify(json) as string | undefined;
    if (text === undefined) return false;
    pieces.add(text);
    return true;
  }
  if (Array.isArray(json)) {
    pieces.add('[');
    json.forEach((element: unknown, index) => {
      if (index > 0) pieces.add(',');
      if (!writeValue(pieces, element, String(index))) pieces.add('null');
    });
    pieces.add(']');
    return true;
  }
  pieces.add('{');
  let first = true;
  for (const [member, memberValue] of Object.entries(json)) {
    if (!hasJsonForm(memberValue)) continue;
    pieces.add(`${first ? '' : ','}${JSON.stringify(member)}:`);
    writeValue(pieces, memberValue, member);
    first = false;
  }
  pieces.add('}');
  return true;
}

/**
 * About how long `value`'s JSON is (strings, keys and two characters per value; escapes not counted),
 * counted only until it passes `limit`: small values, most replies, go to `JSON.stringify` whole.
 */
function roughJsonLength(value: unknown, limit: number, counted = 0): number {
  if (typeof value === 'string') return counted + value.length + 2;
  if (typeof value !== 'object' || value === null) return counted + 2;
  let total = counted + 2;
  if (Array.isArray(value)) {
    for (const element of value as unknown[]) {
      total = roughJsonLength(element, limit, total);
      if (total > limit) break;
    }
    return total;
  }
  // for…in over own members: `Object.entries` would allocate a pair per member of every reply's objects.
  for (const member in value) {
    if (!Object.hasOwn(value, member)) continue;
    total = roughJsonLength((value as Record<string, unknown>)[member], limit, total + member.length);
    if (total > limit) break;
  }
  return total;
}

function hasJsonForm(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** A string as JSON, in slices so that no serialised slice reaches V8's large-object size. */
function writeString(pieces: Pieces, text: string): void {
  if (text.length <= SLICE_CHARS) {
    pieces.add(JSON.stringify(text));
    return;
  }
  pieces.add('"');
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + SLICE_CHARS, text.length);
    // Never between the halves of a surrogate pair: alone, each half would be escaped as `\udXXX`.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    pieces.add(JSON.stringify(text.slice(start, end)).slice(1, -1));
    start = end;
  }
  pieces.add('"');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * `head`, `value`'s JSON and `tail` as one chunk to write (an SSE frame: `data: …\n\n`): a string when
 * the JSON is one piece, else a Buffer encoded piece by piece, so that no string of large-object size
 * is made on the way.
 */
export function jsonFrame(head: string, value: unknown, tail: string): string | Buffer {
  const pieces = jsonPieces(value);
  if (pieces.length === 1) return `${head}${pieces[0]}${tail}`;
  return Buffer.concat([head, ...pieces, tail].map((piece) => Buffer.from(piece, 'utf8')));
}

/**
 * Sends `value` as the JSON body of a response with `status` and `contentType`: its pieces, encoded one
 * by one, written corked so that they still leave in one write, with their total length.
 */
export function sendJson(res: Response, status: number, contentType: string, value: unknown): void {
  const pieces = jsonPieces(value).map((piece) => Buffer.from(piece, 'utf8'));
  res.status(status).type(contentType);
  res.setHeader(
    'Content-Length',
    pieces.reduce((total, piece) => total + piece.length, 0),
  );
  res.cork();
  for (const piece of pieces) res.write(piece);
  res.end();
  res.uncork();
}
