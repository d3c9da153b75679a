/**
 * `JSON.stringify`'s exact text, made faster for values that hold long strings, and given in pieces none
 * of which is a string of 128 KiB or more.
 *
 * Why hand-written, twice over:
 * - **Speed.** On Node 20 (V8 11.3) `JSON.stringify` escapes a string one character at a time: 193 µs for
 *   64 KiB of plain text on the benchmark host, where encoding the same string as UTF-8 takes 9 µs. A
 *   64 KB façade message had four such strings serialised (the run's stored input, the request to the
 *   agent, the two in the reply), about a fifth of the gateway's CPU for that message
 *   (docs/benchmarks.md). A string with nothing to escape is its own JSON between quotes; checking that,
 *   on its UTF-8 bytes four at a time, takes about 35 µs for 64 KiB. So long strings are checked, and
 *   serialised as they are when plain.
 * - **V8's large objects.** V8 allocates every object of 128 KiB or more (its largest regular object) in
 *   large-object pages of its own, mapped when allocated and unmapped when collected. A large result of
 *   `JSON.stringify` is flattened into one such string before it is written (express's `send` makes a
 *   Buffer of it, so does `res.end`); on the VM the benchmarks ran on, each page of a fresh mapping cost
 *   about 20 µs to fault in, and a 129 KiB reply, flattened, 0.65 ms of the gateway's CPU. Pieces of at
 *   most `PIECE_CHARS` UTF-16 units can each be encoded on their own.
 *
 * No library gives either: `JSON.stringify` cannot give its parts, and the fast serialisers on npm
 * check strings with a regular expression, which takes 100–180 µs for 64 KiB here. So the walk over
 * objects and arrays is ours; every leaf other than a long plain string is still serialised by
 * `JSON.stringify`.
 */

/**
 * Text is collected into a piece until it would pass this many UTF-16 units; a serialised slice longer
 * than that (below) is a piece of its own. So a piece is at most 48 Ki units: under 128 KiB as a V8
 * string, at most 144 KiB as UTF-8.
 */
const PIECE_CHARS = 32 * 1024;
/**
 * Strings longer than this are serialised in slices of this many units, each checked for characters to
 * escape (shorter ones cost `JSON.stringify` under 25 µs). Escaping can make a unit six characters
 * (`\u001f`), so a slice serialises to at most 48 Ki units: still under V8's limit as a two-byte string.
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

/**
 * `JSON.stringify(value)`, the same text, as one string; `''` where `JSON.stringify` gives undefined (a
 * value without a JSON form).
 */
export function jsonText(value: unknown): string {
  return jsonPieces(value).join('');
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
 * counted only until it passes `limit`: small values, most replies, go to `JSON.stringify` whole. A
 * string longer than `SLICE_CHARS` counts as past any limit, so that it takes the plain strings' path.
 */
function roughJsonLength(value: unknown, limit: number, counted = 0): number {
  if (typeof value === 'string') {
    return value.length > SLICE_CHARS ? Number.POSITIVE_INFINITY : counted + value.length + 2;
  }
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

/** A string as JSON, a long one in slices: as it is when it has nothing to escape. */
function writeString(pieces: Pieces, text: string): void {
  if (text.length <= SLICE_CHARS) {
    pieces.add(JSON.stringify(text));
    return;
  }
  const plain = isPlainJsonString(text);
  pieces.add('"');
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + SLICE_CHARS, text.length);
    // Never between the halves of a surrogate pair: alone, each half would be escaped as `\udXXX`, or
    // encoded as U+FFFD when the slice is written as UTF-8.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    const slice = text.slice(start, end);
    pieces.add(plain ? slice : JSON.stringify(slice).slice(1, -1));
    start = end;
  }
  pieces.add('"');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** UTF-16 units encoded and checked at a time: at most three bytes each in UTF-8. */
const CHECK_CHARS = 16 * 1024;
// Allocated on its own (not from Buffer's pool), so it starts on a word boundary for `checkWords`.
const checkBytes = Buffer.alloc(CHECK_CHARS * 3);
const checkWords = new Uint32Array(checkBytes.buffer, checkBytes.byteOffset, checkBytes.length / 4);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether `JSON.stringify(text)` is `text` between quotes: it holds no quote, backslash, control
 * character (below U+0020) or lone surrogate, the characters `JSON.stringify` escapes. In UTF-8 those
 * ASCII characters are single bytes that no other character's encoding contains.
 */
export function isPlainJsonString(text: string): boolean {
  if (!text.isWellFormed()) return false;
  for (let start = 0; start < text.length; start += CHECK_CHARS) {
    // A surrogate pair cut by this slice is written as U+FFFD: bytes of 0x80 and above, harmless here.
    const length = checkBytes.write(text.slice(start, start + CHECK_CHARS), 'utf8');
    const bytes = checkBytes.subarray(0, length);
    if (bytes.includes(QUOTE) || bytes.includes(BACKSLASH) || hasControlByte(length)) return false;
  }
  return true;
}

/** Whether one of the first `length` bytes of `checkBytes` is below 0x20. */
function hasControlByte(length: number): boolean {
  const words = length >>> 2;
  for (let i = 0; i < words; i += 1) {
    const word = checkWords[i] as number;
    // Some byte of the word below 0x20 (the "has a byte less than n" bit trick, exact for n ≤ 0x80):
    // after subtracting 0x20 from every byte, the lowest byte below 0x20 has its top bit set, and the
    // bytes whose top bit was set already are masked out by `~word`.
    if (((word - 0x20202020) & ~word & 0x80808080) !== 0) return true;
  }
  for (let i = words * 4; i < length; i += 1) {
    if ((checkBytes[i] as number) < 0x20) return true;
  }
  return false;
}
