/**
 * Server-Sent Events for watching a run: the wire format of each `RunWatchEvent` (`event: <type>`,
 * `id: <seq>`, `data: <json>`), a comment keep-alive, and writes that wait for `'drain'` so a slow client
 * slows the watch down instead of growing the server's buffers. A failure after the stream started is
 * sent as a final `event: error` whose data is the usual error body.
 */
import { once } from 'node:events';

import type { Response } from 'express';

import { toArtifactMeta } from '../../app/artifact-service.js';
import type { RunWatchEvent } from '../../app/services.js';
import type { GatewayError } from '../../errors/gateway-error.js';
import { errorBody } from './http-error.js';
import { jsonFrame } from './json-body.js';

/** Headers of every event stream; `X-Accel-Buffering: no` stops nginx from buffering it. */
export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  'X-Accel-Buffering': 'no',
} as const;

/** The JSON sent for one watch event; artifact events carry `ArtifactMeta`, as everywhere else. */
function eventJson(event: RunWatchEvent): unknown {
  return event.type === 'artifact' ? { ...event, artifact: toArtifactMeta(event.artifact) } : event;
}

/** One watch event in SSE framing (a Buffer when large: a run event carries the run's input). */
export function formatWatchEvent(event: RunWatchEvent): string | Buffer {
  return jsonFrame(`event: ${event.type}\nid: ${event.seq}\ndata: `, eventJson(event), '\n\n');
}

/** The final event of a stream that failed after it started. */
export function formatErrorEvent(error: GatewayError): string {
  return `event: error\ndata: ${JSON.stringify(errorBody(error))}\n\n`;
}

/** The keep-alive: an SSE comment, ignored by every client. */
export const KEEP_ALIVE_COMMENT = ': keep-alive\n\n';

/**
 * Writes `chunk` and, when the socket's buffer is full, waits for `'drain'`. Resolves `false` when the
 * response can no longer be written (client gone, or `signal` aborted while waiting).
 */
export async function writeWithBackpressure(
  res: Response,
  chunk: string | Uint8Array,
  signal: AbortSignal,
): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(chunk)) return true;
  try {
    await once(res, 'drain', { signal });
    return true;
  } catch {
    return false;
  }
}
