/**
 * The PostgreSQL store against the shared store contract, each test in a fresh schema that is dropped
 * afterwards, plus what is specific to PostgreSQL: migrations under an advisory lock when several
 * replicas start together, the schema option, and an idle pooled connection the server ends (logged by
 * the gateway's store, which goes on). Skipped (with a notice) when the test server is not
 * reachable, unless BZZZ_REQUIRE_POSTGRES is set; see test/support/postgres.ts.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { loadConfig } from '../../src/config/config.js';
import { systemContext } from '../../src/domain/call-context.js';
import { newRun, nextVersion, startRun, type Run } from '../../src/domain/run.js';
import { newStep, type Step } from '../../src/domain/step.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { createStore } from '../../src/gateway.js';
import {
  POSTGRES_MIGRATIONS,
  applyPostgresMigrations,
} from '../../src/store/postgres/postgres-migrations.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { runToRow, stepToRow } from '../../src/store/record-codec.js';
import { captureLog } from '../support/captured-log.js';
import { dropSchema, postgresForTests, uniqueTestSchema } from '../support/postgres.js';
import { describeStoreContract } from './store-contract.js';

const postgres = await postgresForTests();

/** Deletes every row the contract tests wrote, keeping the schema and its migrations. */
async function emptyTables(client: pg.Client, schema: string): Promise<void> {
  await client.query(
    ['steps', 'runs', 'sessions', 'artifacts', 'agents']
      .map((t) => `DELETE FROM "${schema}".${t};`)
      .join(' '),
  );
}

