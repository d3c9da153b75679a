/**
 * The run engine behind `RunService`: creates runs, executes them against remote A2A agents, keeps every
 * change durable in the store and publishes it on the event bus.
 *
 * One writer per run: while a run executes, only its execution writes it; API calls that change an
 * executing run (cancel) signal the execution through its AbortController and wait for it. Writes use
 * the store's optimistic version check, so two API calls racing on an idle run cannot both win.
 *
 * An execution is one "segment": start (or resume) the run, one Step for the exchange with the agent
 * (streaming when the card says so), then the run's next status per the A2A task-state table in
 * `src/domain/a2a-state.ts`. A run that waits for input ends its segment; `sendInput` starts the next.
 */
import { isDeepStrictEqual } from 'node:util';

import type { AgentEndpoint } from '../domain/agent.js';
import type { Artifact } from '../domain/artifact.js';
import { A2ATaskState, normalizeTaskState, type TaskStateOutcome } from '../domain/a2a-state.js';
import { systemContext, type CallContext } from '../domain/call-context.js';
import { isId, newId } from '../domain/ids.js';
import type { RunInput } from '../domain/part.js';
import { RunErrors, StepErrors } from '../domain/run-error.js';
import type { RunEvent } from '../domain/run-event.js';
import {
  addRunArtifact,
  cancelRun,
  failRun,
  hasStoppedExecuting,
  isInterruptedRunStatus,
  isTerminalRunStatus,
  newRun,
  nextVersion,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_RULE,
  RunStatus,
  startRun,
  timeoutRun,
  withRemote,
  type Run,
  targetLabel,
  type RunTarget,
} from '../domain/run.js';
import {
  cancelStep,
  completeStep,
  failStep,
  newStep,
  recordStepEvent,
  startStep,
  StepStatus,
  withStepMethod,
  type Step,
} from '../domain/step.js';
import { assertSessionAcceptsRuns } from '../domain/session.js';
import { ErrorCode, GatewayError, invalidArgument, notFound } from '../errors/gateway-error.js';
import { AsyncQueue } from '../events/async-queue.js';
import { followSignals, linkSignals } from '../events/linked-signal.js';
import { Handoff } from '../events/handoff.js';
import type { RunEventBus } from '../events/run-event-bus.js';
import { traceLogFields, type Logger } from '../logging/logger.js';
import type { A2ACallOptions, A2AClient } from '../remote/a2a-client.js';
import type {
  A2AArtifact,
  A2AMessage,
  A2ASendMessageRequest,
  A2AStreamEvent,
  A2ATask,
} from '../remote/a2a-types.js';
import { validateAgentCard } from '../remote/agent-card.js';
import type { Page, PageRequest, RunChanges, RunFilter, Store } from '../store/store.js';
import { credentialHeaders, parseHttpUrl, type DefaultAgentRegistry } from './agent-registry.js';
import { toArtifactMeta, type DefaultArtifactService } from './artifact-service.js';
import {
  classifyFailure,
  Exchange,
  exchangeOutcome,
  finalStates,
  type ExchangeWriter,
} from './run-exchange.js';
import { NoopMetrics } from './metrics.js';
import { RunTelemetry, type StepTarget } from './run-telemetry.js';
import {
  MAX_RUN_WAIT_MS,
  type ArtifactMeta,
  type RunDetails,
  type RunService,
  type RunWatchEvent,
  type SubmitRunRequest,
  type SubmitRunResult,
} from './services.js';

/** Why an execution's signal was aborted. */
type StopReason =
  | { readonly kind: 'cancel'; readonly reason: string }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'shutdown' };

/** Where and how a run's agent is called. */
interface ResolvedTarget extends StepTarget {
  readonly endpoint: AgentEndpoint;
  readonly headers: Readonly<Record<string, string>>;
  readonly streaming: boolean;
  /** How steps name the agent: the registered name or the URL. */
  readonly label: string;
}

/** How a step calls its agent: where, and with which options (signal, headers, timeout, trace context). */
interface OutboundCall {
  readonly target: ResolvedTarget;
  readonly options: A2ACallOptions;
}

/**
 * What one segment sends and to whom it reports. A run submitted through the API sends its input, over
 * streaming when the agent's card offers it. A façade call (`relay`) sends the caller's own A2A request
 * as the caller chose, hands every event to the caller as it arrives, and may be detached by the caller
 * leaving (the call to the agent ends, the run goes on by polling the task).
 */
interface SegmentPlan {
  readonly input: RunInput;
  /**
   * The run as this process has just stored it, when nothing can have changed it since: the segment
   * starts from it instead of reading it back (a stale one would fail its first commit's version check).
   */
  readonly current?: Run;
  readonly relay?: {
    readonly request: A2ASendMessageRequest;
    readonly streaming: boolean;
    readonly headers: Readonly<Record<string, string>>;
    readonly caller: Handoff<A2AStreamEvent>;
    /**
     * Aborted when the caller detaches; during the call to the agent it also follows the run's own
     * signal, so that it is the call's signal (one AbortSignal fewer than linking the two).
     */
    readonly detach: AbortController;
    /** A new run not stored yet: it is stored with its first step, in one write. */
    readonly unstored?: Run;
  };
}

/** A façade call that sends a message: the caller's own A2A request, relayed to a registered agent. */
export interface RelayRequest {
  readonly agent: string;
  /** The caller's `SendMessageRequest` (ProtoJSON); its `tenant` is replaced by the agent's. */
  readonly request: A2ASendMessageRequest;
  /** SendStreamingMessage (true) or SendMessage. */
  readonly streaming: boolean;
  /** Service parameters for the agent (`A2A-Extensions`). */
  readonly headers?: Readonly<Record<string, string>>;
}

