/**
 * `InMemoryStore`: the storage port held in maps, for tests and for a gateway that needs no durability
 * (`BZZZ_STORE_URL=memory:`). It keeps deep copies (`structuredClone`) on the way in and hands out deep
 * copies on the way out, so no caller can change stored state by mutating an object. Its behaviour is
 * the same as the SQLite and PostgreSQL adapters', checked by the shared contract suite
 * (test/store/store-contract.ts). Listing filters and sorts in memory: fine for the sizes it is meant for.
 */
import type { RegisteredAgent } from '../../domain/agent.js';
import type { Artifact } from '../../domain/artifact.js';
import type { CallContext } from '../../domain/call-context.js';
import { isTerminalRunStatus, type Run } from '../../domain/run.js';
import type { Session } from '../../domain/session.js';
import type { Step } from '../../domain/step.js';
import { ErrorCode, notFound } from '../../errors/gateway-error.js';
import { clampPageSize, decodePageToken, pageOf, type PageCursor } from '../page-token.js';
import { assertTenantMatches, duplicateId, runAlreadyExists, storeNotOpen } from '../store-guards.js';
import type { Page, PageRequest, RunChanges, RunFilter, SessionFilter, Store } from '../store.js';

interface StoredStep {
  readonly tenant: string;
  readonly step: Step;
}

/** Newest first: createdAt, then id, both descending (the order of every paged listing). */
function newestFirst(a: PageCursor, b: PageCursor): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? 1 : -1;
  return 0;
}

