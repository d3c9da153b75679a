/**
 * Tests of the A2A task-state mapping: every state's outcome per the table in `a2a-state.ts`, the 0.3
 * spellings, garbage, and which states are terminal.
 */
import { describe, expect, it } from 'vitest';

import { A2ATaskState, isTerminalTaskState, normalizeTaskState, taskStateOutcome } from './a2a-state.js';

type ExpectedOutcome =
  | { readonly kind: 'working' }
  | { readonly kind: 'interrupted'; readonly runStatus: 'input_required' | 'auth_required' }
  | { readonly kind: 'completed' }
  | { readonly kind: 'failed'; readonly stepError: 'AgentFailed' | 'OutputFailed' }
  | { readonly kind: 'cancelled' };

/** The table in a2a-state.ts, one row per state. */
const OUTCOMES: Record<A2ATaskState, { readonly outcome: ExpectedOutcome; readonly terminal: boolean }> = {
  TASK_STATE_SUBMITTED: { outcome: { kind: 'working' }, terminal: false },
  TASK_STATE_WORKING: { outcome: { kind: 'working' }, terminal: false },
  TASK_STATE_INPUT_REQUIRED: {
    outcome: { kind: 'interrupted', runStatus: 'input_required' },
    terminal: false,
  },
  TASK_STATE_AUTH_REQUIRED: { outcome: { kind: 'interrupted', runStatus: 'auth_required' }, terminal: false },
  TASK_STATE_COMPLETED: { outcome: { kind: 'completed' }, terminal: true },
  TASK_STATE_FAILED: { outcome: { kind: 'failed', stepError: 'AgentFailed' }, terminal: true },
  TASK_STATE_REJECTED: { outcome: { kind: 'failed', stepError: 'AgentFailed' }, terminal: true },
  TASK_STATE_CANCELED: { outcome: { kind: 'cancelled' }, terminal: true },
  TASK_STATE_UNSPECIFIED: { outcome: { kind: 'failed', stepError: 'OutputFailed' }, terminal: true },
};

const STATES = Object.values(A2ATaskState);

describe('taskStateOutcome', () => {
  it('has a row for every state', () => {
    expect(Object.keys(OUTCOMES).sort()).toEqual([...STATES].sort());
  });

  it.each(STATES)('%s', (state) => {
    const outcome = taskStateOutcome(state);
    const expected = OUTCOMES[state].outcome;
    if (expected.kind === 'failed') {
      expect(outcome.kind).toBe('failed');
      expect(outcome.kind === 'failed' && outcome.reason.length > 0).toBe(true);
      expect(outcome.kind === 'failed' && outcome.stepError).toBe(expected.stepError);
    } else {
      expect(outcome).toEqual(expected);
    }
  });

  it('gives each failing state its own reason', () => {
    const reasons = [A2ATaskState.Failed, A2ATaskState.Rejected, A2ATaskState.Unspecified].map((state) => {
      const outcome = taskStateOutcome(state);
      return outcome.kind === 'failed' ? outcome.reason : '';
    });
    expect(new Set(reasons).size).toBe(3);
    expect(reasons[1]).toMatch(/reject/);
  });
});

describe('isTerminalTaskState', () => {
  it.each(STATES)('%s', (state) => {
    expect(isTerminalTaskState(state)).toBe(OUTCOMES[state].terminal);
  });
});

describe('normalizeTaskState', () => {
  it.each(STATES)('keeps the 1.0 name %s', (state) => {
    expect(normalizeTaskState(state)).toBe(state);
  });

  it.each([
    ['submitted', A2ATaskState.Submitted],
    ['working', A2ATaskState.Working],
    ['completed', A2ATaskState.Completed],
    ['failed', A2ATaskState.Failed],
    ['canceled', A2ATaskState.Canceled],
    ['input-required', A2ATaskState.InputRequired],
    ['rejected', A2ATaskState.Rejected],
    ['auth-required', A2ATaskState.AuthRequired],
    ['unknown', A2ATaskState.Unspecified],
  ])('maps the 0.3 spelling %s to %s', (spelling, state) => {
    expect(normalizeTaskState(spelling)).toBe(state);
  });

  it.each([
    '',
    'COMPLETED',
    'Completed',
    'cancelled',
    'input_required',
    'TASK_STATE_DONE',
    'task_state_completed',
    ' working',
  ])('maps garbage %j to UNSPECIFIED', (garbage) => {
    expect(normalizeTaskState(garbage)).toBe(A2ATaskState.Unspecified);
  });

  // The 0.3 lookup must not see names inherited from Object.prototype.
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'maps the Object.prototype name %j to UNSPECIFIED',
    (garbage) => {
      expect(normalizeTaskState(garbage)).toBe(A2ATaskState.Unspecified);
    },
  );
});
