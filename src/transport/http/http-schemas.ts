/**
 * The zod schemas of every HTTP request body and query, and `parseRequest`, which turns the first zod
 * issue into one `INVALID_ARGUMENT` naming the field by its dotted path (`details.field`) with a
 * message a person can act on ("timeoutMs: must be a positive integer", "unknown field 'foo'").
 * Every object is strict: unknown fields are refused. The schemas output the application's request
 * types, so handlers pass them straight to the services.
 */
import { z } from 'zod';

import { MAX_RUN_WAIT_MS, type RegisterAgentRequest, type SubmitRunRequest } from '../../app/services.js';
import { AGENT_NAME_PATTERN, AGENT_NAME_RULE } from '../../domain/agent.js';
import type { Part, RunInput } from '../../domain/part.js';
import {
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_RULE,
  RUN_STATUSES,
  type RunStatus,
  type RunTarget,
} from '../../domain/run.js';
import { SESSION_STATUSES, type SessionStatus } from '../../domain/session.js';
import { ErrorCode, GatewayError, invalidArgument } from '../../errors/gateway-error.js';
import type { PageRequest, RunFilter, SessionFilter } from '../../store/store.js';

const POSITIVE_INTEGER = 'must be a positive integer';
const MAX_PAGE_SIZE = 1000;

const positiveInt = z
  .number({ error: POSITIVE_INTEGER })
  .int({ error: POSITIVE_INTEGER })
  .positive({ error: POSITIVE_INTEGER })
  .max(Number.MAX_SAFE_INTEGER, { error: POSITIVE_INTEGER });
const nonEmpty = (maxLength: number) => z.string().min(1).max(maxLength);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const stringRecord = z.record(z.string(), z.string());
const metadata = z.record(z.string(), z.unknown());

/** Every field of a `Part`: exactly one content field, plus optional descriptors. */
const partSchema = z
  .strictObject({
    text: z.string().optional(),
    raw: z.base64({ error: 'must be base64' }).optional(),
    url: z.url({ error: 'must be a URL' }).optional(),
    data: z.unknown().optional(),
    mediaType: z.string().optional(),
    filename: z.string().optional(),
    metadata: metadata.optional(),
  })
  .superRefine((part, ctx) => {
    const present = [part.text, part.raw, part.url, part.data].filter((v) => v !== undefined).length;
    if (present !== 1)
      ctx.addIssue({ code: 'custom', message: 'exactly one of text, raw, url, data is required' });
  })
  .transform((part): Part => {
    const { text, raw, url, data, ...descriptors } = part;
    if (text !== undefined) return { text, ...descriptors };
    if (raw !== undefined) return { raw, ...descriptors };
    if (url !== undefined) return { url, ...descriptors };
    return { data, ...descriptors };
  });

/** A run's input: `text` is shorthand for a leading text part. */
const runInputSchema = z
  .strictObject({
    text: z.string().optional(),
    parts: z.array(partSchema).optional(),
    metadata: metadata.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.text === undefined && (input.parts === undefined || input.parts.length === 0)) {
      ctx.addIssue({ code: 'custom', message: 'text or parts is required' });
    }
  })
  .transform((input): RunInput => ({
    parts: [...(input.text === undefined ? [] : [{ text: input.text }]), ...(input.parts ?? [])],
    ...(input.metadata !== undefined && { metadata: input.metadata }),
  }));

const TARGET_REQUIRED = 'exactly one of agent, url, swarm is required';

const runTargetSchema = z
  .strictObject(
    { agent: nonEmpty(256).optional(), url: httpUrl.optional(), swarm: nonEmpty(4096).optional() },
    { error: (issue) => (issue.code === 'invalid_type' ? TARGET_REQUIRED : undefined) },
  )
  .superRefine((target, ctx) => {
    const present = [target.agent, target.url, target.swarm].filter((v) => v !== undefined).length;
    if (present !== 1) ctx.addIssue({ code: 'custom', message: TARGET_REQUIRED });
  })
  .transform((target): RunTarget => {
    if (target.agent !== undefined) return { kind: 'agent', name: target.agent };
    if (target.url !== undefined) return { kind: 'a2aAgent', url: target.url };
    return { kind: 'swarm', swarmfilePath: target.swarm ?? '' };
  });

