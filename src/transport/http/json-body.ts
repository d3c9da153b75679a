/**
 * JSON response bodies written in pieces (`jsonPieces`: none a string of V8's large-object size), each
 * encoded on its own and the Buffers written to the socket together.
 */
import type { Response } from 'express';

import { jsonPieces } from '../../json/json-text.js';

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
