/**
 * `PostgresStore`: the storage port on PostgreSQL through a `pg` Pool, for several gateway replicas
 * sharing one database. `start()` applies pending migrations (./postgres-migrations.ts) under an
 * advisory lock, so replicas may start together. With the `schema` option every pooled connection gets
 * that schema as its `search_path` (a startup parameter, so no query can run before it is set) and the
 * schema is created if missing: tests isolate themselves that way. Fixed statements are named, so each
 * pooled connection prepares them once; rows are mapped by ../record-codec.ts. `updateRun` with a step
 * or an artifact runs BEGIN … COMMIT on one pooled connection, rolling back on a version conflict or an
 * error, so the run and what changed with it are written together or not at all.
 *
 * Cancellation: `pg` cannot abort a query that has been sent, so `ctx.signal` is not consulted. Every
 * query is bounded instead by `statementTimeoutMs` (server side) and pool checkout by
 * `connectTimeoutMs`, and a write once begun is allowed to finish (a cancelled run must still be able to
 * record that it was cancelled).
 */
import pg from 'pg';
import type { CustomTypesConfig, Pool, QueryResultRow } from 'pg';
import type { RegisteredAgent } from '../../domain/agent.js';
import type { Artifact } from '../../domain/artifact.js';
import type { CallContext } from '../../domain/call-context.js';
import { RUN_STATUSES, isTerminalRunStatus, type Run } from '../../domain/run.js';
import type { Session } from '../../domain/session.js';
import type { Step } from '../../domain/step.js';
import { ErrorCode, GatewayError, invalidArgument, notFound } from '../../errors/gateway-error.js';
import { clampPageSize, decodePageToken, pageOf, type PageCursor } from '../page-token.js';
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
import { applyPostgresMigrations } from './postgres-migrations.js';

