/**
 * The SQLite store against the shared store contract (a fresh file in a temp directory per test), plus
 * what is specific to SQLite: the file and its directory are created, data survives reopening, applied
 * migrations are not applied again, files of earlier releases are upgraded, every listing shape and
 * the lookup by idempotency key are served by an index, and the group commit
 * (writes of one tick share a transaction, each in its own savepoint; batches are bounded; `close()`
 * commits what is queued). (Write speed is measured in bench/, not asserted here.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/domain/call-context.js';
import { newArtifact } from '../../src/domain/artifact.js';
import { newRun, nextVersion, startRun, type Run } from '../../src/domain/run.js';
import { newStep } from '../../src/domain/step.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { runToRow, stepToRow } from '../../src/store/record-codec.js';
import { SQLITE_MIGRATIONS, applySqliteMigrations } from '../../src/store/sqlite/sqlite-migrations.js';
import {
  GET_RUN_BY_IDEMPOTENCY_KEY_SQL,
  LIST_UNFINISHED_RUNS_SQL,
  MAX_BATCH_WRITES,
  SqliteStore,
  listRunsSql,
  listSessionsSql,
  type ListQueryShape,
} from '../../src/store/sqlite/sqlite-store.js';
import { WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.js';
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

  async function open(file: string, busyTimeoutMs?: number): Promise<SqliteStore> {
    const store = await SqliteStore.open({ file, ...(busyTimeoutMs !== undefined && { busyTimeoutMs }) });
    stores.push(store);
    return store;
  }

  /** Counts rows through a connection of its own: what has been committed, not what is pending. */
  function committedCount(file: string, sql: string): number {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
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

  it('upgrades a file written before migration 2 (trace columns), keeping its rows', async () => {
    const file = path.join(dir, 'store.sqlite');
    const run = newRun({ target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'hi' }] } });
    const step = newStep({ runId: run.id, name: 'call echo', agent: 'echo' });
    // The file as a gateway of the previous release left it: migration 1 only, rows without a trace.
    const old = new Database(file);
    try {
      expect(
        applySqliteMigrations(
          old,
          SQLITE_MIGRATIONS.filter((m) => m.version < 2),
        ),
      ).toEqual([1]);
      const insert = (table: string, row: Record<string, unknown>): void => {
        // Without the columns later migrations add.
        const columns = Object.keys(row).filter(
          (c) => !['trace', 'idempotency_key', 'remote_task_id'].includes(c),
        );
        old
          .prepare(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
          )
          .run(Object.fromEntries(columns.map((c) => [c, row[c]])));
      };
      insert('runs', { ...runToRow(run) });
      insert('steps', { ...stepToRow(step, ctx.tenant) });
    } finally {
      old.close();
    }

    const store = await open(file);
    expect(migrationRows(file).map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const stored = await store.getRun(run.id, ctx);
    expect(stored).toStrictEqual(run);
    expect(stored).not.toHaveProperty('trace');
    expect(await store.listSteps(run.id, ctx)).toStrictEqual([step]);
    // The upgraded rows take a trace like new ones.
    const trace = { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1 };
    const traced = { ...nextVersion(startRun(run)), trace };
    const tracedStep = { ...step, trace: { ...trace, spanId: 'ef'.repeat(8) } };
    expect(await store.updateRun(traced, ctx, { step: tracedStep })).toBe(true);
    expect(await store.getRun(run.id, ctx)).toStrictEqual(traced);
    expect(await store.listSteps(run.id, ctx)).toStrictEqual([tracedStep]);
  });

  it('upgrades a file written before migrations 3 and 4 (idempotency keys, task ids), keeping its rows', async () => {
    const file = path.join(dir, 'store.sqlite');
    const trace = { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1 };
    const old = [1, 2].map((n) => ({
      ...newRun({ target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: `hi ${n}` }] } }),
      trace,
      remote: { taskId: `task-${n}` },
    }));
    // The file as the release before left it: migrations 1 and 2, runs without a key.
    const db = new Database(file);
    try {
      expect(
        applySqliteMigrations(
          db,
          SQLITE_MIGRATIONS.filter((m) => m.version < 3),
        ),
      ).toEqual([1, 2]);
      for (const run of old) {
        const row: Record<string, unknown> = { ...runToRow(run) };
        const columns = Object.keys(row).filter((c) => c !== 'idempotency_key' && c !== 'remote_task_id');
        db.prepare(
          `INSERT INTO runs (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
        ).run(Object.fromEntries(columns.map((c) => [c, row[c]])));
      }
    } finally {
      db.close();
    }

    const store = await open(file);
    expect(migrationRows(file).map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
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

  it('stores a large input out of the run row, reads it back every way, and keeps rows written before', async () => {
    const file = path.join(dir, 'store.sqlite');
    const largeText = 'é'.repeat(5000);
    // The file as the release before left it (migrations 1 to 4), with a large input in its row.
    const before = newRun({
      target: { kind: 'agent', name: 'echo' },
      input: { parts: [{ text: largeText }] },
    });
    const db = new Database(file);
    try {
      applySqliteMigrations(
        db,
        SQLITE_MIGRATIONS.filter((m) => m.version < 5),
      );
      const row: Record<string, unknown> = { ...runToRow(before) };
      const columns = Object.keys(row);
      db.prepare(
        `INSERT INTO runs (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
      ).run(row);
    } finally {
      db.close();
    }

    const store = await open(file);
    const large = {
      ...newRun({
        target: { kind: 'agent', name: 'echo' },
        input: { parts: [{ text: largeText }] },
        idempotencyKey: 'large',
      }),
      remote: { taskId: 'task-large' },
    };
    const small = newRun({ target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'hi' }] } });
    await store.createRun(large, ctx);
    await store.createRun(small, ctx);
    const started = nextVersion(startRun(large));
    expect(await store.updateRun(started, ctx)).toBe(true);

    const inRow = (id: string): unknown => {
      const reader = new Database(file, { readonly: true });
      try {
        return (reader.prepare('SELECT input FROM runs WHERE id = ?').get(id) as { input: unknown }).input;
      } finally {
        reader.close();
      }
    };
    expect(inRow(large.id)).toBeNull();
    expect(inRow(small.id)).toBe(JSON.stringify(small.input));
    expect(inRow(before.id)).toBe(JSON.stringify(before.input));
    expect(committedCount(file, 'SELECT count(*) AS n FROM run_inputs')).toBe(1);

    expect(await store.getRun(large.id, ctx)).toStrictEqual(started);
    expect(await store.getRun(before.id, ctx)).toStrictEqual(before);
    expect(await store.getRunByIdempotencyKey('large', ctx)).toStrictEqual(started);
    expect(await store.getRunByRemoteTask('echo', 'task-large', ctx)).toStrictEqual(started);
    expect((await store.listUnfinishedRuns()).map((r) => r.input)).toEqual([
      before.input,
      started.input,
      small.input,
    ]);
    expect((await store.listRuns({}, {}, ctx)).items.map((r) => r.id).sort()).toEqual(
      [before.id, large.id, small.id].sort(),
    );
    // A taken idempotency key stores nothing, not even the input.
    const again = { ...large, id: newRun({ target: large.target }).id };
    await expect(store.createRun(again, ctx)).rejects.toMatchObject({ code: ErrorCode.RUN_ALREADY_EXISTS });
    expect(committedCount(file, 'SELECT count(*) AS n FROM run_inputs')).toBe(1);
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
      // Unfinished runs: one seek per tenant, then that tenant's runs of each unfinished status.
      expect(plan(LIST_UNFINISHED_RUNS_SQL).join('\n')).toMatch(
        /SEARCH runs USING INDEX runs_tenant_status_created \(tenant=\? AND status=\?\)/,
      );
      // Listing by session goes through the session index, which holds runs in a session only.
      expect(plan(listRunsSql({ ...byStatus, statuses: 0, sessionId: true })).join('\n')).toContain(
        'runs_tenant_session_created',
      );
      // The lookup by idempotency key goes through its partial unique index.
      const byKey = db.prepare(`EXPLAIN QUERY PLAN ${GET_RUN_BY_IDEMPOTENCY_KEY_SQL}`).all('t', 'k') as {
        detail: string;
      }[];
      expect(byKey.map((p) => p.detail).join('\n')).toContain('runs_tenant_idempotency_key');
    } finally {
      db.close();
    }
  });

  describe('checkpoints', () => {
    const sizeOf = (file: string): number => (fs.existsSync(file) ? fs.statSync(file).size : 0);
    const bulkyRun = (): Run =>
      newRun({ target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'x'.repeat(2048) }] } });

    async function waitFor(condition: () => boolean): Promise<void> {
      for (let waited = 0; !condition(); waited += 10) {
        if (waited > 5000) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    /** Waits until `read` gives the same value for 100 ms (ten checkpoint intervals). */
    async function waitForStable(read: () => number): Promise<void> {
      let last = read();
      for (let waited = 0, stableFor = 0; stableFor < 100; waited += 20) {
        if (waited > 5000) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 20));
        const now = read();
        stableFor = now === last ? stableFor + 20 : 0;
        last = now;
      }
    }

    it('copies the log into the file from a worker while the writer is idle, and the log then starts over', async () => {
      const file = path.join(dir, 'store.sqlite');
      const store = await SqliteStore.open({ file, checkpointIntervalMs: 10 });
      stores.push(store);
      const wal = `${file}-wal`;
      // 200 runs of 2 KiB: well under SQLite's own 1,000-page checkpoint threshold, so nothing is
      // copied while committing; only a checkpoint from elsewhere can grow the file.
      await Promise.all(Array.from({ length: 200 }, bulkyRun).map((run) => store.createRun(run, ctx)));
      const fileAfterWrites = sizeOf(file);
      const walAfterWrites = sizeOf(wal);
      expect(walAfterWrites).toBeGreaterThan(400 * 1024);
      await waitFor(() => sizeOf(file) > fileAfterWrites + 400 * 1024);
      // A checkpoint may copy the log in several steps while the machine is busy: the log starts over
      // only once all of it is in the file, which has stopped growing then.
      await waitForStable(() => sizeOf(file));

      // Everything was copied: the next writes reuse the log from its start instead of growing it.
      await Promise.all(Array.from({ length: 200 }, bulkyRun).map((run) => store.createRun(run, ctx)));
      expect(sizeOf(wal)).toBeLessThan(walAfterWrites * 1.25);
      expect(committedCount(file, 'SELECT count(*) AS n FROM runs')).toBe(400);
    });

    it('keeps the log within its limit while the writer never pauses', async () => {
      const file = path.join(dir, 'store.sqlite');
      const walSizeLimitBytes = 256 * 1024;
      const store = await SqliteStore.open({ file, checkpointIntervalMs: 10, walSizeLimitBytes });
      stores.push(store);
      const wal = `${file}-wal`;
      // A commit every turn of the event loop, until 16 MiB of runs are written: a passive checkpoint
      // always finds frames committed after it began, so the log never starts over by itself, and grew
      // to several times what was written (94 MiB for 16 MiB) before the writer checkpointed past the limit.
      let largest = 0;
      let written = 0;
      while (written < 16 * 1024 * 1024) {
        await Promise.all(Array.from({ length: 8 }, bulkyRun).map((run) => store.createRun(run, ctx)));
        written += 8 * 2048;
        largest = Math.max(largest, sizeOf(wal));
      }
      expect(largest).toBeGreaterThan(walSizeLimitBytes);
      // Past the limit: what is committed in one of the worker's intervals and its checkpoint (4–7 MiB
      // at the most here, where the log grows by about 190 MiB/s).
      expect(largest).toBeLessThan(written);
      expect(committedCount(file, 'SELECT count(*) AS n FROM runs')).toBe(written / 2048);
    });

    it('stops the worker on close, leaving no log behind', async () => {
      const file = path.join(dir, 'store.sqlite');
      const store = await SqliteStore.open({ file, checkpointIntervalMs: 10 });
      await store.createRun(bulkyRun(), ctx);
      await store.close();
      expect(fs.existsSync(`${file}-wal`)).toBe(false);
      expect(committedCount(file, 'SELECT count(*) AS n FROM runs')).toBe(1);
    });

    it('lets a process with nothing else to do exit once closed', () => {
      // In its own process: only there can the event loop run empty. The checkpointer imports nothing
      // but Node's modules, so its source transpiled alone runs as it is; it sits under node_modules so
      // that it resolves better-sqlite3 as the store does.
      const root = path.resolve(import.meta.dirname, '../..');
      fs.mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
      const scriptDir = fs.mkdtempSync(path.join(root, 'node_modules', '.cache', 'bzzz-checkpointer-'));
      try {
        const source = fs.readFileSync(path.join(root, 'src/store/sqlite/wal-checkpointer.ts'), 'utf8');
        const compilerOptions = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
        fs.writeFileSync(
          path.join(scriptDir, 'wal-checkpointer.mjs'),
          ts.transpileModule(source, { compilerOptions }).outputText,
        );
        fs.writeFileSync(
          path.join(scriptDir, 'main.mjs'),
          [
            "import Database from 'better-sqlite3';",
            "import { WalCheckpointer } from './wal-checkpointer.mjs';",
            'const file = process.argv[2];',
            'const db = new Database(file);',
            "db.pragma('journal_mode = WAL');",
            "db.exec('CREATE TABLE t (x)');",
            'const checkpointer = await WalCheckpointer.start({',
            '  file, busyTimeoutMs: 100, logLimitBytes: 1048576, intervalMs: 10, onFailure: () => process.exit(3),',
            '});',
            "db.exec('INSERT INTO t VALUES (1)');",
            'checkpointer.committed();',
            'await checkpointer.close();',
            'db.close();',
            "console.log('closed');",
          ].join('\n'),
        );
        const child = spawnSync(
          process.execPath,
          [path.join(scriptDir, 'main.mjs'), path.join(dir, 'x.sqlite')],
          {
            encoding: 'utf8',
            timeout: 15_000,
          },
        );
        expect(child.stderr).toBe('');
        expect(child.stdout).toBe('closed\n');
        expect(child.status).toBe(0);
      } finally {
        fs.rmSync(scriptDir, { recursive: true, force: true });
      }
    });

    it('reports a worker that cannot open the file, so that the writer checkpoints itself', async () => {
      const failures: Error[] = [];
      const started = WalCheckpointer.start({
        file: dir, // a directory: SQLite cannot open it
        busyTimeoutMs: 100,
        logLimitBytes: 1024 * 1024,
        onFailure: (error) => failures.push(error),
      });
      await expect(started).rejects.toThrow('WAL checkpointer failed: SQLITE_CANTOPEN');
      expect(failures).toHaveLength(1);
    });
  });

  describe('group commit', () => {
    const echoRun = (): Run => newRun({ target: { kind: 'agent', name: 'echo' } });

    it('commits the writes of one tick together; a conflict or a failure reaches its own caller only', async () => {
      const file = path.join(dir, 'store.sqlite');
      const store = await open(file);
      const runs = Array.from({ length: 20 }, echoRun);
      await Promise.all(runs.map((run) => store.createRun(run, ctx)));
      const existing = newArtifact({
        name: 'first.txt',
        contentType: 'text/plain',
        location: { kind: 'inline', content: Uint8Array.from([1]) },
        sourceRunId: runs[0]!.id,
      });
      await store.putArtifact(existing, ctx);

      const conflicting = 7;
      const failing = 13;
      const started = runs.map((run) => nextVersion(startRun(run)));
      const steps = runs.map((run, i) => newStep({ runId: run.id, name: `step ${i}`, agent: 'echo' }));
      const duplicate = { ...existing, name: 'again.txt', sourceRunId: runs[failing]!.id };
      // All issued in one tick, so all in one batch. The failing write's run update and step succeed
      // before its artifact insert fails: only its savepoint keeps them from being committed.
      const writes = runs.map((_, i) =>
        i === failing
          ? store.updateRun({ ...started[i]!, artifactIds: [existing.id] }, ctx, {
              step: steps[i]!,
              artifact: duplicate,
            })
          : store.updateRun(started[i]!, ctx, { step: steps[i]! }),
      );
      // A second writer of the same version, later in the same batch: the first one got there first.
      const loserStep = newStep({ runId: runs[conflicting]!.id, name: 'loser', agent: 'echo' });
      const loser = store.updateRun(nextVersion(startRun(runs[conflicting]!)), ctx, { step: loserStep });
      const after = runs.map((_, i) => store.updateRun(nextVersion(started[i]!), ctx));

      const failure = await writes[failing]!.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(GatewayError.is(failure) && failure.code).toBe(ErrorCode.INTERNAL);
      expect(GatewayError.is(failure) && failure.details).toEqual({ artifact: existing.id });
      expect(await loser).toBe(false);
      const others = await Promise.all(writes.filter((_, i) => i !== failing));
      expect(others).toEqual(Array.from({ length: runs.length - 1 }, () => true));
      // Writes queued after a failed one in the same batch still run; this one's base never committed.
      expect(await Promise.all(after)).toEqual(runs.map((_, i) => i !== failing));

      for (const [i, run] of runs.entries()) {
        if (i === failing) continue;
        expect(await store.getRun(run.id, ctx)).toStrictEqual(nextVersion(started[i]!));
        expect(await store.listSteps(run.id, ctx)).toStrictEqual([steps[i]]);
      }
      expect(await store.getRun(runs[failing]!.id, ctx)).toStrictEqual(runs[failing]);
      expect(await store.listSteps(runs[failing]!.id, ctx)).toEqual([]);
      expect(await store.listArtifacts(runs[failing]!.id, ctx)).toEqual([]);
      expect((await store.getArtifact(existing.id, ctx))?.name).toBe('first.txt');
      expect(committedCount(file, 'SELECT count(*) AS n FROM runs WHERE version = 3')).toBe(runs.length - 1);
      expect(committedCount(file, 'SELECT count(*) AS n FROM steps')).toBe(runs.length - 1);
    });

    it('commits writes issued right before close()', async () => {
      const file = path.join(dir, 'store.sqlite');
      const store = await open(file);
      const run = echoRun();
      const running = nextVersion(startRun(run));
      const step = newStep({ runId: run.id, name: 'call echo', agent: 'echo' });
      const created = store.createRun(run, ctx);
      const updated = store.updateRun(running, ctx, { step });
      const closed = store.close();
      await created;
      expect(await updated).toBe(true);
      await closed;

      const reopened = await open(file);
      expect(await reopened.getRun(run.id, ctx)).toStrictEqual(running);
      expect(await reopened.listSteps(run.id, ctx)).toStrictEqual([step]);
    });

    it(`splits more than ${MAX_BATCH_WRITES} writes into several transactions and commits them all`, async () => {
      const file = path.join(dir, 'store.sqlite');
      const store = await open(file);
      const runs = Array.from({ length: MAX_BATCH_WRITES * 2 + 10 }, echoRun);
      const writes = runs.map((run) => store.createRun(run, ctx));
      // The first batch's callers hear back before the next batch runs: the last write of the first
      // batch is readable then, the first write of the second not yet.
      const seenByFirstCaller = writes[0]!.then(() =>
        Promise.all([
          store.getRun(runs[MAX_BATCH_WRITES - 1]!.id, ctx),
          store.getRun(runs[MAX_BATCH_WRITES]!.id, ctx),
        ]),
      );
      await Promise.all(writes);
      const [lastOfFirst, firstOfSecond] = await seenByFirstCaller;
      expect(lastOfFirst).toStrictEqual(runs[MAX_BATCH_WRITES - 1]);
      expect(firstOfSecond).toBeUndefined();

      expect((await store.listRuns({}, { pageSize: 1000 }, ctx)).items).toHaveLength(runs.length);
      expect(committedCount(file, 'SELECT count(*) AS n FROM runs')).toBe(runs.length);
    });

    it('fails every write of a batch whose transaction cannot start, and writes none of them', async () => {
      const file = path.join(dir, 'store.sqlite');
      const store = await open(file, 20);
      const runs = Array.from({ length: 3 }, echoRun);
      // Another connection holds the write lock past the busy timeout.
      const blocker = new Database(file);
      blocker.exec('BEGIN IMMEDIATE');
      let results: PromiseSettledResult<void>[];
      try {
        results = await Promise.allSettled(runs.map((run) => store.createRun(run, ctx)));
      } finally {
        blocker.exec('ROLLBACK');
        blocker.close();
      }
      for (const result of results) {
        expect(result.status).toBe('rejected');
        const reason = (result as PromiseRejectedResult).reason as unknown;
        expect(GatewayError.is(reason) && reason.code).toBe(ErrorCode.UNAVAILABLE);
      }
      expect(committedCount(file, 'SELECT count(*) AS n FROM runs')).toBe(0);
      // The store is still usable once the lock is released.
      await store.createRun(runs[0]!, ctx);
      expect(await store.getRun(runs[0]!.id, ctx)).toStrictEqual(runs[0]);
    });
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
