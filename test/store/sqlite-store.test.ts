/**
 * The SQLite store against the shared store contract (a fresh file in a temp directory per test), plus
 * what is specific to SQLite: the file and its directory are created, data survives reopening, applied
 * migrations are not applied again, and every listing shape is served by an index. (Write speed is
 * measured in bench/, not asserted here.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/domain/call-context.js';
import { newRun } from '../../src/domain/run.js';
import { newStep } from '../../src/domain/step.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import {
  LIST_UNFINISHED_RUNS_SQL,
  SqliteStore,
  listRunsSql,
  listSessionsSql,
  type ListQueryShape,
} from '../../src/store/sqlite/sqlite-store.js';
import { describeStoreContract } from './store-contract.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bzzz-sqlite-'));
}

describeStoreContract('SqliteStore', async () => {
  const dir = tempDir();
  const store = await SqliteStore.open({ file: path.join(dir, 'store.sqlite') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStore on disk', () => {
  let dir: string;
  const stores: SqliteStore[] = [];
  const ctx = systemContext();

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(file: string): Promise<SqliteStore> {
    const store = await SqliteStore.open({ file });
    stores.push(store);
    return store;
  }

  function migrationRows(file: string): { version: number; applied_at: string }[] {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all() as {
        version: number;
        applied_at: string;
      }[];
    } finally {
      db.close();
    }
  }

  it('creates missing parent directories and opens the file in WAL mode', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'store.sqlite');
    await open(file);
    expect(fs.existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('supports constructing and then starting; start() is idempotent; calls before start fail', async () => {
    const store = new SqliteStore({ file: path.join(dir, 'store.sqlite') });
    stores.push(store);
    const error = await store.getRun('x', ctx).catch((caught: unknown) => caught);
    expect(GatewayError.is(error) && error.code).toBe(ErrorCode.UNAVAILABLE);
    const started = store.start();
    expect(store.start()).toBe(started);
    await started;
    expect(await store.getRun('x', ctx)).toBeUndefined();
  });

  it('keeps runs, steps and agents across closing and reopening the file', async () => {
    const file = path.join(dir, 'store.sqlite');
    const first = await open(file);
    const run = newRun({ target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'hi' }] } });
    await first.createRun(run, ctx);
    const step = newStep({ runId: run.id, name: 'call echo', agent: 'echo' });
    await first.putStep(step, ctx);
    await first.close();

    const second = await open(file);
    expect(await second.getRun(run.id, ctx)).toStrictEqual(run);
    expect(await second.listSteps(run.id, ctx)).toStrictEqual([step]);
    expect((await second.listRuns({}, {}, ctx)).items.map((r) => r.id)).toEqual([run.id]);
    expect((await second.listUnfinishedRuns()).map((r) => r.id)).toEqual([run.id]);
  });

  it('records each migration once and does not apply it again on reopen', async () => {
    const file = path.join(dir, 'store.sqlite');
    const first = await open(file);
    await first.close();
    const before = migrationRows(file);
    expect(before.map((r) => r.version)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));

    const second = await open(file);
    await second.close();
    expect(migrationRows(file)).toEqual(before);
  });

  it('serves every listing shape from an index, never a table scan', async () => {
    const file = path.join(dir, 'store.sqlite');
    await (await open(file)).close();
    const db = new Database(file, { readonly: true });
    const plan = (sql: string): string[] =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(planParams) as { detail: string }[]).map((p) => p.detail);
    try {
      const flags = ['agent', 'sessionId', 'createdAfter', 'createdBefore', 'cursor'] as const;
      for (let mask = 0; mask < 1 << flags.length; mask += 1) {
        for (const statuses of [0, 1, 3]) {
          const shape = {
            ...(Object.fromEntries(flags.map((f, i) => [f, (mask & (1 << i)) !== 0])) as Record<
              (typeof flags)[number],
              boolean
            >),
            statuses,
          } satisfies ListQueryShape;
          for (const sql of [listRunsSql(shape), listSessionsSql(shape), LIST_UNFINISHED_RUNS_SQL]) {
            const details = plan(sql);
            expect(
              details.filter((d) => /^SCAN (runs|sessions)\b/.test(d) && !d.includes('USING')),
              `${sql}\n${details.join('\n')}`,
            ).toEqual([]);
          }
        }
      }
      // Filtering by status alone goes through the status index, not a walk over all of a tenant's runs.
      const byStatus = {
        statuses: 1,
        agent: false,
        sessionId: false,
        createdAfter: false,
        createdBefore: false,
        cursor: false,
      };
      expect(plan(listRunsSql(byStatus)).join('\n')).toContain('runs_tenant_status_created');
      expect(plan(listSessionsSql(byStatus)).join('\n')).toContain('sessions_tenant_status_created');
      expect(plan(LIST_UNFINISHED_RUNS_SQL).join('\n')).toContain('runs_unfinished');
    } finally {
      db.close();
    }
  });
});

const planParams = {
  tenant: 't',
  status_0: 'running',
  status_1: 'failed',
  status_2: 'completed',
  agent: 'a',
  session_id: 's',
  created_after: '2025',
  created_before: '2026',
  cursor_created_at: '2025',
  cursor_id: 'x',
  limit: 10,
};