export interface PostgresStoreOptions {
  /** A `postgres://` connection URL. */
  readonly url: string;
  /**
   * The schema holding the tables, created if missing and set as `search_path` on every connection.
   * Lowercase letters, digits and `_`, starting with a letter or `_`. @default the server's search_path
   */
  readonly schema?: string;
  /** Pool size. @default 10 */
  readonly maxConnections?: number;
  /** Server-side limit on each statement. @default 30000 */
  readonly statementTimeoutMs?: number;
  /** How long to wait for a connection from the pool (or a new one from the server). @default 10000 */
  readonly connectTimeoutMs?: number;
  /**
   * Told about errors of idle pooled connections (the server went away). The pool has already dropped
   * the connection; the next query opens a new one. @default ignores them
   */
  readonly onPoolError?: (error: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** jsonb and json come back as text (the codec parses them); bigint as a number (all ours are < 2^53). */
const JSON_OIDS: ReadonlySet<number> = new Set<number>([pg.types.builtins.JSON, pg.types.builtins.JSONB]);
const INT8_OID: number = pg.types.builtins.INT8;
const TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (JSON_OIDS.has(oid)) return (value: string) => value;
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};

const cols = (columns: readonly string[]): string => columns.join(', ');
const placeholders = (count: number): string =>
  Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ');
function valuesOf<R extends object>(row: R, columns: readonly (keyof R)[]): unknown[] {
  return columns.map((c) => row[c]);
}

const UNFINISHED_STATUSES = RUN_STATUSES.filter((s) => !isTerminalRunStatus(s));

/** Every fixed statement, by the name it is prepared under. */
const SQL = {
  // A taken idempotency key inserts nothing (rowCount 0) rather than failing: a concurrent insert of the
  // same key is waited for, and a failed statement would not say which run holds the key.
  insertRun: `INSERT INTO runs (${cols(RUN_COLUMNS)}) VALUES (${placeholders(RUN_COLUMNS.length)})
    ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
  updateRun: `UPDATE runs SET ${RUN_UPDATE_COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(', ')}
    WHERE id = $${RUN_UPDATE_COLUMNS.length + 1} AND tenant = $${RUN_UPDATE_COLUMNS.length + 2}
      AND version = $${RUN_UPDATE_COLUMNS.length + 3}`,
  getRun: `SELECT ${cols(RUN_COLUMNS)} FROM runs WHERE id = $1 AND tenant = $2`,
  getRunByIdempotencyKey: `SELECT ${cols(RUN_COLUMNS)} FROM runs WHERE tenant = $1 AND idempotency_key = $2`,
  getRunByRemoteTask: `SELECT ${cols(RUN_COLUMNS)} FROM runs
    WHERE tenant = $1 AND agent_name = $2 AND remote_task_id = $3
    ORDER BY created_at DESC, id DESC LIMIT 1`,
  // Literal statuses, not a parameter: that is what lets the planner use the partial index runs_unfinished.
  listUnfinishedRuns: `SELECT ${cols(RUN_COLUMNS)} FROM runs
    WHERE status IN (${UNFINISHED_STATUSES.map((s) => `'${s}'`).join(', ')})
    ORDER BY created_at, id`,
  upsertStep: `INSERT INTO steps (${cols(STEP_COLUMNS)}) VALUES (${placeholders(STEP_COLUMNS.length)})
    ON CONFLICT (id) DO UPDATE SET ${STEP_COLUMNS.filter((c) => !STEP_IDENTITY_COLUMNS.has(c))
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ')}
    WHERE ${STEP_IDENTITY_MATCH}`,
  listSteps: `SELECT ${cols(STEP_COLUMNS)} FROM steps WHERE tenant = $1 AND run_id = $2 ORDER BY step_index, id`,
  insertSession: `INSERT INTO sessions (${cols(SESSION_COLUMNS)}) VALUES (${placeholders(SESSION_COLUMNS.length)})`,
  updateSession: `UPDATE sessions SET status = $3, name = $4, ended_at = $5 WHERE id = $1 AND tenant = $2`,
  getSession: `SELECT ${cols(SESSION_COLUMNS)} FROM sessions WHERE id = $1 AND tenant = $2`,
  insertArtifact: `INSERT INTO artifacts (${cols(ARTIFACT_COLUMNS)})
    VALUES (${placeholders(ARTIFACT_COLUMNS.length)})`,
  getArtifact: `SELECT ${cols(ARTIFACT_COLUMNS)} FROM artifacts WHERE id = $1 AND tenant = $2`,
  listArtifacts: `SELECT ${cols(ARTIFACT_COLUMNS)} FROM artifacts WHERE tenant = $1 AND source_run_id = $2
    ORDER BY created_at, seq`,
  upsertAgent: `INSERT INTO agents (${cols(AGENT_COLUMNS)}) VALUES (${placeholders(AGENT_COLUMNS.length)})
    ON CONFLICT (tenant, name) DO UPDATE SET ${AGENT_COLUMNS.filter((c) => c !== 'tenant' && c !== 'name')
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ')}`,
  getAgent: `SELECT ${cols(AGENT_COLUMNS)} FROM agents WHERE tenant = $1 AND name = $2`,
  listAgents: `SELECT ${cols(AGENT_COLUMNS)} FROM agents WHERE tenant = $1 ORDER BY name`,
  listAllAgents: `SELECT ${cols(AGENT_COLUMNS)} FROM agents ORDER BY tenant, name`,
  deleteAgent: `DELETE FROM agents WHERE tenant = $1 AND name = $2`,
} as const;

type StatementName = keyof typeof SQL;

/** SQLSTATE classes and Node socket codes that mean the database cannot be reached right now. */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', // nothing listens at the address
  'ECONNRESET', // the server dropped the connection
  'ENOTFOUND', // the host name does not resolve
  'ETIMEDOUT', // the connection attempt timed out
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
]);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Driver errors become `GatewayError`s here, the boundary; `special` maps SQLSTATEs to the port's own cases. */
function toGatewayError(
  error: unknown,
  special: Readonly<Record<string, () => GatewayError>> = {},
): GatewayError {
  if (GatewayError.is(error)) return error;
  const code = errorCode(error);
  const mapped = code === undefined ? undefined : special[code];
  if (mapped !== undefined) return mapped();
  if (code === '57014') {
    // query_canceled: the statement timeout fired.
    return new GatewayError(ErrorCode.DEADLINE_EXCEEDED, 'a database statement timed out', { cause: error });
  }
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) {
    return new GatewayError(ErrorCode.UNAVAILABLE, 'the database is unavailable', { cause: error });
  }
  return GatewayError.from(error);
}

