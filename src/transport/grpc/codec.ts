/**
 * Conversions between the domain model (src/domain, src/app/services.ts) and the gateway's proto messages
 * (proto/bzzz/gateway/v1/gateway.proto, as @grpc/proto-loader represents them with PROTO_LOADER_OPTIONS).
 * Both directions live here so the server, the client and the CLI agree: `to*` builds a proto message
 * from a domain value, `from*` rebuilds the domain value. Request validation is in `requests.ts`.
 */
import type { PublicAgentView } from '../../domain/agent.js';
import type { Part, RunInput } from '../../domain/part.js';
import {
  isCancellationRunError,
  isCancellationStepError,
  isConfigRunError,
  isRetryableRunError,
  isRetryableStepError,
  runErrorMessage,
  stepErrorMessage,
  type RunError,
  type StepError,
} from '../../domain/run-error.js';
import type { RemoteTaskRef, Run, RunStatus, RunTarget, RuntimeKind, TraceRef } from '../../domain/run.js';
import type { Session, SessionStatus } from '../../domain/session.js';
import type { Step, StepStatus } from '../../domain/step.js';
import type { AgentHealth } from '../../domain/agent.js';
import type { ArtifactMeta, RunDetails, RunWatchEvent, SessionDetails } from '../../app/services.js';
import type { Agent as ProtoAgent, Agent__Output } from './generated/bzzz/gateway/v1/Agent.js';
import type { AgentHealth__Output } from './generated/bzzz/gateway/v1/AgentHealth.js';
import type { Artifact as ProtoArtifact, Artifact__Output } from './generated/bzzz/gateway/v1/Artifact.js';
import type { ArtifactStorage__Output } from './generated/bzzz/gateway/v1/ArtifactStorage.js';
import type { Part as ProtoPart, Part__Output } from './generated/bzzz/gateway/v1/Part.js';
import type { Run as ProtoRun, Run__Output } from './generated/bzzz/gateway/v1/Run.js';
import type {
  RunDetails as ProtoRunDetails,
  RunDetails__Output,
} from './generated/bzzz/gateway/v1/RunDetails.js';
import type { RunError as ProtoRunError, RunError__Output } from './generated/bzzz/gateway/v1/RunError.js';
import type { RunEvent as ProtoRunEvent, RunEvent__Output } from './generated/bzzz/gateway/v1/RunEvent.js';
import type { RunInput as ProtoRunInput, RunInput__Output } from './generated/bzzz/gateway/v1/RunInput.js';
import type { RunStatus__Output } from './generated/bzzz/gateway/v1/RunStatus.js';
import type {
  RunTarget as ProtoRunTarget,
  RunTarget__Output,
} from './generated/bzzz/gateway/v1/RunTarget.js';
import type { RuntimeKind__Output } from './generated/bzzz/gateway/v1/RuntimeKind.js';
import type { Session as ProtoSession, Session__Output } from './generated/bzzz/gateway/v1/Session.js';
import type {
  SessionDetails as ProtoSessionDetails,
  SessionDetails__Output,
} from './generated/bzzz/gateway/v1/SessionDetails.js';
import type { SessionStatus__Output } from './generated/bzzz/gateway/v1/SessionStatus.js';
import type { Step as ProtoStep, Step__Output } from './generated/bzzz/gateway/v1/Step.js';
import type {
  StepError as ProtoStepError,
  StepError__Output,
} from './generated/bzzz/gateway/v1/StepError.js';
import type { StepStatus__Output } from './generated/bzzz/gateway/v1/StepStatus.js';
import type { Struct, Struct__Output } from './generated/google/protobuf/Struct.js';
import type { Timestamp, Timestamp__Output } from './generated/google/protobuf/Timestamp.js';
import type { Value, Value__Output } from './generated/google/protobuf/Value.js';

// ---------------------------------------------------------------------------------------------------
// Enums: one typed table per enum, inverted for the other direction.

function invert<K extends string, V extends string>(table: Record<K, V>): Record<V, K> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k])) as Record<V, K>;
}