interface ActiveExecution {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** A watcher that falls this far behind is disconnected rather than buffering without bound. */
const MAX_WATCH_BACKLOG = 10_000;
const CARD_CACHE_TTL_MS = 60_000;
const POLL_INTERVAL_MS = { first: 100, max: 2_000 } as const;

export interface DefaultRunServiceOptions {
  readonly store: Store;
  readonly bus: RunEventBus;
  readonly client: A2AClient;
  readonly agents: Pick<DefaultAgentRegistry, 'resolve'>;
  readonly artifacts: Pick<DefaultArtifactService, 'prepare'>;
  readonly logger: Logger;
  /** Limit on one non-streaming call to an agent. */
  readonly agentCallTimeoutMs: number;
  /** Time limit for runs submitted without one. */
  readonly defaultRunTimeoutMs?: number;
  /** Runs executing at once; more wait in `pending`. */
  readonly maxConcurrentRuns: number;
  /** Spans and metrics of runs. @default no-op metrics; spans through the global OpenTelemetry API */
  readonly telemetry?: RunTelemetry;
  /** Registered agents that may receive the caller's W3C baggage. @default none */
  readonly baggageAgents?: ReadonlySet<string>;
}

/**
 * A run's details rebuilt from its events, for a caller that listened since before the run was stored
 * and so saw every change: steps and artifacts as their last events left them, in the order they were
 * first stored (the order the store lists them in). The run itself is current only after an event that
 * announced it: commits of a step or an artifact alone change it unannounced.
 */
class DetailsFromEvents {
  #run: Run;
  readonly #steps = new Map<string, Step>();
  readonly #artifacts = new Map<string, ArtifactMeta>();

  constructor(run: Run) {
    this.#run = run;
  }

  readonly apply = (event: RunEvent): void => {
    if (event.type === 'run') this.#run = event.run;
    else if (event.type === 'step') this.#steps.set(event.step.id, event.step);
    else this.#artifacts.set(event.artifact.id, toArtifactMeta(event.artifact));
  };

  details(): RunDetails {
    return { run: this.#run, steps: [...this.#steps.values()], artifacts: [...this.#artifacts.values()] };
  }
}

export class DefaultRunService implements RunService, ExchangeWriter {
  readonly #o: DefaultRunServiceOptions;
  readonly #telemetry: RunTelemetry;
  readonly #active = new Map<string, ActiveExecution>();
  /** Runs waiting for an execution slot, in submission order. */
  readonly #queued = new Map<string, () => void>();
  /** Time limits of runs that wait for input (see `#armWaitTimeout`). */
  readonly #waitTimers = new Map<string, NodeJS.Timeout>();
  /** Calls waiting for their run to stop (`#whenStopped`): each ends its wait early. */
  readonly #waits = new Set<() => void>();
  readonly #cardCache = new Map<
    string,
    { target: Omit<ResolvedTarget, 'headers' | 'label' | 'baggageAllowed'>; expiresAt: number }
  >();
  #closing = false;

  constructor(options: DefaultRunServiceOptions) {
    this.#o = options;
    this.#telemetry = options.telemetry ?? new RunTelemetry({ metrics: NoopMetrics });
  }

  /** Executions in flight, for metrics and shutdown. */
  get activeCount(): number {
    return this.#active.size;
  }

  // ---------------------------------------------------------------------------------------------
  // API operations

