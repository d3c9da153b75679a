/**
 * The mapping between domain records and table rows, shared by the SQLite and PostgreSQL adapters so
 * both keep exactly the same layout. Columns that are filtered or sorted on (tenant, status, agent name,
 * session id, timestamps, ids) are real columns; nested values (targets, errors, inputs, cards, …) are
 * JSON text. Absent optional fields are stored as NULL and decoded back to absent keys, so a record
 * round-trips exactly. The table definitions themselves live in each adapter's migrations.
 */
import type { AgentCredentials, AgentEndpoint, AgentHealth, RegisteredAgent } from '../domain/agent.js';
import type { Artifact, ArtifactLocation, Checksum } from '../domain/artifact.js';
import type { RunInput } from '../domain/part.js';
import type { RunError, StepError } from '../domain/run-error.js';
import type { RemoteTaskRef, Run, RunStatus, RunTarget, RuntimeKind, TraceRef } from '../domain/run.js';
import type { Session, SessionStatus } from '../domain/session.js';
import type { Step, StepRemote, StepStatus } from '../domain/step.js';
import { GatewayError, ErrorCode } from '../errors/gateway-error.js';
import { jsonText } from '../json/json-text.js';

/** One row of `runs`. JSON columns hold text. */
export interface RunRow {
  id: string;
  tenant: string;
  status: string;
  /** JSON `RunTarget`. */
  target: string;
  /** `target.name` when the target is a registered agent; what `RunFilter.agent` matches. */
  agent_name: string | null;
  runtime_kind: string;
  session_id: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  timeout_ms: number | null;
  /** JSON `RunError`. */
  error: string | null;
  /** JSON array of artifact ids. */
  artifact_ids: string;
  /** JSON `RunInput`. */
  input: string | null;
  /** JSON `RemoteTaskRef`. */
  remote: string | null;
  version: number;
  updated_at: string;
  /** JSON `TraceRef` (migration 2). */
  trace: string | null;
  /** The client's idempotency key, unique per tenant when set (migration 3). */
  idempotency_key: string | null;
  /** The agent's task id (`remote.taskId`), indexed to find a task's run (migration 4). */
  remote_task_id: string | null;
}

/** Every column of `runs`, in table order. */
export const RUN_COLUMNS: readonly (keyof RunRow)[] = [
  'id',
  'tenant',
  'status',
  'target',
  'agent_name',
  'runtime_kind',
  'session_id',
  'created_at',
  'started_at',
  'finished_at',
  'timeout_ms',
  'error',
  'artifact_ids',
  'input',
  'remote',
  'version',
  'updated_at',
  'trace',
  'idempotency_key',
  'remote_task_id',
];

/**
 * The columns `updateRun` rewrites: what a run's transitions change. What is fixed at creation (the
 * identity, target, input, session, time limit, idempotency key) is left alone, so an update neither
 * re-encodes the input nor touches the indexes on those columns.
 */
export const RUN_UPDATE_COLUMNS = [
  'status',
  'started_at',
  'finished_at',
  'error',
  'artifact_ids',
  'remote',
  'version',
  'updated_at',
  'trace',
  'remote_task_id',
] as const satisfies readonly (keyof RunRow)[];

/** The values of `RUN_UPDATE_COLUMNS`, with the row's identity for the WHERE clause. */
export type RunUpdateRow = Pick<RunRow, 'id' | 'tenant' | (typeof RUN_UPDATE_COLUMNS)[number]>;

/** One row of `steps`. Steps carry no tenant of their own: the row records the caller's. */
export interface StepRow {
  id: string;
  run_id: string;
  tenant: string;
  step_index: number;
  status: string;
  name: string;
  agent: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** JSON `StepError`. */
  error: string | null;
  /** JSON array of artifact ids. */
  output_artifact_ids: string;
  /** JSON `StepRemote`. */
  remote: string | null;
  /** JSON `TraceRef` (migration 2). */
  trace: string | null;
}

export const STEP_COLUMNS: readonly (keyof StepRow)[] = [
  'id',
  'run_id',
  'tenant',
  'step_index',
  'status',
  'name',
  'agent',
  'created_at',
  'started_at',
  'finished_at',
  'error',
  'output_artifact_ids',
  'remote',
  'trace',
];

