/**
 * Validation of incoming gRPC requests with zod, turning proto-loader objects into the application
 * services' request types. A bad request fails with `INVALID_ARGUMENT` whose `details.field` names the
 * first offending field by its JSON (lowerCamelCase) path, e.g. `target` or `input.parts.0`.
 */
import { z } from 'zod';
import { invalidArgument } from '../../errors/gateway-error.js';
import type { AgentCredentials } from '../../domain/agent.js';
import type { RunInput } from '../../domain/part.js';
import {
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_RULE,
  type RunStatus,
  type RunTarget,
} from '../../domain/run.js';
import type { SessionStatus } from '../../domain/session.js';
import { MAX_RUN_WAIT_MS, type RegisterAgentRequest, type SubmitRunRequest } from '../../app/services.js';
import type { PageRequest, RunFilter, SessionFilter } from '../../store/store.js';
import {
  RUN_STATUS_FROM_PROTO,
  SESSION_STATUS_FROM_PROTO,
  fromProtoRunInput,
  fromProtoTarget,
  fromTimestamp,
} from './codec.js';
import type { RunInput__Output } from './generated/bzzz/gateway/v1/RunInput.js';
import type { RunStatus__Output } from './generated/bzzz/gateway/v1/RunStatus.js';
import type { RunTarget__Output } from './generated/bzzz/gateway/v1/RunTarget.js';
import type { SessionStatus__Output } from './generated/bzzz/gateway/v1/SessionStatus.js';

/** Largest accepted `timeout_ms` / `heartbeat_ttl_ms`: 30 days. */
const MAX_DURATION_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_NAME_LENGTH = 256;

const required = z.string().trim().min(1, 'required').max(MAX_NAME_LENGTH, 'too long');

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

/** An int64 (a string with longs: String) of milliseconds up to `max`; 0 means unset. */
const optionalMs = (max: number, tooLarge: string) =>
  z
    .string()
    .transform((value) => Number(value))
    .pipe(z.number().int('must be an integer').min(0, 'must not be negative').max(max, tooLarge))
    .transform((value) => (value === 0 ? undefined : value));

const optionalDurationMs = optionalMs(MAX_DURATION_MS, 'too large');
const optionalWaitMs = optionalMs(MAX_RUN_WAIT_MS, `must be at most ${MAX_RUN_WAIT_MS}`);

const pageSize = z.number().int().min(0, 'must not be negative');

const oneofSet = (names: string) =>
  z.custom<{ kind: string }>(
    (value) =>
      typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string',
    `required: set one of ${names}`,
  );

const targetSchema = oneofSet('agent, swarm, a2aAgent')
  .pipe(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('agent'), agent: z.object({ name: required }) }),
      z.object({ kind: z.literal('swarm'), swarm: z.object({ swarmfilePath: required }) }),
      z.object({ kind: z.literal('a2aAgent'), a2aAgent: z.object({ url: httpUrl }) }),
    ]),
  )
  .transform((target) => fromProtoTarget(target as RunTarget__Output) as RunTarget);

const partSchema = oneofSet('text, raw, url, data').pipe(
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('text'), text: z.string() }),
    z.object({ kind: z.literal('raw'), raw: z.instanceof(Uint8Array) }),
    z.object({ kind: z.literal('url'), url: z.string().min(1, 'required') }),
    z.object({ kind: z.literal('data'), data: z.unknown() }),
  ]),
);

// Loose: the transform reads fields (metadata) the schema does not check.
const inputSchema = z
  .looseObject({ parts: z.array(z.unknown()).min(1, 'at least one part is required') }, { error: 'required' })
  .superRefine((input, ctx) => {
    input.parts.forEach((part, index) => {
      // proto-loader names the Part oneof `content`; expose it to the schema as `kind`.
      const candidate =
        typeof part === 'object' && part !== null
          ? { ...part, kind: (part as { content?: unknown }).content }
          : part;
      const result = partSchema.safeParse(candidate);
      if (!result.success) {
        const issue = result.error.issues[0];
        ctx.addIssue({ code: 'custom', message: issue?.message ?? 'invalid', path: ['parts', index] });
      }
    });
  })
  .transform((input) => fromProtoRunInput(input as unknown as RunInput__Output));

const timestampSchema = z
  .object({ seconds: z.string(), nanos: z.number() })
  .nullable()
  .transform((ts) => fromTimestamp(ts));

const runStatusSchema = z
  .string()
  .refine((name) => RUN_STATUS_FROM_PROTO[name as RunStatus__Output] !== undefined, 'not a run status')
  .transform((name) => RUN_STATUS_FROM_PROTO[name as RunStatus__Output] as RunStatus);

const sessionStatusSchema = z
  .string()
  .refine(
    (name) => SESSION_STATUS_FROM_PROTO[name as SessionStatus__Output] !== undefined,
    'not a session status',
  )
  .transform((name) => SESSION_STATUS_FROM_PROTO[name as SessionStatus__Output] as SessionStatus);

/** Parses or throws INVALID_ARGUMENT naming the first bad field. */
function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'request' : issue.path.map(String).join('.');
  throw invalidArgument(field, issue?.message ?? 'invalid');
}

