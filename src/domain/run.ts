/**
 * Run: one unit of work a client asked for, against one target (the seed's `Run`). Runs are immutable
 * values; each lifecycle operation returns the next value or throws `ILLEGAL_STATE_TRANSITION`.
 *
 * Gateway extensions to the seed, kept explicit:
 * - two interrupted statuses, `input_required` and `auth_required`, for A2A tasks that wait on the
 *   client (see `a2a-state.ts` for the mapping table);
 * - `tenant`, the owner of the run (anonymous callers share the `default` tenant);
 * - `version`, bumped by every persisted change; it orders run events (see `run-event.ts`);
 * - `remote`, what the agent told us about its side of the run (task id, context id).
 * Steps are stored as their own records (`step.ts`) rather than inside the run, so appending a step
 * never rewrites the run.
 */
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { DEFAULT_TENANT, newId, type ArtifactId, type RunId, type SessionId } from './ids.js';
import type { RunInput } from './part.js';
import { RunErrors, type RunError } from './run-error.js';
import { elapsedMs, now, type Timestamp } from './time.js';

export const RunStatus = {
  /** Execution has not started. */
  Pending: 'pending',
  /** Execution is in progress. */
  Running: 'running',
  /** The agent waits for more input from the client (A2A `input-required`). */
  InputRequired: 'input_required',
  /** The agent waits for the client to authorise (A2A `auth-required`). */
  AuthRequired: 'auth_required',
  /** Execution completed successfully. */
  Completed: 'completed',
  /** Execution failed with an error. */
  Failed: 'failed',
  /** Execution was cancelled by the user. */
  Cancelled: 'cancelled',
  /** Execution exceeded its time limit. */
  Timeout: 'timeout',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];
export const RUN_STATUSES: readonly RunStatus[] = Object.values(RunStatus);

const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set([
  RunStatus.Completed,
  RunStatus.Failed,
  RunStatus.Cancelled,
  RunStatus.Timeout,
]);

export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.has(status);
}

export function isInterruptedRunStatus(status: RunStatus): boolean {
  return status === RunStatus.InputRequired || status === RunStatus.AuthRequired;
}

/** Terminal, or waiting for input: the run executes nothing until someone acts on it. */
export function hasStoppedExecuting(status: RunStatus): boolean {
  return isTerminalRunStatus(status) || isInterruptedRunStatus(status);
}

/** What a run executes (the seed's `RunTarget`). */
export type RunTarget =
  /** A registered agent, by name (the seed addressed agents by spec file path). */
  | { readonly kind: 'agent'; readonly name: string }
  /** A declarative swarm file; refused with `InvalidConfig` until swarms exist. */
  | { readonly kind: 'swarm'; readonly swarmfilePath: string }
  /** An A2A agent addressed directly by URL. */
  | { readonly kind: 'a2aAgent'; readonly url: string };

/** How a target is named in steps, spans and logs: the agent name, the URL, or the swarm file. */
export function targetLabel(target: RunTarget): string {
  switch (target.kind) {
    case 'agent':
      return target.name;
    case 'a2aAgent':
      return target.url;
    case 'swarm':
      return target.swarmfilePath;
  }
}

export const RuntimeKind = {
  Local: 'local',
  Docker: 'docker',
  Http: 'http',
  Cloud: 'cloud',
} as const;
export type RuntimeKind = (typeof RuntimeKind)[keyof typeof RuntimeKind];

/** What the remote agent told us about its side of the run. */
export interface RemoteTaskRef {
  readonly taskId?: string;
  readonly contextId?: string;
  /** The agent's last reported A2A task state (1.0 enum name). */
  readonly state?: string;
}

/**
 * Where a run or step sits in its distributed trace (W3C trace context), kept with the record so a run
 * continued later (more input, a gateway restart) stays in the same trace, and so a person can jump
 * from a run to its trace.
 */
export interface TraceRef {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits: the run's (or step's) own span. */
  readonly spanId: string;
  /** W3C trace flags (1 = sampled). */
  readonly traceFlags: number;
}

/** The client's idempotency key for a submission: 1..200 printable ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,200}$/;
export const IDEMPOTENCY_KEY_RULE = 'must be 1 to 200 printable ASCII characters';

export interface Run {
  readonly id: RunId;
  readonly tenant: string;
  readonly status: RunStatus;
  readonly target: RunTarget;
  readonly runtimeKind: RuntimeKind;
  readonly sessionId?: SessionId;
  readonly createdAt: Timestamp;
  readonly startedAt?: Timestamp;
  readonly finishedAt?: Timestamp;
  readonly timeoutMs?: number;
  readonly error?: RunError;
  readonly artifactIds: readonly ArtifactId[];
  readonly input?: RunInput;
  readonly remote?: RemoteTaskRef;
  readonly trace?: TraceRef;
  /**
   * The client's key for this submission: at most one run per tenant has a given key, so a client that
   * retries a submission gets the run it already created instead of a second one. Never changes.
   */
  readonly idempotencyKey?: string;
  readonly version: number;
  readonly updatedAt: Timestamp;
}

