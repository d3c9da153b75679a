/**
 * One exchange with an agent, folded into the run and its step: `Exchange` applies the A2A events of a
 * send, stream or poll as they arrive; `finalStates` applies the A2A task-state table
 * (src/domain/a2a-state.ts) when the exchange ends; `classifyFailure` maps an exchange that failed to
 * the seed's error variants.
 */
import {
  A2ATaskState,
  normalizeTaskState,
  taskStateOutcome,
  type TaskStateOutcome,
} from '../domain/a2a-state.js';
import type { CallContext } from '../domain/call-context.js';
import { partsText, type Part } from '../domain/part.js';
import { RunErrors, StepErrors, type RunError, type StepError } from '../domain/run-error.js';
import { cancelRun, completeRun, failRun, interruptRun, withRemote, type Run } from '../domain/run.js';
import { cancelStep, completeStep, failStep, recordStepEvent, type Step } from '../domain/step.js';
import { ErrorCode, type GatewayError } from '../errors/gateway-error.js';
import type { A2AArtifact, A2AStreamEvent, A2ATask } from '../remote/a2a-types.js';
import type { RunChanges } from '../store/store.js';
import { Attr, EventName } from '../telemetry/semconv.js';

/** How an exchange stores what it learns (implemented by the run service). */
export interface ExchangeWriter {
  commit(run: Run, ctx: CallContext, changes?: RunChanges, announceRun?: boolean): Promise<Run>;
  saveArtifact(
    run: Run,
    step: Step,
    artifact: A2AArtifact,
    ctx: CallContext,
    announceRun?: boolean,
  ): Promise<{ run: Run; step: Step }>;
  /** An A2A event of the step, for its span (`text` is recorded only when content recording is on). */
  observe(
    stepId: string,
    name: string,
    attributes: Readonly<Record<string, string | number>>,
    text?: string,
  ): void;
}

/**
 * Folds the A2A events of one exchange into the run and its step: remote task ids, task states,
 * status messages and artifacts (chunks joined per artifact id, stored when the last chunk arrives or
 * the exchange ends). Every change is committed through the service, so watchers see it live.
 *
 * What an event changes is written at the end of the event loop's turn (`setImmediate`), not at once:
 * events an agent sends together (a task, its artifact and its final status, read from one chunk of
 * its stream) become one write, and a final state is written with the exchange's outcome by the
 * caller. Whoever must see a change stored before going on (a relay, before it hands the event to
 * its caller) calls `written()`. Writes are never concurrent: an event waits for a write in flight.
 */