/** Domain run status → proto enum name. */
export const RUN_STATUS_TO_PROTO = {
  pending: 'RUN_STATUS_PENDING',
  running: 'RUN_STATUS_RUNNING',
  input_required: 'RUN_STATUS_INPUT_REQUIRED',
  auth_required: 'RUN_STATUS_AUTH_REQUIRED',
  completed: 'RUN_STATUS_COMPLETED',
  failed: 'RUN_STATUS_FAILED',
  cancelled: 'RUN_STATUS_CANCELLED',
  timeout: 'RUN_STATUS_TIMEOUT',
} as const satisfies Record<RunStatus, RunStatus__Output>;
/** Proto run status enum name → domain status (no entry for UNSPECIFIED). */
export const RUN_STATUS_FROM_PROTO: Readonly<Partial<Record<RunStatus__Output, RunStatus>>> =
  invert(RUN_STATUS_TO_PROTO);

const RUNTIME_KIND_TO_PROTO = {
  local: 'RUNTIME_KIND_LOCAL',
  docker: 'RUNTIME_KIND_DOCKER',
  http: 'RUNTIME_KIND_HTTP',
  cloud: 'RUNTIME_KIND_CLOUD',
} as const satisfies Record<RuntimeKind, RuntimeKind__Output>;
const RUNTIME_KIND_FROM_PROTO: Readonly<Partial<Record<RuntimeKind__Output, RuntimeKind>>> =
  invert(RUNTIME_KIND_TO_PROTO);

const STEP_STATUS_TO_PROTO = {
  pending: 'STEP_STATUS_PENDING',
  running: 'STEP_STATUS_RUNNING',
  completed: 'STEP_STATUS_COMPLETED',
  failed: 'STEP_STATUS_FAILED',
  skipped: 'STEP_STATUS_SKIPPED',
  cancelled: 'STEP_STATUS_CANCELLED',
} as const satisfies Record<StepStatus, StepStatus__Output>;
const STEP_STATUS_FROM_PROTO: Readonly<Partial<Record<StepStatus__Output, StepStatus>>> =
  invert(STEP_STATUS_TO_PROTO);

/** Domain session status → proto enum name. */
export const SESSION_STATUS_TO_PROTO = {
  active: 'SESSION_STATUS_ACTIVE',
  ended: 'SESSION_STATUS_ENDED',
  cancelled: 'SESSION_STATUS_CANCELLED',
} as const satisfies Record<SessionStatus, SessionStatus__Output>;
/** Proto session status enum name → domain status (no entry for UNSPECIFIED). */
export const SESSION_STATUS_FROM_PROTO: Readonly<Partial<Record<SessionStatus__Output, SessionStatus>>> =
  invert(SESSION_STATUS_TO_PROTO);

const AGENT_HEALTH_TO_PROTO = {
  unknown: 'AGENT_HEALTH_UNKNOWN',
  healthy: 'AGENT_HEALTH_HEALTHY',
  unhealthy: 'AGENT_HEALTH_UNHEALTHY',
} as const satisfies Record<AgentHealth, AgentHealth__Output>;
const AGENT_HEALTH_FROM_PROTO: Readonly<Partial<Record<AgentHealth__Output, AgentHealth>>> =
  invert(AGENT_HEALTH_TO_PROTO);

type StorageKind = ArtifactMeta['storage'];
const STORAGE_TO_PROTO = {
  local: 'ARTIFACT_STORAGE_LOCAL',
  http: 'ARTIFACT_STORAGE_HTTP',
  cloudStorage: 'ARTIFACT_STORAGE_CLOUD_STORAGE',
  inline: 'ARTIFACT_STORAGE_INLINE',
} as const satisfies Record<StorageKind, ArtifactStorage__Output>;
const STORAGE_FROM_PROTO: Readonly<Partial<Record<ArtifactStorage__Output, StorageKind>>> =
  invert(STORAGE_TO_PROTO);

// ---------------------------------------------------------------------------------------------------
// Well-known types
//
// int64 fields are given as numbers (every value here is a safe integer): protobufjs parses an int64
// given as a string with Long.fromString, field by field, on every message sent.