describe.skipIf(!postgres.available)('PostgresStore', () => {
  // One schema for this file's contract tests, migrated by the first store and dropped at the end;
  // every test gets a new store on it and leaves the tables empty.
  const contractSchema = uniqueTestSchema();
  const admin = new pg.Client({ connectionString: postgres.url });

  beforeAll(async () => {
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
    await dropSchema(postgres.url, contractSchema);
  });

  describeStoreContract('PostgresStore', async () => {
    const store = new PostgresStore({ url: postgres.url, schema: contractSchema, maxConnections: 4 });
    await store.start();
    return {
      store,
      cleanup: async () => {
        await store.close();
        await emptyTables(admin, contractSchema);
      },
    };
  });

  describe('migrations and schema', () => {
    const schemas: string[] = [];
    const stores: PostgresStore[] = [];

    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close()));
      for (const schema of schemas.splice(0)) await dropSchema(postgres.url, schema);
    });

    function storeIn(schema: string): PostgresStore {
      const store = new PostgresStore({ url: postgres.url, schema, maxConnections: 2 });
      stores.push(store);
      return store;
    }

    async function appliedVersions(schema: string): Promise<number[]> {
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        const result = await client.query<{ version: number }>(
          `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
        );
        return result.rows.map((r) => r.version);
      } finally {
        await client.end();
      }
    }

    it('lets several replicas start at once and applies each migration exactly once', async () => {
      const schema = uniqueTestSchema();
      schemas.push(schema);
      const replicas = [storeIn(schema), storeIn(schema), storeIn(schema), storeIn(schema)];
      await Promise.all(replicas.map((r) => r.start()));
      expect(await appliedVersions(schema)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      // Every replica sees what another one wrote.
      const ctx = systemContext();
      const run = newRun({ target: { kind: 'agent', name: 'echo' } });
      await replicas[0]?.createRun(run, ctx);
      for (const replica of replicas) expect(await replica.getRun(run.id, ctx)).toStrictEqual(run);
    });

    it('keeps the data of a schema across restarts without re-applying migrations', async () => {
      const schema = uniqueTestSchema();
      schemas.push(schema);
      const ctx = systemContext();
      const run = newRun({ target: { kind: 'agent', name: 'echo' } });
      const first = storeIn(schema);
      await first.start();
      await first.createRun(run, ctx);
      await first.close();
      const second = storeIn(schema);
      await second.start();
      expect(await second.getRun(run.id, ctx)).toStrictEqual(run);
      expect(await appliedVersions(schema)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    });

    it('upgrades a schema written before migration 2 (trace columns), keeping its rows', async () => {
      const schema = uniqueTestSchema();
      schemas.push(schema);
      const ctx = systemContext();
      const run = newRun({ target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'hi' }] } });
      const step = newStep({ runId: run.id, name: 'call echo', agent: 'echo' });
      // The schema as a gateway of the previous release left it: migration 1 only, rows without a trace.
      const pool = new pg.Pool({
        connectionString: postgres.url,
        options: `-c search_path=${schema}`,
        max: 1,
      });
      try {
        const client = await pool.connect();
        try {
          const applied = await applyPostgresMigrations(
            client,
            { schema, createSchema: true },
            POSTGRES_MIGRATIONS.filter((m) => m.version < 2),
          );
          expect(applied).toEqual([1]);
          const insert = async (table: string, row: Record<string, unknown>): Promise<void> => {
            // Without the columns later migrations add.
            const columns = Object.keys(row).filter(
              (c) => !['trace', 'idempotency_key', 'remote_task_id'].includes(c),
            );
            await client.query(
              `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
              columns.map((c) => row[c]),
            );
          };
          await insert('runs', { ...runToRow(run) });
          await insert('steps', { ...stepToRow(step, ctx.tenant) });
        } finally {
          client.release();
        }
      } finally {
        await pool.end();
      }

      const store = storeIn(schema);
      await store.start();
      expect(await appliedVersions(schema)).toEqual([1, 2, 3, 4, 5]);
      const stored = await store.getRun(run.id, ctx);
      expect(stored).toStrictEqual(run);
      expect(stored).not.toHaveProperty('trace');
      expect(await store.listSteps(run.id, ctx)).toStrictEqual([step]);
      // The upgraded rows take a trace like new ones.
      const trace = { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1 };
      const traced: Run = { ...nextVersion(startRun(run)), trace };
      const tracedStep: Step = { ...step, trace: { ...trace, spanId: 'ef'.repeat(8) } };
      expect(await store.updateRun(traced, ctx, { step: tracedStep })).toBe(true);
      expect(await store.getRun(run.id, ctx)).toStrictEqual(traced);
      expect(await store.listSteps(run.id, ctx)).toStrictEqual([tracedStep]);
    });

    it('upgrades a schema written before migrations 3 and 4 (idempotency keys, task ids), keeping its rows', async () => {
      const schema = uniqueTestSchema();
      schemas.push(schema);
      const ctx = systemContext();
      const trace = { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1 };
      const old: Run[] = [1, 2].map((n) => ({
        ...newRun({ target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: `hi ${n}` }] } }),
        trace,
        remote: { taskId: `task-${n}` },
      }));
      // The schema as the release before left it: migrations 1 and 2, runs without a key.
      const pool = new pg.Pool({
        connectionString: postgres.url,
        options: `-c search_path=${schema}`,
        max: 1,
      });
      try {
        const client = await pool.connect();
        try {
          const applied = await applyPostgresMigrations(
            client,
            { schema, createSchema: true },
            POSTGRES_MIGRATIONS.filter((m) => m.version < 3),
          );
          expect(applied).toEqual([1, 2]);
          for (const run of old) {
            const row: Record<string, unknown> = { ...runToRow(run) };
            const columns = Object.keys(row).filter((c) => c !== 'idempotency_key' && c !== 'remote_task_id');
            await client.query(
              `INSERT INTO runs (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
              columns.map((c) => row[c]),
            );
          }
        } finally {
          client.release();
        }
      } finally {
        await pool.end();
      }

      const store = storeIn(schema);
      await store.start();
      expect(await appliedVersions(schema)).toEqual([1, 2, 3, 4, 5]);
      for (const run of old) {
        const stored = await store.getRun(run.id, ctx);
        expect(stored).toStrictEqual(run);
        expect(stored).not.toHaveProperty('idempotencyKey');
      }
      // Migration 4 filled the task-id column of the old rows.
      expect(await store.getRunByRemoteTask('echo', 'task-2', ctx)).toStrictEqual(old[1]);
      // Keys work on the upgraded table, and the old keyless rows do not collide with each other.
      const keyed = newRun({ target: { kind: 'agent', name: 'echo' }, idempotencyKey: 'k' });
      await store.createRun(keyed, ctx);
      expect(await store.getRunByIdempotencyKey('k', ctx)).toStrictEqual(keyed);
      const again = newRun({ target: { kind: 'agent', name: 'echo' }, idempotencyKey: 'k' });
      const error = await store.createRun(again, ctx).catch((caught: unknown) => caught);
      expect(GatewayError.is(error) && error.code).toBe(ErrorCode.RUN_ALREADY_EXISTS);
      await store.createRun(newRun({ target: { kind: 'agent', name: 'echo' } }), ctx);
      expect((await store.listRuns({}, {}, ctx)).items).toHaveLength(4);
    });

    it('lets exactly one of two replicas create a run with the same key', async () => {
      const schema = uniqueTestSchema();
      schemas.push(schema);
      const [one, two] = [storeIn(schema), storeIn(schema)];
      await one.start();
      await two.start();
      const ctx = systemContext();
      const runs = [one, two].map(() =>
        newRun({ target: { kind: 'agent', name: 'echo' }, idempotencyKey: 'across-replicas' }),
      );
      const results = await Promise.allSettled([one.createRun(runs[0]!, ctx), two.createRun(runs[1]!, ctx)]);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results[1 - won] as PromiseRejectedResult;
      const reason = lost.reason as unknown;
      expect(GatewayError.is(reason) && reason.code).toBe(ErrorCode.RUN_ALREADY_EXISTS);
      expect((reason as GatewayError).details).toEqual({ runId: runs[won]!.id });
      expect((await two.getRunByIdempotencyKey('across-replicas', ctx))?.id).toBe(runs[won]!.id);
    });

    it('isolates schemas from each other', async () => {
      const [one, two] = [uniqueTestSchema(), uniqueTestSchema()];
      schemas.push(one, two);
      const storeOne = storeIn(one);
      const storeTwo = storeIn(two);
      await Promise.all([storeOne.start(), storeTwo.start()]);
      const ctx = systemContext();
      const run = newRun({ target: { kind: 'agent', name: 'echo' } });
      await storeOne.createRun(run, ctx);
      expect(await storeTwo.getRun(run.id, ctx)).toBeUndefined();
    });

    it('rejects a schema name that is not a plain lowercase identifier', () => {
      for (const schema of ['Bad', 'x;drop', '1abc', '']) {
        let error: unknown;
        try {
          new PostgresStore({ url: postgres.url, schema });
        } catch (caught) {
          error = caught;
        }
        expect(GatewayError.is(error) && error.code).toBe(ErrorCode.INVALID_ARGUMENT);
      }
    });

    it('fails to start with UNAVAILABLE when the server cannot be reached', async () => {
      const store = new PostgresStore({
        url: 'postgres://postgres@127.0.0.1:1/none',
        connectTimeoutMs: 1000,
      });
      stores.push(store);
      const error = await store.start().catch((caught: unknown) => caught);
      expect(GatewayError.is(error) && error.code).toBe(ErrorCode.UNAVAILABLE);
    });
  });

  describe('an idle connection the server ends', () => {
    it("is a warning in the gateway's log, and the store goes on with a new connection", async () => {
      // The gateway's own store (createStore), told by its URL which schema to use and how to name its
      // connections, so that only they are ended.
      const schema = uniqueTestSchema();
      const applicationName = `${schema}_pool`;
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const url = new URL(postgres.url);
      url.searchParams.set('application_name', applicationName);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const { logger, lines } = captureLog('warn');
      const store = createStore(loadConfig({ BZZZ_STORE_URL: url.toString() }), logger);
      try {
        await store.start();
        const ctx = systemContext();
        const run = newRun({ target: { kind: 'agent', name: 'echo' } });
        await store.createRun(run, ctx);

        const ended = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        expect(ended.rowCount).toBeGreaterThan(0);
        await vi.waitFor(
          () =>
            expect(lines).toContainEqual(
              expect.objectContaining({
                level: 40,
                component: 'store',
                msg: 'PostgreSQL ended an idle pooled connection; the next query opens a new one',
                error: expect.stringContaining('terminat'),
              }),
            ),
          { timeout: 5000, interval: 20 },
        );
        expect((await store.getRun(run.id, ctx))?.id).toBe(run.id);
      } finally {
        await store.close();
        await dropSchema(postgres.url, schema);
      }
    });
  });
});
