/**
 * `JSON.parse` of an agent's reply body without decoding a large body into one string.
 *
 * V8 gives every string of 128 KiB or more (its largest regular object) large-object pages of its own,
 * mapped when it is allocated and unmapped when it is collected. Decoding a 129 KiB reply in one piece
 * cost the gateway 0.65 ms on the VM the benchmarks ran on, nearly all of it faulting in those fresh
 * pages (docs/benchmarks.md); the same decoding at 127 KiB took 11 µs. Replies that large are large
 * because of a few long strings: an artifact's text, the message echoed in the task's history. So for a
 * large body the long string literals are found in the bytes, each decoded on its own (still a regular
 * string under 128 KiB), and what is left, with a marker in place of each, is parsed as a whole; the
 * markers are then replaced. No library parses JSON from a buffer in pieces at `JSON.parse`'s speed,
 * which is why this finds the strings itself; every decoding is still `JSON.parse`'s.
 */
import { randomBytes } from 'node:crypto';

/** Bodies shorter than this are parsed whole: as one string they stay under 128 KiB (two-byte at worst). */
const LIFT_MIN_BODY_BYTES = 64 * 1024;
/** String literals this long (in bytes, quotes included) or longer are decoded on their own. */
const LIFT_MIN_LITERAL_BYTES = 8 * 1024;
/**
 * Quotes looked at before giving up: a large body of many short strings has nothing to lift, and each
 * quote costs a search. At this bound a fruitless look costs a fraction of the parse itself.
 */
const MAX_QUOTES = 4096;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** Parses the UTF-8 JSON in `body`, as `JSON.parse(body.toString('utf8'))` would. */
export function parseJsonBody(body: Buffer): unknown {
  const literals = body.length < LIFT_MIN_BODY_BYTES ? [] : longStringLiterals(body);
  if (literals.length === 0) return JSON.parse(body.toString('utf8'));

  // Unguessable, so no string of the body can pass for a marker; NUL cannot occur unescaped in JSON.
  const marker = `\u0000${randomBytes(8).toString('hex')}:`;
  const markerJson = JSON.stringify(marker).slice(0, -1);
  let skeleton = '';
  let from = 0;
  const values: string[] = [];
  for (const [start, end] of literals) {
    skeleton += `${body.toString('utf8', from, start)}${markerJson}${values.length}"`;
    values.push(JSON.parse(body.toString('utf8', start, end)) as string);
    from = end;
  }
  skeleton += body.toString('utf8', from);
  return restore(JSON.parse(skeleton), marker, values);
}

/**
 * Where the long string literals of `body` are, as [start, end) byte ranges, quotes included; object
 * keys are left alone. In UTF-8 the bytes of `"` and `\` occur only as those characters, so the quotes
 * pair up as a JSON lexer pairs them: after an opening quote, the next quote not escaped by an odd run
 * of backslashes closes it. Empty when there is nothing worth lifting or more than `MAX_QUOTES` quotes.
 */
function longStringLiterals(body: Buffer): [number, number][] {
  const found: [number, number][] = [];
  let quotes = 0;
  for (let open = body.indexOf(QUOTE); open !== -1;) {
    let close = body.indexOf(QUOTE, open + 1);
    while (close !== -1 && isEscaped(body, close)) close = body.indexOf(QUOTE, close + 1);
    quotes += 2;
    // Unterminated (invalid JSON), or too many strings to be worth it: parse the body whole.
    if (close === -1 || quotes > MAX_QUOTES) return [];
    if (close + 1 - open >= LIFT_MIN_LITERAL_BYTES && !isKey(body, close + 1)) found.push([open, close + 1]);
    open = body.indexOf(QUOTE, close + 1);
  }
  return found;
}

/** Whether the quote at `at` is escaped: preceded by an odd number of backslashes. */
function isEscaped(body: Buffer, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; body[i] === BACKSLASH; i -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

/** Whether the literal ending before `after` is an object key: the next non-blank byte is a colon. */
function isKey(body: Buffer, after: number): boolean {
  let i = after;
  while (i < body.length && isJsonWhitespace(body[i] as number)) i += 1;
  return body[i] === COLON;
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
export function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** Puts the lifted strings back in place of their markers, in the freshly parsed `value`. */
function restore(value: unknown, marker: string, values: readonly string[]): unknown {
  if (typeof value === 'string') {
    return value.startsWith(marker) ? values[Number(value.slice(marker.length))] : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = restore(value[i], marker, values);
    return value;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) object[key] = restore(object[key], marker, values);
  return value;
}
