/**
 * The SQLite schema as an ordered list of numbered migrations, and the code that applies the pending
 * ones. Applied migrations are recorded in `schema_migrations`; each pending one runs in its own
 * IMMEDIATE transaction (which takes the write lock, so two processes opening the same file cannot
 * apply the same step twice). A migration, once released, is never edited: changes are new entries.
 * The row layout the statements read and write is in ../record-codec.ts; PostgreSQL has its own list in
 * ../postgres/postgres-migrations.ts.
 */
import type { Database } from 'better-sqlite3';

export interface SqliteMigration {
  /** 1, 2, 3, … in order, never reused. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'runs, steps, sessions, artifacts and agents',
    sql: `
      CREATE TABLE runs (
        id            TEXT    NOT NULL PRIMARY KEY,
        tenant        TEXT    NOT NULL,
        status        TEXT    NOT NULL,
        target        TEXT    NOT NULL,
        agent_name    TEXT,
        runtime_kind  TEXT    NOT NULL,
        session_id    TEXT,
        created_at    TEXT    NOT NULL,
        started_at    TEXT,
        finished_at   TEXT,
        timeout_ms    INTEGER,
        error         TEXT,
        artifact_ids  TEXT    NOT NULL,
        input         TEXT,
        remote        TEXT,
        version       INTEGER NOT NULL,
        updated_at    TEXT    NOT NULL,
        UNIQUE (tenant, id)
      );
      -- listRuns: always by tenant, newest first, optionally narrowed by one of these columns.
      CREATE INDEX runs_tenant_created ON runs (tenant, created_at, id);
      CREATE INDEX runs_tenant_status_created ON runs (tenant, status, created_at, id);
      CREATE INDEX runs_tenant_agent_created ON runs (tenant, agent_name, created_at, id);
      CREATE INDEX runs_tenant_session_created ON runs (tenant, session_id, created_at, id);
      -- listUnfinishedRuns, across tenants. Partial: finished runs (the bulk) are not in it. The query
      -- repeats this exact condition, which is what lets SQLite use the index.
      CREATE INDEX runs_unfinished ON runs (created_at, id)
        WHERE status IN ('pending', 'running', 'input_required', 'auth_required');

      CREATE TABLE steps (
        id                  TEXT    NOT NULL PRIMARY KEY,
        run_id              TEXT    NOT NULL,
        tenant              TEXT    NOT NULL,
        step_index          INTEGER NOT NULL,
        status              TEXT    NOT NULL,
        name                TEXT    NOT NULL,
        agent               TEXT    NOT NULL,
        created_at          TEXT    NOT NULL,
        started_at          TEXT,
        finished_at         TEXT,
        error               TEXT,
        output_artifact_ids TEXT    NOT NULL,
        remote              TEXT,
        FOREIGN KEY (tenant, run_id) REFERENCES runs (tenant, id) ON DELETE CASCADE
      );
      CREATE INDEX steps_tenant_run_index ON steps (tenant, run_id, step_index, id);

      CREATE TABLE sessions (
        id          TEXT NOT NULL PRIMARY KEY,
        tenant      TEXT NOT NULL,
        status      TEXT NOT NULL,
        name        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        ended_at    TEXT
      );
      CREATE INDEX sessions_tenant_created ON sessions (tenant, created_at, id);
      CREATE INDEX sessions_tenant_status_created ON sessions (tenant, status, created_at, id);

      -- seq is the rowid: insertion order, which breaks createdAt ties in listArtifacts.
      CREATE TABLE artifacts (
        seq                 INTEGER PRIMARY KEY,
        id                  TEXT    NOT NULL UNIQUE,
        tenant              TEXT    NOT NULL,
        name                TEXT    NOT NULL,
        content_type        TEXT    NOT NULL,
        size                INTEGER NOT NULL,
        location_kind       TEXT    NOT NULL,
        location_ref        TEXT,
        content             BLOB,
        checksum            TEXT,
        created_at          TEXT    NOT NULL,
        source_run_id       TEXT,
        source_step_id      TEXT,
        remote_artifact_id  TEXT
      );
      CREATE INDEX artifacts_tenant_run_created ON artifacts (tenant, source_run_id, created_at, seq);

      CREATE TABLE agents (
        tenant            TEXT    NOT NULL,
        name              TEXT    NOT NULL,
        url               TEXT    NOT NULL,
        card_url          TEXT    NOT NULL,
        card              TEXT    NOT NULL,
        endpoint          TEXT    NOT NULL,
        labels            TEXT    NOT NULL,
        credentials       TEXT,
        health            TEXT    NOT NULL,
        health_reason     TEXT,
        heartbeat_ttl_ms  INTEGER,
        last_heartbeat_at TEXT,
        last_checked_at   TEXT,
        registered_at     TEXT    NOT NULL,
        updated_at        TEXT    NOT NULL,
        PRIMARY KEY (tenant, name)
      );
    `,
  },
  {
    version: 2,
    name: 'trace context of runs and steps',
    // Nullable, no default: rows written before this migration read back without a trace.
    sql: `
      ALTER TABLE runs ADD COLUMN trace TEXT;
      ALTER TABLE steps ADD COLUMN trace TEXT;
    `,
  },
  {
    version: 3,
    name: 'idempotency keys of runs',
    // Nullable: runs without a key (all those written before) read back without one. Partial: runs
    // without a key are not in the index, so any number of them can exist.
    sql: `
      ALTER TABLE runs ADD COLUMN idempotency_key TEXT;
      CREATE UNIQUE INDEX runs_tenant_idempotency_key ON runs (tenant, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: "agents' task ids of runs",
    // Filled from the JSON column for runs written before; partial, as most runs of other targets have none.
    sql: `
      ALTER TABLE runs ADD COLUMN remote_task_id TEXT;
      UPDATE runs SET remote_task_id = json_extract(remote, '$.taskId') WHERE remote IS NOT NULL;
      CREATE INDEX runs_tenant_agent_remote_task ON runs (tenant, agent_name, remote_task_id, created_at)
        WHERE remote_task_id IS NOT NULL;
    `,
  },
  {
    version: 5,
    name: 'large run inputs out of the runs table',
    // Inputs written before stay in runs.input; the store reads the row's input, else this one.
    sql: `
      CREATE TABLE run_inputs (
        run_id TEXT NOT NULL PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
        input  TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'the session index holds runs in a session only',
    // Most runs are in no session; every such run cost a write to this index, which listing by session
    // never reads.
    sql: `
      DROP INDEX runs_tenant_session_created;
      CREATE INDEX runs_tenant_session_created ON runs (tenant, session_id, created_at, id)
        WHERE session_id IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'unfinished runs found through the status index',
    // listUnfinishedRuns walks the tenants and searches each one's status index instead.
    sql: `DROP INDEX runs_unfinished;`,
  },
];

/**
 * Creates `schema_migrations` if needed and applies every migration of `migrations` not recorded there,
 * in version order. Returns the versions it applied (empty when the schema was already current).
 */
export function applySqliteMigrations(
  db: Database,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
): number[] {
  db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER NOT NULL PRIMARY KEY,
      name       TEXT    NOT NULL,
      applied_at TEXT    NOT NULL
    )
  `);
  const isApplied = db.prepare<[number], { version: number }>(
    'SELECT version FROM schema_migrations WHERE version = ?',
  );
  const record = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const applied: number[] = [];
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  for (const migration of ordered) {
    const apply = db.transaction(() => {
      // Checked inside the write lock: another process may have applied it since we looked.
      if (isApplied.get(migration.version) !== undefined) return false;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      return true;
    });
    if (apply.immediate()) applied.push(migration.version);
  }
  return applied;
}
