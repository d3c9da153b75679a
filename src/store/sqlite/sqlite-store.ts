/**
 * `SqliteStore`: the storage port on one SQLite file through better-sqlite3, the gateway's default
 * store. The connection runs in WAL mode with `synchronous=NORMAL` (durable across process crashes, a
 * power loss may drop the last commits), foreign keys on and a busy timeout; its write-ahead log is
 * checkpointed by a worker thread, not by the commits (./wal-checkpointer.ts). `start()` creates the
 * file's directory, opens it, applies pending migrations (./sqlite-migrations.ts) and prepares every
 * statement once; no call prepares SQL except the first `listRuns`/`listSessions` of each filter shape,
 * whose statements are cached. Rows are mapped by ../record-codec.ts.
 *
 * Group commit. A commit costs far more than the few indexed writes in it (a run takes about eight
 * writes, and with one commit each, committing was a quarter of the gateway's CPU time), so writes are
 * not committed one by one: each write call is queued, and the queue is flushed on the next
 * `setImmediate` (after the event loop has handled the I/O at hand, so everything issued meanwhile is
 * one batch), at most `MAX_BATCH_WRITES` writes per transaction. A write that fails (a constraint)
 * rolls back alone and only its caller hears of it (see `prepareBatchTransaction`): `updateRun`'s run,
 * step and artifact are still written together or not at all. A caller's promise settles after the
 * batch has committed, so a read after an awaited write sees it; if the COMMIT itself fails, every
 * caller of the batch gets that error. Reads are not queued: they run at once against what has been
 * committed. `close()` flushes the queue first.
 *
 * better-sqlite3 is synchronous and has no way to interrupt a statement, so `ctx.signal` is not
 * consulted: every statement here is a short indexed lookup or write, and a write once begun is allowed
 * to finish (a cancelled run must still be able to record that it was cancelled).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RegisteredAgent } from '../../domain/agent.js';
import type { Artifact } from '../../domain/artifact.js';
import type { CallContext } from '../../domain/call-context.js';
import { RUN_STATUSES, isTerminalRunStatus, type Run } from '../../domain/run.js';
import { SESSION_STATUSES, type Session } from '../../domain/session.js';
import type { Step } from '../../domain/step.js';
import { ErrorCode, GatewayError, notFound } from '../../errors/gateway-error.js';
import { clampPageSize, decodePageToken, pageOf } from '../page-token.js';
import {
  AGENT_COLUMNS,
  ARTIFACT_COLUMNS,
  RUN_COLUMNS,
  RUN_UPDATE_COLUMNS,
  SESSION_COLUMNS,
  STEP_COLUMNS,
  STEP_IDENTITY_COLUMNS,
  STEP_IDENTITY_MATCH,
  agentToRow,
  artifactToRow,
  rowToAgent,
  rowToArtifact,
  rowToRun,
  rowToSession,
  rowToStep,
  runToRow,
  runToUpdateRow,
  type RunUpdateRow,
  sessionToRow,
  stepToRow,
  type AgentRow,
  type ArtifactRow,
  type RunRow,
  type SessionRow,
  type StepRow,
} from '../record-codec.js';
import { assertTenantMatches, duplicateId, runAlreadyExists, storeNotOpen } from '../store-guards.js';
import type { Page, PageRequest, RunChanges, RunFilter, SessionFilter, Store } from '../store.js';
import { applySqliteMigrations } from './sqlite-migrations.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export interface SqliteStoreOptions {
  /** The database file; its directory is created if missing. `:memory:` gives a private in-memory database. */
  readonly file: string;
  /** How long a statement waits for another process's write lock before failing. @default 5000 */
  readonly busyTimeoutMs?: number;
  /** How often, at most, the WAL is checkpointed while writes keep coming (see ./wal-checkpointer.ts). @default 100 */
  readonly checkpointIntervalMs?: number;
  /**
   * How large the write-ahead log may grow before the writer makes it start over (see
   * ./wal-checkpointer.ts), and what it is truncated to then. @default 64 MiB
   */
  readonly walSizeLimitBytes?: number;
}

/** Which optional conditions a list query has; each combination is one cached statement. */
export interface ListQueryShape {
  /** How many statuses are matched (`@status_0` …); 0 when not filtering by status. */
  readonly statuses: number;
  readonly agent: boolean;
  readonly sessionId: boolean;
  readonly createdAfter: boolean;
  readonly createdBefore: boolean;
  readonly cursor: boolean;
}

/**
 * A run input whose JSON is longer than this is stored in `run_inputs` (migration 5) instead of in the
 * run's row. SQLite rewrites the whole record when any column of a row changes, overflow pages included:
 * with a 64 KiB input in the row, the UPDATE that records a run's progress took 0.53 ms instead of
 * 0.025 ms (docs/benchmarks.md), and every run is updated after it is created. Small inputs stay in
 * the row, which saves a second insert per run. PostgreSQL needs none of this: it keeps large values
 * out of line (TOAST), and an update that does not change one keeps its pointer.
 */