/** ISO-8601 timestamp → google.protobuf.Timestamp; unset stays unset (null). */
export function toTimestamp(iso: string | undefined): Timestamp | null {
  if (iso === undefined) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** google.protobuf.Timestamp → ISO-8601 with milliseconds; null stays undefined. */
export function fromTimestamp(ts: Timestamp__Output | null | undefined): string | undefined {
  if (ts === null || ts === undefined) return undefined;
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000)).toISOString();
}

/** Any JSON-like value → google.protobuf.Value (undefined, symbols and functions become null; bigints strings). */
export function toValue(value: unknown): Value {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  if (typeof value === 'object') return { structValue: toStruct(value as Record<string, unknown>) };
  if (typeof value === 'bigint') return { stringValue: value.toString() };
  // Symbols and functions have no JSON form (JSON.stringify drops them too).
  return { nullValue: 'NULL_VALUE' };
}

export function fromValue(value: Value__Output | null | undefined): unknown {
  switch (value?.kind) {
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'listValue':
      return (value.listValue?.values ?? []).map(fromValue);
    case 'structValue':
      return fromStruct(value.structValue) ?? {};
    default:
      return null;
  }
}

export function toStruct(object: Readonly<Record<string, unknown>>): Struct {
  return { fields: Object.fromEntries(Object.entries(object).map(([k, v]) => [k, toValue(v)])) };
}

/** A Struct → a plain object; null stays undefined. */
export function fromStruct(struct: Struct__Output | null | undefined): Record<string, unknown> | undefined {
  if (struct === null || struct === undefined) return undefined;
  return Object.fromEntries(Object.entries(struct.fields).map(([k, v]) => [k, fromValue(v)]));
}

function optionalStruct(object: Readonly<Record<string, unknown>> | undefined): Struct | null {
  return object === undefined ? null : toStruct(object);
}

/** Empty proto strings mean "unset". */
function optionalString(value: string): string | undefined {
  return value === '' ? undefined : value;
}

/** int64 fields (strings with longs: String) where 0 means "unset". */
function optionalInt(value: string): number | undefined {
  const n = Number(value);
  return n === 0 || Number.isNaN(n) ? undefined : n;
}

// ---------------------------------------------------------------------------------------------------
// Content

export function toProtoPart(part: Part): ProtoPart {
  const common: ProtoPart = {
    mediaType: part.mediaType ?? '',
    filename: part.filename ?? '',
    metadata: optionalStruct(part.metadata),
  };
  if ('text' in part) return { ...common, text: part.text };
  if ('raw' in part) return { ...common, raw: Buffer.from(part.raw, 'base64') };
  if ('url' in part) return { ...common, url: part.url };
  return { ...common, data: toValue(part.data) };
}

export function fromProtoPart(part: Part__Output): Part {
  const common = {
    ...(part.mediaType !== '' && { mediaType: part.mediaType }),
    ...(part.filename !== '' && { filename: part.filename }),
    ...(part.metadata !== null && { metadata: fromStruct(part.metadata) ?? {} }),
  };
  switch (part.content) {
    case 'raw':
      return { ...common, raw: Buffer.from(part.raw ?? Buffer.alloc(0)).toString('base64') };
    case 'url':
      return { ...common, url: part.url ?? '' };
    case 'data':
      return { ...common, data: fromValue(part.data) };
    default:
      return { ...common, text: part.text ?? '' };
  }
}

export function toProtoRunInput(input: RunInput): ProtoRunInput {
  return { parts: input.parts.map(toProtoPart), metadata: optionalStruct(input.metadata) };
}

export function fromProtoRunInput(input: RunInput__Output): RunInput {
  const metadata = fromStruct(input.metadata);
  return { parts: input.parts.map(fromProtoPart), ...(metadata !== undefined && { metadata }) };
}

// ---------------------------------------------------------------------------------------------------
// Runs

export function toProtoTarget(target: RunTarget): ProtoRunTarget {
  switch (target.kind) {
    case 'agent':
      return { agent: { name: target.name } };
    case 'swarm':
      return { swarm: { swarmfilePath: target.swarmfilePath } };
    case 'a2aAgent':
      return { a2aAgent: { url: target.url } };
  }
}

