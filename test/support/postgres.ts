/**
 * PostgreSQL for tests: where the test server is, whether it answers, and throwaway schemas so each
 * test run works in a fresh namespace. A test file asks `postgresForTests()` (with top-level await) and
 * skips itself with `describe.skipIf(!postgres.available)`; with BZZZ_REQUIRE_POSTGRES set, an
 * unreachable server fails the file instead (CI, where PostgreSQL must be there).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test server's URL: BZZZ_TEST_POSTGRES_URL, or the local default. */
export function postgresTestUrl(): string {
  return process.env.BZZZ_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** Connects once with a short timeout and runs `SELECT 1`. Resolves to the failure reason, or undefined. */
export async function postgresUnreachableReason(url: string, timeoutMs = 2000): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A connection that breaks after the check must not crash the test process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface PostgresForTests {
  readonly url: string;
  /** False when the server did not answer; the caller skips its PostgreSQL tests. */
  readonly available: boolean;
}

/**
 * Probes the test server. Unreachable and BZZZ_REQUIRE_POSTGRES set: throws, which fails the test file
 * that awaited it. Unreachable otherwise: prints a notice and reports it unavailable.
 */
export async function postgresForTests(): Promise<PostgresForTests> {
  const url = postgresTestUrl();
  const reason = await postgresUnreachableReason(url);
  if (reason === undefined) return { url, available: true };
  const required = (process.env.BZZZ_REQUIRE_POSTGRES ?? '') !== '';
  if (required) {
    throw new Error(
      `PostgreSQL not reachable at ${url} (${reason}), and BZZZ_REQUIRE_POSTGRES is set: ` +
        'the PostgreSQL store tests must run. Start the server or point BZZZ_TEST_POSTGRES_URL at one.',
    );
  }
  console.warn(
    `PostgreSQL not reachable at ${url} (${reason}); skipping PostgreSQL store tests ` +
      '(set BZZZ_REQUIRE_POSTGRES=1 to make this a failure)',
  );
  return { url, available: false };
}

/** A fresh schema name no other test run uses: lowercase, a valid unquoted identifier. */
export function uniqueTestSchema(prefix = 'bzzz_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(6).toString('hex')}`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`);
  } finally {
    await client.end();
  }
}