/** How long a call may wait for its run to stop executing (`SubmitRunRequest.waitMs`). */
const waitMs = positiveInt.max(MAX_RUN_WAIT_MS, { error: `must be at most ${MAX_RUN_WAIT_MS}` });

const idempotencyKey = z.string().regex(IDEMPOTENCY_KEY_PATTERN, { error: IDEMPOTENCY_KEY_RULE });

/** `POST /v1/runs` (see `parseSubmitRun`). */
const submitRunBody = z
  .strictObject({
    target: runTargetSchema,
    input: runInputSchema,
    sessionId: nonEmpty(256).optional(),
    timeoutMs: positiveInt.optional(),
    idempotencyKey: idempotencyKey.optional(),
    waitMs: waitMs.optional(),
  })
  .transform((body): SubmitRunRequest => ({
    target: body.target,
    input: body.input,
    ...(body.sessionId !== undefined && { sessionId: body.sessionId }),
    ...(body.timeoutMs !== undefined && { timeoutMs: body.timeoutMs }),
    ...(body.idempotencyKey !== undefined && { idempotencyKey: body.idempotencyKey }),
    ...(body.waitMs !== undefined && { waitMs: body.waitMs }),
  }));

/**
 * The request header that carries an idempotency key. The IETF draft "The Idempotency-Key HTTP Header
 * Field" makes its value a structured-field string (`Idempotency-Key: "abc"`); many clients send the
 * bare key (`Idempotency-Key: abc`). Both are accepted.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** A structured-field string: quoted, with `\"` and `\\` the only escapes. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;

/** The key a header value carries: a structured-field string unquoted, anything else as it is. */
function headerKeyValue(value: string): string {
  const quoted = SF_STRING.exec(value);
  return quoted === null ? value : (quoted[1] ?? '').replace(/\\(["\\])/g, '$1');
}

/**
 * `POST /v1/runs`: the body, with the idempotency key of the `Idempotency-Key` header when the body has
 * none. Both given and different is refused (INVALID_ARGUMENT on `idempotencyKey`) rather than guessed.
 */
export function parseSubmitRun(body: unknown, header: string | undefined): SubmitRunRequest {
  const request = parseRequest(submitRunBody, body, 'body');
  if (header === undefined) return request;
  const headerKey = headerKeyValue(header);
  if (!idempotencyKey.safeParse(headerKey).success) {
    throw invalidArgument(IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_RULE);
  }
  if (request.idempotencyKey === undefined) return { ...request, idempotencyKey: headerKey };
  if (request.idempotencyKey !== headerKey) {
    throw invalidArgument('idempotencyKey', `differs from the ${IDEMPOTENCY_KEY_HEADER} header`);
  }
  return request;
}

/** `POST /v1/runs/:id/cancel`. */
export const cancelRunBody = z.strictObject({ reason: z.string().max(1024).optional() });

/** `POST /v1/runs/:id/input`. */
export const sendInputBody = z.strictObject({ input: runInputSchema, waitMs: waitMs.optional() });

/** `POST /v1/sessions`. */
export const createSessionBody = z.strictObject({ name: nonEmpty(256) });

const agentName = z.string().regex(AGENT_NAME_PATTERN, { error: AGENT_NAME_RULE });

/** `POST /v1/agents`. */
export const registerAgentBody = z
  .strictObject({
    name: agentName,
    url: httpUrl,
    labels: stringRecord.optional(),
    credentials: z
      .strictObject({ bearerToken: nonEmpty(8192).optional(), headers: stringRecord.optional() })
      .optional(),
    heartbeatTtlMs: positiveInt.optional(),
  })
  .transform((body): RegisterAgentRequest => ({
    name: body.name,
    url: body.url,
    ...(body.labels !== undefined && { labels: body.labels }),
    ...(body.credentials !== undefined && { credentials: body.credentials }),
    ...(body.heartbeatTtlMs !== undefined && { heartbeatTtlMs: body.heartbeatTtlMs }),
  }));

/** A comma-separated list of allowed values (`status=running,completed`), repeatable. */
function statusList<T extends string>(allowed: readonly T[]) {
  return z.union([z.string(), z.array(z.string())]).transform((value, ctx): T[] => {
    const items = (Array.isArray(value) ? value : [value])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
    const unknown = items.find((v) => !(allowed as readonly string[]).includes(v));
    if (unknown !== undefined) {
      ctx.addIssue({ code: 'custom', message: `unknown status '${unknown}' (one of ${allowed.join(', ')})` });
      return z.NEVER;
    }
    return items as T[];
  });
}

/** A query parameter that may appear at most once (the query parser makes repeats an array). */
const queryString = () =>
  z.string({ error: (issue) => (Array.isArray(issue.input) ? 'must be given once' : undefined) });

const PAGE_SIZE_RANGE = `must be an integer from 1 to ${MAX_PAGE_SIZE}`;
const pageSizeParam = queryString()
  .regex(/^\d+$/, { error: PAGE_SIZE_RANGE })
  .transform(Number)
  .pipe(z.number().min(1, { error: PAGE_SIZE_RANGE }).max(MAX_PAGE_SIZE, { error: PAGE_SIZE_RANGE }));
const timestampParam = queryString()
  .pipe(z.iso.datetime({ offset: true, error: 'must be an ISO-8601 timestamp' }))
  .transform((v) => new Date(v).toISOString());

function pageRequest(query: { pageSize?: number | undefined; pageToken?: string | undefined }): PageRequest {
  return {
    ...(query.pageSize !== undefined && { pageSize: query.pageSize }),
    ...(query.pageToken !== undefined && query.pageToken !== '' && { pageToken: query.pageToken }),
  };
}

/** `GET /v1/runs` query. */
export const listRunsQuery = z
  .strictObject({
    status: statusList<RunStatus>(RUN_STATUSES).optional(),
    agent: queryString().optional(),
    sessionId: queryString().optional(),
    createdAfter: timestampParam.optional(),
    createdBefore: timestampParam.optional(),
    pageSize: pageSizeParam.optional(),
    pageToken: queryString().optional(),
  })
  .transform((query): { filter: RunFilter; page: PageRequest } => ({
    filter: {
      ...(query.status !== undefined && query.status.length > 0 && { statuses: query.status }),
      ...(query.agent !== undefined && query.agent !== '' && { agent: query.agent }),
      ...(query.sessionId !== undefined && query.sessionId !== '' && { sessionId: query.sessionId }),
      ...(query.createdAfter !== undefined && { createdAfter: query.createdAfter }),
      ...(query.createdBefore !== undefined && { createdBefore: query.createdBefore }),
    },
    page: pageRequest(query),
  }));

/** `GET /v1/sessions` query. */
export const listSessionsQuery = z
  .strictObject({
    status: statusList<SessionStatus>(SESSION_STATUSES).optional(),
    pageSize: pageSizeParam.optional(),
    pageToken: queryString().optional(),
  })
  .transform((query): { filter: SessionFilter; page: PageRequest } => ({
    filter: query.status !== undefined && query.status.length > 0 ? { statuses: query.status } : {},
    page: pageRequest(query),
  }));

/** Queries and bodies of routes that take none: unknown fields are still refused. */
export const emptyObject = z.strictObject({});

const ARTICLE_AN = new Set(['object', 'array', 'integer', 'int']);

/** Messages for zod's built-in issues; a message set on a schema takes precedence over these. */
const readableIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const expected = issue.expected === 'int' ? 'integer' : issue.expected;
      return `must be ${ARTICLE_AN.has(expected) ? 'an' : 'a'} ${expected}`;
    }
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `must have at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must have at least ${issue.minimum} items`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must have at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_union':
      return 'does not match any accepted form';
    default:
      return undefined;
  }
};

/**
 * Parses `value` with `schema`, or throws `INVALID_ARGUMENT` for the first issue. `where` names the
 * value when the issue is about the whole of it (`body`, `query`).
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query',
): z.output<S> {
  const result = schema.safeParse(value, { error: readableIssue });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new GatewayError(ErrorCode.INVALID_ARGUMENT, `${where} is invalid`);
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? ''].join('.');
    const noun = where === 'query' ? 'query parameter' : 'field';
    throw new GatewayError(ErrorCode.INVALID_ARGUMENT, `unknown ${noun} '${field}'`, {
      details: { field, reason: `unknown ${noun}` },
    });
  }
  const field = path.length === 0 ? where : path.join('.');
  throw new GatewayError(ErrorCode.INVALID_ARGUMENT, `${field}: ${issue.message}`, {
    details: { field, reason: issue.message },
  });
}