/** Undefined when no target is set. */
export function fromProtoTarget(target: RunTarget__Output | null): RunTarget | undefined {
  switch (target?.kind) {
    case 'agent':
      return { kind: 'agent', name: target.agent?.name ?? '' };
    case 'swarm':
      return { kind: 'swarm', swarmfilePath: target.swarm?.swarmfilePath ?? '' };
    case 'a2aAgent':
      return { kind: 'a2aAgent', url: target.a2aAgent?.url ?? '' };
    default:
      return undefined;
  }
}

/** The variant's fields flattened, with the classification computed by the domain. */
export function toProtoRunError(error: RunError): ProtoRunError {
  return {
    kind: error.kind,
    message: runErrorMessage(error),
    retryable: isRetryableRunError(error),
    cancellation: isCancellationRunError(error),
    configError: isConfigRunError(error),
    detail: 'message' in error ? error.message : '',
    reason: 'reason' in error ? error.reason : '',
    afterMs: 'afterMs' in error ? error.afterMs : 0,
    worker: 'worker' in error ? error.worker : '',
    resourceType: error.kind === 'NotFound' ? error.resourceType : '',
    resourceId: error.kind === 'NotFound' ? error.id : '',
    pattern: 'pattern' in error ? error.pattern : '',
    step: 'step' in error ? error.step : '',
  };
}

export function fromProtoRunError(error: RunError__Output): RunError {
  const afterMs = Number(error.afterMs);
  switch (error.kind) {
    case 'StartupFailed':
    case 'ExecutionFailed':
    case 'InvalidConfig':
    case 'RuntimeError':
    case 'ArtifactError':
    case 'ValidationError':
      return { kind: error.kind, message: error.detail };
    case 'Cancelled':
      return { kind: 'Cancelled', reason: error.reason };
    case 'Timeout':
      return { kind: 'Timeout', afterMs };
    case 'WorkerTimeout':
      return { kind: 'WorkerTimeout', worker: error.worker, afterMs };
    case 'NotFound':
      return { kind: 'NotFound', resourceType: error.resourceType, id: error.resourceId };
    case 'PatternError':
      return { kind: 'PatternError', pattern: error.pattern, step: error.step, message: error.detail };
    default:
      // A variant this client does not know: keep its display text.
      return { kind: 'ExecutionFailed', message: error.message };
  }
}

export function toProtoStepError(error: StepError): ProtoStepError {
  return {
    kind: error.kind,
    message: stepErrorMessage(error),
    retryable: isRetryableStepError(error),
    cancellation: isCancellationStepError(error),
    detail: 'message' in error ? error.message : '',
    reason: 'reason' in error ? error.reason : '',
    afterMs: 'afterMs' in error ? error.afterMs : 0,
    pattern: 'pattern' in error ? error.pattern : '',
  };
}

export function fromProtoStepError(error: StepError__Output): StepError {
  switch (error.kind) {
    case 'AgentFailed':
    case 'InvalidInput':
    case 'OutputFailed':
      return { kind: error.kind, message: error.detail };
    case 'Timeout':
      return { kind: 'Timeout', afterMs: Number(error.afterMs) };
    case 'Cancelled':
      return { kind: 'Cancelled', reason: error.reason };
    case 'PatternError':
      return { kind: 'PatternError', pattern: error.pattern, message: error.detail };
    default:
      return { kind: 'AgentFailed', message: error.message };
  }
}

/** The flat trace fields of Run and Step; all empty for an untraced record. */
interface ProtoTraceFields {
  traceId: string;
  spanId: string;
  traceFlags: number;
}

function toProtoTrace(trace: TraceRef | undefined): ProtoTraceFields {
  return trace === undefined
    ? { traceId: '', spanId: '', traceFlags: 0 }
    : { traceId: trace.traceId, spanId: trace.spanId, traceFlags: trace.traceFlags };
}

/** An empty trace id means untraced (the flags alone cannot say: 0 is a valid, unsampled trace). */
function fromProtoTrace(fields: ProtoTraceFields): TraceRef | undefined {
  return fields.traceId === ''
    ? undefined
    : { traceId: fields.traceId, spanId: fields.spanId, traceFlags: fields.traceFlags };
}