/**
 * The columns that name a step for good: a step written again keeps its tenant, run and index. Upserts
 * set only the other columns, so that rewriting a step leaves the steps' index on (tenant, run_id,
 * step_index, id) alone, and refuse a row that would change them (`STEP_IDENTITY_MATCH`).
 */
export const STEP_IDENTITY_COLUMNS: ReadonlySet<keyof StepRow> = new Set([
  'id',
  'tenant',
  'run_id',
  'step_index',
]);
/** An upsert's condition for overwriting the stored step with the same id (SQLite and PostgreSQL). */
export const STEP_IDENTITY_MATCH =
  'steps.tenant = excluded.tenant AND steps.run_id = excluded.run_id AND steps.step_index = excluded.step_index';

export interface SessionRow {
  id: string;
  tenant: string;
  status: string;
  name: string;
  created_at: string;
  ended_at: string | null;
}

export const SESSION_COLUMNS: readonly (keyof SessionRow)[] = [
  'id',
  'tenant',
  'status',
  'name',
  'created_at',
  'ended_at',
];

/** One row of `artifacts`. The location is split into its kind, its reference and inline content. */
export interface ArtifactRow {
  id: string;
  tenant: string;
  name: string;
  content_type: string;
  size: number;
  location_kind: string;
  /** The path, URL or URI of a non-inline location. */
  location_ref: string | null;
  /** The bytes of an inline location. */
  content: Buffer | null;
  /** JSON `Checksum`. */
  checksum: string | null;
  created_at: string;
  source_run_id: string | null;
  source_step_id: string | null;
  remote_artifact_id: string | null;
}

export const ARTIFACT_COLUMNS: readonly (keyof ArtifactRow)[] = [
  'id',
  'tenant',
  'name',
  'content_type',
  'size',
  'location_kind',
  'location_ref',
  'content',
  'checksum',
  'created_at',
  'source_run_id',
  'source_step_id',
  'remote_artifact_id',
];

export interface AgentRow {
  tenant: string;
  name: string;
  url: string;
  card_url: string;
  /** JSON agent card. */
  card: string;
  /** JSON `AgentEndpoint`. */
  endpoint: string;
  /** JSON object of label → value. */
  labels: string;
  /** JSON `AgentCredentials`. Stored as given: protect the database like a secret store. */
  credentials: string | null;
  health: string;
  health_reason: string | null;
  heartbeat_ttl_ms: number | null;
  last_heartbeat_at: string | null;
  last_checked_at: string | null;
  registered_at: string;
  updated_at: string;
}

export const AGENT_COLUMNS: readonly (keyof AgentRow)[] = [
  'tenant',
  'name',
  'url',
  'card_url',
  'card',
  'endpoint',
  'labels',
  'credentials',
  'health',
  'health_reason',
  'heartbeat_ttl_ms',
  'last_heartbeat_at',
  'last_checked_at',
  'registered_at',
  'updated_at',
];

function jsonOrNull(value: unknown): string | null {
  return value === undefined ? null : jsonText(value);
}

/** Lowercase hex, as W3C trace context writes trace and span ids. */
const HEX_ID = /^[0-9a-f]+$/;

/**
 * A trace reference's JSON. Every write of a traced run or step encodes one, so when its ids are hex (as
 * every span context's are) the text is put together directly: they need no escaping. That takes under
 * a tenth of what `JSON.stringify` does; the per-reference WeakMap cache it replaces cost 11 µs of
 * gateway CPU per traced run in a profile. Anything else goes through `JSON.stringify`.
 */
function traceColumn(trace: TraceRef | undefined): string | null {
  if (trace === undefined) return null;
  const { traceId, spanId, traceFlags } = trace;
  if (!HEX_ID.test(traceId) || !HEX_ID.test(spanId) || !Number.isSafeInteger(traceFlags)) {
    return JSON.stringify(trace);
  }
  return `{"traceId":"${traceId}","spanId":"${spanId}","traceFlags":${traceFlags}}`;
}

function parse<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** `{ [key]: value }` when the column is not NULL, else `{}`: absent fields stay absent. */
function optional<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