const INLINE_INPUT_MAX_CHARS = 4096;

/** Every run column, the input from the row or else from `run_inputs`; conditions may follow. */
const RUN_SELECT_LIST = RUN_COLUMNS.map((c) =>
  c === 'input' ? 'coalesce(runs.input, run_inputs.input) AS input' : `runs.${c}`,
).join(', ');
const SELECT_RUNS = `SELECT ${RUN_SELECT_LIST} FROM runs LEFT JOIN run_inputs ON run_inputs.run_id = runs.id`;

const cols = (columns: readonly string[]): string => columns.join(', ');
const params = (columns: readonly string[]): string => columns.map((c) => `@${c}`).join(', ');
const assignments = (columns: readonly string[]): string => columns.map((c) => `${c} = @${c}`).join(', ');

/** Conditions shared by the runs and sessions listings: statuses, time bounds and the page cursor. */
function listConditions(shape: ListQueryShape): string[] {
  const where = ['tenant = @tenant'];
  // Placeholders rather than one bound list, so the planner can use the (tenant, status, …) index; the
  // statuses are deduplicated known values, so there are few distinct statements.
  if (shape.statuses > 0) {
    where.push(`status IN (${Array.from({ length: shape.statuses }, (_, i) => `@status_${i}`).join(', ')})`);
  }
  if (shape.agent) where.push('agent_name = @agent');
  if (shape.sessionId) where.push('session_id = @session_id');
  if (shape.createdAfter) where.push('created_at >= @created_after');
  if (shape.createdBefore) where.push('created_at < @created_before');
  if (shape.cursor) where.push('(created_at, id) < (@cursor_created_at, @cursor_id)');
  return where;
}

/**
 * The SQL of a `listRuns` query of the given shape: newest first, keyset-paged, `@limit` rows.
 * Exported for the query-plan test, which checks that every shape is served by an index.
 */
export function listRunsSql(shape: ListQueryShape): string {
  return `${SELECT_RUNS} WHERE ${listConditions(shape).join(' AND ')}
    ORDER BY created_at DESC, id DESC LIMIT @limit`;
}

/** The SQL of a `listSessions` query: sessions filter by status only. */
export function listSessionsSql(shape: Pick<ListQueryShape, 'statuses' | 'cursor'>): string {
  const conditions = listConditions({
    statuses: shape.statuses,
    cursor: shape.cursor,
    agent: false,
    sessionId: false,
    createdAfter: false,
    createdBefore: false,
  });
  return `SELECT ${cols(SESSION_COLUMNS)} FROM sessions WHERE ${conditions.join(' AND ')}
    ORDER BY created_at DESC, id DESC LIMIT @limit`;
}

const UNFINISHED_STATUSES = RUN_STATUSES.filter((s) => !isTerminalRunStatus(s));

/**
 * Every tenant's unfinished runs, oldest first: what recovery reads at start. The tenants are walked one
 * index seek each (the recursive CTE, a skip scan over `UNIQUE (tenant, id)`), and each tenant's
 * unfinished runs found through `runs_tenant_status_created`; CROSS JOIN holds SQLite to that order,
 * where it would rather scan the whole status index. This replaced a partial index of their own
 * (migration 7), which every run entered when created and left when finished: two pages written per
 * run. Exported for the query-plan test.
 */
export const LIST_UNFINISHED_RUNS_SQL = `WITH RECURSIVE tenants (tenant) AS (
    SELECT (SELECT tenant FROM runs ORDER BY tenant LIMIT 1)
    UNION ALL
    SELECT (SELECT runs.tenant FROM runs WHERE runs.tenant > tenants.tenant ORDER BY runs.tenant LIMIT 1)
    FROM tenants WHERE tenants.tenant IS NOT NULL
  )
  SELECT ${RUN_SELECT_LIST} FROM tenants CROSS JOIN runs ON runs.tenant = tenants.tenant
  LEFT JOIN run_inputs ON run_inputs.run_id = runs.id
  WHERE runs.status IN (${UNFINISHED_STATUSES.map((s) => `'${s}'`).join(', ')})
  ORDER BY runs.created_at, runs.id`;

/**
 * A tenant's run by idempotency key, served by the partial index `runs_tenant_idempotency_key` (the
 * equality implies its `IS NOT NULL`). Exported for the query-plan test.
 */
export const GET_RUN_BY_IDEMPOTENCY_KEY_SQL = `${SELECT_RUNS}
  WHERE tenant = ? AND idempotency_key = ?`;

export const GET_RUN_BY_REMOTE_TASK_SQL = `${SELECT_RUNS}
  WHERE tenant = ? AND agent_name = ? AND remote_task_id = ?
  ORDER BY created_at DESC, id DESC LIMIT 1`;