export class Exchange {
  #state: A2ATaskState | undefined;
  #messageOnly = false;
  /** Artifacts not stored yet, in arrival order; `#complete` holds the ids whose last chunk came. */
  readonly #pending = new Map<string, A2AArtifact>();
  readonly #complete = new Set<string>();
  readonly #saved = new Set<string>();
  /** The run's remote task changed since the last write. */
  #runChanged = false;
  /** The write of what changed since the last one; set exactly while such changes wait. */
  #scheduled: NodeJS.Immediate | undefined;
  #writing: Promise<void> | undefined;
  /** A deferred write that failed: thrown to whoever waits on the exchange next. */
  #failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly service: ExchangeWriter,
    public run: Run,
    public step: Step,
    private readonly ctx: CallContext,
  ) {}

  async apply(event: A2AStreamEvent): Promise<void> {
    await this.#settled();
    if ('task' in event) {
      this.#task(event.task);
    } else if ('message' in event) {
      // A reply without a task: the exchange is complete and the message is its output.
      this.#messageOnly = true;
      this.step = recordStepEvent(this.step, { statusMessage: partsText(event.message.parts) });
      this.#completeArtifact({
        artifactId: event.message.messageId,
        name: 'message',
        parts: event.message.parts,
      });
    } else if ('statusUpdate' in event) {
      this.#status(event.statusUpdate.taskId, event.statusUpdate.contextId, event.statusUpdate.status);
    } else {
      const { artifact, append, lastChunk } = event.artifactUpdate;
      this.service.observe(this.step.id, EventName.artifactUpdate, {
        [Attr.A2A_ARTIFACT_ID]: artifact.artifactId,
        [Attr.CONTENT_SIZE_BYTES]: partsSize(artifact.parts),
      });
      const earlier = this.#pending.get(artifact.artifactId);
      const merged =
        append === true && earlier !== undefined
          ? { ...earlier, parts: [...earlier.parts, ...artifact.parts] }
          : artifact;
      this.step = recordStepEvent(this.step, {});
      // A chunk before the last is held in memory until its artifact is complete: nothing durable
      // changed, so it is not a write of its own (the step's event count rides on the next one).
      if (lastChunk === true) this.#completeArtifact(merged);
      else this.#pending.set(artifact.artifactId, merged);
    }
  }

  /** Writes what the events so far changed, if a write is due, and waits until it is stored. */
  async written(): Promise<void> {
    const due = this.#scheduled !== undefined;
    this.#cancelScheduled();
    await this.#settled();
    if (due) {
      this.#startWrite();
      await this.#settled();
    }
  }

  /**
   * Ends the exchange's own writes: one scheduled is left to the caller, whose next commit of `run` and
   * `step` stores what it held; one in flight is waited for. Then the artifacts not stored yet are
   * stored, except the last when `keepLast`: it is returned, for the caller to store with the
   * exchange's outcome (one write instead of two).
   */
  async close(keepLast: boolean): Promise<A2AArtifact | undefined> {
    this.#cancelScheduled();
    await this.#settled();
    const artifacts = [...this.#pending.values()];
    const last = keepLast ? artifacts.pop() : undefined;
    for (const artifact of artifacts) {
      await this.#save(artifact, this.#runChanged);
      this.#runChanged = false;
    }
    if (last !== undefined) this.#take(last);
    return last;
  }

  outcome(): TaskStateOutcome {
    if (this.#messageOnly) return { kind: 'completed' };
    return taskStateOutcome(this.#state ?? A2ATaskState.Working);
  }

  #task(task: A2ATask): void {
    this.#status(task.id, task.contextId, task.status);
    for (const artifact of task.artifacts ?? []) {
      if (!this.#saved.has(artifact.artifactId)) this.#pending.set(artifact.artifactId, artifact);
    }
  }

  #status(taskId: string, contextId: string | undefined, status: A2ATask['status']): void {
    const state = normalizeTaskState(status.state);
    this.#state = state;
    const text = status.message === undefined ? undefined : partsText(status.message.parts);
    this.service.observe(this.step.id, EventName.statusUpdate, { [Attr.A2A_TASK_STATE]: state }, text);
    this.step = recordStepEvent(this.step, {
      taskId,
      state,
      ...(text !== undefined && text !== '' && { statusMessage: text }),
    });
    const remoteChanged =
      this.run.remote?.taskId !== taskId ||
      this.run.remote.contextId !== contextId ||
      this.run.remote.state !== state;
    if (remoteChanged) {
      this.run = withRemote(this.run, { taskId, state, ...(contextId !== undefined && { contextId }) });
    }
    // A final state is stored by the commit that records the exchange's outcome.
    if (taskStateOutcome(state).kind !== 'working') return;
    this.#runChanged ||= remoteChanged;
    this.#schedule();
  }

  #completeArtifact(artifact: A2AArtifact): void {
    if (this.#saved.has(artifact.artifactId)) return;
    this.#pending.set(artifact.artifactId, artifact);
    this.#complete.add(artifact.artifactId);
    this.#schedule();
  }

  #schedule(): void {
    this.#scheduled ??= setImmediate(() => {
      this.#scheduled = undefined;
      this.#startWrite();
    });
  }

  #cancelScheduled(): void {
    clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
  }

  #startWrite(): void {
    this.#writing = this.#write()
      .catch((error: unknown) => {
        this.#failure ??= { error };
      })
      .finally(() => {
        this.#writing = undefined;
      });
  }

  /** Stores the complete artifacts (each a write, the first with the other changes) or the changes alone. */
  async #write(): Promise<void> {
    const complete = [...this.#pending.values()].filter((a) => this.#complete.has(a.artifactId));
    const announceRun = this.#runChanged;
    this.#runChanged = false;
    if (complete.length === 0) {
      this.run = await this.service.commit(this.run, this.ctx, { step: this.step }, announceRun);
      return;
    }
    for (const [i, artifact] of complete.entries()) await this.#save(artifact, announceRun && i === 0);
  }

  /** Waits for a write in flight; throws what a deferred write failed with. */
  async #settled(): Promise<void> {
    await this.#writing;
    if (this.#failure !== undefined) throw this.#failure.error;
  }

  /** Takes an artifact out of those to store; false when it was stored already. */
  #take(artifact: A2AArtifact): boolean {
    this.#pending.delete(artifact.artifactId);
    this.#complete.delete(artifact.artifactId);
    if (this.#saved.has(artifact.artifactId)) return false;
    this.#saved.add(artifact.artifactId);
    return true;
  }

  async #save(artifact: A2AArtifact, announceRun = false): Promise<void> {
    if (!this.#take(artifact)) return;
    ({ run: this.run, step: this.step } = await this.service.saveArtifact(
      this.run,
      this.step,
      artifact,
      this.ctx,
      announceRun,
    ));
  }
}

