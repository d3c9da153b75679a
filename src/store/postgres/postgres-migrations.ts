/**
 * The PostgreSQL schema as an ordered list of numbered migrations, and the code that applies the pending
 * ones. Each pending migration runs in its own transaction that first takes a transaction-scoped
 * advisory lock (`pg_advisory_xact_lock`), so replicas starting at the same time wait for each other
 * instead of racing; the applied versions are recorded in `schema_migrations`. Released migrations are
 * never edited. The row layout is in ../record-codec.ts; SQLite has its own list in
 * ../sqlite/sqlite-migrations.ts.
 *
 * Text that is compared or sorted (ids, tenants, timestamps, names) uses the "C" collation: byte order,
 * the same order as SQLite and the in-memory store, and ISO-8601 timestamps sort chronologically in it.
 */
import type { PoolClient } from 'pg';

export interface PostgresMigration {
  /** 1, 2, 3, … in order, never reused. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'runs, steps, sessions, artifacts and agents',
    sql: `
      CREATE TABLE runs (
        id            text COLLATE "C" NOT NULL PRIMARY KEY,
        tenant        text COLLATE "C" NOT NULL,
        status        text COLLATE "C" NOT NULL,
        target        jsonb   NOT NULL,
        agent_name    text COLLATE "C",
        runtime_kind  text    NOT NULL,
        session_id    text COLLATE "C",
        created_at    text COLLATE "C" NOT NULL,
        started_at    text,
        finished_at   text,
        timeout_ms    bigint,
        error         jsonb,
        artifact_ids  jsonb   NOT NULL,
        input         jsonb,
        remote        jsonb,
        version       integer NOT NULL,
        updated_at    text    NOT NULL,
        UNIQUE (tenant, id)
      );
      CREATE INDEX runs_tenant_created ON runs (tenant, created_at, id);
      CREATE INDEX runs_tenant_status_created ON runs (tenant, status, created_at, id);
      CREATE INDEX runs_tenant_agent_created ON runs (tenant, agent_name, created_at, id);
      CREATE INDEX runs_tenant_session_created ON runs (tenant, session_id, created_at, id);
      -- listUnfinishedRuns, across tenants; partial, so finished runs (the bulk) are not in it.
      CREATE INDEX runs_unfinished ON runs (created_at, id)
        WHERE status IN ('pending', 'running', 'input_required', 'auth_required');

      CREATE TABLE steps (
        id                  text COLLATE "C" NOT NULL PRIMARY KEY,
        run_id              text COLLATE "C" NOT NULL,
        tenant              text COLLATE "C" NOT NULL,
        step_index          integer NOT NULL,
        status              text    NOT NULL,
        name                text    NOT NULL,
        agent               text    NOT NULL,
        created_at          text    NOT NULL,
        started_at          text,
        finished_at         text,
        error               jsonb,
        output_artifact_ids jsonb   NOT NULL,
        remote              jsonb,
        FOREIGN KEY (tenant, run_id) REFERENCES runs (tenant, id) ON DELETE CASCADE
      );
      CREATE INDEX steps_tenant_run_index ON steps (tenant, run_id, step_index, id);

      CREATE TABLE sessions (
        id          text COLLATE "C" NOT NULL PRIMARY KEY,
        tenant      text COLLATE "C" NOT NULL,
        status      text COLLATE "C" NOT NULL,
        name        text NOT NULL,
        created_at  text COLLATE "C" NOT NULL,
        ended_at    text
      );
      CREATE INDEX sessions_tenant_created ON sessions (tenant, created_at, id);
      CREATE INDEX sessions_tenant_status_created ON sessions (tenant, status, created_at, id);

      -- seq is insertion order, which breaks createdAt ties in listArtifacts.
      CREATE TABLE artifacts (
        seq                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id                  text COLLATE "C" NOT NULL UNIQUE,
        tenant              text COLLATE "C" NOT NULL,
        name                text    NOT NULL,
        content_type        text    NOT NULL,
        size                bigint  NOT NULL,
        location_kind       text    NOT NULL,
        location_ref        text,
        content             bytea,
        checksum            jsonb,
        created_at          text COLLATE "C" NOT NULL,
        source_run_id       text COLLATE "C",
        source_step_id      text,
        remote_artifact_id  text
      );
      CREATE INDEX artifacts_tenant_run_created ON artifacts (tenant, source_run_id, created_at, seq);

      CREATE TABLE agents (
        tenant            text COLLATE "C" NOT NULL,
        name              text COLLATE "C" NOT NULL,
        url               text   NOT NULL,
        card_url          text   NOT NULL,
        card              jsonb  NOT NULL,
        endpoint          jsonb  NOT NULL,
        labels            jsonb  NOT NULL,
        credentials       jsonb,
        health            text   NOT NULL,
        health_reason     text,
        heartbeat_ttl_ms  bigint,
        last_heartbeat_at text,
        last_checked_at   text,
        registered_at     text   NOT NULL,
        updated_at        text   NOT NULL,
        PRIMARY KEY (tenant, name)
      );
    `,
  },
  {
    version: 2,
    name: 'trace context of runs and steps',
    // Nullable, no default: a metadata-only change, and rows written before it read back without a trace.
    sql: `
      ALTER TABLE runs ADD COLUMN trace jsonb;
      ALTER TABLE steps ADD COLUMN trace jsonb;
    `,
  },
  {
    version: 3,
    name: 'idempotency keys of runs',
    // Nullable, no default: a metadata-only change. The partial unique index leaves runs without a key
    // out, so any number of them can exist; createRun names its predicate in ON CONFLICT. Building it
    // blocks writes to runs while it scans the table (CONCURRENTLY cannot run in a transaction).
    sql: `
      ALTER TABLE runs ADD COLUMN idempotency_key text COLLATE "C";
      CREATE UNIQUE INDEX runs_tenant_idempotency_key ON runs (tenant, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: "agents' task ids of runs",
    // Filled from the JSON column for runs written before; partial, as most runs of other targets have none.
    sql: `
      ALTER TABLE runs ADD COLUMN remote_task_id text COLLATE "C";
      UPDATE runs SET remote_task_id = remote::jsonb ->> 'taskId' WHERE remote IS NOT NULL;
      CREATE INDEX runs_tenant_agent_remote_task ON runs (tenant, agent_name, remote_task_id, created_at)
        WHERE remote_task_id IS NOT NULL;
    `,
  },
  {
    version: 5,
    name: 'the session index holds runs in a session only',
    // Most runs are in no session; every such run cost a write to this index, which listing by session
    // never reads.
    sql: `
      DROP INDEX runs_tenant_session_created;
      CREATE INDEX runs_tenant_session_created ON runs (tenant, session_id, created_at, id)
        WHERE session_id IS NOT NULL;
    `,
  },
];

/** First key of the two-key advisory lock; the second is a hash of the schema name. */
const MIGRATION_LOCK_CLASS = 0x627a7a7a; // 'bzzz'

/**
 * Applies every migration not recorded in `schema_migrations` of the client's current schema, each in
 * its own transaction under the advisory lock (taken only when something is pending). When `createSchema` is given, that schema is created
 * first (under the same lock). Returns the versions applied.
 */
export async function applyPostgresMigrations(
  client: PoolClient,
  options: { readonly schema: string; readonly createSchema: boolean },
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  // The common case, a restart of a current schema, needs neither the lock nor a transaction.
  const known = await appliedVersions(client);
  if (known !== undefined && ordered.every((m) => known.has(m.version))) return [];

  const lock = async (): Promise<void> => {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      MIGRATION_LOCK_CLASS,
      options.schema,
    ]);
  };
  await inTransaction(client, async () => {
    await lock();
    if (options.createSchema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer NOT NULL PRIMARY KEY,
        name       text    NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
    `);
  });
  const applied: number[] = [];
  for (const migration of ordered) {
    const didApply = await inTransaction(client, async () => {
      await lock();
      // Checked under the lock: another replica may have applied it while we waited.
      const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (done.rowCount !== 0) return false;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return applied;
}

/** The versions in `schema_migrations`, or undefined when the table does not exist yet. */
async function appliedVersions(client: PoolClient): Promise<ReadonlySet<number> | undefined> {
  const table = await client.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (table.rows[0]?.present !== true) return undefined;
  const rows = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.rows.map((r) => r.version));
}

async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