/** The storage port on PostgreSQL. Construct, then `start()`; `close()` ends the pool. */
export class PostgresStore implements Store {
  readonly #options: PostgresStoreOptions;
  #pool: Pool | undefined;
  #started: Promise<void> | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: PostgresStoreOptions) {
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw invalidArgument('schema', 'lowercase letters, digits and _, not starting with a digit');
    }
    this.#options = options;
  }

  /**
   * Not started → open: creates the pool, creates the schema if one is configured, and applies pending
   * migrations. Later calls return the same promise; after `close()` it rejects.
   */
  start(): Promise<void> {
    if (this.#closed !== undefined) return Promise.reject(storeNotOpen('PostgreSQL store', 'closed'));
    this.#started ??= this.#open();
    return this.#started;
  }

  /** Open → closed: waits for checked-out connections to be released and ends the pool. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#started?.catch(() => undefined);
      const pool = this.#pool;
      this.#pool = undefined;
      await pool?.end();
    })();
    return this.#closed;
  }

  async createRun(run: Run, ctx: CallContext, first: { readonly step?: Step } = {}): Promise<void> {
    assertTenantMatches(run.tenant, ctx, 'run');
    const { step } = first;
    const insert = async (client?: pg.PoolClient): Promise<void> => {
      const inserted = await this.#query(
        'insertRun',
        valuesOf(runToRow(run), RUN_COLUMNS),
        { '23505': () => duplicateId('run', run.id) },
        client,
      );
      if (inserted.rowCount === 0 && run.idempotencyKey !== undefined) {
        // The run holding the key has committed (ON CONFLICT waited for it), so this statement sees it.
        const holder = await this.getRunByIdempotencyKey(run.idempotencyKey, ctx);
        throw holder === undefined ? duplicateId('run', run.id) : runAlreadyExists(holder.id);
      }
    };
    if (step === undefined) {
      await insert();
      return;
    }
    await this.#transaction(async (client) => {
      await insert(client);
      await this.#writeStep(step, ctx, client);
      return true;
    });
  }

  async updateRun(run: Run, ctx: CallContext, changes?: RunChanges): Promise<boolean> {
    assertTenantMatches(run.tenant, ctx, 'run');
    if (changes?.artifact !== undefined) assertTenantMatches(changes.artifact.tenant, ctx, 'artifact');
    const values = [
      ...valuesOf(runToUpdateRow(run), RUN_UPDATE_COLUMNS),
      run.id,
      run.tenant,
      run.version - 1,
    ];
    if (changes?.step === undefined && changes?.artifact === undefined) {
      // One statement is atomic on its own: no transaction to pay for.
      return (await this.#query('updateRun', values)).rowCount === 1;
    }
    const { step, artifact } = changes;
    return this.#transaction(async (client) => {
      if ((await this.#query('updateRun', values, {}, client)).rowCount !== 1) return false;
      if (step !== undefined) await this.#writeStep(step, ctx, client);
      if (artifact !== undefined) await this.#writeArtifact(artifact, client);
      return true;
    });
  }

  async getRun(id: string, ctx: CallContext): Promise<Run | undefined> {
    const { rows } = await this.#query<RunRow>('getRun', [id, ctx.tenant]);
    return rows[0] === undefined ? undefined : rowToRun(rows[0]);
  }

  async getRunByIdempotencyKey(key: string, ctx: CallContext): Promise<Run | undefined> {
    const { rows } = await this.#query<RunRow>('getRunByIdempotencyKey', [ctx.tenant, key]);
    return rows[0] === undefined ? undefined : rowToRun(rows[0]);
  }

  async getRunByRemoteTask(agent: string, taskId: string, ctx: CallContext): Promise<Run | undefined> {
    const { rows } = await this.#query<RunRow>('getRunByRemoteTask', [ctx.tenant, agent, taskId]);
    return rows[0] === undefined ? undefined : rowToRun(rows[0]);
  }

  async listRuns(filter: RunFilter, request: PageRequest, ctx: CallContext): Promise<Page<Run>> {
    const query = new ListQuery(ctx.tenant, request);
    const statuses =
      filter.statuses !== undefined && filter.statuses.length > 0 ? filter.statuses : undefined;
    if (statuses !== undefined) query.where('statuses', (p) => `status = ANY(${p}::text[])`, statuses);
    if (filter.agent !== undefined) query.where('agent', (p) => `agent_name = ${p}`, filter.agent);
    if (filter.sessionId !== undefined) query.where('session', (p) => `session_id = ${p}`, filter.sessionId);
    if (filter.createdAfter !== undefined)
      query.where('after', (p) => `created_at >= ${p}`, filter.createdAfter);
    if (filter.createdBefore !== undefined)
      query.where('before', (p) => `created_at < ${p}`, filter.createdBefore);
    const { rows } = await this.#queryNamed<RunRow>(query.statement('runs', RUN_COLUMNS));
    return pageOf(rows.map(rowToRun), query.pageSize);
  }

  async listUnfinishedRuns(): Promise<readonly Run[]> {
    const { rows } = await this.#query<RunRow>('listUnfinishedRuns', []);
    return rows.map(rowToRun);
  }

  async putStep(step: Step, ctx: CallContext): Promise<void> {
    await this.#writeStep(step, ctx);
  }

  async listSteps(runId: string, ctx: CallContext): Promise<readonly Step[]> {
    const { rows } = await this.#query<StepRow>('listSteps', [ctx.tenant, runId]);
    return rows.map(rowToStep);
  }

  async createSession(session: Session, ctx: CallContext): Promise<void> {
    assertTenantMatches(session.tenant, ctx, 'session');
    await this.#query('insertSession', valuesOf(sessionToRow(session), SESSION_COLUMNS), {
      '23505': () => duplicateId('session', session.id),
    });
  }

  async updateSession(session: Session, ctx: CallContext): Promise<void> {
    assertTenantMatches(session.tenant, ctx, 'session');
    const row = sessionToRow(session);
    const result = await this.#query('updateSession', [
      row.id,
      row.tenant,
      row.status,
      row.name,
      row.ended_at,
    ]);
    if (result.rowCount === 0) throw notFound(ErrorCode.SESSION_NOT_FOUND, 'session', session.id);
  }

  async getSession(id: string, ctx: CallContext): Promise<Session | undefined> {
    const { rows } = await this.#query<SessionRow>('getSession', [id, ctx.tenant]);
    return rows[0] === undefined ? undefined : rowToSession(rows[0]);
  }

  async listSessions(filter: SessionFilter, request: PageRequest, ctx: CallContext): Promise<Page<Session>> {
    const query = new ListQuery(ctx.tenant, request);
    const statuses =
      filter.statuses !== undefined && filter.statuses.length > 0 ? filter.statuses : undefined;
    if (statuses !== undefined) query.where('statuses', (p) => `status = ANY(${p}::text[])`, statuses);
    const { rows } = await this.#queryNamed<SessionRow>(query.statement('sessions', SESSION_COLUMNS));
    return pageOf(rows.map(rowToSession), query.pageSize);
  }

  async putArtifact(artifact: Artifact, ctx: CallContext): Promise<void> {
    assertTenantMatches(artifact.tenant, ctx, 'artifact');
    await this.#writeArtifact(artifact);
  }

  async getArtifact(id: string, ctx: CallContext): Promise<Artifact | undefined> {
    const { rows } = await this.#query<ArtifactRow>('getArtifact', [id, ctx.tenant]);
    return rows[0] === undefined ? undefined : rowToArtifact(rows[0]);
  }

  async listArtifacts(runId: string, ctx: CallContext): Promise<readonly Artifact[]> {
    const { rows } = await this.#query<ArtifactRow>('listArtifacts', [ctx.tenant, runId]);
    return rows.map(rowToArtifact);
  }

  async putAgent(agent: RegisteredAgent, ctx: CallContext): Promise<void> {
    assertTenantMatches(agent.tenant, ctx, 'agent');
    await this.#query('upsertAgent', valuesOf(agentToRow(agent), AGENT_COLUMNS));
  }

  async getAgent(name: string, ctx: CallContext): Promise<RegisteredAgent | undefined> {
    const { rows } = await this.#query<AgentRow>('getAgent', [ctx.tenant, name]);
    return rows[0] === undefined ? undefined : rowToAgent(rows[0]);
  }

  async listAgents(ctx: CallContext): Promise<readonly RegisteredAgent[]> {
    const { rows } = await this.#query<AgentRow>('listAgents', [ctx.tenant]);
    return rows.map(rowToAgent);
  }

  async listAllAgents(): Promise<readonly RegisteredAgent[]> {
    const { rows } = await this.#query<AgentRow>('listAllAgents', []);
    return rows.map(rowToAgent);
  }

  async deleteAgent(name: string, ctx: CallContext): Promise<boolean> {
    const result = await this.#query('deleteAgent', [ctx.tenant, name]);
    return (result.rowCount ?? 0) > 0;
  }

  async #open(): Promise<void> {
    const { schema } = this.#options;
    const pool = new pg.Pool({
      connectionString: this.#options.url,
      max: this.#options.maxConnections ?? 10,
      connectionTimeoutMillis: this.#options.connectTimeoutMs ?? 10_000,
      statement_timeout: this.#options.statementTimeoutMs ?? 30_000,
      types: TYPES,
      // A startup parameter: set before the connection runs any query, on every pooled connection.
      ...(schema !== undefined && { options: `-c search_path=${schema}` }),
    });
    // Without a listener an idle connection's error would crash the process.
    pool.on('error', (error) => this.#options.onPoolError?.(error));
    try {
      const client = await pool.connect();
      try {
        const current = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
        await applyPostgresMigrations(client, {
          schema: schema ?? current.rows[0]?.schema ?? 'public',
          createSchema: schema !== undefined,
        });
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw toGatewayError(error);
    }
    this.#pool = pool;
  }

  /** Upserts a step, on the pool or within a transaction's client, mapping refusals as `putStep` promises. */
  async #writeStep(step: Step, ctx: CallContext, client?: pg.PoolClient): Promise<void> {
    const values = valuesOf(stepToRow(step, ctx.tenant), STEP_COLUMNS);
    const result = await this.#query(
      'upsertStep',
      values,
      // The composite foreign key: no run with this id in the caller's tenant.
      { '23503': () => notFound(ErrorCode.RUN_NOT_FOUND, 'run', step.runId) },
      client,
    );
    // The upsert's WHERE refused to overwrite a step of another tenant, run or index with this id.
    if (result.rowCount === 0) throw duplicateId('step', step.id);
  }

  /** Inserts an artifact, on the pool or within a transaction's client; a taken id is INTERNAL. */
  async #writeArtifact(artifact: Artifact, client?: pg.PoolClient): Promise<void> {
    const values = valuesOf(artifactToRow(artifact), ARTIFACT_COLUMNS);
    await this.#query(
      'insertArtifact',
      values,
      { '23505': () => duplicateId('artifact', artifact.id) },
      client,
    );
  }

  /**
   * Runs `work` between BEGIN and COMMIT on one pooled connection. It rolls back when `work` returns
   * false or throws; a connection that failed on the way is destroyed rather than returned to the pool.
   */
  async #transaction(work: (client: pg.PoolClient) => Promise<boolean>): Promise<boolean> {
    const pool = this.#openPool();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw toGatewayError(error);
    }
    let broken: Error | undefined;
    // A checked-out connection that dies between queries reports it here, not to the pool.
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const commit = await work(client);
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      return commit;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw toGatewayError(error);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  #openPool(): Pool {
    if (this.#pool !== undefined) return this.#pool;
    throw storeNotOpen('PostgreSQL store', this.#closed !== undefined ? 'closed' : 'not started');
  }

  /** A fixed statement by name, on the pool or on `client` (a connection inside a transaction). */
  #query<R extends QueryResultRow = QueryResultRow>(
    name: StatementName,
    values: unknown[],
    special?: Readonly<Record<string, () => GatewayError>>,
    client?: pg.PoolClient,
  ): Promise<pg.QueryResult<R>> {
    return this.#queryNamed<R>({ name: `bzzz_${name}`, text: SQL[name], values }, special, client);
  }

  async #queryNamed<R extends QueryResultRow>(
    statement: NamedStatement,
    special?: Readonly<Record<string, () => GatewayError>>,
    client?: pg.PoolClient,
  ): Promise<pg.QueryResult<R>> {
    const queryable = client ?? this.#openPool();
    try {
      return await queryable.query<R>(statement);
    } catch (error) {
      throw toGatewayError(error, special);
    }
  }
}