  async submit(request: SubmitRunRequest, ctx: CallContext): Promise<SubmitRunResult> {
    this.#assertOpen();
    const key = request.idempotencyKey;
    // A retry of a submission that has a run gets that run, even if its target could not be used now;
    // the same key on a different request is refused (as the IETF Idempotency-Key draft asks).
    const replay = async (existing: Run): Promise<SubmitRunResult> => {
      const sameRequest =
        isDeepStrictEqual(existing.target, request.target) &&
        isDeepStrictEqual(existing.input, request.input) &&
        existing.sessionId === request.sessionId;
      if (!sameRequest) {
        throw new GatewayError(
          ErrorCode.RUN_ALREADY_EXISTS,
          `the idempotency key was already used for run ${existing.id}, with a different request`,
          { details: { runId: existing.id } },
        );
      }
      return { ...(await this.#detailsOnceStopped(existing.id, request.waitMs, ctx)), created: false };
    };
    const { waitMs } = request;
    assertWaitMs(waitMs);
    if (key !== undefined) {
      if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw invalidArgument('idempotencyKey', IDEMPOTENCY_KEY_RULE);
      const existing = await this.#o.store.getRunByIdempotencyKey(key, ctx);
      if (existing !== undefined) return replay(existing);
    }
    await this.#validateTarget(request.target, ctx);
    if (request.input.parts.length === 0)
      throw invalidArgument('input.parts', 'at least one part is required');
    if (request.sessionId !== undefined) {
      const session = await this.#o.store.getSession(request.sessionId, ctx);
      if (session === undefined) throw notFound(ErrorCode.SESSION_NOT_FOUND, 'session', request.sessionId);
      assertSessionAcceptsRuns(session);
    }
    const timeoutMs = request.timeoutMs ?? this.#o.defaultRunTimeoutMs;
    const created = newRun({
      target: request.target,
      tenant: ctx.tenant,
      input: request.input,
      ...(request.sessionId !== undefined && { sessionId: request.sessionId }),
      ...(timeoutMs !== undefined && { timeoutMs }),
      ...(key !== undefined && { idempotencyKey: key }),
    });
    const trace = this.#telemetry.startRun(created, ctx.traceCarrier);
    const run = trace === undefined ? created : { ...created, trace };
    // Listening before the run exists: it sees every event of the run, and rebuilds its details from them.
    const seen = new DetailsFromEvents(run);
    const stopped =
      waitMs === undefined ? undefined : this.#whenStopped(run.id, waitMs, ctx.signal, seen.apply);
    try {
      await this.#o.store.createRun(run, ctx);
    } catch (error) {
      stopped?.release();
      this.#telemetry.discardRun(run.id);
      // Another submission with this key created its run since we looked: that run is the answer.
      if (!GatewayError.is(error) || error.code !== ErrorCode.RUN_ALREADY_EXISTS) throw error;
      return replay(await this.#requireRun(String(error.details.runId), ctx));
    }
    this.#publish({ type: 'run', runId: run.id, seq: run.version, run });
    this.#schedule(run, { input: run.input ?? { parts: [] } });
    if (stopped === undefined) return { run, steps: [], artifacts: [], created: true };
    // Stopped, the run's last event carries it whole; still executing, it may have changed unannounced.
    const details = (await stopped.settled) ? seen.details() : await this.get(run.id, ctx);
    return { ...details, created: true };
  }

  /** The run's details at once without `waitMs`; else once it stops executing or `waitMs` has passed. */
  async #detailsOnceStopped(id: string, waitMs: number | undefined, ctx: CallContext): Promise<RunDetails> {
    if (waitMs === undefined) return this.get(id, ctx);
    // As in `watch`: listening before reading, so a stop right after the read is not missed.
    const stopped = this.#whenStopped(id, waitMs, ctx.signal);
    let details: RunDetails;
    try {
      details = await this.get(id, ctx);
    } catch (error) {
      stopped.release();
      throw error;
    }
    if (hasStoppedExecuting(details.run.status)) {
      stopped.release();
      return details;
    }
    await stopped.settled;
    return this.get(id, ctx);
  }

  /**
   * Settles with true when a published event shows the run stopped executing, with false when `waitMs`
   * has passed or the service starts closing (so that a waiting call is answered, with the run as it is,
   * instead of holding shutdown); rejects with the call's error when `signal` aborts first. Every event
   * of the run until then also goes to `onEvent`. `release` stops listening early.
   */
  #whenStopped(
    runId: string,
    waitMs: number,
    signal: AbortSignal,
    onEvent?: (event: RunEvent) => void,
  ): { readonly settled: Promise<boolean>; readonly release: () => void } {
    let release = (): void => undefined;
    const settled = new Promise<boolean>((resolve, reject) => {
      const onAbort = (): void => {
        release();
        const reason: unknown = signal.reason;
        reject(GatewayError.is(reason) ? reason : new GatewayError(ErrorCode.CANCELLED, 'the call ended'));
      };
      const endEarly = (): void => {
        release();
        resolve(false);
      };
      const timer = setTimeout(endEarly, waitMs);
      const unsubscribe = this.#o.bus.subscribe(runId, (event) => {
        onEvent?.(event);
        if (event.type !== 'run' || !hasStoppedExecuting(event.run.status)) return;
        release();
        resolve(true);
      });
      this.#waits.add(endEarly);
      release = () => {
        clearTimeout(timer);
        unsubscribe();
        this.#waits.delete(endEarly);
        signal.removeEventListener('abort', onAbort);
      };
      if (signal.aborted) onAbort();
      else if (this.#closing) endEarly();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    // A caller that fails before it awaits `settled` (its write refused after its client left) must not
    // leave the rejection unhandled: Node would end the process. Awaiting `settled` still rejects.
    settled.catch(() => undefined);
    return { settled, release };
  }

  async get(id: string, ctx: CallContext): Promise<RunDetails> {
    const run = await this.#requireRun(id, ctx);
    const [steps, artifacts] = await Promise.all([
      this.#o.store.listSteps(id, ctx),
      this.#o.store.listArtifacts(id, ctx),
    ]);
    return { run, steps, artifacts: artifacts.map(toArtifactMeta) };
  }

  list(filter: RunFilter, page: PageRequest, ctx: CallContext): Promise<Page<Run>> {
    return this.#o.store.listRuns(filter, page, ctx);
  }

  async cancel(id: string, reason: string, ctx: CallContext): Promise<RunDetails> {
    let run = await this.#requireRun(id, ctx);
    if (isTerminalRunStatus(run.status)) cancelRun(run, reason); // throws ILLEGAL_STATE_TRANSITION
    const active = this.#active.get(id);
    if (active !== undefined) {
      active.controller.abort({ kind: 'cancel', reason } satisfies StopReason);
      await active.done;
      return this.get(id, ctx);
    }
    this.#queued.delete(id);
    this.#disarmWaitTimeout(id);
    // Idle: pending (queued or orphaned by a restart) or waiting for input. The task, if any, is the
    // agent's to cancel too.
    const sys = systemContext(new AbortController().signal, run.tenant);
    run = await this.#cancelRemote(run, sys);
    await this.#commitRun(cancelRun(run, reason), sys);
    return this.get(id, ctx);
  }

  async sendInput(
    id: string,
    input: RunInput,
    ctx: CallContext,
    { waitMs }: { readonly waitMs?: number } = {},
  ): Promise<RunDetails> {
    this.#assertOpen();
    assertWaitMs(waitMs);
    if (input.parts.length === 0) throw invalidArgument('input.parts', 'at least one part is required');
    const run = await this.#requireRun(id, ctx);
    if (!isInterruptedRunStatus(run.status) || this.#active.has(id)) {
      throw new GatewayError(
        ErrorCode.ILLEGAL_STATE_TRANSITION,
        `run ${id} is ${run.status}; input is accepted only while it waits for input`,
        { details: { runId: id, status: run.status } },
      );
    }
    // Listening before resuming: the stop that may follow cannot come before this.
    const stopped = waitMs === undefined ? undefined : this.#whenStopped(id, waitMs, ctx.signal);
    let resumed: Run;
    try {
      // Resuming commits here, so of two racing inputs only one passes the version check.
      resumed = await this.#commitRun(startRun(run), ctx);
    } catch (error) {
      stopped?.release();
      throw error;
    }
    this.#disarmWaitTimeout(id);
    this.#launch(resumed.id, () =>
      this.#executeSegment(resumed.id, resumed.tenant, { input, current: resumed }),
    );
    await stopped?.settled;
    return this.get(id, ctx);
  }

  async *watch(id: string, ctx: CallContext): AsyncIterable<RunWatchEvent> {
    const queue = new AsyncQueue<RunEvent>();
    const overflow = new AbortController();
    const ended = linkSignals(ctx.signal, overflow.signal);
    const unsubscribe = this.#o.bus.subscribe(id, (event) => {
      queue.push(event);
      if (queue.size > MAX_WATCH_BACKLOG) overflow.abort();
    });
    try {
      // Subscribed before reading: nothing published after the read can be missed, and `seq` filters
      // what the snapshot already reflects.
      const details = await this.get(id, ctx);
      const snapshot = { type: 'snapshot', seq: details.run.version, details } as const;
      yield snapshot;
      if (isTerminalRunStatus(details.run.status)) return;
      for await (const event of queue.drain(ended.signal)) {
        // The events of one commit share a seq; only what the snapshot already reflects is skipped.
        if (event.seq <= snapshot.seq) continue;
        yield event;
        if (event.type === 'run' && isTerminalRunStatus(event.run.status)) return;
      }
      if (overflow.signal.aborted) {
        throw new GatewayError(
          ErrorCode.UNAVAILABLE,
          `watcher of run ${id} fell too far behind; watch again`,
        );
      }
    } finally {
      unsubscribe();
      ended.unlink();
    }
  }

