/**
 * Tests of the Step lifecycle: the seed's step test, every status × operation pair, the A2A event
 * bookkeeping of `recordStepEvent`, and durations.
 */
import { describe, expect, it } from 'vitest';

import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { isId, newId } from './ids.js';
import { StepErrors } from './run-error.js';
import {
  cancelStep,
  completeStep,
  failStep,
  isTerminalStepStatus,
  newStep,
  recordStepEvent,
  skipStep,
  startStep,
  STEP_STATUSES,
  stepDurationMs,
  StepStatus,
  withStepMethod,
  type Step,
} from './step.js';

const T0 = '2025-03-01T10:00:00.000Z';
const T1 = '2025-03-01T10:00:01.000Z';
const T2 = '2025-03-01T10:00:03.250Z';

function pendingStep(): Step {
  return newStep({ runId: newId(), name: 'send', agent: 'echo', at: T0 });
}

function stepIn(status: StepStatus): Step {
  return { ...pendingStep(), status };
}

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
  it('test_step_lifecycle', () => {
    let step = newStep({ runId: newId(), name: 'test-step', agent: 'agent.yaml' });
    expect(step.status).toBe(StepStatus.Pending);

    step = startStep(step);
    expect(step.status).toBe(StepStatus.Running);

    step = completeStep(step, [newId()]);
    expect(step.status).toBe(StepStatus.Completed);
    expect(step.outputArtifactIds).not.toHaveLength(0);
  });
});

describe('newStep', () => {
  it('starts pending with defaults filled in', () => {
    const runId = newId();
    const step = newStep({ runId, name: 'send', agent: 'echo', at: T0 });
    expect(step).toEqual({
      id: step.id,
      runId,
      index: 0,
      status: StepStatus.Pending,
      name: 'send',
      agent: 'echo',
      createdAt: T0,
      outputArtifactIds: [],
    });
    expect(isId(step.id)).toBe(true);
  });

  it('keeps a given id and index', () => {
    const id = newId();
    expect(newStep({ runId: newId(), name: 'n', agent: 'a', id, index: 3 })).toMatchObject({ id, index: 3 });
  });
});

describe('status predicates', () => {
  it.each(STEP_STATUSES)('%s: terminal flag', (status) => {
    expect(isTerminalStepStatus(status)).toBe(status !== 'pending' && status !== 'running');
  });
});

type Operation = 'start' | 'complete' | 'fail' | 'skip' | 'cancel';

const OPERATIONS: Record<Operation, (step: Step) => Step> = {
  start: (step) => startStep(step, T2),
  complete: (step) => completeStep(step, undefined, T2),
  fail: (step) => failStep(step, StepErrors.agentFailed('x'), T2),
  skip: (step) => skipStep(step, T2),
  cancel: (step) => cancelStep(step, 'stop', T2),
};

const ILLEGAL = null;
const FINISHED: Record<Operation, StepStatus | null> = {
  start: ILLEGAL,
  complete: ILLEGAL,
  fail: ILLEGAL,
  skip: ILLEGAL,
  cancel: ILLEGAL,
};

const TRANSITIONS: Record<StepStatus, Record<Operation, StepStatus | null>> = {
  pending: {
    start: StepStatus.Running,
    complete: ILLEGAL,
    fail: StepStatus.Failed,
    skip: StepStatus.Skipped,
    cancel: StepStatus.Cancelled,
  },
  running: {
    start: ILLEGAL,
    complete: StepStatus.Completed,
    fail: StepStatus.Failed,
    skip: ILLEGAL,
    cancel: StepStatus.Cancelled,
  },
  completed: FINISHED,
  failed: FINISHED,
  skipped: FINISHED,
  cancelled: FINISHED,
};

const PAIRS = STEP_STATUSES.flatMap((status) =>
  (Object.keys(OPERATIONS) as Operation[]).map((op) => [status, op, TRANSITIONS[status][op]] as const),
);

describe('transitions (every status × operation)', () => {
  it('covers every status', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STEP_STATUSES].sort());
  });

  it.each(PAIRS.filter(([, , next]) => next !== ILLEGAL))('%s --%s--> %s', (status, op, next) => {
    const before = stepIn(status);
    const after = OPERATIONS[op](before);
    expect(after.status).toBe(next);
    expect(before.status).toBe(status);
    if (op === 'start') {
      expect(after.startedAt).toBe(T2);
      expect(after.finishedAt).toBeUndefined();
    } else {
      expect(after.finishedAt).toBe(T2);
    }
  });

  it.each(PAIRS.filter(([, , next]) => next === ILLEGAL))('%s --%s--> throws', (status, op) => {
    const step = stepIn(status);
    const error = thrownBy(() => OPERATIONS[op](step));
    expect(error.code).toBe(ErrorCode.ILLEGAL_STATE_TRANSITION);
    expect(error.message).toBe(`cannot ${op} step ${step.id}: it is ${status}`);
    expect(error.details).toEqual({ stepId: step.id, status, action: op });
  });
});

