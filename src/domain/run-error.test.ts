/**
 * Tests of `RunError` and `StepError`: every variant's display text (the seed's `#[error(...)]` strings)
 * and its classification. The tables are typed `Record<…Kind, …>`, so adding a variant without a row
 * here fails the type check, and the factory cross-check fails the run.
 */
import { describe, expect, it } from 'vitest';

import {
  formatDuration,
  isCancellationRunError,
  isCancellationStepError,
  isConfigRunError,
  isRetryableRunError,
  isRetryableStepError,
  RunErrors,
  runErrorMessage,
  StepErrors,
  stepErrorMessage,
  type RunError,
  type RunErrorKind,
  type StepError,
  type StepErrorKind,
} from './run-error.js';

/** `StartupFailed` → `startupFailed`: the factory each variant is built by. */
function factoryName(kind: string): string {
  return kind.charAt(0).toLowerCase() + kind.slice(1);
}

describe('formatDuration', () => {
  it.each([
    [30_000, '30s'],
    [1_000, '1s'],
    [120_000, '120s'],
    [250, '250ms'],
    [1, '1ms'],
    [1_500, '1.5s'],
    [0, '0ns'],
  ])('renders %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

interface RunErrorCase {
  readonly error: RunError;
  readonly message: string;
  readonly retryable: boolean;
  readonly cancellation: boolean;
  readonly config: boolean;
}

const RUN_ERROR_CASES: Record<RunErrorKind, RunErrorCase> = {
  StartupFailed: {
    error: RunErrors.startupFailed('no agent card'),
    message: 'Startup failed: no agent card',
    retryable: false,
    cancellation: false,
    config: false,
  },
  ExecutionFailed: {
    error: RunErrors.executionFailed('agent crashed'),
    message: 'Execution failed: agent crashed',
    retryable: false,
    cancellation: false,
    config: false,
  },
  Cancelled: {
    error: RunErrors.cancelled('user asked'),
    message: 'Cancelled: user asked',
    retryable: false,
    cancellation: true,
    config: false,
  },
  Timeout: {
    error: RunErrors.timeout(30_000),
    message: 'Timeout after 30s',
    retryable: true,
    cancellation: false,
    config: false,
  },
  WorkerTimeout: {
    error: RunErrors.workerTimeout('summariser', 250),
    message: "Worker 'summariser' timed out after 250ms",
    retryable: true,
    cancellation: false,
    config: false,
  },
  InvalidConfig: {
    error: RunErrors.invalidConfig('swarms are not supported'),
    message: 'Invalid config: swarms are not supported',
    retryable: false,
    cancellation: false,
    config: true,
  },
  RuntimeError: {
    error: RunErrors.runtimeError('socket hang up'),
    message: 'Runtime error: socket hang up',
    retryable: true,
    cancellation: false,
    config: false,
  },
  ArtifactError: {
    error: RunErrors.artifactError('disk full'),
    message: 'Artifact error: disk full',
    retryable: false,
    cancellation: false,
    config: false,
  },
  NotFound: {
    error: RunErrors.notFound('agent', 'echo'),
    message: "Not found: agent 'echo'",
    retryable: false,
    cancellation: false,
    config: false,
  },
  PatternError: {
    error: RunErrors.patternError('sequence', 'step-2', 'no output'),
    message: "Pattern 'sequence' error in step 'step-2': no output",
    retryable: true,
    cancellation: false,
    config: false,
  },
  ValidationError: {
    error: RunErrors.validationError('name is required'),
    message: 'Agent spec validation failed: name is required',
    retryable: false,
    cancellation: false,
    config: true,
  },
};

describe('RunError', () => {
  const cases = Object.entries(RUN_ERROR_CASES) as [RunErrorKind, RunErrorCase][];

  it('has one case per factory, and each factory builds its own variant', () => {
    expect(Object.keys(RunErrors).sort()).toEqual(cases.map(([kind]) => factoryName(kind)).sort());
    for (const [kind, { error }] of cases) expect(error.kind).toBe(kind);
  });

  it.each(cases)('%s: message as the seed displays it', (_kind, { error, message }) => {
    expect(runErrorMessage(error)).toBe(message);
  });

  it.each(cases)(
    '%s: classification (retryable, cancellation, config)',
    (_kind, { error, retryable, cancellation, config }) => {
      expect({
        retryable: isRetryableRunError(error),
        cancellation: isCancellationRunError(error),
        config: isConfigRunError(error),
      }).toEqual({ retryable, cancellation, config });
    },
  );

  it('keeps the factory arguments as plain, serialisable data', () => {
    const error = RunErrors.patternError('sequence', 'step-2', 'no output');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      kind: 'PatternError',
      pattern: 'sequence',
      step: 'step-2',
      message: 'no output',
    });
    expect(RunErrors.workerTimeout('w', 1500)).toEqual({ kind: 'WorkerTimeout', worker: 'w', afterMs: 1500 });
    expect(RunErrors.notFound('run', 'r1')).toEqual({ kind: 'NotFound', resourceType: 'run', id: 'r1' });
  });

  it('renders durations through formatDuration', () => {
    expect(runErrorMessage(RunErrors.timeout(45_000))).toBe(`Timeout after ${formatDuration(45_000)}`);
    expect(runErrorMessage(RunErrors.workerTimeout('w', 999))).toBe(
      `Worker 'w' timed out after ${formatDuration(999)}`,
    );
  });
});

interface StepErrorCase {
  readonly error: StepError;
  readonly message: string;
  readonly retryable: boolean;
  readonly cancellation: boolean;
}

const STEP_ERROR_CASES: Record<StepErrorKind, StepErrorCase> = {
  AgentFailed: {
    error: StepErrors.agentFailed('task failed'),
    message: 'Agent failed: task failed',
    retryable: false,
    cancellation: false,
  },
  InvalidInput: {
    error: StepErrors.invalidInput('empty message'),
    message: 'Invalid input: empty message',
    retryable: false,
    cancellation: false,
  },
  OutputFailed: {
    error: StepErrors.outputFailed('no task state'),
    message: 'Output failed: no task state',
    retryable: false,
    cancellation: false,
  },
  Timeout: {
    error: StepErrors.timeout(5_000),
    message: 'Timeout after 5s',
    retryable: true,
    cancellation: false,
  },
  Cancelled: {
    error: StepErrors.cancelled('run cancelled'),
    message: 'Cancelled: run cancelled',
    retryable: false,
    cancellation: true,
  },
  PatternError: {
    error: StepErrors.patternError('parallel', 'worker lost'),
    message: "Pattern 'parallel' error: worker lost",
    retryable: true,
    cancellation: false,
  },
};

describe('StepError', () => {
  const cases = Object.entries(STEP_ERROR_CASES) as [StepErrorKind, StepErrorCase][];

  it('has one case per factory, and each factory builds its own variant', () => {
    expect(Object.keys(StepErrors).sort()).toEqual(cases.map(([kind]) => factoryName(kind)).sort());
    for (const [kind, { error }] of cases) expect(error.kind).toBe(kind);
  });

  it.each(cases)('%s: message as the seed displays it', (_kind, { error, message }) => {
    expect(stepErrorMessage(error)).toBe(message);
  });

  it.each(cases)(
    '%s: classification (retryable, cancellation)',
    (_kind, { error, retryable, cancellation }) => {
      expect({
        retryable: isRetryableStepError(error),
        cancellation: isCancellationStepError(error),
      }).toEqual({ retryable, cancellation });
    },
  );

  it('renders a sub-second timeout in milliseconds', () => {
    expect(stepErrorMessage(StepErrors.timeout(750))).toBe('Timeout after 750ms');
  });
});
