/**
 * Step: one exchange with one remote agent within a run (the seed's `Step`). Immutable values with
 * lifecycle operations that reject illegal transitions.
 *
 * Gateway extensions: `index` orders a run's steps; `agent` names what the step called (the seed's
 * `agent_spec_path`: a registered agent name or a URL); `remote` records the A2A method and the task
 * state the exchange ended in.
 */
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { newId, type ArtifactId, type RunId, type StepId } from './ids.js';
import type { TraceRef } from './run.js';
import { StepErrors, type StepError } from './run-error.js';
import { elapsedMs, now, type Timestamp } from './time.js';

export const StepStatus = {
  Pending: 'pending',
  Running: 'running',
  Completed: 'completed',
  Failed: 'failed',
  Skipped: 'skipped',
  Cancelled: 'cancelled',
} as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];
export const STEP_STATUSES: readonly StepStatus[] = Object.values(StepStatus);

export function isTerminalStepStatus(status: StepStatus): boolean {
  return status !== StepStatus.Pending && status !== StepStatus.Running;
}

export interface StepRemote {
  /** The A2A method of the exchange (`SendMessage`, `SendStreamingMessage`, `CancelTask`, …). */
  readonly method: string;
  readonly taskId?: string;
  /** The last A2A task state the agent reported during this exchange (1.0 enum name). */
  readonly state?: string;
  /** Text of the agent's last status message, if any. */
  readonly statusMessage?: string;
  /** How many A2A events the exchange received. */
  readonly eventCount: number;
}

export interface Step {
  readonly id: StepId;
  readonly runId: RunId;
  readonly index: number;
  readonly status: StepStatus;
  readonly name: string;
  readonly agent: string;
  readonly createdAt: Timestamp;
  readonly startedAt?: Timestamp;
  readonly finishedAt?: Timestamp;
  readonly error?: StepError;
  readonly outputArtifactIds: readonly ArtifactId[];
  readonly remote?: StepRemote;
  /** The step's span (a child of the run's). */
  readonly trace?: TraceRef;
}

export interface NewStepOptions {
  readonly runId: RunId;
  readonly name: string;
  readonly agent: string;
  readonly index?: number;
  readonly id?: StepId;
  readonly at?: Timestamp;
}

export function newStep(options: NewStepOptions): Step {
  return {
    id: options.id ?? newId(),
    runId: options.runId,
    index: options.index ?? 0,
    status: StepStatus.Pending,
    name: options.name,
    agent: options.agent,
    createdAt: options.at ?? now(),
    outputArtifactIds: [],
  };
}

function requireActive(step: Step, action: string, allowed: readonly StepStatus[]): void {
  if (!allowed.includes(step.status)) {
    throw new GatewayError(
      ErrorCode.ILLEGAL_STATE_TRANSITION,
      `cannot ${action} step ${step.id}: it is ${step.status}`,
      { details: { stepId: step.id, status: step.status, action } },
    );
  }
}

export function startStep(step: Step, at: Timestamp = now()): Step {
  requireActive(step, 'start', [StepStatus.Pending]);
  return { ...step, status: StepStatus.Running, startedAt: at };
}

/** Completes with the artifacts the step produced (the seed's `complete(artifacts)`). */
export function completeStep(
  step: Step,
  artifacts: readonly ArtifactId[] = step.outputArtifactIds,
  at = now(),
): Step {
  requireActive(step, 'complete', [StepStatus.Running]);
  return { ...step, status: StepStatus.Completed, outputArtifactIds: [...artifacts], finishedAt: at };
}

export function failStep(step: Step, error: StepError, at: Timestamp = now()): Step {
  requireActive(step, 'fail', [StepStatus.Pending, StepStatus.Running]);
  return { ...step, status: StepStatus.Failed, error, finishedAt: at };
}

export function skipStep(step: Step, at: Timestamp = now()): Step {
  requireActive(step, 'skip', [StepStatus.Pending]);
  return { ...step, status: StepStatus.Skipped, finishedAt: at };
}

export function cancelStep(step: Step, reason: string, at: Timestamp = now()): Step {
  requireActive(step, 'cancel', [StepStatus.Pending, StepStatus.Running]);
  return { ...step, status: StepStatus.Cancelled, error: StepErrors.cancelled(reason), finishedAt: at };
}

/** Records an A2A event received during the exchange (state, status text, artifact produced). */
export function recordStepEvent(
  step: Step,
  event: { state?: string; statusMessage?: string; taskId?: string; artifactId?: ArtifactId },
): Step {
  const remote: StepRemote = {
    method: step.remote?.method ?? 'SendMessage',
    eventCount: (step.remote?.eventCount ?? 0) + 1,
    ...(step.remote?.taskId !== undefined && { taskId: step.remote.taskId }),
    ...(step.remote?.state !== undefined && { state: step.remote.state }),
    ...(step.remote?.statusMessage !== undefined && { statusMessage: step.remote.statusMessage }),
    ...(event.taskId !== undefined && { taskId: event.taskId }),
    ...(event.state !== undefined && { state: event.state }),
    ...(event.statusMessage !== undefined && { statusMessage: event.statusMessage }),
  };
  const outputArtifactIds =
    event.artifactId === undefined || step.outputArtifactIds.includes(event.artifactId)
      ? step.outputArtifactIds
      : [...step.outputArtifactIds, event.artifactId];
  return { ...step, remote, outputArtifactIds };
}

export function withStepMethod(step: Step, method: string): Step {
  return { ...step, remote: { eventCount: 0, ...step.remote, method } };
}

export function stepDurationMs(step: Step): number | undefined {
  return elapsedMs(step.startedAt, step.finishedAt);
}