type Params = Record<string, string | number | null>;

/**
 * The filter's statuses that can match anything, deduplicated: undefined when there is no status filter
 * (absent or empty), an empty list when it names only unknown statuses (nothing can match).
 */
function knownStatuses(
  wanted: readonly string[] | undefined,
  known: readonly string[],
): string[] | undefined {
  if (wanted === undefined || wanted.length === 0) return undefined;
  return known.filter((status) => wanted.includes(status));
}

function statusParams(statuses: readonly string[] | undefined): Params {
  return Object.fromEntries((statuses ?? []).map((status, i) => [`status_${i}`, status]));
}
type StatementOf<P, R = unknown> = Database.Statement<[P], R>;

/**
 * The columns of `RUN_UPDATE_COLUMNS` that an index holds (status: `runs_tenant_status_created`;
 * remote_task_id: `runs_tenant_agent_remote_task`). SQLite rewrites a row's
 * entry in every index over a column an UPDATE assigns, even to the value it already has (in a
 * micro-benchmark, 63 µs per update assigning them unchanged against 24 µs not assigning them), so an
 * update assigns them only when they change; most do not (a run's task id arrives once, its status
 * changes at its start and its end). The writes of a run took 3–7 % less CPU (docs/benchmarks.md).
 */
const INDEXED_RUN_UPDATE_COLUMNS = ['status', 'remote_task_id'] as const satisfies readonly RunUpdateColumn[];
type RunUpdateColumn = (typeof RUN_UPDATE_COLUMNS)[number];
type IndexedRunUpdateColumn = (typeof INDEXED_RUN_UPDATE_COLUMNS)[number];
const isIndexed = (c: RunUpdateColumn): c is IndexedRunUpdateColumn =>
  (INDEXED_RUN_UPDATE_COLUMNS as readonly string[]).includes(c);

/** Each subset of the indexed columns, in their order: an update statement assigns one and no other. */
const INDEXED_RUN_UPDATE_SUBSETS: readonly (readonly IndexedRunUpdateColumn[])[] = [
  [],
  ['status'],
  ['remote_task_id'],
  ['status', 'remote_task_id'],
];

