/**
 * The process logger: pino, structured JSON, with every place a secret can appear redacted (agent
 * credentials, authorization headers), so a log line never carries one.
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export const REDACTED_PATHS: readonly string[] = [
  'credentials',
  '*.credentials',
  '*.*.credentials',
  'headers.authorization',
  '*.headers.authorization',
  'bearerToken',
  '*.bearerToken',
  '*.*.bearerToken',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'bzzz' },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