interface NamedStatement {
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

/**
 * A keyset-paged listing, newest first, built condition by condition. Its statement name records which
 * conditions it has, so each shape is prepared once per connection under a name of its own.
 */
class ListQuery {
  readonly pageSize: number;
  readonly #cursor: PageCursor | undefined;
  readonly #conditions: string[] = ['tenant = $1'];
  readonly #values: unknown[];
  readonly #shape: string[] = [];

  constructor(tenant: string, request: PageRequest) {
    this.#cursor = decodePageToken(request.pageToken);
    this.pageSize = clampPageSize(request.pageSize);
    this.#values = [tenant];
  }

  where(key: string, condition: (placeholder: string) => string, value: unknown): void {
    this.#values.push(value);
    this.#conditions.push(condition(`$${this.#values.length}`));
    this.#shape.push(key);
  }

  statement(table: 'runs' | 'sessions', columns: readonly string[]): NamedStatement {
    if (this.#cursor !== undefined) {
      const createdAt = this.#values.push(this.#cursor.createdAt);
      const id = this.#values.push(this.#cursor.id);
      this.#conditions.push(`(created_at, id) < ($${createdAt}, $${id})`);
      this.#shape.push('cursor');
    }
    this.#values.push(this.pageSize + 1);
    return {
      name: `bzzz_list_${table}_${this.#shape.join('_') || 'all'}`,
      text: `SELECT ${cols(columns)} FROM ${table} WHERE ${this.#conditions.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT $${this.#values.length}`,
      values: this.#values,
    };
  }
}
