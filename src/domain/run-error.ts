/**
 * `RunError` and `StepError`: the seed's error variants as tagged unions of plain data (so they
 * serialise into stores and APIs unchanged), with the seed's messages and its classifications
 * (`isRetryable`, `isCancellation`, `isConfigError`) kept exactly.
 */

/** Formats a duration as the seed's messages do (Rust's `Duration` debug form): `0ns`, `250ms`, `1.5s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0ns';
  return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}

export type RunError =
  | { readonly kind: 'StartupFailed'; readonly message: string }
  | { readonly kind: 'ExecutionFailed'; readonly message: string }
  | { readonly kind: 'Cancelled'; readonly reason: string }
  | { readonly kind: 'Timeout'; readonly afterMs: number }
  | { readonly kind: 'WorkerTimeout'; readonly worker: string; readonly afterMs: number }
  | { readonly kind: 'InvalidConfig'; readonly message: string }
  | { readonly kind: 'RuntimeError'; readonly message: string }
  | { readonly kind: 'ArtifactError'; readonly message: string }
  | { readonly kind: 'NotFound'; readonly resourceType: string; readonly id: string }
  | {
      readonly kind: 'PatternError';
      readonly pattern: string;
      readonly step: string;
      readonly message: string;
    }
  | { readonly kind: 'ValidationError'; readonly message: string };

export type RunErrorKind = RunError['kind'];

export const RunErrors = {
  startupFailed: (message: string): RunError => ({ kind: 'StartupFailed', message }),
  executionFailed: (message: string): RunError => ({ kind: 'ExecutionFailed', message }),
  cancelled: (reason: string): RunError => ({ kind: 'Cancelled', reason }),
  timeout: (afterMs: number): RunError => ({ kind: 'Timeout', afterMs }),
  workerTimeout: (worker: string, afterMs: number): RunError => ({ kind: 'WorkerTimeout', worker, afterMs }),
  invalidConfig: (message: string): RunError => ({ kind: 'InvalidConfig', message }),
  runtimeError: (message: string): RunError => ({ kind: 'RuntimeError', message }),
  artifactError: (message: string): RunError => ({ kind: 'ArtifactError', message }),
  notFound: (resourceType: string, id: string): RunError => ({ kind: 'NotFound', resourceType, id }),
  patternError: (pattern: string, step: string, message: string): RunError => ({
    kind: 'PatternError',
    pattern,
    step,
    message,
  }),
  validationError: (message: string): RunError => ({ kind: 'ValidationError', message }),
} as const;

/** The seed's display text for each variant. */
export function runErrorMessage(error: RunError): string {
  switch (error.kind) {
    case 'StartupFailed':
      return `Startup failed: ${error.message}`;
    case 'ExecutionFailed':
      return `Execution failed: ${error.message}`;
    case 'Cancelled':
      return `Cancelled: ${error.reason}`;
    case 'Timeout':
      return `Timeout after ${formatDuration(error.afterMs)}`;
    case 'WorkerTimeout':
      return `Worker '${error.worker}' timed out after ${formatDuration(error.afterMs)}`;
    case 'InvalidConfig':
      return `Invalid config: ${error.message}`;
    case 'RuntimeError':
      return `Runtime error: ${error.message}`;
    case 'ArtifactError':
      return `Artifact error: ${error.message}`;
    case 'NotFound':
      return `Not found: ${error.resourceType} '${error.id}'`;
    case 'PatternError':
      return `Pattern '${error.pattern}' error in step '${error.step}': ${error.message}`;
    case 'ValidationError':
      return `Agent spec validation failed: ${error.message}`;
  }
}

/** Retryable: Timeout, WorkerTimeout, RuntimeError, PatternError (the seed's list). */
export function isRetryableRunError(error: RunError): boolean {
  return (
    error.kind === 'Timeout' ||
    error.kind === 'WorkerTimeout' ||
    error.kind === 'RuntimeError' ||
    error.kind === 'PatternError'
  );
}

export function isCancellationRunError(error: RunError): boolean {
  return error.kind === 'Cancelled';
}

export function isConfigRunError(error: RunError): boolean {
  return error.kind === 'InvalidConfig' || error.kind === 'ValidationError';
}

export type StepError =
  | { readonly kind: 'AgentFailed'; readonly message: string }
  | { readonly kind: 'InvalidInput'; readonly message: string }
  | { readonly kind: 'OutputFailed'; readonly message: string }
  | { readonly kind: 'Timeout'; readonly afterMs: number }
  | { readonly kind: 'Cancelled'; readonly reason: string }
  | { readonly kind: 'PatternError'; readonly pattern: string; readonly message: string };

export type StepErrorKind = StepError['kind'];

export const StepErrors = {
  agentFailed: (message: string): StepError => ({ kind: 'AgentFailed', message }),
  invalidInput: (message: string): StepError => ({ kind: 'InvalidInput', message }),
  outputFailed: (message: string): StepError => ({ kind: 'OutputFailed', message }),
  timeout: (afterMs: number): StepError => ({ kind: 'Timeout', afterMs }),
  cancelled: (reason: string): StepError => ({ kind: 'Cancelled', reason }),
  patternError: (pattern: string, message: string): StepError => ({ kind: 'PatternError', pattern, message }),
} as const;

export function stepErrorMessage(error: StepError): string {
  switch (error.kind) {
    case 'AgentFailed':
      return `Agent failed: ${error.message}`;
    case 'InvalidInput':
      return `Invalid input: ${error.message}`;
    case 'OutputFailed':
      return `Output failed: ${error.message}`;
    case 'Timeout':
      return `Timeout after ${formatDuration(error.afterMs)}`;
    case 'Cancelled':
      return `Cancelled: ${error.reason}`;
    case 'PatternError':
      return `Pattern '${error.pattern}' error: ${error.message}`;
  }
}

/** Retryable: Timeout, PatternError (the seed's list). */
export function isRetryableStepError(error: StepError): boolean {
  return error.kind === 'Timeout' || error.kind === 'PatternError';
}

export function isCancellationStepError(error: StepError): boolean {
  return error.kind === 'Cancelled';
}