/** Empty means none (proto3); otherwise 1..200 printable ASCII characters. */
const optionalIdempotencyKey = z
  .string()
  .refine((value) => value === '' || IDEMPOTENCY_KEY_PATTERN.test(value), IDEMPOTENCY_KEY_RULE)
  .transform((value) => (value === '' ? undefined : value));

const submitRunSchema = z
  .object({
    target: targetSchema,
    input: inputSchema,
    sessionId: z.string(),
    timeoutMs: optionalDurationMs,
    idempotencyKey: optionalIdempotencyKey,
    waitMs: optionalWaitMs,
  })
  .transform((r): SubmitRunRequest => ({
    target: r.target,
    input: r.input,
    ...(r.sessionId !== '' && { sessionId: r.sessionId }),
    ...(r.timeoutMs !== undefined && { timeoutMs: r.timeoutMs }),
    ...(r.idempotencyKey !== undefined && { idempotencyKey: r.idempotencyKey }),
    ...(r.waitMs !== undefined && { waitMs: r.waitMs }),
  }));

export function parseSubmitRun(request: unknown): SubmitRunRequest {
  return parse(submitRunSchema, request);
}

/** The `id` (or `name`) of a request that addresses one resource. */
// Schemas are built once, at load: zod compiles each new schema on its first parse, which per call
// cost more than the parse itself.
const idSchema = z.object({ id: required });
const nameSchema = z.object({ name: required });

export function parseId(request: unknown, field: 'id' | 'name'): string {
  return field === 'id' ? parse(idSchema, request).id : parse(nameSchema, request).name;
}

const listRunsSchema = z
  .object({
    statuses: z.array(runStatusSchema),
    agent: z.string(),
    sessionId: z.string(),
    createdAfter: timestampSchema,
    createdBefore: timestampSchema,
    pageSize,
    pageToken: z.string(),
  })
  .transform((r): { filter: RunFilter; page: PageRequest } => ({
    filter: {
      ...(r.statuses.length > 0 && { statuses: r.statuses }),
      ...(r.agent !== '' && { agent: r.agent }),
      ...(r.sessionId !== '' && { sessionId: r.sessionId }),
      ...(r.createdAfter !== undefined && { createdAfter: r.createdAfter }),
      ...(r.createdBefore !== undefined && { createdBefore: r.createdBefore }),
    },
    page: {
      ...(r.pageSize > 0 && { pageSize: r.pageSize }),
      ...(r.pageToken !== '' && { pageToken: r.pageToken }),
    },
  }));

export function parseListRuns(request: unknown): { filter: RunFilter; page: PageRequest } {
  return parse(listRunsSchema, request);
}

/** The reason recorded when a client cancels without giving one. */
export const DEFAULT_CANCEL_REASON = 'cancelled by the client';

const cancelRunSchema = z.object({ id: required, reason: z.string() });
const sendInputSchema = z.object({ id: required, input: inputSchema, waitMs: optionalWaitMs });

export function parseCancelRun(request: unknown): { id: string; reason: string } {
  const r = parse(cancelRunSchema, request);
  return { id: r.id, reason: r.reason.trim() === '' ? DEFAULT_CANCEL_REASON : r.reason };
}

export function parseSendInput(request: unknown): { id: string; input: RunInput; waitMs?: number } {
  return parse(sendInputSchema, request);
}

export function parseCreateSession(request: unknown): { name: string } {
  return parse(nameSchema, request);
}

const listSessionsSchema = z
  .object({ statuses: z.array(sessionStatusSchema), pageSize, pageToken: z.string() })
  .transform((r): { filter: SessionFilter; page: PageRequest } => ({
    filter: r.statuses.length > 0 ? { statuses: r.statuses } : {},
    page: {
      ...(r.pageSize > 0 && { pageSize: r.pageSize }),
      ...(r.pageToken !== '' && { pageToken: r.pageToken }),
    },
  }));

export function parseListSessions(request: unknown): { filter: SessionFilter; page: PageRequest } {
  return parse(listSessionsSchema, request);
}

const credentialsSchema = z
  .object({ bearerToken: z.string(), headers: z.record(z.string(), z.string()) })
  .nullable()
  .transform((c): AgentCredentials | undefined => {
    if (c === null) return undefined;
    const hasHeaders = Object.keys(c.headers).length > 0;
    if (c.bearerToken === '' && !hasHeaders) return undefined;
    return {
      ...(c.bearerToken !== '' && { bearerToken: c.bearerToken }),
      ...(hasHeaders && { headers: c.headers }),
    };
  });

const registerAgentSchema = z
  .object({
    name: required,
    url: httpUrl,
    labels: z.record(z.string(), z.string()),
    credentials: credentialsSchema,
    heartbeatTtlMs: optionalDurationMs,
  })
  .transform((r): RegisterAgentRequest => ({
    name: r.name,
    url: r.url,
    labels: r.labels,
    ...(r.credentials !== undefined && { credentials: r.credentials }),
    ...(r.heartbeatTtlMs !== undefined && { heartbeatTtlMs: r.heartbeatTtlMs }),
  }));

export function parseRegisterAgent(request: unknown): RegisterAgentRequest {
  return parse(registerAgentSchema, request);
}
