/**
 * Tests of the Run lifecycle: the seed's run tests, then every status × operation pair (legal ones give
 * the expected next status, illegal ones throw ILLEGAL_STATE_TRANSITION naming the run and its status),
 * the timeout rule, resume, the extension fields and durations.
 */
import { describe, expect, it } from 'vitest';

import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { DEFAULT_TENANT, isId, newId } from './ids.js';
import { RunErrors, runErrorMessage } from './run-error.js';
import {
  addRunArtifact,
  cancelRun,
  completeRun,
  failRun,
  interruptRun,
  isInterruptedRunStatus,
  isTerminalRunStatus,
  newRun,
  nextVersion,
  RUN_STATUSES,
  runDurationMs,
  RunStatus,
  RuntimeKind,
  startRun,
  timeoutRun,
  withRemote,
  type Run,
  type RunTarget,
} from './run.js';

const T0 = '2025-03-01T10:00:00.000Z';
const T1 = '2025-03-01T10:00:01.000Z';
const T2 = '2025-03-01T10:00:02.500Z';
const T3 = '2025-03-01T10:00:04.000Z';

const AGENT: RunTarget = { kind: 'agent', name: 'echo' };

function pendingRun(overrides: Partial<Parameters<typeof newRun>[0]> = {}): Run {
  return newRun({ target: AGENT, runtimeKind: RuntimeKind.Local, at: T0, ...overrides });
}

/** A run placed directly in `status`, so every status is tested the same way. */
function runIn(status: RunStatus): Run {
  return { ...pendingRun(), status };
}