/** Every fixed statement, prepared once at start. */
function prepareStatements(db: Database.Database) {
  return {
    // A taken idempotency key inserts nothing (0 changes) rather than failing, so the caller can tell
    // it from a taken id, which still fails.
    insertRun: db.prepare<[RunRow]>(
      `INSERT INTO runs (${cols(RUN_COLUMNS)}) VALUES (${params(RUN_COLUMNS)})
       ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
    ),
    indexedRunColumns: db.prepare<[string, string, number], Pick<RunRow, IndexedRunUpdateColumn>>(
      `SELECT ${cols(INDEXED_RUN_UPDATE_COLUMNS)} FROM runs WHERE id = ? AND tenant = ? AND version = ?`,
    ),
    /** Keyed by the indexed columns that change, joined with commas. */
    updateRun: new Map(
      INDEXED_RUN_UPDATE_SUBSETS.map((changed) => [
        changed.join(),
        db.prepare<[RunUpdateRow & { expected_version: number }]>(
          `UPDATE runs SET ${assignments(RUN_UPDATE_COLUMNS.filter((c) => !isIndexed(c) || changed.includes(c)))}
           WHERE id = @id AND tenant = @tenant AND version = @expected_version`,
        ),
      ]),
    ),
    getRun: db.prepare<[string, string], RunRow>(`${SELECT_RUNS} WHERE id = ? AND tenant = ?`),
    insertRunInput: db.prepare<[string, string]>('INSERT INTO run_inputs (run_id, input) VALUES (?, ?)'),
    getRunByIdempotencyKey: db.prepare<[string, string], RunRow>(GET_RUN_BY_IDEMPOTENCY_KEY_SQL),
    getRunByRemoteTask: db.prepare<[string, string, string], RunRow>(GET_RUN_BY_REMOTE_TASK_SQL),
    listUnfinishedRuns: db.prepare<[], RunRow>(LIST_UNFINISHED_RUNS_SQL),
    upsertStep: db.prepare<[StepRow]>(
      `INSERT INTO steps (${cols(STEP_COLUMNS)}) VALUES (${params(STEP_COLUMNS)})
       ON CONFLICT (id) DO UPDATE SET ${STEP_COLUMNS.filter((c) => !STEP_IDENTITY_COLUMNS.has(c))
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}
       WHERE ${STEP_IDENTITY_MATCH}`,
    ),
    listSteps: db.prepare<[string, string], StepRow>(
      `SELECT ${cols(STEP_COLUMNS)} FROM steps WHERE tenant = ? AND run_id = ? ORDER BY step_index, id`,
    ),
    insertSession: db.prepare<[SessionRow]>(
      `INSERT INTO sessions (${cols(SESSION_COLUMNS)}) VALUES (${params(SESSION_COLUMNS)})`,
    ),
    updateSession: db.prepare<[SessionRow]>(
      `UPDATE sessions SET status = @status, name = @name, ended_at = @ended_at
       WHERE id = @id AND tenant = @tenant`,
    ),
    getSession: db.prepare<[string, string], SessionRow>(
      `SELECT ${cols(SESSION_COLUMNS)} FROM sessions WHERE id = ? AND tenant = ?`,
    ),
    insertArtifact: db.prepare<[ArtifactRow]>(
      `INSERT INTO artifacts (${cols(ARTIFACT_COLUMNS)}) VALUES (${params(ARTIFACT_COLUMNS)})`,
    ),
    getArtifact: db.prepare<[string, string], ArtifactRow>(
      `SELECT ${cols(ARTIFACT_COLUMNS)} FROM artifacts WHERE id = ? AND tenant = ?`,
    ),
    listArtifacts: db.prepare<[string, string], ArtifactRow>(
      `SELECT ${cols(ARTIFACT_COLUMNS)} FROM artifacts WHERE tenant = ? AND source_run_id = ?
       ORDER BY created_at, seq`,
    ),
    upsertAgent: db.prepare<[AgentRow]>(
      `INSERT INTO agents (${cols(AGENT_COLUMNS)}) VALUES (${params(AGENT_COLUMNS)})
       ON CONFLICT (tenant, name) DO UPDATE SET ${AGENT_COLUMNS.filter((c) => c !== 'tenant' && c !== 'name')
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}`,
    ),
    getAgent: db.prepare<[string, string], AgentRow>(
      `SELECT ${cols(AGENT_COLUMNS)} FROM agents WHERE tenant = ? AND name = ?`,
    ),
    listAgents: db.prepare<[string], AgentRow>(
      `SELECT ${cols(AGENT_COLUMNS)} FROM agents WHERE tenant = ? ORDER BY name`,
    ),
    listAllAgents: db.prepare<[], AgentRow>(
      `SELECT ${cols(AGENT_COLUMNS)} FROM agents ORDER BY tenant, name`,
    ),
    deleteAgent: db.prepare<[string, string]>('DELETE FROM agents WHERE tenant = ? AND name = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** The most writes one transaction takes; more wait for the next flush, so a flush blocks only briefly. */
export const MAX_BATCH_WRITES = 256;
/** How large the write-ahead log may grow, and what it is truncated to when it starts over. */
export const DEFAULT_WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** See `SqliteStore.fileSizes`. */
export interface SqliteFileSizes {
  readonly database: number;
  readonly log: number;
}

/** A file's size; 0 when it does not exist (the log, before the first write). */
async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.promises.stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** SQLite's own `wal_autocheckpoint`, restored when the checkpoint worker is not running. */
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** A queued write: its statements, and the caller waiting for the batch to commit. */
interface PendingWrite {
  /** Runs the write's statements; throws a `GatewayError` when the write is refused. */
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type WriteOutcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Runs a batch of writes in one transaction, each in its own savepoint; see the module comment. */
type BatchTransaction = (batch: readonly PendingWrite[]) => WriteOutcome[];

interface OpenDatabase {
  readonly db: Database.Database;
  /** Absent for `:memory:` (no WAL), or when the worker could not start (SQLite checkpoints as it commits). */
  readonly checkpointer: WalCheckpointer | undefined;
  readonly statements: Statements;
  readonly writeBatch: BatchTransaction;
  /** Listing statements by SQL text, prepared on first use (a bounded set: one per shape). */
  readonly listStatements: Map<string, StatementOf<Params>>;
}

function sqliteCode(error: unknown): string | undefined {
  return error instanceof Database.SqliteError ? error.code : undefined;
}

/** Driver errors that are not one of the port's own cases become `GatewayError`s here, the boundary. */
function toGatewayError(error: unknown): GatewayError {
  if (GatewayError.is(error)) return error;
  const code = sqliteCode(error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    // Another process held the write lock past the busy timeout: worth retrying.
    return new GatewayError(ErrorCode.UNAVAILABLE, 'the SQLite database is busy', { cause: error });
  }
  return GatewayError.from(error);
}

function isUniqueViolation(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Upserts a step as `putStep` does, turning the driver's refusals into the port's errors. */
function writeStep(statements: Statements, step: Step, tenant: string): void {
  let changes: number;
  try {
    changes = statements.upsertStep.run(stepToRow(step, tenant)).changes;
  } catch (error) {
    if (sqliteCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw notFound(ErrorCode.RUN_NOT_FOUND, 'run', step.runId);
    }
    throw toGatewayError(error);
  }
  // The upsert's WHERE refused to overwrite a step of another tenant, run or index with this id.
  if (changes === 0) throw duplicateId('step', step.id);
}

/** Inserts an artifact as `putArtifact` does, turning the driver's refusals into the port's errors. */
function writeArtifact(statements: Statements, artifact: Artifact): void {
  try {
    statements.insertArtifact.run(artifactToRow(artifact));
  } catch (error) {
    throw isUniqueViolation(error) ? duplicateId('artifact', artifact.id, error) : toGatewayError(error);
  }
}

/**
 * The run update with its step and artifact. Atomic because every write runs in its own savepoint (see
 * `prepareBatchTransaction`): a throw rolls back the run too. A version conflict returns before anything
 * is written.
 */
function writeRunUpdate(
  statements: Statements,
  run: Run,
  tenant: string,
  changes: RunChanges | undefined,
): boolean {
  const row = { ...runToUpdateRow(run), expected_version: run.version - 1 };
  const stored = statements.indexedRunColumns.get(row.id, row.tenant, row.expected_version);
  if (stored === undefined) return false;
  const update = statements.updateRun.get(
    INDEXED_RUN_UPDATE_COLUMNS.filter((c) => stored[c] !== row[c]).join(),
  );
  if (update === undefined)
    throw new GatewayError(ErrorCode.INTERNAL, 'no run update statement for its columns');
  if (update.run(row).changes !== 1) return false;
  if (changes?.step !== undefined) writeStep(statements, changes.step, tenant);
  if (changes?.artifact !== undefined) writeArtifact(statements, changes.artifact);
  return true;
}

/**
 * The group commit's transaction, created once per connection. A batch first runs all its writes in one
 * transaction, nothing else: no write has failed on its own in the common case, and a SAVEPOINT per
 * write costs a copy of every page the write touches (its sub-journal), which at saturation was 6 % of
 * the gateway's CPU time. When a write throws, that transaction is rolled back whole and the batch runs
 * again, each write in a savepoint: better-sqlite3 runs a transaction function called inside another as
 * a SAVEPOINT, rolled back to (and released) when it throws, so one write's failure no longer undoes the
 * rest. Writes are closures over their statements and rows, so running one again after a rollback does
 * exactly what the first run did. BEGIN IMMEDIATE takes the write lock up front, so another process
 * holding it fails the whole batch with SQLITE_BUSY at BEGIN rather than some writes halfway through.
 */
function prepareBatchTransaction(db: Database.Database): BatchTransaction {
  // A savepoint when called inside a batch's transaction, a transaction of its own when alone.
  const writeOne = db.transaction((write: () => unknown) => write());
  /** Whether a write of the last batch run `together` threw (as opposed to its BEGIN or COMMIT). */
  let refused = false;
  const together = db.transaction((batch: readonly PendingWrite[]): WriteOutcome[] =>
    batch.map((pending): WriteOutcome => {
      try {
        return { ok: true, value: pending.write() };
      } catch (error) {
        refused = true;
        throw error;
      }
    }),
  );
  const eachInSavepoint = db.transaction((batch: readonly PendingWrite[]): WriteOutcome[] =>
    batch.map((pending): WriteOutcome => {
      try {
        return { ok: true, value: writeOne(pending.write) };
      } catch (error) {
        // Some errors (disk full, I/O) make SQLite roll back the whole transaction; the writes after
        // this one would then autocommit one by one. Fail the batch instead: all of it was undone.
        if (!db.inTransaction) throw error;
        return { ok: false, error: toGatewayError(error) };
      }
    }),
  );
  return (batch) => {
    const [only] = batch;
    if (batch.length === 1 && only !== undefined) {
      // A lone write is its own transaction: its failure is already its own.
      try {
        return [{ ok: true, value: writeOne.immediate(only.write) }];
      } catch (error) {
        return [{ ok: false, error: toGatewayError(error) }];
      }
    }
    refused = false;
    try {
      return together.immediate(batch);
    } catch (error) {
      // BEGIN or COMMIT failed: nothing was stored, and the batch fails whole.
      if (!refused) throw error;
      // Rolled back whole because one write was refused: again, each write on its own.
      return eachInSavepoint.immediate(batch);
    }
  };
}

/**
 * The writer's own checkpoint, asked for by the worker when the log has passed its limit (see
 * ./wal-checkpointer.ts): nothing is committed during it, so it copies the whole log, and the next commit
 * starts the log over. Passive, so it never waits: when the worker is checkpointing at that moment it
 * does nothing. A failure is not the batch's, which is committed; the worker asks again while the log is
 * over its limit, and a disk that fails here fails the next commit too.
 */
function checkpointBetweenCommits(db: Database.Database): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Nothing to undo (see above): the worker asks again while the log is over its limit.
  }
}

/** The storage port on a SQLite file. Create with `SqliteStore.open(options)`, or construct and `start()`. */
export class SqliteStore implements Store {
  readonly #file: string;
  readonly #busyTimeoutMs: number;
  readonly #checkpointIntervalMs: number | undefined;
  readonly #walSizeLimitBytes: number;
  #open: OpenDatabase | undefined;
  #started: Promise<void> | undefined;
  #closed: Promise<void> | undefined;
  /** Writes waiting for the next flush, in call order. */
  readonly #pending: PendingWrite[] = [];
  #flushScheduled = false;

  /** Opens the file and applies pending migrations. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const store = new SqliteStore(options);
    await store.start();
    return store;
  }

  constructor(options: SqliteStoreOptions) {
    this.#file = options.file;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.#checkpointIntervalMs = options.checkpointIntervalMs;
    this.#walSizeLimitBytes = options.walSizeLimitBytes ?? DEFAULT_WAL_SIZE_LIMIT_BYTES;
  }

  /**
   * Not started → open: creates the directory and file, sets the pragmas, applies pending migrations and
   * prepares the statements. Later calls return the same promise; after `close()` it rejects.
   */
  start(): Promise<void> {
    if (this.#closed !== undefined) return Promise.reject(storeNotOpen('SQLite store', 'closed'));
    this.#started ??= this.#openDatabase().then((open) => {
      this.#open = open;
    });
    return this.#started;
  }

  /**
   * Open → closed: commits the queued writes, optimises the query planner's statistics and closes the
   * file. Idempotent.
   */
  close(): Promise<void> {
    // A close during start waits for it; a start that failed left nothing open.
    const started = (this.#started ?? Promise.resolve()).catch(() => undefined);
    this.#closed ??= started.then(async () => {
      const open = this.#open;
      this.#open = undefined;
      if (open === undefined) return;
      while (this.#pending.length > 0) this.#flushBatch(open);
      await open.checkpointer?.close();
      open.db.pragma('optimize');
      open.db.close();
    });
    return this.#closed;
  }

  async createRun(run: Run, ctx: CallContext, first: { readonly step?: Step } = {}): Promise<void> {
    assertTenantMatches(run.tenant, ctx, 'run');
    const { statements } = this.#db();
    const stored = runToRow(run);
    const largeInput = (stored.input?.length ?? 0) > INLINE_INPUT_MAX_CHARS ? stored.input : null;
    const row = largeInput === null ? stored : { ...stored, input: null };
    const { step } = first;
    return this.#enqueue(() => {
      let changes: number;
      try {
        changes = statements.insertRun.run(row).changes;
      } catch (error) {
        throw isUniqueViolation(error) ? duplicateId('run', run.id, error) : toGatewayError(error);
      }
      if (changes === 0 && row.idempotency_key !== null) {
        // Read inside the write transaction: the run holding the key is there, committed or in this batch.
        const holder = statements.getRunByIdempotencyKey.get(row.tenant, row.idempotency_key);
        throw holder === undefined ? duplicateId('run', run.id) : runAlreadyExists(holder.id);
      }
      if (largeInput !== null) statements.insertRunInput.run(run.id, largeInput);
      if (step !== undefined) writeStep(statements, step, ctx.tenant);
    });
  }

  async updateRun(run: Run, ctx: CallContext, changes?: RunChanges): Promise<boolean> {
    assertTenantMatches(run.tenant, ctx, 'run');
    if (changes?.artifact !== undefined) assertTenantMatches(changes.artifact.tenant, ctx, 'artifact');
    const { statements } = this.#db();
    return this.#enqueue(() => writeRunUpdate(statements, run, ctx.tenant, changes));
  }

  async getRun(id: string, ctx: CallContext): Promise<Run | undefined> {
    const { statements } = this.#db();
    const row = this.#guard(() => statements.getRun.get(id, ctx.tenant));
    return row === undefined ? undefined : rowToRun(row);
  }

  async getRunByIdempotencyKey(key: string, ctx: CallContext): Promise<Run | undefined> {
    const { statements } = this.#db();
    const row = this.#guard(() => statements.getRunByIdempotencyKey.get(ctx.tenant, key));
    return row === undefined ? undefined : rowToRun(row);
  }

  async getRunByRemoteTask(agent: string, taskId: string, ctx: CallContext): Promise<Run | undefined> {
    const { statements } = this.#db();
    const row = this.#guard(() => statements.getRunByRemoteTask.get(ctx.tenant, agent, taskId));
    return row === undefined ? undefined : rowToRun(row);
  }

  async listRuns(filter: RunFilter, request: PageRequest, ctx: CallContext): Promise<Page<Run>> {
    const cursor = decodePageToken(request.pageToken);
    const pageSize = clampPageSize(request.pageSize);
    const statuses = knownStatuses(filter.statuses, RUN_STATUSES);
    if (statuses?.length === 0) return { items: [], nextPageToken: '' };
    const shape: ListQueryShape = {
      statuses: statuses?.length ?? 0,
      agent: filter.agent !== undefined,
      sessionId: filter.sessionId !== undefined,
      createdAfter: filter.createdAfter !== undefined,
      createdBefore: filter.createdBefore !== undefined,
      cursor: cursor !== undefined,
    };
    const values: Params = {
      tenant: ctx.tenant,
      limit: pageSize + 1,
      ...statusParams(statuses),
      ...(filter.agent !== undefined && { agent: filter.agent }),
      ...(filter.sessionId !== undefined && { session_id: filter.sessionId }),
      ...(filter.createdAfter !== undefined && { created_after: filter.createdAfter }),
      ...(filter.createdBefore !== undefined && { created_before: filter.createdBefore }),
      ...(cursor !== undefined && { cursor_created_at: cursor.createdAt, cursor_id: cursor.id }),
    };
    const rows = this.#guard(() => this.#listStatement(listRunsSql(shape)).all(values) as RunRow[]);
    return pageOf(rows.map(rowToRun), pageSize);
  }

  async listUnfinishedRuns(): Promise<readonly Run[]> {
    const { statements } = this.#db();
    return this.#guard(() => statements.listUnfinishedRuns.all()).map(rowToRun);
  }

  async putStep(step: Step, ctx: CallContext): Promise<void> {
    const { statements } = this.#db();
    return this.#enqueue(() => writeStep(statements, step, ctx.tenant));
  }

  async listSteps(runId: string, ctx: CallContext): Promise<readonly Step[]> {
    const { statements } = this.#db();
    return this.#guard(() => statements.listSteps.all(ctx.tenant, runId)).map(rowToStep);
  }

  async createSession(session: Session, ctx: CallContext): Promise<void> {
    assertTenantMatches(session.tenant, ctx, 'session');
    const { statements } = this.#db();
    const row = sessionToRow(session);
    return this.#enqueue(() => {
      try {
        statements.insertSession.run(row);
      } catch (error) {
        throw isUniqueViolation(error) ? duplicateId('session', session.id, error) : toGatewayError(error);
      }
    });
  }

  async updateSession(session: Session, ctx: CallContext): Promise<void> {
    assertTenantMatches(session.tenant, ctx, 'session');
    const { statements } = this.#db();
    const row = sessionToRow(session);
    return this.#enqueue(() => {
      if (statements.updateSession.run(row).changes === 0) {
        throw notFound(ErrorCode.SESSION_NOT_FOUND, 'session', session.id);
      }
    });
  }

  async getSession(id: string, ctx: CallContext): Promise<Session | undefined> {
    const { statements } = this.#db();
    const row = this.#guard(() => statements.getSession.get(id, ctx.tenant));
    return row === undefined ? undefined : rowToSession(row);
  }

  async listSessions(filter: SessionFilter, request: PageRequest, ctx: CallContext): Promise<Page<Session>> {
    const cursor = decodePageToken(request.pageToken);
    const pageSize = clampPageSize(request.pageSize);
    const statuses = knownStatuses(filter.statuses, SESSION_STATUSES);
    if (statuses?.length === 0) return { items: [], nextPageToken: '' };
    const shape = { statuses: statuses?.length ?? 0, cursor: cursor !== undefined };
    const values: Params = {
      tenant: ctx.tenant,
      limit: pageSize + 1,
      ...statusParams(statuses),
      ...(cursor !== undefined && { cursor_created_at: cursor.createdAt, cursor_id: cursor.id }),
    };
    const rows = this.#guard(() => this.#listStatement(listSessionsSql(shape)).all(values) as SessionRow[]);
    return pageOf(rows.map(rowToSession), pageSize);
  }

  async putArtifact(artifact: Artifact, ctx: CallContext): Promise<void> {
    assertTenantMatches(artifact.tenant, ctx, 'artifact');
    const { statements } = this.#db();
    return this.#enqueue(() => writeArtifact(statements, artifact));
  }

  async getArtifact(id: string, ctx: CallContext): Promise<Artifact | undefined> {
    const { statements } = this.#db();
    const row = this.#guard(() => statements.getArtifact.get(id, ctx.tenant));
    return row === undefined ? undefined : rowToArtifact(row);
  }

  async listArtifacts(runId: string, ctx: CallContext): Promise<readonly Artifact[]> {
    const { statements } = this.#db();
    return this.#guard(() => statements.listArtifacts.all(ctx.tenant, runId)).map(rowToArtifact);
  }

  async putAgent(agent: RegisteredAgent, ctx: CallContext): Promise<void> {
    assertTenantMatches(agent.tenant, ctx, 'agent');
    const { statements } = this.#db();
    const row = agentToRow(agent);
    return this.#enqueue(() => {
      statements.upsertAgent.run(row);
    });
  }

  async getAgent(name: string, ctx: CallContext): Promise<RegisteredAgent | undefined> {
    const { statements } = this.#db();
    const row = this.#guard(() => statements.getAgent.get(ctx.tenant, name));
    return row === undefined ? undefined : rowToAgent(row);
  }

  async listAgents(ctx: CallContext): Promise<readonly RegisteredAgent[]> {
    const { statements } = this.#db();
    return this.#guard(() => statements.listAgents.all(ctx.tenant)).map(rowToAgent);
  }

  async listAllAgents(): Promise<readonly RegisteredAgent[]> {
    const { statements } = this.#db();
    return this.#guard(() => statements.listAllAgents.all()).map(rowToAgent);
  }

  async deleteAgent(name: string, ctx: CallContext): Promise<boolean> {
    const { statements } = this.#db();
    return this.#enqueue(() => statements.deleteAgent.run(ctx.tenant, name).changes > 0);
  }

  /**
   * The sizes in bytes of the database file and of its write-ahead log (0 while it has none), for the
   * metrics; undefined for an in-memory database.
   */
  async fileSizes(): Promise<SqliteFileSizes | undefined> {
    if (this.#file === ':memory:') return undefined;
    const [database, log] = await Promise.all([fileSize(this.#file), fileSize(`${this.#file}-wal`)]);
    return { database, log };
  }

  async #openDatabase(): Promise<OpenDatabase> {
    const inMemory = this.#file === ':memory:';
    if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(this.#file)), { recursive: true });
    const db = new Database(this.#file, { timeout: this.#busyTimeoutMs });
    let open: OpenDatabase;
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // Statement and savepoint journals in memory: spilled to temporary files (SQLite's default past
      // 64 KiB), every page they hold cost two write calls.
      db.pragma('temp_store = MEMORY');
      db.pragma(`busy_timeout = ${this.#busyTimeoutMs}`);
      // The log is reused from its start after each complete checkpoint; this truncates what a burst grew.
      db.pragma(`journal_size_limit = ${this.#walSizeLimitBytes}`);
      applySqliteMigrations(db);
      open = {
        db,
        statements: prepareStatements(db),
        writeBatch: prepareBatchTransaction(db),
        listStatements: new Map(),
        checkpointer: inMemory ? undefined : await this.#startCheckpointer(db),
      };
    } catch (error) {
      db.close();
      throw toGatewayError(error);
    }
    return open;
  }

  /**
   * Hands checkpoints to a worker and turns SQLite's own off. If the worker cannot start, or fails later,
   * the connection checkpoints automatically again: slower commits, but a bounded log.
   */
  async #startCheckpointer(db: Database.Database): Promise<WalCheckpointer | undefined> {
    const checkpointAsYouCommit = (): void => {
      if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
    };
    try {
      const checkpointer = await WalCheckpointer.start({
        file: this.#file,
        busyTimeoutMs: this.#busyTimeoutMs,
        logLimitBytes: this.#walSizeLimitBytes,
        ...(this.#checkpointIntervalMs !== undefined && { intervalMs: this.#checkpointIntervalMs }),
        onFailure: checkpointAsYouCommit,
      });
      db.pragma('wal_autocheckpoint = 0');
      return checkpointer;
    } catch {
      checkpointAsYouCommit();
      return undefined;
    }
  }

  #db(): OpenDatabase {
    if (this.#open !== undefined) return this.#open;
    throw storeNotOpen('SQLite store', this.#closed !== undefined ? 'closed' : 'not started');
  }

  /** A listing statement, prepared the first time its shape is used. */
  #listStatement(sql: string): StatementOf<Params> {
    const open = this.#db();
    let statement = open.listStatements.get(sql);
    if (statement === undefined) {
      statement = open.db.prepare<[Params]>(sql);
      open.listStatements.set(sql, statement);
    }
    return statement;
  }

  /** Queues a write for the next flush; settles once its batch has committed (or failed). */
  #enqueue<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.#scheduleFlush();
    });
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      // After close() there is nothing left: it flushed the queue itself.
      if (this.#open === undefined) return;
      this.#flushBatch(this.#open);
      if (this.#pending.length > 0) this.#scheduleFlush();
    });
  }

  /** Commits the oldest `MAX_BATCH_WRITES` queued writes as one transaction, then settles their callers. */
  #flushBatch(open: OpenDatabase): void {
    const batch = this.#pending.splice(0, MAX_BATCH_WRITES);
    let outcomes: WriteOutcome[];
    try {
      outcomes = open.writeBatch(batch);
      open.checkpointer?.committed();
    } catch (error) {
      // BEGIN or COMMIT failed (or SQLite abandoned the transaction): nothing of the batch was stored.
      const failure = toGatewayError(error);
      for (const pending of batch) pending.reject(failure);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const pending = batch[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
    if (open.checkpointer?.takeLogOverLimit() === true) checkpointBetweenCommits(open.db);
  }

  #guard<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw toGatewayError(error);
    }
  }
}