function optionalJson<K extends string, V>(key: K, text: string | null): { [P in K]?: V } {
  return optional(key, text === null ? null : parse<V>(text));
}

export function runToRow(run: Run): RunRow {
  return {
    id: run.id,
    tenant: run.tenant,
    status: run.status,
    target: jsonText(run.target),
    agent_name: run.target.kind === 'agent' ? run.target.name : null,
    runtime_kind: run.runtimeKind,
    session_id: run.sessionId ?? null,
    created_at: run.createdAt,
    started_at: run.startedAt ?? null,
    finished_at: run.finishedAt ?? null,
    timeout_ms: run.timeoutMs ?? null,
    error: jsonOrNull(run.error),
    artifact_ids: jsonText(run.artifactIds),
    input: jsonOrNull(run.input),
    remote: jsonOrNull(run.remote),
    version: run.version,
    updated_at: run.updatedAt,
    trace: traceColumn(run.trace),
    idempotency_key: run.idempotencyKey ?? null,
    remote_task_id: run.remote?.taskId ?? null,
  };
}

export function runToUpdateRow(run: Run): RunUpdateRow {
  return {
    id: run.id,
    tenant: run.tenant,
    status: run.status,
    started_at: run.startedAt ?? null,
    finished_at: run.finishedAt ?? null,
    error: jsonOrNull(run.error),
    artifact_ids: jsonText(run.artifactIds),
    remote: jsonOrNull(run.remote),
    version: run.version,
    updated_at: run.updatedAt,
    trace: traceColumn(run.trace),
    remote_task_id: run.remote?.taskId ?? null,
  };
}

export function rowToRun(row: RunRow): Run {
  return {
    id: row.id,
    tenant: row.tenant,
    status: row.status as RunStatus,
    target: parse<RunTarget>(row.target),
    runtimeKind: row.runtime_kind as RuntimeKind,
    ...optional('sessionId', row.session_id),
    createdAt: row.created_at,
    ...optional('startedAt', row.started_at),
    ...optional('finishedAt', row.finished_at),
    ...optional('timeoutMs', row.timeout_ms),
    ...optionalJson<'error', RunError>('error', row.error),
    artifactIds: parse<string[]>(row.artifact_ids),
    ...optionalJson<'input', RunInput>('input', row.input),
    ...optionalJson<'remote', RemoteTaskRef>('remote', row.remote),
    ...optionalJson<'trace', TraceRef>('trace', row.trace),
    ...optional('idempotencyKey', row.idempotency_key),
    version: row.version,
    updatedAt: row.updated_at,
  };
}

export function stepToRow(step: Step, tenant: string): StepRow {
  return {
    id: step.id,
    run_id: step.runId,
    tenant,
    step_index: step.index,
    status: step.status,
    name: step.name,
    agent: step.agent,
    created_at: step.createdAt,
    started_at: step.startedAt ?? null,
    finished_at: step.finishedAt ?? null,
    error: jsonOrNull(step.error),
    output_artifact_ids: jsonText(step.outputArtifactIds),
    remote: jsonOrNull(step.remote),
    trace: traceColumn(step.trace),
  };
}

export function rowToStep(row: StepRow): Step {
  return {
    id: row.id,
    runId: row.run_id,
    index: row.step_index,
    status: row.status as StepStatus,
    name: row.name,
    agent: row.agent,
    createdAt: row.created_at,
    ...optional('startedAt', row.started_at),
    ...optional('finishedAt', row.finished_at),
    ...optionalJson<'error', StepError>('error', row.error),
    outputArtifactIds: parse<string[]>(row.output_artifact_ids),
    ...optionalJson<'remote', StepRemote>('remote', row.remote),
    ...optionalJson<'trace', TraceRef>('trace', row.trace),
  };
}

export function sessionToRow(session: Session): SessionRow {
  return {
    id: session.id,
    tenant: session.tenant,
    status: session.status,
    name: session.name,
    created_at: session.createdAt,
    ended_at: session.endedAt ?? null,
  };
}

export function rowToSession(row: SessionRow): Session {
  return {
    id: row.id,
    tenant: row.tenant,
    status: row.status as SessionStatus,
    name: row.name,
    createdAt: row.created_at,
    ...optional('endedAt', row.ended_at),
  };
}

