import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('redacts agent credentials and authorization headers wherever they appear', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ credentials: { bearerToken: 'tok-1' } }, 'a');
    logger.info({ agent: { name: 'x', credentials: { headers: { 'x-api-key': 'tok-2' } } } }, 'b');
    logger.info({ request: { headers: { authorization: 'Bearer tok-3' } } }, 'c');
    logger.info({ bearerToken: 'tok-4' }, 'd');
    const output = lines.join('');
    expect(lines).toHaveLength(4);
    expect(output).not.toMatch(/tok-\d/);
    expect(output).toContain('[redacted]');
    expect(JSON.parse(lines[1]!).agent.name).toBe('x');
  });
});
