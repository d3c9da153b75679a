/**
 * The proto codec: every RunError and StepError variant survives a round trip through the proto shape,
 * with the classification flags computed by the domain, timestamps keep their milliseconds, and the
 * trace of a run and of a step maps to the flat trace fields and back (absent stays absent).
 */
import { describe, expect, it } from 'vitest';
import {
  RunErrors,
  StepErrors,
  runErrorMessage,
  type RunError,
  type StepError,
} from '../../../src/domain/run-error.js';
import {
  fromProtoRun,
  fromProtoRunError,
  fromProtoStep,
  fromProtoStepError,
  fromTimestamp,
  toProtoRun,
  toProtoRunError,
  toProtoStep,
  toProtoStepError,
  toTimestamp,
} from '../../../src/transport/grpc/codec.js';
import { RUN_SPAN_ID, STEP_SPAN_ID, TRACE_ID, sampleRun, sampleStep } from './fixtures.js';

/** The proto-loader output shape of a message we built: int64s as strings, every field present. */
function asOutput<T>(message: T): Required<T> {
  return message as Required<T>;
}

const RUN_ERRORS: [RunError, { retryable: boolean; cancellation: boolean; configError: boolean }][] = [
  [RunErrors.startupFailed('no'), { retryable: false, cancellation: false, configError: false }],
  [RunErrors.executionFailed('x'), { retryable: false, cancellation: false, configError: false }],
  [RunErrors.cancelled('stop'), { retryable: false, cancellation: true, configError: false }],
  [RunErrors.timeout(30_000), { retryable: true, cancellation: false, configError: false }],
  [
    RunErrors.workerTimeout('w', 1500),
    {
      retryable: true,
      cancellation: false,
      configError: false,
    },
  ],
  [RunErrors.invalidConfig('bad'), { retryable: false, cancellation: false, configError: true }],
  [RunErrors.runtimeError('r'), { retryable: true, cancellation: false, configError: false }],
  [RunErrors.artifactError('a'), { retryable: false, cancellation: false, configError: false }],
  [RunErrors.notFound('agent', 'ghost'), { retryable: false, cancellation: false, configError: false }],
  [
    RunErrors.patternError('seq', 's1', 'm'),
    {
      retryable: true,
      cancellation: false,
      configError: false,
    },
  ],
  [RunErrors.validationError('v'), { retryable: false, cancellation: false, configError: true }],
];

const STEP_ERRORS: StepError[] = [
  StepErrors.agentFailed('a'),
  StepErrors.invalidInput('i'),
  StepErrors.outputFailed('o'),
  StepErrors.timeout(2000),
  StepErrors.cancelled('c'),
  StepErrors.patternError('p', 'm'),
];

describe('codec', () => {
  it.each(RUN_ERRORS)('RunError %o round-trips with its classification', (error, expected) => {
    const proto = toProtoRunError(error);
    expect(proto).toMatchObject({ kind: error.kind, ...expected, message: runErrorMessage(error) });
    expect(fromProtoRunError(asOutput(proto) as never)).toEqual(error);
  });

  it.each(STEP_ERRORS)('StepError %o round-trips', (error) => {
    const proto = toProtoStepError(error);
    expect(proto.cancellation).toBe(error.kind === 'Cancelled');
    expect(proto.retryable).toBe(error.kind === 'Timeout' || error.kind === 'PatternError');
    expect(fromProtoStepError(asOutput(proto) as never)).toEqual(error);
  });

  it('timestamps keep milliseconds, including before 1970', () => {
    for (const iso of ['2025-01-02T03:04:05.678Z', '1969-12-31T23:59:59.001Z', '1970-01-01T00:00:00.000Z']) {
      expect(fromTimestamp(asOutput(toTimestamp(iso)!) as never)).toBe(iso);
    }
    expect(toTimestamp(undefined)).toBeNull();
  });

  it('carries the trace of a run and of a step as flat fields, both ways', () => {
    const run = sampleRun();
    const protoRun = toProtoRun(run);
    expect(protoRun).toMatchObject({ traceId: TRACE_ID, spanId: RUN_SPAN_ID, traceFlags: 1 });
    expect(fromProtoRun(asOutput(protoRun) as never).trace).toStrictEqual(run.trace);
    const step = sampleStep();
    const protoStep = toProtoStep(step);
    expect(protoStep).toMatchObject({ traceId: TRACE_ID, spanId: STEP_SPAN_ID, traceFlags: 1 });
    expect(fromProtoStep(asOutput(protoStep) as never).trace).toStrictEqual(step.trace);
  });

  it("carries a run's idempotency key both ways, and none as an empty string", () => {
    const run = sampleRun();
    expect(toProtoRun(run).idempotencyKey).toBe('order-42');
    expect(fromProtoRun(asOutput(toProtoRun(run)) as never).idempotencyKey).toBe('order-42');
    const { idempotencyKey: _k, ...unkeyed } = run;
    expect(toProtoRun(unkeyed).idempotencyKey).toBe('');
    expect(fromProtoRun(asOutput(toProtoRun(unkeyed)) as never)).not.toHaveProperty('idempotencyKey');
  });

  it('keeps an unsampled trace (flags 0), and an untraced record without a trace', () => {
    const unsampled = sampleRun({ trace: { traceId: TRACE_ID, spanId: RUN_SPAN_ID, traceFlags: 0 } });
    expect(fromProtoRun(asOutput(toProtoRun(unsampled)) as never).trace).toStrictEqual(unsampled.trace);
    const { trace: _r, ...untracedRun } = sampleRun();
    const protoRun = toProtoRun(untracedRun);
    expect(protoRun).toMatchObject({ traceId: '', spanId: '', traceFlags: 0 });
    expect(fromProtoRun(asOutput(protoRun) as never)).not.toHaveProperty('trace');
    const { trace: _s, ...untracedStep } = sampleStep();
    expect(fromProtoStep(asOutput(toProtoStep(untracedStep)) as never)).not.toHaveProperty('trace');
  });
});