function locationColumns(
  location: ArtifactLocation,
): Pick<ArtifactRow, 'location_kind' | 'location_ref' | 'content'> {
  switch (location.kind) {
    case 'local':
      return { location_kind: location.kind, location_ref: location.path, content: null };
    case 'http':
      return { location_kind: location.kind, location_ref: location.url, content: null };
    case 'cloudStorage':
      return { location_kind: location.kind, location_ref: location.uri, content: null };
    case 'inline':
      // A copy: the caller keeps its array, the row owns these bytes.
      return { location_kind: location.kind, location_ref: null, content: Buffer.from(location.content) };
  }
}

function corruptRow(table: string, id: string, problem: string): GatewayError {
  return new GatewayError(ErrorCode.INTERNAL, `corrupt ${table} row '${id}': ${problem}`, {
    details: { table, id },
  });
}

function rowLocation(row: ArtifactRow): ArtifactLocation {
  const ref = row.location_ref;
  switch (row.location_kind) {
    case 'local':
      if (ref !== null) return { kind: 'local', path: ref };
      break;
    case 'http':
      if (ref !== null) return { kind: 'http', url: ref };
      break;
    case 'cloudStorage':
      if (ref !== null) return { kind: 'cloudStorage', uri: ref };
      break;
    case 'inline':
      // A plain Uint8Array copy, not the driver's Buffer.
      if (row.content !== null) return { kind: 'inline', content: new Uint8Array(row.content) };
      break;
  }
  throw corruptRow('artifacts', row.id, `location '${row.location_kind}' without its reference`);
}

export function artifactToRow(artifact: Artifact): ArtifactRow {
  return {
    id: artifact.id,
    tenant: artifact.tenant,
    name: artifact.name,
    content_type: artifact.contentType,
    size: artifact.size,
    ...locationColumns(artifact.location),
    checksum: jsonOrNull(artifact.checksum),
    created_at: artifact.createdAt,
    source_run_id: artifact.sourceRunId ?? null,
    source_step_id: artifact.sourceStepId ?? null,
    remote_artifact_id: artifact.remoteArtifactId ?? null,
  };
}

export function rowToArtifact(row: ArtifactRow): Artifact {
  return {
    id: row.id,
    tenant: row.tenant,
    name: row.name,
    contentType: row.content_type,
    size: row.size,
    location: rowLocation(row),
    ...optionalJson<'checksum', Checksum>('checksum', row.checksum),
    createdAt: row.created_at,
    ...optional('sourceRunId', row.source_run_id),
    ...optional('sourceStepId', row.source_step_id),
    ...optional('remoteArtifactId', row.remote_artifact_id),
  };
}

export function agentToRow(agent: RegisteredAgent): AgentRow {
  return {
    tenant: agent.tenant,
    name: agent.name,
    url: agent.url,
    card_url: agent.cardUrl,
    card: jsonText(agent.card),
    endpoint: jsonText(agent.endpoint),
    labels: jsonText(agent.labels),
    credentials: jsonOrNull(agent.credentials),
    health: agent.health,
    health_reason: agent.healthReason ?? null,
    heartbeat_ttl_ms: agent.heartbeatTtlMs ?? null,
    last_heartbeat_at: agent.lastHeartbeatAt ?? null,
    last_checked_at: agent.lastCheckedAt ?? null,
    registered_at: agent.registeredAt,
    updated_at: agent.updatedAt,
  };
}

export function rowToAgent(row: AgentRow): RegisteredAgent {
  return {
    tenant: row.tenant,
    name: row.name,
    url: row.url,
    cardUrl: row.card_url,
    card: parse<Record<string, unknown>>(row.card),
    endpoint: parse<AgentEndpoint>(row.endpoint),
    labels: parse<Record<string, string>>(row.labels),
    ...optionalJson<'credentials', AgentCredentials>('credentials', row.credentials),
    health: row.health as AgentHealth,
    ...optional('healthReason', row.health_reason),
    ...optional('heartbeatTtlMs', row.heartbeat_ttl_ms),
    ...optional('lastHeartbeatAt', row.last_heartbeat_at),
    ...optional('lastCheckedAt', row.last_checked_at),
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
  };
}
