/**
 * A real pino logger (the gateway's `createLogger`) whose JSON lines are kept, parsed, for a test to
 * read: what an operator would see in the gateway's log.
 */
import { Writable } from 'node:stream';

import { createLogger, type Logger } from '../../src/logging/logger.js';

export interface CapturedLog {
  readonly logger: Logger;
  /** Every line written so far, parsed. */
  readonly lines: Record<string, unknown>[];
}

export function captureLog(level: string): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}