export function toProtoRun(run: Run): ProtoRun {
  return {
    id: run.id,
    tenant: run.tenant,
    status: RUN_STATUS_TO_PROTO[run.status],
    target: toProtoTarget(run.target),
    runtimeKind: RUNTIME_KIND_TO_PROTO[run.runtimeKind],
    sessionId: run.sessionId ?? '',
    createdAt: toTimestamp(run.createdAt),
    startedAt: toTimestamp(run.startedAt),
    finishedAt: toTimestamp(run.finishedAt),
    timeoutMs: run.timeoutMs ?? 0,
    error: run.error === undefined ? null : toProtoRunError(run.error),
    artifactIds: [...run.artifactIds],
    input: run.input === undefined ? null : toProtoRunInput(run.input),
    remote:
      run.remote === undefined
        ? null
        : {
            taskId: run.remote.taskId ?? '',
            contextId: run.remote.contextId ?? '',
            state: run.remote.state ?? '',
          },
    version: run.version,
    updatedAt: toTimestamp(run.updatedAt),
    ...toProtoTrace(run.trace),
    idempotencyKey: run.idempotencyKey ?? '',
  };
}

export function fromProtoRun(run: Run__Output): Run {
  const remote: RemoteTaskRef | undefined =
    run.remote === null
      ? undefined
      : {
          ...(run.remote.taskId !== '' && { taskId: run.remote.taskId }),
          ...(run.remote.contextId !== '' && { contextId: run.remote.contextId }),
          ...(run.remote.state !== '' && { state: run.remote.state }),
        };
  const optional = {
    sessionId: optionalString(run.sessionId),
    startedAt: fromTimestamp(run.startedAt),
    finishedAt: fromTimestamp(run.finishedAt),
    timeoutMs: optionalInt(run.timeoutMs),
    error: run.error === null ? undefined : fromProtoRunError(run.error),
    input: run.input === null ? undefined : fromProtoRunInput(run.input),
    remote,
    trace: fromProtoTrace(run),
    idempotencyKey: optionalString(run.idempotencyKey),
  };
  return {
    id: run.id,
    tenant: run.tenant,
    status: RUN_STATUS_FROM_PROTO[run.status] ?? 'pending',
    target: fromProtoTarget(run.target) ?? { kind: 'agent', name: '' },
    runtimeKind: RUNTIME_KIND_FROM_PROTO[run.runtimeKind] ?? 'http',
    createdAt: fromTimestamp(run.createdAt) ?? '',
    artifactIds: [...run.artifactIds],
    version: Number(run.version),
    updatedAt: fromTimestamp(run.updatedAt) ?? '',
    ...withoutUndefined(optional),
  };
}

/** Drops undefined members, so optional fields are absent rather than present-and-undefined. */
function withoutUndefined<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function toProtoStep(step: Step): ProtoStep {
  return {
    id: step.id,
    runId: step.runId,
    index: step.index,
    status: STEP_STATUS_TO_PROTO[step.status],
    name: step.name,
    agent: step.agent,
    createdAt: toTimestamp(step.createdAt),
    startedAt: toTimestamp(step.startedAt),
    finishedAt: toTimestamp(step.finishedAt),
    error: step.error === undefined ? null : toProtoStepError(step.error),
    outputArtifactIds: [...step.outputArtifactIds],
    remote:
      step.remote === undefined
        ? null
        : {
            method: step.remote.method,
            taskId: step.remote.taskId ?? '',
            state: step.remote.state ?? '',
            statusMessage: step.remote.statusMessage ?? '',
            eventCount: step.remote.eventCount,
          },
    ...toProtoTrace(step.trace),
  };
}

