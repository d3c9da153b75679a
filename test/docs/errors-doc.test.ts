/**
 * Keeps docs/errors.md in sync with the error catalogue: every code is documented with the HTTP and
 * gRPC status the transports really use, and the page lists no code that does not exist.
 */
import { readFile } from 'node:fs/promises';

import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';

import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { GRPC_STATUS_BY_CODE } from '../../src/transport/grpc/grpc-status.js';
import { HTTP_STATUS_BY_CODE } from '../../src/transport/http/http-status.js';

const doc = await readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| `([A-Z_]+)`\s*\| (\d+)\s*\| `([A-Z_]+)`\s*\| (yes|no)\s*\|/gm)].map((m) => [
    m[1]!,
    { http: Number(m[2]), grpc: m[3]!, retryable: m[4] === 'yes' },
  ]),
);

describe('docs/errors.md', () => {
  it('documents exactly the codes that exist', () => {
    expect([...rows.keys()].sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it.each(Object.values(ErrorCode))(
    'documents %s with its real HTTP and gRPC status and retryability',
    (code) => {
      const row = rows.get(code);
      expect(row?.http).toBe(HTTP_STATUS_BY_CODE[code]);
      expect(row?.grpc).toBe(status[GRPC_STATUS_BY_CODE[code]]);
      expect(row?.retryable).toBe(new GatewayError(code, 'x').retryable);
    },
  );
});