export interface NewRunOptions {
  readonly target: RunTarget;
  readonly runtimeKind?: RuntimeKind;
  readonly tenant?: string;
  readonly sessionId?: SessionId;
  readonly timeoutMs?: number;
  readonly input?: RunInput;
  readonly idempotencyKey?: string;
  readonly id?: RunId;
  readonly at?: Timestamp;
}

/** A new run in `pending` (the seed's `Run::new` with its `with_*` builders folded into options). */
export function newRun(options: NewRunOptions): Run {
  const at = options.at ?? now();
  return {
    id: options.id ?? newId(),
    tenant: options.tenant ?? DEFAULT_TENANT,
    status: RunStatus.Pending,
    target: options.target,
    runtimeKind: options.runtimeKind ?? RuntimeKind.Http,
    ...(options.sessionId !== undefined && { sessionId: options.sessionId }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.input !== undefined && { input: options.input }),
    ...(options.idempotencyKey !== undefined && { idempotencyKey: options.idempotencyKey }),
    createdAt: at,
    updatedAt: at,
    artifactIds: [],
    version: 1,
  };
}

function illegal(run: Run, action: string): GatewayError {
  return new GatewayError(
    ErrorCode.ILLEGAL_STATE_TRANSITION,
    `cannot ${action} run ${run.id}: it is ${run.status}`,
    { details: { runId: run.id, status: run.status, action } },
  );
}

function requireStatus(run: Run, action: string, allowed: readonly RunStatus[]): void {
  if (!allowed.includes(run.status)) throw illegal(run, action);
}

/** pending → running, or an interrupted run resuming with new input → running. */
export function startRun(run: Run, at: Timestamp = now()): Run {
  requireStatus(run, 'start', [RunStatus.Pending, RunStatus.InputRequired, RunStatus.AuthRequired]);
  return { ...run, status: RunStatus.Running, startedAt: run.startedAt ?? at, updatedAt: at };
}

/** running → input_required | auth_required: the agent waits on the client. */
export function interruptRun(
  run: Run,
  status: typeof RunStatus.InputRequired | typeof RunStatus.AuthRequired,
  at: Timestamp = now(),
): Run {
  requireStatus(run, 'interrupt', [RunStatus.Running]);
  return { ...run, status, updatedAt: at };
}

export function completeRun(run: Run, at: Timestamp = now()): Run {
  requireStatus(run, 'complete', [RunStatus.Running]);
  return { ...run, status: RunStatus.Completed, finishedAt: at, updatedAt: at };
}

/** Any non-terminal run can fail (a pending one when it cannot even start). */
export function failRun(run: Run, error: RunError, at: Timestamp = now()): Run {
  if (isTerminalRunStatus(run.status)) throw illegal(run, 'fail');
  return { ...run, status: RunStatus.Failed, error, finishedAt: at, updatedAt: at };
}

export function cancelRun(run: Run, reason: string, at: Timestamp = now()): Run {
  if (isTerminalRunStatus(run.status)) throw illegal(run, 'cancel');
  return {
    ...run,
    status: RunStatus.Cancelled,
    error: RunErrors.cancelled(reason),
    finishedAt: at,
    updatedAt: at,
  };
}

/** As in the seed, the error records the run's own limit when it has one. */
export function timeoutRun(run: Run, at: Timestamp = now()): Run {
  if (isTerminalRunStatus(run.status)) throw illegal(run, 'time out');
  return {
    ...run,
    status: RunStatus.Timeout,
    ...(run.timeoutMs !== undefined && { error: RunErrors.timeout(run.timeoutMs) }),
    finishedAt: at,
    updatedAt: at,
  };
}

export function withRemote(run: Run, remote: RemoteTaskRef, at: Timestamp = now()): Run {
  return { ...run, remote: { ...run.remote, ...remote }, updatedAt: at };
}

export function addRunArtifact(run: Run, artifactId: ArtifactId, at: Timestamp = now()): Run {
  return { ...run, artifactIds: [...run.artifactIds, artifactId], updatedAt: at };
}

/** The run as the next persisted version. */
export function nextVersion(run: Run): Run {
  return { ...run, version: run.version + 1 };
}

/** Execution time once finished (the seed's `duration`). */
export function runDurationMs(run: Run): number | undefined {
  return elapsedMs(run.startedAt, run.finishedAt);
}