export function fromProtoStep(step: Step__Output): Step {
  const remote =
    step.remote === null
      ? undefined
      : {
          method: step.remote.method,
          eventCount: Number(step.remote.eventCount),
          ...withoutUndefined({
            taskId: optionalString(step.remote.taskId),
            state: optionalString(step.remote.state),
            statusMessage: optionalString(step.remote.statusMessage),
          }),
        };
  return {
    id: step.id,
    runId: step.runId,
    index: step.index,
    status: STEP_STATUS_FROM_PROTO[step.status] ?? 'pending',
    name: step.name,
    agent: step.agent,
    createdAt: fromTimestamp(step.createdAt) ?? '',
    outputArtifactIds: [...step.outputArtifactIds],
    ...withoutUndefined({
      startedAt: fromTimestamp(step.startedAt),
      finishedAt: fromTimestamp(step.finishedAt),
      error: step.error === null ? undefined : fromProtoStepError(step.error),
      remote,
      trace: fromProtoTrace(step),
    }),
  };
}

/** Artifact metadata; accepts a full artifact too (its location becomes the storage kind, no content). */
export function toProtoArtifact(
  artifact: ArtifactMeta | (Omit<ArtifactMeta, 'storage'> & { location: { kind: StorageKind } }),
): ProtoArtifact {
  const storage = 'storage' in artifact ? artifact.storage : artifact.location.kind;
  return {
    id: artifact.id,
    tenant: artifact.tenant,
    name: artifact.name,
    contentType: artifact.contentType,
    size: artifact.size,
    storage: STORAGE_TO_PROTO[storage],
    checksum: artifact.checksum === undefined ? null : { ...artifact.checksum },
    createdAt: toTimestamp(artifact.createdAt),
    sourceRunId: artifact.sourceRunId ?? '',
    sourceStepId: artifact.sourceStepId ?? '',
    remoteArtifactId: artifact.remoteArtifactId ?? '',
  };
}

export function fromProtoArtifact(artifact: Artifact__Output): ArtifactMeta {
  return {
    id: artifact.id,
    tenant: artifact.tenant,
    name: artifact.name,
    contentType: artifact.contentType,
    size: Number(artifact.size),
    storage: STORAGE_FROM_PROTO[artifact.storage] ?? 'inline',
    createdAt: fromTimestamp(artifact.createdAt) ?? '',
    ...withoutUndefined({
      checksum:
        artifact.checksum === null
          ? undefined
          : { algorithm: artifact.checksum.algorithm, value: artifact.checksum.value },
      sourceRunId: optionalString(artifact.sourceRunId),
      sourceStepId: optionalString(artifact.sourceStepId),
      remoteArtifactId: optionalString(artifact.remoteArtifactId),
    }),
  };
}

export function toProtoRunDetails(details: RunDetails): ProtoRunDetails {
  return {
    run: toProtoRun(details.run),
    steps: details.steps.map(toProtoStep),
    artifacts: details.artifacts.map(toProtoArtifact),
  };
}

export function fromProtoRunDetails(details: RunDetails__Output): RunDetails {
  if (details.run === null) throw new Error('RunDetails without a run');
  return {
    run: fromProtoRun(details.run),
    steps: details.steps.map(fromProtoStep),
    artifacts: details.artifacts.map(fromProtoArtifact),
  };
}

export function toProtoRunEvent(event: RunWatchEvent): ProtoRunEvent {
  const seq = event.seq;
  switch (event.type) {
    case 'snapshot':
      return { runId: event.details.run.id, seq, snapshot: toProtoRunDetails(event.details) };
    case 'run':
      return { runId: event.runId, seq, run: toProtoRun(event.run) };
    case 'step':
      return { runId: event.runId, seq, step: toProtoStep(event.step) };
    case 'artifact':
      return { runId: event.runId, seq, artifact: toProtoArtifact(event.artifact) };
  }
}

/**
 * A watch event as a client sees it: like `RunWatchEvent`, except that an artifact event carries the
 * artifact's metadata (with `storage`), never its location or content.
 */
export type ClientRunWatchEvent =
  | Exclude<RunWatchEvent, { type: 'artifact' }>
  | {
      readonly type: 'artifact';
      readonly runId: string;
      readonly seq: number;
      readonly artifact: ArtifactMeta;
    };