  /**
   * Relays a façade caller's message to a registered agent as a segment of a run, yielding the agent's
   * A2A events as they arrive (with backpressure: the agent's stream is read as fast as the caller
   * takes it). A message for a task a run tracks continues that run with a new step, when the run waits
   * for input; otherwise a new run is created. When the caller stops iterating, the call to the agent
   * ends but the run does not: it follows the task by polling, without cancelling it.
   */
  async *relay(relay: RelayRequest, ctx: CallContext): AsyncIterable<A2AStreamEvent> {
    this.#assertOpen();
    await this.#o.agents.resolve(relay.agent, ctx);
    const { message } = relay.request;
    const input: RunInput = {
      parts: message.parts,
      ...(message.metadata !== undefined && { metadata: message.metadata }),
    };
    const { run, stored } = await this.#relayRun(relay.agent, message.taskId, input, ctx);
    const caller = new Handoff<A2AStreamEvent>();
    const detach = new AbortController();
    const plan: SegmentPlan = {
      input,
      relay: {
        request: relay.request,
        streaming: relay.streaming,
        headers: relay.headers ?? {},
        caller,
        detach,
        ...(!stored && { unstored: run }),
      },
    };
    const onCallerGone = (): void => detach.abort();
    ctx.signal.addEventListener('abort', onCallerGone, { once: true });
    // Not queued behind `maxConcurrentRuns`: the caller is waiting on an open connection.
    this.#launch(run.id, () => this.#executeSegment(run.id, run.tenant, plan));
    let exchangeClosed = false;
    try {
      yield* caller.take();
      exchangeClosed = true;
    } finally {
      ctx.signal.removeEventListener('abort', onCallerGone);
      // A caller that stops taking a stream before the exchange closed detaches it (a caller that left
      // detached it already). A SendMessage caller stops at the reply, which is the end of its exchange.
      // Not aborted otherwise: an abort builds its reason (an error with a stack) and runs every linked
      // signal's listeners.
      if (!exchangeClosed && relay.streaming) detach.abort();
    }
  }

  /**
   * A façade caller cancelled the agent's task `task.id` (the agent's answer is `task`). A run that
   * waits for input on that task is cancelled with it, with a step recording the call; an executing run
   * learns it from its own stream or poll, a finished one needs nothing.
   */
  async taskCancelled(agent: string, task: A2ATask, ctx: CallContext): Promise<void> {
    if (normalizeTaskState(task.status.state) !== A2ATaskState.Canceled) return;
    const run = await this.#o.store.getRunByRemoteTask(agent, task.id, ctx);
    if (run === undefined || !isInterruptedRunStatus(run.status) || this.#active.has(run.id)) return;
    this.#disarmWaitTimeout(run.id);
    const steps = await this.#o.store.listSteps(run.id, ctx);
    const reason = 'cancelled by an A2A caller';
    const step = completeStep(
      recordStepEvent(
        startStep(
          withStepMethod(
            newStep({ runId: run.id, index: steps.length, name: 'cancel-task', agent }),
            'CancelTask',
          ),
        ),
        { taskId: task.id, state: A2ATaskState.Canceled },
      ),
    );
    try {
      await this.#commitStepAndRun(
        cancelRun(withRemote(run, { state: A2ATaskState.Canceled }), reason),
        step,
        ctx,
      );
    } catch (error) {
      // Changed since it was read (input arrived, or another cancel): that change wins, and an
      // execution it started sees the cancellation on its own.
      if (!GatewayError.is(error) || error.code !== ErrorCode.ILLEGAL_STATE_TRANSITION) throw error;
    }
  }

  /**
   * The run a relayed message belongs to: the waiting run that tracks its task (resumed), else a new
   * one, not stored yet (`stored: false`): the segment stores it with its first step.
   */
  async #relayRun(
    agent: string,
    taskId: string | undefined,
    input: RunInput,
    ctx: CallContext,
  ): Promise<{ run: Run; stored: boolean }> {
    const tracking =
      taskId === undefined ? undefined : await this.#o.store.getRunByRemoteTask(agent, taskId, ctx);
    if (tracking !== undefined && isInterruptedRunStatus(tracking.status) && !this.#active.has(tracking.id)) {
      this.#disarmWaitTimeout(tracking.id);
      return { run: await this.#commitRun(startRun(tracking), ctx), stored: true };
    }
    const timeoutMs = this.#o.defaultRunTimeoutMs;
    const created = newRun({
      target: { kind: 'agent', name: agent },
      tenant: ctx.tenant,
      input,
      ...(timeoutMs !== undefined && { timeoutMs }),
    });
    const trace = this.#telemetry.startRun(created, ctx.traceCarrier);
    return { run: trace === undefined ? created : { ...created, trace }, stored: false };
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle

  /** Picks up runs a previous process left unfinished (see `#recover`). */
  async start(): Promise<void> {
    for (const run of await this.#o.store.listUnfinishedRuns()) {
      await this.#recover(run).catch((error: unknown) =>
        this.#o.logger.error(
          { err: error, runId: run.id, ...traceLogFields(run.trace) },
          'run recovery failed',
        ),
      );
    }
  }

