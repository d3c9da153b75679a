/**
 * The storage port: runs, steps, sessions, artifacts and agents. One contract (test/store/store-contract.ts)
 * is run against every adapter: in-memory, SQLite and PostgreSQL. Stores return fresh copies, never
 * live references, and every method is scoped by the call context's tenant.
 */
import type { RegisteredAgent } from '../domain/agent.js';
import type { Artifact } from '../domain/artifact.js';
import type { CallContext } from '../domain/call-context.js';
import type { Run, RunStatus } from '../domain/run.js';
import type { Session, SessionStatus } from '../domain/session.js';
import type { Step } from '../domain/step.js';

export interface PageRequest {
  /** 1..1000; adapters clamp to that range. @default 50 */
  readonly pageSize?: number;
  /** Opaque token from a previous page's `nextPageToken`. */
  readonly pageToken?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Empty string on the last page. */
  readonly nextPageToken: string;
}

export interface RunFilter {
  readonly statuses?: readonly RunStatus[];
  /** Registered agent name (targets of kind `agent`). */
  readonly agent?: string;
  readonly sessionId?: string;
  /** Inclusive lower bound on `createdAt`. */
  readonly createdAfter?: string;
  /** Exclusive upper bound on `createdAt`. */
  readonly createdBefore?: string;
}

export interface SessionFilter {
  readonly statuses?: readonly SessionStatus[];
}

/** Records that change together with a run (see `Store.updateRun`). */
export interface RunChanges {
  readonly step?: Step;
  readonly artifact?: Artifact;
}

export interface Store {
  /** Opens connections and applies pending migrations. */
  start(): Promise<void>;
  /** Idempotent; later calls return the same promise. */
  close(): Promise<void>;

  /**
   * Inserts a new run, with its first step when `first.step` is given (in the same transaction: both
   * or neither). Fails with INTERNAL if the id exists, and with RUN_ALREADY_EXISTS (`details.runId`
   * naming the existing run) if the run has an idempotency key that another run of the tenant has; of
   * several concurrent inserts with one key, exactly one succeeds.
   */
  createRun(run: Run, ctx: CallContext, first?: { readonly step?: Step }): Promise<void>;
  /**
   * Replaces a run whose stored version is `run.version - 1` (optimistic concurrency), and in the same
   * transaction upserts `changes.step` and inserts `changes.artifact` when given: a run and the step or
   * artifact that changed with it are stored together or not at all. Returns false, writing nothing,
   * when the stored version differs (another writer got there first). The run's creation time and
   * idempotency key stay as created.
   */
  updateRun(run: Run, ctx: CallContext, changes?: RunChanges): Promise<boolean>;
  getRun(id: string, ctx: CallContext): Promise<Run | undefined>;
  /** The caller's tenant's run created with this idempotency key, if any. */
  getRunByIdempotencyKey(key: string, ctx: CallContext): Promise<Run | undefined>;
  /** The newest run of the caller's tenant that targets the registered agent `agent` and tracks its task `taskId`. */
  getRunByRemoteTask(agent: string, taskId: string, ctx: CallContext): Promise<Run | undefined>;
  /** Newest first (createdAt, then id, descending). */
  listRuns(filter: RunFilter, page: PageRequest, ctx: CallContext): Promise<Page<Run>>;
  /** Runs not in a terminal status, across tenants: what recovery looks at after a restart. */
  listUnfinishedRuns(): Promise<readonly Run[]>;

  /** Inserts or replaces a step (by id). */
  putStep(step: Step, ctx: CallContext): Promise<void>;
  /** A run's steps, ordered by `index`. */
  listSteps(runId: string, ctx: CallContext): Promise<readonly Step[]>;

  createSession(session: Session, ctx: CallContext): Promise<void>;
  updateSession(session: Session, ctx: CallContext): Promise<void>;
  getSession(id: string, ctx: CallContext): Promise<Session | undefined>;
  listSessions(filter: SessionFilter, page: PageRequest, ctx: CallContext): Promise<Page<Session>>;

  /** Inserts an artifact's metadata (and inline content, when its location is inline). */
  putArtifact(artifact: Artifact, ctx: CallContext): Promise<void>;
  getArtifact(id: string, ctx: CallContext): Promise<Artifact | undefined>;
  /** A run's artifacts in creation order. */
  listArtifacts(runId: string, ctx: CallContext): Promise<readonly Artifact[]>;

  /** Inserts or replaces an agent (by tenant and name). */
  putAgent(agent: RegisteredAgent, ctx: CallContext): Promise<void>;
  getAgent(name: string, ctx: CallContext): Promise<RegisteredAgent | undefined>;
  /** By name. */
  listAgents(ctx: CallContext): Promise<readonly RegisteredAgent[]>;
  /** All agents of all tenants, for the health checker. */
  listAllAgents(): Promise<readonly RegisteredAgent[]>;
  /** Returns whether an agent was removed. */
  deleteAgent(name: string, ctx: CallContext): Promise<boolean>;
}