/** The GatewayError thrown by `fn`; fails the test when nothing (or something else) is thrown. */
function thrownBy(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (GatewayError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a GatewayError, nothing was thrown');
}

describe('seed tests', () => {
  it('test_run_input_default_none', () => {
    expect(pendingRun().input).toBeUndefined();
    expect('input' in pendingRun()).toBe(false);
  });

  it('test_run_with_input', () => {
    const input = { parts: [{ data: { key: 'value' } }], metadata: { key: 'value' } };
    expect(pendingRun({ input }).input).toEqual(input);
  });

  it('test_run_id_generation', () => {
    expect(pendingRun().id).not.toBe(pendingRun().id);
  });

  it('test_run_lifecycle', () => {
    let run = pendingRun();
    expect(run.status).toBe(RunStatus.Pending);
    expect(run.startedAt).toBeUndefined();

    run = startRun(run, T1);
    expect(run.status).toBe(RunStatus.Running);

    run = completeRun(run, T2);
    expect(run.status).toBe(RunStatus.Completed);
    expect(runDurationMs(run)).toBeDefined();
  });

  it('test_run_failure', () => {
    const run = failRun(startRun(pendingRun(), T1), RunErrors.executionFailed('test'), T2);
    expect(run.status).toBe(RunStatus.Failed);
    expect(run.error).toEqual({ kind: 'ExecutionFailed', message: 'test' });
  });
});

describe('newRun', () => {
  it('starts pending, version 1, with defaults filled in', () => {
    const run = newRun({ target: AGENT, at: T0 });
    expect(run).toEqual({
      id: run.id,
      tenant: DEFAULT_TENANT,
      status: RunStatus.Pending,
      target: AGENT,
      runtimeKind: RuntimeKind.Http,
      createdAt: T0,
      updatedAt: T0,
      artifactIds: [],
      version: 1,
    });
    expect(isId(run.id)).toBe(true);
  });

  it('keeps every option given', () => {
    const id = newId();
    const sessionId = newId();
    const run = newRun({
      id,
      target: { kind: 'a2aAgent', url: 'http://127.0.0.1:9999' },
      runtimeKind: RuntimeKind.Cloud,
      tenant: 'acme',
      sessionId,
      timeoutMs: 60_000,
      at: T0,
    });
    expect(run).toMatchObject({
      id,
      tenant: 'acme',
      runtimeKind: RuntimeKind.Cloud,
      sessionId,
      timeoutMs: 60_000,
      target: { kind: 'a2aAgent', url: 'http://127.0.0.1:9999' },
    });
  });

  it('defaults createdAt to now', () => {
    const before = Date.now();
    const run = newRun({ target: AGENT });
    expect(Date.parse(run.createdAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(run.createdAt)).toBeLessThanOrEqual(Date.now());
  });
});

describe('status predicates', () => {
  it.each(RUN_STATUSES)('%s: terminal and interrupted flags', (status) => {
    const terminal = ['completed', 'failed', 'cancelled', 'timeout'].includes(status);
    const interrupted = status === 'input_required' || status === 'auth_required';
    expect(isTerminalRunStatus(status)).toBe(terminal);
    expect(isInterruptedRunStatus(status)).toBe(interrupted);
  });

  it('lists all eight statuses', () => {
    expect([...RUN_STATUSES].sort()).toEqual(
      [
        'auth_required',
        'cancelled',
        'completed',
        'failed',
        'input_required',
        'pending',
        'running',
        'timeout',
      ].sort(),
    );
  });
});

type Operation = 'start' | 'inputRequired' | 'authRequired' | 'complete' | 'fail' | 'cancel' | 'timeout';

const OPERATIONS: Record<Operation, { readonly action: string; readonly apply: (run: Run) => Run }> = {
  start: { action: 'start', apply: (run) => startRun(run, T3) },
  inputRequired: { action: 'interrupt', apply: (run) => interruptRun(run, RunStatus.InputRequired, T3) },
  authRequired: { action: 'interrupt', apply: (run) => interruptRun(run, RunStatus.AuthRequired, T3) },
  complete: { action: 'complete', apply: (run) => completeRun(run, T3) },
  fail: { action: 'fail', apply: (run) => failRun(run, RunErrors.runtimeError('boom'), T3) },
  cancel: { action: 'cancel', apply: (run) => cancelRun(run, 'stop', T3) },
  timeout: { action: 'time out', apply: (run) => timeoutRun(run, T3) },
};

const ILLEGAL = null;
const NON_TERMINAL_EXITS = {
  fail: RunStatus.Failed,
  cancel: RunStatus.Cancelled,
  timeout: RunStatus.Timeout,
} as const;
const FINISHED: Record<Operation, RunStatus | null> = {
  start: ILLEGAL,
  inputRequired: ILLEGAL,
  authRequired: ILLEGAL,
  complete: ILLEGAL,
  fail: ILLEGAL,
  cancel: ILLEGAL,
  timeout: ILLEGAL,
};

/** The allowed transitions: status → operation → next status, or ILLEGAL. */
const TRANSITIONS: Record<RunStatus, Record<Operation, RunStatus | null>> = {
  pending: {
    start: RunStatus.Running,
    inputRequired: ILLEGAL,
    authRequired: ILLEGAL,
    complete: ILLEGAL,
    ...NON_TERMINAL_EXITS,
  },
  running: {
    start: ILLEGAL,
    inputRequired: RunStatus.InputRequired,
    authRequired: RunStatus.AuthRequired,
    complete: RunStatus.Completed,
    ...NON_TERMINAL_EXITS,
  },
  input_required: {
    start: RunStatus.Running,
    inputRequired: ILLEGAL,
    authRequired: ILLEGAL,
    complete: ILLEGAL,
    ...NON_TERMINAL_EXITS,
  },
  auth_required: {
    start: RunStatus.Running,
    inputRequired: ILLEGAL,
    authRequired: ILLEGAL,
    complete: ILLEGAL,
    ...NON_TERMINAL_EXITS,
  },
  completed: FINISHED,
  failed: FINISHED,
  cancelled: FINISHED,
  timeout: FINISHED,
};

const PAIRS = RUN_STATUSES.flatMap((status) =>
  (Object.keys(OPERATIONS) as Operation[]).map((op) => [status, op, TRANSITIONS[status][op]] as const),
);

describe('transitions (every status × operation)', () => {
  it('covers every status', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...RUN_STATUSES].sort());
  });

  it.each(PAIRS.filter(([, , next]) => next !== ILLEGAL))('%s --%s--> %s', (status, op, next) => {
    const before = runIn(status);
    const after = OPERATIONS[op].apply(before);
    expect(after.status).toBe(next);
    expect(after.updatedAt).toBe(T3);
    expect(after.id).toBe(before.id);
    expect(before.status).toBe(status);
  });

  it.each(PAIRS.filter(([, , next]) => next === ILLEGAL))('%s --%s--> throws', (status, op) => {
    const run = runIn(status);
    const error = thrownBy(() => OPERATIONS[op].apply(run));
    const { action } = OPERATIONS[op];
    expect(error.code).toBe(ErrorCode.ILLEGAL_STATE_TRANSITION);
    expect(error.message).toBe(`cannot ${action} run ${run.id}: it is ${status}`);
    expect(error.details).toEqual({ runId: run.id, status, action });
    expect(error.retryable).toBe(false);
  });

  it('a finished run cannot start again', () => {
    const done = completeRun(startRun(pendingRun(), T1), T2);
    expect(thrownBy(() => startRun(done)).message).toBe(`cannot start run ${done.id}: it is completed`);
  });

  it('a cancelled run cannot complete', () => {
    const cancelled = cancelRun(startRun(pendingRun(), T1), 'user', T2);
    expect(thrownBy(() => completeRun(cancelled)).message).toBe(
      `cannot complete run ${cancelled.id}: it is cancelled`,
    );
  });

  it('a completed run cannot fail', () => {
    const done = completeRun(startRun(pendingRun(), T1), T2);
    const error = thrownBy(() => failRun(done, RunErrors.executionFailed('late')));
    expect(error.code).toBe(ErrorCode.ILLEGAL_STATE_TRANSITION);
    expect(error.message).toContain(done.id);
    expect(error.message).toContain('completed');
  });
});