  /**
   * Refuses new work, answers the calls waiting for a run at once (with the run as it is), lets
   * executions finish for `graceMs`, then stops the rest. Stopped runs stay `running` in the store; the
   * next start resumes tracking them (`#recover`).
   */
  async close(graceMs: number): Promise<void> {
    this.#closing = true;
    for (const endWait of [...this.#waits]) endWait();
    this.#queued.clear();
    for (const timer of this.#waitTimers.values()) clearTimeout(timer);
    this.#waitTimers.clear();
    const all = (): Promise<unknown> => Promise.all([...this.#active.values()].map((a) => a.done));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([all(), graceOver]);
    clearTimeout(timer);
    for (const active of this.#active.values())
      active.controller.abort({ kind: 'shutdown' } satisfies StopReason);
    await all();
    this.#telemetry.endAll();
  }

  // ---------------------------------------------------------------------------------------------
  // Execution

  /**
   * Starts the run's segment now, from `run` as stored, when a slot is free; else queues it (the run
   * stays `pending`, and is read again when its turn comes).
   */
  #schedule(run: Run, plan: SegmentPlan): void {
    const execute = (segment: SegmentPlan) => () => this.#executeSegment(run.id, run.tenant, segment);
    if (this.#active.size < this.#o.maxConcurrentRuns) {
      this.#launch(run.id, execute({ ...plan, current: run }));
    } else {
      this.#queued.set(run.id, () => this.#launch(run.id, execute(plan)));
    }
  }

  #launch(runId: string, execute: () => Promise<void>): void {
    const controller = new AbortController();
    const done = Promise.resolve()
      .then(execute)
      .catch((error: unknown) => this.#o.logger.error({ err: error, runId }, 'run execution crashed'))
      .finally(() => {
        this.#active.delete(runId);
        this.#startNextQueued();
      });
    this.#active.set(runId, { controller, done });
  }

  #startNextQueued(): void {
    if (this.#closing) return;
    const next = this.#queued.entries().next();
    if (next.done === true) return;
    const [runId, start] = next.value;
    this.#queued.delete(runId);
    start();
  }

  /** One segment: (re)start the run, one exchange Step, then the run's next status. */
  async #executeSegment(runId: string, tenant: string, plan: SegmentPlan): Promise<void> {
    const active = this.#active.get(runId);
    const relay = plan.relay;
    if (active === undefined) {
      relay?.caller.close(new GatewayError(ErrorCode.UNAVAILABLE, 'the gateway is shutting down'));
      return;
    }
    const ctx = systemContext(active.controller.signal, tenant);
    const unstored = relay?.unstored;
    let run = unstored ?? plan.current ?? (await this.#requireRun(runId, ctx));
    // A pending run starts in the same commit as its first step.
    const starting = run.status === RunStatus.Pending;
    if (starting) run = startRun(run);
    if (run.status !== RunStatus.Running) {
      relay?.caller.close(
        new GatewayError(ErrorCode.ILLEGAL_STATE_TRANSITION, `run ${runId} is ${run.status}`),
      );
      return;
    }

    const timer = this.#armTimeout(run, active.controller);
    const steps = starting ? [] : await this.#o.store.listSteps(runId, ctx);
    let step = newStep({
      runId,
      index: steps.length,
      name: steps.length === 0 ? 'send-message' : `send-input-${steps.length}`,
      agent: targetLabel(run.target),
    });
    let exchange: Exchange | undefined;
    try {
      const target = await this.#resolveTarget(run, ctx);
      const streaming = relay?.streaming ?? target.streaming;
      const method = streaming ? 'SendStreamingMessage' : 'SendMessage';
      let call: OutboundCall;
      ({ run, step, call } = await this.#beginStep(
        run,
        { ...step, agent: target.label },
        method,
        target,
        ctx,
        starting,
        unstored !== undefined,
      ));
      if (starting) this.#telemetry.runStarted(run);
      const current = new Exchange(this, run, step, ctx);
      exchange = current;
      // The client gives the request the endpoint's tenant (a caller's own is never forwarded).
      const request: A2ASendMessageRequest =
        relay === undefined ? { message: this.#outboundMessage(run, plan.input) } : relay.request;
      // A relay's call also ends when its caller detaches.
      const unfollow = relay === undefined ? undefined : followSignals(relay.detach, [call.options.signal]);
      const options =
        relay === undefined
          ? call.options
          : {
              ...call.options,
              headers: { ...relay.headers, ...call.options.headers },
              signal: relay.detach.signal,
            };
      const receive = async (event: A2AStreamEvent): Promise<void> => {
        await current.apply(event);
        if (relay === undefined) return;
        // The caller gets an event once the run has stored what it changed.
        await current.written();
        await relay.caller.offer(event);
      };
      try {
        await this.#timed(call, method, async () => {
          if (streaming) {
            const events = this.#o.client.sendStreamingMessage(target.endpoint, request, options);
            for await (const event of events) await receive(event);
          } else {
            await receive(await this.#o.client.sendMessage(target.endpoint, request, options));
          }
        });
      } finally {
        unfollow?.();
      }
      relay?.caller.close();
      const following = current.outcome().kind === 'working' && current.run.remote?.taskId !== undefined;
      // An exchange that ends here stores its last artifact with its outcome, in one write.
      const last = await current.close(!following);
      ({ run, step } = current);
      if (following) {
        // The agent closed the exchange while still working: follow the task by polling it.
        run = await this.#commitStepAndRun(run, completeStep(step), ctx);
        ({ run, step } = await this.#poll(run, target, steps.length + 1, ctx));
      }
      await this.#finish(run, step, exchangeOutcome(step), ctx, last);
    } catch (error) {
      relay?.caller.close(error);
      // What the exchange learnt first is stored before the run stops (the task id, to cancel the task);
      // a failure of that write is the exchange's own and surfaces below.
      await exchange?.written().catch(() => undefined);
      if (unstored !== undefined && exchange === undefined) {
        await this.#storeFailedStart(unstored, step, error);
        return;
      }
      let failure = error;
      const detached = relay?.detach.signal.aborted === true && !active.controller.signal.aborted;
      if (
        exchange !== undefined &&
        !active.controller.signal.aborted &&
        (detached || exchange.outcome().kind !== 'working')
      ) {
        try {
          await exchange.close(false);
          if (detached && exchange.outcome().kind === 'working') {
            await this.#followDetached(exchange, steps.length + 1, ctx);
            return;
          }
          // The agent said how the task ended before its stream broke: that is the outcome.
          this.#o.logger.debug(
            { err: error, runId, ...traceLogFields(exchange.run.trace) },
            'the agent stream broke after its final state',
          );
          await this.#finish(exchange.run, exchange.step, exchange.outcome(), ctx);
          return;
        } catch (finishing) {
          failure = finishing;
        }
      }
      await this.#stop(runId, step, failure, active.controller.signal, tenant);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The façade caller left while the task was still working: its call to the agent ended, the task did
   * not. The step ends (cancelled, naming why) and the run follows the task by polling; a task the agent
   * never acknowledged cannot be followed, so the run fails.
   */
  async #followDetached(exchange: Exchange, index: number, ctx: CallContext): Promise<void> {
    const why = 'the caller closed the stream';
    const { run, step } = exchange;
    if (run.remote?.taskId === undefined) {
      const message = `${why} before the agent acknowledged the task`;
      await this.#commitStepAndRun(
        failRun(run, RunErrors.runtimeError(message)),
        failStep(step, StepErrors.agentFailed(message)),
        ctx,
      );
      return;
    }
    const followed = await this.#commitStepAndRun(run, cancelStep(step, `${why}; the task goes on`), ctx);
    const target = await this.#resolveTarget(followed, ctx);
    const polled = await this.#poll(followed, target, index, ctx);
    await this.#finish(polled.run, polled.step, exchangeOutcome(polled.step), ctx);
  }

  /** A Step that follows the run's task by polling GetTask (backing off) until it leaves SUBMITTED / WORKING. */
  async #poll(
    run: Run,
    target: ResolvedTarget,
    index: number,
    ctx: CallContext,
  ): Promise<{ run: Run; step: Step }> {
    const polling = newStep({ runId: run.id, index, name: 'poll-task', agent: target.label });
    const begun = await this.#beginStep(run, polling, 'GetTask', target, ctx);
    const exchange = new Exchange(this, begun.run, begun.step, ctx);
    try {
      for (let delay: number = POLL_INTERVAL_MS.first; ; delay = Math.min(delay * 2, POLL_INTERVAL_MS.max)) {
        const id = run.remote?.taskId ?? '';
        const task = await this.#timed(begun.call, 'GetTask', () =>
          this.#o.client.getTask(target.endpoint, { id }, begun.call.options),
        );
        await exchange.apply({ task });
        if (exchange.outcome().kind !== 'working') break;
        await sleep(delay, ctx.signal);
      }
    } catch (error) {
      // As in a segment: what the polls learnt is stored before the run stops, never after.
      await exchange.written().catch(() => undefined);
      throw error;
    }
    await exchange.close(false);
    return { run: exchange.run, step: exchange.step };
  }

  /**
   * Starts a step that calls the agent: its span (a child of the run's), its trace ids, stored with the
   * run. Returns how to make the step's calls: with the agent's credentials and the step's trace context
   * in the headers, and the step's context as the parent of the client's own span.
   */
  async #beginStep(
    run: Run,
    pending: Step,
    method: string,
    target: ResolvedTarget,
    ctx: CallContext,
    announceRun = false,
    create = false,
  ): Promise<{ run: Run; step: Step; call: OutboundCall }> {
    let step = startStep(withStepMethod(pending, method));
    const traced = this.#telemetry.startStep(run, step, target);
    if (traced.trace !== undefined) step = { ...step, trace: traced.trace };
    const headers = { ...target.headers, ...traced.headers };
    const options = {
      signal: ctx.signal,
      headers,
      timeoutMs: this.#o.agentCallTimeoutMs,
      traceContext: traced.context,
    };
    return {
      run: create ? await this.#create(run, step, ctx) : await this.commit(run, ctx, { step }, announceRun),
      step,
      call: { target, options },
    };
  }

  /** Stores a new run with its first step, in one write, and announces both. */
  async #create(run: Run, step: Step, ctx: CallContext): Promise<Run> {
    await this.#o.store.createRun(run, ctx, { step });
    this.#telemetry.committed(run, step);
    this.#publish({ type: 'step', runId: run.id, seq: run.version, step });
    this.#publish({ type: 'run', runId: run.id, seq: run.version, run });
    return run;
  }