/** True when `item` sorts strictly after the cursor in newest-first order. */
function isAfter(item: PageCursor, cursor: PageCursor | undefined): boolean {
  return cursor === undefined || newestFirst(item, cursor) > 0;
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keyset paging over an already filtered set, as the SQL adapters do it. */
function page<T extends PageCursor>(items: Iterable<T>, request: PageRequest): Page<T> {
  const cursor = decodePageToken(request.pageToken);
  const pageSize = clampPageSize(request.pageSize);
  const sorted = [...items].filter((item) => isAfter(item, cursor)).sort(newestFirst);
  return pageOf(
    sorted.slice(0, pageSize + 1).map((item) => structuredClone(item)),
    pageSize,
  );
}

/** The storage port in process memory. `start()` is not needed before use; after `close()` every call fails. */
export class InMemoryStore implements Store {
  readonly #runs = new Map<string, Run>();
  readonly #steps = new Map<string, StoredStep>();
  readonly #sessions = new Map<string, Session>();
  /** Insertion order is kept: `listArtifacts` breaks createdAt ties with it. */
  readonly #artifacts = new Map<string, Artifact>();
  /** Keyed by tenant and name. */
  readonly #agents = new Map<string, RegisteredAgent>();
  #closed: Promise<void> | undefined;

  /** Nothing to open. */
  async start(): Promise<void> {
    this.#assertOpen();
  }

  /** Marks the store closed; data is dropped. Idempotent: later calls return the same promise. */
  close(): Promise<void> {
    this.#closed ??= Promise.resolve().then(() => {
      this.#runs.clear();
      this.#steps.clear();
      this.#sessions.clear();
      this.#artifacts.clear();
      this.#agents.clear();
    });
    return this.#closed;
  }

  async createRun(run: Run, ctx: CallContext, first: { readonly step?: Step } = {}): Promise<void> {
    this.#assertOpen();
    assertTenantMatches(run.tenant, ctx, 'run');
    if (this.#runs.has(run.id)) throw duplicateId('run', run.id);
    const holder =
      run.idempotencyKey === undefined ? undefined : this.#runWithKey(run.idempotencyKey, ctx.tenant);
    if (holder !== undefined) throw runAlreadyExists(holder.id);
    const { step } = first;
    if (step !== undefined) {
      if (step.runId !== run.id) throw notFound(ErrorCode.RUN_NOT_FOUND, 'run', step.runId);
      if (this.#steps.has(step.id)) throw duplicateId('step', step.id);
    }
    this.#runs.set(run.id, structuredClone(run));
    if (step !== undefined) this.#steps.set(step.id, { tenant: ctx.tenant, step: structuredClone(step) });
  }

  async updateRun(run: Run, ctx: CallContext, changes: RunChanges = {}): Promise<boolean> {
    this.#assertOpen();
    assertTenantMatches(run.tenant, ctx, 'run');
    const { step, artifact } = changes;
    if (artifact !== undefined) assertTenantMatches(artifact.tenant, ctx, 'artifact');
    const stored = this.#runs.get(run.id);
    if (stored === undefined || stored.tenant !== ctx.tenant || stored.version !== run.version - 1) {
      return false;
    }
    // Every check before any write, so that a refused step or artifact leaves the run as it was.
    if (step !== undefined) this.#checkStep(step, ctx);
    if (artifact !== undefined) this.#checkArtifact(artifact);
    // What is fixed at creation is kept as stored, as in the SQL adapters (RUN_UPDATE_COLUMNS).
    const {
      idempotencyKey: _key,
      input: _input,
      sessionId: _session,
      timeoutMs: _limit,
      ...next
    } = structuredClone(run);
    const { createdAt, target, runtimeKind, input, sessionId, timeoutMs, idempotencyKey } = stored;
    this.#runs.set(run.id, {
      ...next,
      createdAt,
      target,
      runtimeKind,
      ...(input !== undefined && { input }),
      ...(sessionId !== undefined && { sessionId }),
      ...(timeoutMs !== undefined && { timeoutMs }),
      ...(idempotencyKey !== undefined && { idempotencyKey }),
    });
    if (step !== undefined) this.#steps.set(step.id, { tenant: ctx.tenant, step: structuredClone(step) });
    if (artifact !== undefined) this.#artifacts.set(artifact.id, structuredClone(artifact));
    return true;
  }

  async getRun(id: string, ctx: CallContext): Promise<Run | undefined> {
    this.#assertOpen();
    const run = this.#runs.get(id);
    return run === undefined || run.tenant !== ctx.tenant ? undefined : structuredClone(run);
  }

  async getRunByIdempotencyKey(key: string, ctx: CallContext): Promise<Run | undefined> {
    this.#assertOpen();
    const run = this.#runWithKey(key, ctx.tenant);
    return run === undefined ? undefined : structuredClone(run);
  }

  async getRunByRemoteTask(agent: string, taskId: string, ctx: CallContext): Promise<Run | undefined> {
    this.#assertOpen();
    let newest: Run | undefined;
    for (const run of this.#runs.values()) {
      const matches =
        run.tenant === ctx.tenant &&
        run.target.kind === 'agent' &&
        run.target.name === agent &&
        run.remote?.taskId === taskId;
      if (matches && (newest === undefined || newestFirst(run, newest) < 0)) newest = run;
    }
    return newest === undefined ? undefined : structuredClone(newest);
  }

  async listRuns(filter: RunFilter, request: PageRequest, ctx: CallContext): Promise<Page<Run>> {
    this.#assertOpen();
    const statuses =
      filter.statuses !== undefined && filter.statuses.length > 0 ? filter.statuses : undefined;
    const matches = [...this.#runs.values()].filter(
      (run) =>
        run.tenant === ctx.tenant &&
        (statuses === undefined || statuses.includes(run.status)) &&
        (filter.agent === undefined || (run.target.kind === 'agent' && run.target.name === filter.agent)) &&
        (filter.sessionId === undefined || run.sessionId === filter.sessionId) &&
        (filter.createdAfter === undefined || run.createdAt >= filter.createdAfter) &&
        (filter.createdBefore === undefined || run.createdAt < filter.createdBefore),
    );
    return page(matches, request);
  }

  async listUnfinishedRuns(): Promise<readonly Run[]> {
    this.#assertOpen();
    return [...this.#runs.values()]
      .filter((run) => !isTerminalRunStatus(run.status))
      .sort((a, b) => -newestFirst(a, b))
      .map((run) => structuredClone(run));
  }

  async putStep(step: Step, ctx: CallContext): Promise<void> {
    this.#assertOpen();
    this.#checkStep(step, ctx);
    this.#steps.set(step.id, { tenant: ctx.tenant, step: structuredClone(step) });
  }

  async listSteps(runId: string, ctx: CallContext): Promise<readonly Step[]> {
    this.#assertOpen();
    return [...this.#steps.values()]
      .filter((s) => s.tenant === ctx.tenant && s.step.runId === runId)
      .map((s) => s.step)
      .sort((a, b) => a.index - b.index || byString(a.id, b.id))
      .map((step) => structuredClone(step));
  }

  async createSession(session: Session, ctx: CallContext): Promise<void> {
    this.#assertOpen();
    assertTenantMatches(session.tenant, ctx, 'session');
    if (this.#sessions.has(session.id)) throw duplicateId('session', session.id);
    this.#sessions.set(session.id, structuredClone(session));
  }

  async updateSession(session: Session, ctx: CallContext): Promise<void> {
    this.#assertOpen();
    assertTenantMatches(session.tenant, ctx, 'session');
    const stored = this.#sessions.get(session.id);
    if (stored === undefined || stored.tenant !== ctx.tenant) {
      throw notFound(ErrorCode.SESSION_NOT_FOUND, 'session', session.id);
    }
    this.#sessions.set(session.id, { ...structuredClone(session), createdAt: stored.createdAt });
  }

  async getSession(id: string, ctx: CallContext): Promise<Session | undefined> {
    this.#assertOpen();
    const session = this.#sessions.get(id);
    return session === undefined || session.tenant !== ctx.tenant ? undefined : structuredClone(session);
  }

  async listSessions(filter: SessionFilter, request: PageRequest, ctx: CallContext): Promise<Page<Session>> {
    this.#assertOpen();
    const statuses =
      filter.statuses !== undefined && filter.statuses.length > 0 ? filter.statuses : undefined;
    const matches = [...this.#sessions.values()].filter(
      (s) => s.tenant === ctx.tenant && (statuses === undefined || statuses.includes(s.status)),
    );
    return page(matches, request);
  }

  async putArtifact(artifact: Artifact, ctx: CallContext): Promise<void> {
    this.#assertOpen();
    assertTenantMatches(artifact.tenant, ctx, 'artifact');
    this.#checkArtifact(artifact);
    this.#artifacts.set(artifact.id, structuredClone(artifact));
  }

  async getArtifact(id: string, ctx: CallContext): Promise<Artifact | undefined> {
    this.#assertOpen();
    const artifact = this.#artifacts.get(id);
    return artifact === undefined || artifact.tenant !== ctx.tenant ? undefined : structuredClone(artifact);
  }

  async listArtifacts(runId: string, ctx: CallContext): Promise<readonly Artifact[]> {
    this.#assertOpen();
    // Array.prototype.sort is stable: equal createdAt keeps insertion order.
    return [...this.#artifacts.values()]
      .filter((a) => a.tenant === ctx.tenant && a.sourceRunId === runId)
      .sort((a, b) => byString(a.createdAt, b.createdAt))
      .map((a) => structuredClone(a));
  }

  async putAgent(agent: RegisteredAgent, ctx: CallContext): Promise<void> {
    this.#assertOpen();
    assertTenantMatches(agent.tenant, ctx, 'agent');
    this.#agents.set(agentKey(agent.tenant, agent.name), structuredClone(agent));
  }

  async getAgent(name: string, ctx: CallContext): Promise<RegisteredAgent | undefined> {
    this.#assertOpen();
    const agent = this.#agents.get(agentKey(ctx.tenant, name));
    return agent === undefined ? undefined : structuredClone(agent);
  }

  async listAgents(ctx: CallContext): Promise<readonly RegisteredAgent[]> {
    this.#assertOpen();
    return [...this.#agents.values()]
      .filter((a) => a.tenant === ctx.tenant)
      .sort((a, b) => byString(a.name, b.name))
      .map((a) => structuredClone(a));
  }

  async listAllAgents(): Promise<readonly RegisteredAgent[]> {
    this.#assertOpen();
    return [...this.#agents.values()]
      .sort((a, b) => byString(a.tenant, b.tenant) || byString(a.name, b.name))
      .map((a) => structuredClone(a));
  }

  async deleteAgent(name: string, ctx: CallContext): Promise<boolean> {
    this.#assertOpen();
    return this.#agents.delete(agentKey(ctx.tenant, name));
  }

  /** A scan: the in-memory store is meant for small numbers of runs. */
  #runWithKey(key: string, tenant: string): Run | undefined {
    for (const run of this.#runs.values()) {
      if (run.tenant === tenant && run.idempotencyKey === key) return run;
    }
    return undefined;
  }

  /**
   * What `putStep` refuses: a run that is not the caller's, or a step id held by another tenant, run or
   * index.
   */
  #checkStep(step: Step, ctx: CallContext): void {
    const run = this.#runs.get(step.runId);
    if (run === undefined || run.tenant !== ctx.tenant) {
      throw notFound(ErrorCode.RUN_NOT_FOUND, 'run', step.runId);
    }
    const existing = this.#steps.get(step.id);
    // A step id names one step of one run for good (as STEP_IDENTITY_MATCH in the SQL stores).
    const moved =
      existing !== undefined &&
      (existing.tenant !== ctx.tenant ||
        existing.step.runId !== step.runId ||
        existing.step.index !== step.index);
    if (moved) throw duplicateId('step', step.id);
  }

  /** What `putArtifact` refuses once the tenant matches: an id that exists (in any tenant). */
  #checkArtifact(artifact: Artifact): void {
    if (this.#artifacts.has(artifact.id)) throw duplicateId('artifact', artifact.id);
  }

  #assertOpen(): void {
    if (this.#closed !== undefined) throw storeNotOpen('in-memory store', 'closed');
  }
}

function agentKey(tenant: string, name: string): string {
  // NUL cannot occur in a tenant id, so the key is unambiguous.
  return `${tenant}\u0000${name}`;
}