describe('lifecycle details', () => {
  it('start records startedAt; finishing records finishedAt', () => {
    const running = startRun(pendingRun(), T1);
    expect(running.startedAt).toBe(T1);
    expect(running.finishedAt).toBeUndefined();
    const done = completeRun(running, T2);
    expect(done).toMatchObject({ startedAt: T1, finishedAt: T2, updatedAt: T2 });
    expect(done.error).toBeUndefined();
  });

  it('resuming an interrupted run keeps the first startedAt', () => {
    const running = startRun(pendingRun(), T1);
    const waiting = interruptRun(running, RunStatus.InputRequired, T2);
    expect(waiting).toMatchObject({ status: RunStatus.InputRequired, startedAt: T1, updatedAt: T2 });
    expect(waiting.finishedAt).toBeUndefined();
    const resumed = startRun(waiting, T3);
    expect(resumed).toMatchObject({ status: RunStatus.Running, startedAt: T1, updatedAt: T3 });
  });

  it('fail records the error', () => {
    const error = RunErrors.patternError('sequence', 's1', 'bad');
    const failed = failRun(startRun(pendingRun(), T1), error, T2);
    expect(failed).toMatchObject({ status: RunStatus.Failed, error, finishedAt: T2 });
  });

  it('a pending run that cannot start fails without a startedAt', () => {
    const failed = failRun(pendingRun(), RunErrors.invalidConfig('swarms are not supported'), T1);
    expect(failed.status).toBe(RunStatus.Failed);
    expect(failed.startedAt).toBeUndefined();
    expect(runDurationMs(failed)).toBeUndefined();
  });

  it('cancel records Cancelled{reason}', () => {
    const cancelled = cancelRun(startRun(pendingRun(), T1), 'client went away', T2);
    expect(cancelled.error).toEqual({ kind: 'Cancelled', reason: 'client went away' });
    expect(cancelled.finishedAt).toBe(T2);
  });

  it('timeout records Timeout{afterMs} from the run timeout', () => {
    const run = startRun(pendingRun({ timeoutMs: 30_000 }), T1);
    const timedOut = timeoutRun(run, T2);
    expect(timedOut).toMatchObject({ status: RunStatus.Timeout, finishedAt: T2 });
    expect(timedOut.error).toEqual({ kind: 'Timeout', afterMs: 30_000 });
    expect(runErrorMessage(timedOut.error!)).toBe('Timeout after 30s');
  });

  it('timeout records no error when the run has no timeout (as the seed)', () => {
    const timedOut = timeoutRun(startRun(pendingRun(), T1), T2);
    expect(timedOut.status).toBe(RunStatus.Timeout);
    expect(timedOut.error).toBeUndefined();
    expect('error' in timedOut).toBe(false);
  });

  it('operations do not bump the version; nextVersion does', () => {
    const run = completeRun(startRun(pendingRun(), T1), T2);
    expect(run.version).toBe(1);
    const next = nextVersion(run);
    expect(next.version).toBe(2);
    expect(nextVersion(next).version).toBe(3);
    expect(run.version).toBe(1);
  });

  it('withRemote merges what the agent reported', () => {
    const run = withRemote(pendingRun(), { taskId: 't-1', contextId: 'c-1' }, T1);
    const updated = withRemote(run, { state: 'TASK_STATE_WORKING' }, T2);
    expect(updated.remote).toEqual({ taskId: 't-1', contextId: 'c-1', state: 'TASK_STATE_WORKING' });
    expect(updated.updatedAt).toBe(T2);
    expect(run.remote).toEqual({ taskId: 't-1', contextId: 'c-1' });
  });

  it('addRunArtifact appends artifact ids in order', () => {
    const a = newId();
    const b = newId();
    const run = addRunArtifact(addRunArtifact(pendingRun(), a, T1), b, T2);
    expect(run.artifactIds).toEqual([a, b]);
    expect(run.updatedAt).toBe(T2);
  });
});

describe('runDurationMs', () => {
  it('is undefined until the run finishes', () => {
    expect(runDurationMs(pendingRun())).toBeUndefined();
    expect(runDurationMs(startRun(pendingRun(), T1))).toBeUndefined();
  });

  it('is the milliseconds from start to finish', () => {
    expect(runDurationMs(completeRun(startRun(pendingRun(), T1), T2))).toBe(1_500);
  });

  it('counts from the first start across a resume', () => {
    const running = startRun(pendingRun(), T0);
    const resumed = startRun(interruptRun(running, RunStatus.AuthRequired, T1), T2);
    expect(runDurationMs(completeRun(resumed, T3))).toBe(4_000);
  });
});