describe('lifecycle details', () => {
  it('complete replaces the output artifacts with the ones given', () => {
    const a = newId();
    const step = completeStep(startStep(pendingStep(), T1), [a], T2);
    expect(step.outputArtifactIds).toEqual([a]);
    expect(step.error).toBeUndefined();
  });

  it('complete without artifacts keeps the ones recorded from events', () => {
    const a = newId();
    const running = recordStepEvent(startStep(pendingStep(), T1), { artifactId: a });
    expect(completeStep(running, undefined, T2).outputArtifactIds).toEqual([a]);
  });

  it('fail records the error', () => {
    const error = StepErrors.outputFailed('no task state');
    expect(failStep(startStep(pendingStep(), T1), error, T2).error).toEqual(error);
  });

  it('cancel records Cancelled{reason}', () => {
    expect(cancelStep(startStep(pendingStep(), T1), 'run cancelled', T2).error).toEqual({
      kind: 'Cancelled',
      reason: 'run cancelled',
    });
  });

  it('skip records no error', () => {
    const skipped = skipStep(pendingStep(), T1);
    expect(skipped.error).toBeUndefined();
    expect(skipped.startedAt).toBeUndefined();
  });
});

describe('recordStepEvent', () => {
  it('counts events and defaults the method to SendMessage', () => {
    const step = recordStepEvent(startStep(pendingStep(), T1), { state: 'TASK_STATE_SUBMITTED' });
    expect(step.remote).toEqual({ method: 'SendMessage', eventCount: 1, state: 'TASK_STATE_SUBMITTED' });
  });

  it('accumulates: count grows, later values win, missing values are kept', () => {
    const a = newId();
    const b = newId();
    let step = withStepMethod(startStep(pendingStep(), T1), 'SendStreamingMessage');
    step = recordStepEvent(step, { taskId: 't-1', state: 'TASK_STATE_SUBMITTED' });
    step = recordStepEvent(step, { state: 'TASK_STATE_WORKING', statusMessage: 'thinking' });
    step = recordStepEvent(step, { artifactId: a });
    step = recordStepEvent(step, { artifactId: a });
    step = recordStepEvent(step, { artifactId: b, state: 'TASK_STATE_COMPLETED' });
    expect(step.remote).toEqual({
      method: 'SendStreamingMessage',
      taskId: 't-1',
      state: 'TASK_STATE_COMPLETED',
      statusMessage: 'thinking',
      eventCount: 5,
    });
    expect(step.outputArtifactIds).toEqual([a, b]);
  });

  it('does not change the step it was given', () => {
    const before = startStep(pendingStep(), T1);
    recordStepEvent(before, { state: 'TASK_STATE_WORKING', artifactId: newId() });
    expect(before.remote).toBeUndefined();
    expect(before.outputArtifactIds).toEqual([]);
  });
});

describe('withStepMethod', () => {
  it('sets the method with no events yet', () => {
    expect(withStepMethod(pendingStep(), 'CancelTask').remote).toEqual({
      method: 'CancelTask',
      eventCount: 0,
    });
  });

  it('keeps what was already recorded', () => {
    const step = recordStepEvent(pendingStep(), { taskId: 't-9', state: 'TASK_STATE_WORKING' });
    expect(withStepMethod(step, 'GetTask').remote).toEqual({
      method: 'GetTask',
      taskId: 't-9',
      state: 'TASK_STATE_WORKING',
      eventCount: 1,
    });
  });
});

describe('stepDurationMs', () => {
  it('is undefined until the step finishes', () => {
    expect(stepDurationMs(pendingStep())).toBeUndefined();
    expect(stepDurationMs(startStep(pendingStep(), T1))).toBeUndefined();
  });

  it('is the milliseconds from start to finish', () => {
    expect(stepDurationMs(completeStep(startStep(pendingStep(), T1), [], T2))).toBe(2_250);
  });

  it('is undefined for a step that never started', () => {
    expect(stepDurationMs(skipStep(pendingStep(), T1))).toBeUndefined();
  });
});
