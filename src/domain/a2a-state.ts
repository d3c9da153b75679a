/**
 * The one mapping from an A2A task state to what it means for the Step (the exchange) and the Run.
 * Documented in docs/state-model.md; both dialects' spellings are accepted (1.0 `TASK_STATE_*`, 0.3
 * lowercase with dashes).
 *
 * | A2A task state          | Step (the exchange)      | Run                        |
 * |-------------------------|--------------------------|----------------------------|
 * | SUBMITTED, WORKING      | running (not finished)   | running                    |
 * | INPUT_REQUIRED          | completed                | input_required (waits)     |
 * | AUTH_REQUIRED           | completed                | auth_required (waits)      |
 * | COMPLETED               | completed                | completed                  |
 * | FAILED                  | failed: AgentFailed      | failed: ExecutionFailed    |
 * | REJECTED                | failed: AgentFailed      | failed: ExecutionFailed    |
 * | CANCELED                | cancelled                | cancelled                  |
 * | UNSPECIFIED / unknown   | failed: OutputFailed     | failed: ExecutionFailed    |
 * | (a Message, no task)    | completed                | completed                  |
 */
export const A2ATaskState = {
  Unspecified: 'TASK_STATE_UNSPECIFIED',
  Submitted: 'TASK_STATE_SUBMITTED',
  Working: 'TASK_STATE_WORKING',
  Completed: 'TASK_STATE_COMPLETED',
  Failed: 'TASK_STATE_FAILED',
  Canceled: 'TASK_STATE_CANCELED',
  InputRequired: 'TASK_STATE_INPUT_REQUIRED',
  Rejected: 'TASK_STATE_REJECTED',
  AuthRequired: 'TASK_STATE_AUTH_REQUIRED',
} as const;
export type A2ATaskState = (typeof A2ATaskState)[keyof typeof A2ATaskState];

const FROM_V03: Readonly<Record<string, A2ATaskState>> = {
  submitted: A2ATaskState.Submitted,
  working: A2ATaskState.Working,
  completed: A2ATaskState.Completed,
  failed: A2ATaskState.Failed,
  canceled: A2ATaskState.Canceled,
  'input-required': A2ATaskState.InputRequired,
  rejected: A2ATaskState.Rejected,
  'auth-required': A2ATaskState.AuthRequired,
  unknown: A2ATaskState.Unspecified,
};

const V10_STATES: ReadonlySet<string> = new Set(Object.values(A2ATaskState));

/** Normalises either dialect's spelling to the 1.0 name; unknown spellings become UNSPECIFIED. */
export function normalizeTaskState(state: string): A2ATaskState {
  if (V10_STATES.has(state)) return state as A2ATaskState;
  return Object.hasOwn(FROM_V03, state) ? (FROM_V03[state] as A2ATaskState) : A2ATaskState.Unspecified;
}

export type TaskStateOutcome =
  /** The agent is still working: the exchange goes on. */
  | { readonly kind: 'working' }
  /** The task waits on the client; the run pauses with this status. */
  | { readonly kind: 'interrupted'; readonly runStatus: 'input_required' | 'auth_required' }
  | { readonly kind: 'completed' }
  /** `stepError` says whose fault it was: the agent's (it failed or refused) or its output's (no state). */
  | { readonly kind: 'failed'; readonly reason: string; readonly stepError: 'AgentFailed' | 'OutputFailed' }
  | { readonly kind: 'cancelled' };

export function taskStateOutcome(state: A2ATaskState): TaskStateOutcome {
  switch (state) {
    case A2ATaskState.Submitted:
    case A2ATaskState.Working:
      return { kind: 'working' };
    case A2ATaskState.InputRequired:
      return { kind: 'interrupted', runStatus: 'input_required' };
    case A2ATaskState.AuthRequired:
      return { kind: 'interrupted', runStatus: 'auth_required' };
    case A2ATaskState.Completed:
      return { kind: 'completed' };
    case A2ATaskState.Failed:
      return { kind: 'failed', reason: 'the agent reported the task failed', stepError: 'AgentFailed' };
    case A2ATaskState.Rejected:
      return { kind: 'failed', reason: 'the agent rejected the task', stepError: 'AgentFailed' };
    case A2ATaskState.Canceled:
      return { kind: 'cancelled' };
    case A2ATaskState.Unspecified:
      return { kind: 'failed', reason: 'the agent reported no task state', stepError: 'OutputFailed' };
  }
}

/** True for a state after which the agent accepts no more messages for the task. */
export function isTerminalTaskState(state: A2ATaskState): boolean {
  const outcome = taskStateOutcome(state).kind;
  return outcome === 'completed' || outcome === 'failed' || outcome === 'cancelled';
}