/** The step's and the run's final values for the outcome of an exchange (the A2A state table). */
export function finalStates(
  run: Run,
  step: Step,
  outcome: TaskStateOutcome,
  statusText: string | undefined,
): [Step, Run] {
  const because = (reason: string): string =>
    statusText === undefined ? reason : `${reason}: ${statusText}`;
  switch (outcome.kind) {
    case 'completed':
      return [completeStep(step), completeRun(run)];
    case 'interrupted':
      return [completeStep(step), interruptRun(run, outcome.runStatus)];
    case 'cancelled':
      return [
        cancelStep(step, 'the agent cancelled the task'),
        cancelRun(run, 'the agent cancelled the task'),
      ];
    case 'failed': {
      const message = because(outcome.reason);
      const stepError =
        outcome.stepError === 'AgentFailed'
          ? StepErrors.agentFailed(message)
          : StepErrors.outputFailed(message);
      return [failStep(step, stepError), failRun(run, RunErrors.executionFailed(message))];
    }
    case 'working': {
      const message = 'the agent ended the exchange without a task id or a final state';
      return [
        failStep(step, StepErrors.outputFailed(message)),
        failRun(run, RunErrors.executionFailed(message)),
      ];
    }
  }
}

/** The outcome a finished exchange stands for, from the last task state its step recorded. */
export function exchangeOutcome(step: Step): TaskStateOutcome {
  const state = step.remote?.state;
  if (state === undefined) return step.remote?.eventCount ? { kind: 'completed' } : { kind: 'working' };
  return taskStateOutcome(normalizeTaskState(state));
}

/**
 * Maps an exchange failure to the seed's error variants. Unreachable agents and call timeouts are
 * `RuntimeError` (retryable: trying later may work); a reply that is not A2A, or an A2A error, is
 * `ExecutionFailed`; a bad card is `StartupFailed`; an unknown or unhealthy agent is `NotFound` /
 * `RuntimeError`.
 */
export function classifyFailure(error: GatewayError): { runError: RunError; stepError: StepError } {
  const message = error.message;
  switch (error.code) {
    case ErrorCode.REMOTE_UNAVAILABLE:
    case ErrorCode.DEADLINE_EXCEEDED:
    case ErrorCode.AGENT_UNHEALTHY:
      return { runError: RunErrors.runtimeError(message), stepError: StepErrors.agentFailed(message) };
    case ErrorCode.REMOTE_PROTOCOL_ERROR:
      return { runError: RunErrors.executionFailed(message), stepError: StepErrors.outputFailed(message) };
    case ErrorCode.INVALID_AGENT_CARD:
      return { runError: RunErrors.startupFailed(message), stepError: StepErrors.agentFailed(message) };
    case ErrorCode.AGENT_NOT_FOUND:
      return {
        runError: RunErrors.notFound('agent', String(error.details.agent ?? '')),
        stepError: StepErrors.agentFailed(message),
      };
    case ErrorCode.INVALID_CONFIG:
      return { runError: RunErrors.invalidConfig(message), stepError: StepErrors.invalidInput(message) };
    case ErrorCode.INVALID_ARGUMENT:
      return { runError: RunErrors.validationError(message), stepError: StepErrors.invalidInput(message) };
    default:
      return { runError: RunErrors.executionFailed(message), stepError: StepErrors.agentFailed(message) };
  }
}

/** The size of parts as the gateway would store them, for span events that must not carry content. */
function partsSize(parts: readonly Part[]): number {
  return parts.reduce((total, part) => {
    if ('text' in part) return total + Buffer.byteLength(part.text);
    if ('raw' in part) return total + Math.floor((part.raw.length * 3) / 4);
    if ('url' in part) return total + Buffer.byteLength(part.url);
    return total + Buffer.byteLength(JSON.stringify(part.data) ?? '');
  }, 0);
}