/** Undefined for an event kind this client does not know. */
export function fromProtoRunEvent(event: RunEvent__Output): ClientRunWatchEvent | undefined {
  const seq = Number(event.seq);
  const runId = event.runId;
  switch (event.event) {
    case 'snapshot':
      return event.snapshot
        ? { type: 'snapshot', seq, details: fromProtoRunDetails(event.snapshot) }
        : undefined;
    case 'run':
      return event.run ? { type: 'run', runId, seq, run: fromProtoRun(event.run) } : undefined;
    case 'step':
      return event.step ? { type: 'step', runId, seq, step: fromProtoStep(event.step) } : undefined;
    case 'artifact':
      return event.artifact
        ? { type: 'artifact', runId, seq, artifact: fromProtoArtifact(event.artifact) }
        : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Sessions

export function toProtoSession(session: Session): ProtoSession {
  return {
    id: session.id,
    tenant: session.tenant,
    status: SESSION_STATUS_TO_PROTO[session.status],
    name: session.name,
    createdAt: toTimestamp(session.createdAt),
    endedAt: toTimestamp(session.endedAt),
  };
}

export function fromProtoSession(session: Session__Output): Session {
  const endedAt = fromTimestamp(session.endedAt);
  return {
    id: session.id,
    tenant: session.tenant,
    status: SESSION_STATUS_FROM_PROTO[session.status] ?? 'active',
    name: session.name,
    createdAt: fromTimestamp(session.createdAt) ?? '',
    ...(endedAt !== undefined && { endedAt }),
  };
}

export function toProtoSessionDetails(details: SessionDetails): ProtoSessionDetails {
  return { session: toProtoSession(details.session), runIds: [...details.runIds] };
}

export function fromProtoSessionDetails(details: SessionDetails__Output): SessionDetails {
  if (details.session === null) throw new Error('SessionDetails without a session');
  return { session: fromProtoSession(details.session), runIds: [...details.runIds] };
}

// ---------------------------------------------------------------------------------------------------
// Agents

/** Picks the public fields one by one, so credentials can never reach the wire. */
export function toProtoAgent(agent: PublicAgentView): ProtoAgent {
  return {
    tenant: agent.tenant,
    name: agent.name,
    url: agent.url,
    cardUrl: agent.cardUrl,
    card: toStruct(agent.card),
    endpoint: {
      url: agent.endpoint.url,
      protocolBinding: agent.endpoint.protocolBinding,
      protocolVersion: agent.endpoint.protocolVersion,
      tenant: agent.endpoint.tenant ?? '',
    },
    labels: { ...agent.labels },
    health: AGENT_HEALTH_TO_PROTO[agent.health],
    healthReason: agent.healthReason ?? '',
    heartbeatTtlMs: String(agent.heartbeatTtlMs ?? 0),
    lastHeartbeatAt: toTimestamp(agent.lastHeartbeatAt),
    lastCheckedAt: toTimestamp(agent.lastCheckedAt),
    registeredAt: toTimestamp(agent.registeredAt),
    updatedAt: toTimestamp(agent.updatedAt),
    hasCredentials: agent.hasCredentials,
  };
}

export function fromProtoAgent(agent: Agent__Output): PublicAgentView {
  const endpoint = agent.endpoint;
  return {
    tenant: agent.tenant,
    name: agent.name,
    url: agent.url,
    cardUrl: agent.cardUrl,
    card: fromStruct(agent.card) ?? {},
    endpoint: {
      url: endpoint?.url ?? '',
      protocolBinding: endpoint?.protocolBinding ?? '',
      protocolVersion: endpoint?.protocolVersion ?? '',
      ...(endpoint !== null && endpoint.tenant !== '' && { tenant: endpoint.tenant }),
    },
    labels: { ...agent.labels },
    health: AGENT_HEALTH_FROM_PROTO[agent.health] ?? 'unknown',
    registeredAt: fromTimestamp(agent.registeredAt) ?? '',
    updatedAt: fromTimestamp(agent.updatedAt) ?? '',
    hasCredentials: agent.hasCredentials,
    ...withoutUndefined({
      healthReason: optionalString(agent.healthReason),
      heartbeatTtlMs: optionalInt(agent.heartbeatTtlMs),
      lastHeartbeatAt: fromTimestamp(agent.lastHeartbeatAt),
      lastCheckedAt: fromTimestamp(agent.lastCheckedAt),
    }),
  };
}