  /** A new run that failed before its first step was stored: stored failed, with that step. */
  async #storeFailedStart(run: Run, step: Step, error: unknown): Promise<void> {
    const { runError, stepError } = classifyFailure(GatewayError.from(error));
    const started = run.status === RunStatus.Pending ? startRun(run) : run;
    const failed = failRun(started, runError);
    const failedStep = failStep(step, stepError);
    const sys = systemContext(new AbortController().signal, run.tenant);
    try {
      await this.#create(failed, failedStep, sys);
    } catch (storing) {
      this.#telemetry.discardRun(run.id);
      this.#o.logger.error(
        { err: storing, runId: run.id, ...traceLogFields(run.trace) },
        'could not store a run that failed to start',
      );
    }
  }

  /** Makes one call of a step to the agent, recording duration and outcome. */
  async #timed<T>(call: OutboundCall, method: string, send: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await send();
    } catch (error) {
      outcome = GatewayError.from(error).code;
      throw error;
    } finally {
      this.#telemetry.outboundCall(call.target.label, method, outcome, performance.now() - started);
    }
  }

  /** Applies the final task state to the step and the run. */
  /** Applies the final task state to the step and the run, storing `artifact` with them if given. */
  async #finish(
    run: Run,
    step: Step,
    outcome: TaskStateOutcome,
    ctx: CallContext,
    artifact?: A2AArtifact,
  ): Promise<void> {
    const produced =
      artifact === undefined ? undefined : await this.#prepareArtifact(run, step, artifact, ctx);
    const [nextStep, nextRun] = finalStates(
      produced?.run ?? run,
      produced?.step ?? step,
      outcome,
      step.remote?.statusMessage,
    );
    const committed = await this.commit(
      nextRun,
      ctx,
      { step: nextStep, ...(produced !== undefined && { artifact: produced.artifact }) },
      true,
    );
    if (isInterruptedRunStatus(committed.status)) this.#armWaitTimeout(committed);
  }

  /**
   * A run that waits for input is not executing, but its time limit still runs: when it passes, the run
   * times out (and the agent's task is cancelled) unless input or a cancel came first.
   */
  #armWaitTimeout(run: Run): void {
    if (run.timeoutMs === undefined || this.#closing) return;
    const remainingMs = run.timeoutMs - (Date.now() - Date.parse(run.startedAt ?? run.createdAt));
    const timer = setTimeout(
      () => {
        this.#waitTimers.delete(run.id);
        this.#expireWaiting(run.id, run.tenant).catch((error: unknown) =>
          this.#o.logger.warn(
            { err: error, runId: run.id, ...traceLogFields(run.trace) },
            'could not time out a waiting run',
          ),
        );
      },
      Math.max(0, remainingMs),
    );
    timer.unref();
    this.#waitTimers.set(run.id, timer);
  }

  #disarmWaitTimeout(runId: string): void {
    clearTimeout(this.#waitTimers.get(runId));
    this.#waitTimers.delete(runId);
  }

  async #expireWaiting(runId: string, tenant: string): Promise<void> {
    const ctx = systemContext(new AbortController().signal, tenant);
    let run = await this.#requireRun(runId, ctx);
    if (!isInterruptedRunStatus(run.status) || this.#active.has(runId)) return;
    run = await this.#cancelRemote(run, ctx);
    await this.#commitRun(timeoutRun(run), ctx);
  }

  /**
   * The exchange ended abnormally: cancelled, timed out, stopped by shutdown, or failed. Every step still
   * open is closed accordingly (`unstored` is a step that failed before it was first stored).
   */
  async #stop(
    runId: string,
    unstored: Step | undefined,
    error: unknown,
    signal: AbortSignal,
    tenant: string,
  ): Promise<void> {
    const stop = signal.aborted ? (signal.reason as StopReason) : undefined;
    if (stop?.kind === 'shutdown') return; // left running; the next start resumes it
    // The execution's own signal is aborted now; finish the bookkeeping on a fresh one.
    const ctx = systemContext(new AbortController().signal, tenant);
    let run = await this.#requireRun(runId, ctx);
    if (isTerminalRunStatus(run.status)) return;
    const isOpen = (s: Step): boolean => s.status === StepStatus.Pending || s.status === StepStatus.Running;
    const open = (await this.#o.store.listSteps(runId, ctx)).filter(isOpen);
    if (open.length === 0 && unstored !== undefined && isOpen(unstored)) open.push(unstored);
    if (stop?.kind === 'cancel' || stop?.kind === 'timeout') {
      for (const step of open) {
        const stopped =
          stop.kind === 'cancel'
            ? cancelStep(step, stop.reason)
            : failStep(step, StepErrors.timeout(stop.afterMs));
        run = await this.#commitStep(run, stopped, ctx);
      }
      run = await this.#cancelRemote(run, ctx);
      await this.#commitRun(stop.kind === 'cancel' ? cancelRun(run, stop.reason) : timeoutRun(run), ctx);
      return;
    }
    const failure = GatewayError.from(error);
    if (failure.code === ErrorCode.INTERNAL)
      this.#o.logger.error(
        { err: error, runId, ...traceLogFields(run.trace) },
        'run failed inside the gateway',
      );
    const { runError, stepError } = classifyFailure(failure);
    for (const step of open) run = await this.#commitStep(run, failStep(step, stepError), ctx);
    await this.#commitRun(failRun(run, runError), ctx);
  }

  /**
   * Asks the agent to cancel the run's task, as a Step of its own, when the agent has a task and can be
   * reached. Its failure does not fail the run; the run is returned as stored.
   */
  async #cancelRemote(run: Run, ctx: CallContext): Promise<Run> {
    if (run.remote?.taskId === undefined) return run;
    const target = await this.#resolveTarget(run, ctx).catch(() => undefined);
    if (target === undefined) return run;
    const steps = await this.#o.store.listSteps(run.id, ctx);
    const cancelling = newStep({
      runId: run.id,
      index: steps.length,
      name: 'cancel-task',
      agent: target.label,
    });
    let step: Step;
    let call: OutboundCall;
    ({ run, step, call } = await this.#beginStep(run, cancelling, 'CancelTask', target, ctx));
    try {
      const id = run.remote?.taskId ?? '';
      const task = await this.#timed(call, 'CancelTask', () =>
        this.#o.client.cancelTask(target.endpoint, { id }, call.options),
      );
      const state = normalizeTaskState(task.status.state);
      step = completeStep(recordStepEvent(step, { state, taskId: task.id }));
      run = withRemote(run, { state });
    } catch (error) {
      step = failStep(step, StepErrors.agentFailed(`CancelTask failed: ${GatewayError.from(error).message}`));
    }
    return this.#commitStep(run, step, ctx);
  }

  #armTimeout(run: Run, controller: AbortController): NodeJS.Timeout | undefined {
    if (run.timeoutMs === undefined) return undefined;
    const elapsed = Date.now() - Date.parse(run.startedAt ?? run.createdAt);
    const stop: StopReason = { kind: 'timeout', afterMs: run.timeoutMs };
    return setTimeout(() => controller.abort(stop), Math.max(0, run.timeoutMs - elapsed));
  }

  #outboundMessage(run: Run, input: RunInput): A2AMessage {
    // A session's id is the A2A contextId, so the session's runs are one conversation for the agent.
    const contextId = run.remote?.contextId ?? run.sessionId;
    return {
      messageId: newId(),
      role: 'ROLE_USER',
      parts: input.parts,
      ...(contextId !== undefined && { contextId }),
      ...(run.remote?.taskId !== undefined && { taskId: run.remote.taskId }),
      ...(input.metadata !== undefined && { metadata: input.metadata }),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Targets

  async #validateTarget(target: RunTarget, ctx: CallContext): Promise<void> {
    switch (target.kind) {
      case 'swarm':
        throw new GatewayError(
          ErrorCode.INVALID_CONFIG,
          `Invalid config: swarm targets are not supported yet (swarmfile '${target.swarmfilePath}')`,
          { details: { field: 'target.swarm' } },
        );
      case 'agent':
        await this.#o.agents.resolve(target.name, ctx);
        return;
      case 'a2aAgent':
        parseHttpUrl('target.url', target.url);
        return;
    }
  }

  async #resolveTarget(run: Run, ctx: CallContext): Promise<ResolvedTarget> {
    const { target } = run;
    if (target.kind === 'agent') {
      const agent = await this.#o.agents.resolve(target.name, ctx);
      return {
        endpoint: agent.endpoint,
        headers: credentialHeaders(agent.credentials),
        streaming: cardSupportsStreaming(agent.card),
        label: agent.name,
        card: agent.card,
        baggageAllowed: this.#o.baggageAgents?.has(agent.name) ?? false,
      };
    }
    if (target.kind === 'swarm')
      throw new GatewayError(ErrorCode.INVALID_CONFIG, 'swarm targets are not supported yet');
    const cached = this.#cardCache.get(target.url);
    if (cached !== undefined && cached.expiresAt > Date.now())
      return { ...cached.target, headers: {}, label: target.url, baggageAllowed: false };
    const fetched = await this.#o.client.fetchAgentCard(target.url, {
      signal: ctx.signal,
      timeoutMs: this.#o.agentCallTimeoutMs,
    });
    const validated = validateAgentCard(fetched.card, fetched.cardUrl);
    const resolved = {
      endpoint: validated.endpoint,
      streaming: cardSupportsStreaming(validated.card),
      card: validated.card,
    };
    this.#cardCache.set(target.url, { target: resolved, expiresAt: Date.now() + CARD_CACHE_TTL_MS });
    return { ...resolved, headers: {}, label: target.url, baggageAllowed: false };
  }

  async #recover(run: Run): Promise<void> {
    const ctx = systemContext(new AbortController().signal, run.tenant);
    if (run.status === RunStatus.Pending) {
      this.#schedule(run, { input: run.input ?? { parts: [] } });
      return;
    }
    if (isInterruptedRunStatus(run.status)) {
      this.#armWaitTimeout(run); // waiting for input: only its time limit can end it without a client
      return;
    }
    if (run.status !== RunStatus.Running) return;
    const steps = await this.#o.store.listSteps(run.id, ctx);
    let current = run;
    for (const step of steps) {
      if (step.status === StepStatus.Running || step.status === StepStatus.Pending) {
        current = await this.#commitStep(
          current,
          failStep(step, StepErrors.agentFailed('the gateway restarted during this exchange')),
          ctx,
        );
      }
    }
    if (current.remote?.taskId === undefined) {
      await this.#commitRun(
        failRun(
          current,
          RunErrors.runtimeError(
            'the gateway restarted before the agent acknowledged the run; submit it again',
          ),
        ),
        ctx,
      );
      return;
    }
    // The agent has the task: follow it to its end.
    this.#launch(current.id, async () => {
      const active = this.#active.get(current.id);
      if (active === undefined) return;
      const exec = systemContext(active.controller.signal, current.tenant);
      const timer = this.#armTimeout(current, active.controller);
      let step: Step | undefined;
      try {
        const target = await this.#resolveTarget(current, exec);
        const polled = await this.#poll(current, target, steps.length, exec);
        await this.#finish(polled.run, polled.step, exchangeOutcome(polled.step), exec);
      } catch (error) {
        await this.#stop(current.id, step, error, active.controller.signal, current.tenant);
      } finally {
        clearTimeout(timer);
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Persistence: each change is one store transaction (the run, plus the step or artifact that changed
  // with it), then published with the run's new version as `seq`; the events of one commit share it.

  /**
   * Stores `run` as its next version together with `changes`, then publishes an event per record:
   * the artifact, the step, and the run itself when `announceRun` (by default when nothing else
   * changed, since a step or artifact event already carries the news).
   * @internal also used by `Exchange`
   */
  async commit(
    run: Run,
    ctx: CallContext,
    changes: RunChanges = {},
    announceRun = changes.step === undefined && changes.artifact === undefined,
  ): Promise<Run> {
    const next = nextVersion(run);
    if (!(await this.#o.store.updateRun(next, ctx, changes))) {
      throw new GatewayError(
        ErrorCode.ILLEGAL_STATE_TRANSITION,
        `run ${run.id} was changed concurrently; read it again`,
        { details: { runId: run.id } },
      );
    }
    this.#telemetry.committed(next, changes.step);
    if (announceRun && isTerminalRunStatus(next.status)) {
      this.#o.logger.debug(
        { runId: next.id, status: next.status, error: next.error, ...traceLogFields(next.trace) },
        'run finished',
      );
    }
    const seq = next.version;
    if (changes.artifact !== undefined) {
      this.#publish({ type: 'artifact', runId: run.id, seq, artifact: stripContent(changes.artifact) });
    }
    if (changes.step !== undefined) this.#publish({ type: 'step', runId: run.id, seq, step: changes.step });
    if (announceRun) this.#publish({ type: 'run', runId: run.id, seq, run: next });
    return next;
  }

  /**
   * Stores an artifact the agent produced with the run and step that reference it.
   * @internal used by `Exchange`
   */
  async saveArtifact(
    run: Run,
    step: Step,
    artifact: A2AArtifact,
    ctx: CallContext,
    announceRun = false,
  ): Promise<{ run: Run; step: Step }> {
    const produced = await this.#prepareArtifact(run, step, artifact, ctx);
    const nextRun = await this.commit(
      produced.run,
      ctx,
      { step: produced.step, artifact: produced.artifact },
      announceRun,
    );
    return { run: nextRun, step: produced.step };
  }

  /** An artifact ready to store, with the run and step that reference it (nothing stored yet). */
  async #prepareArtifact(
    run: Run,
    step: Step,
    artifact: A2AArtifact,
    ctx: CallContext,
  ): Promise<{ run: Run; step: Step; artifact: Artifact }> {
    const prepared = await this.#o.artifacts.prepare(
      {
        runId: run.id,
        stepId: step.id,
        name: artifact.name ?? artifact.artifactId,
        remoteArtifactId: artifact.artifactId,
        parts: artifact.parts,
      },
      ctx,
    );
    return {
      run: addRunArtifact(run, prepared.id),
      step: recordStepEvent(step, { artifactId: prepared.id }),
      artifact: prepared,
    };
  }

  /** @internal used by `Exchange` */
  observe(
    stepId: string,
    name: string,
    attributes: Readonly<Record<string, string | number>>,
    text?: string,
  ): void {
    this.#telemetry.stepEvent(stepId, name, attributes, text);
  }

  #commitRun(run: Run, ctx: CallContext): Promise<Run> {
    return this.commit(run, ctx);
  }

  #commitStep(run: Run, step: Step, ctx: CallContext): Promise<Run> {
    return this.commit(run, ctx, { step });
  }

  /** A step and the run status it leads to, in one commit. */
  #commitStepAndRun(run: Run, step: Step, ctx: CallContext): Promise<Run> {
    return this.commit(run, ctx, { step }, true);
  }

  #publish(event: RunEvent): void {
    this.#o.bus.publish(event);
  }

  async #requireRun(id: string, ctx: CallContext): Promise<Run> {
    // Ids are UUIDs: anything else cannot exist, and must not reach a store with typed id columns.
    const run = !isId(id) ? undefined : await this.#o.store.getRun(id, ctx);
    if (run === undefined) throw notFound(ErrorCode.RUN_NOT_FOUND, 'run', id);
    return run;
  }

  #assertOpen(): void {
    if (this.#closing) throw new GatewayError(ErrorCode.UNAVAILABLE, 'the gateway is shutting down');
  }
}

/** A call's `waitMs`: absent, or a whole number of milliseconds up to {@link MAX_RUN_WAIT_MS}. */
function assertWaitMs(waitMs: number | undefined): void {
  if (waitMs !== undefined && !(Number.isInteger(waitMs) && waitMs > 0 && waitMs <= MAX_RUN_WAIT_MS)) {
    throw invalidArgument('waitMs', `must be an integer from 1 to ${MAX_RUN_WAIT_MS}`);
  }
}

function cardSupportsStreaming(card: Readonly<Record<string, unknown>>): boolean {
  const capabilities = card.capabilities as { streaming?: unknown } | undefined;
  return capabilities?.streaming === true;
}

function stripContent<T extends { location: { kind: string } }>(artifact: T): T {
  return artifact.location.kind === 'inline'
    ? { ...artifact, location: { kind: 'inline', content: new Uint8Array() } }
    : artifact;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new GatewayError(ErrorCode.CANCELLED, 'aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new GatewayError(ErrorCode.CANCELLED, 'aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
