/**
 * The A2A 0.3 JSON-RPC dialect, for agents whose card offers only a 0.3 interface: the 0.3 method names,
 * 1.0 request params rewritten into 0.3 shapes (`kind` discriminators, `file` parts, lowercase roles,
 * `blocking`), and 0.3 results rewritten into 1.0 shapes before validation. Task states and roles are
 * normalised by the schemas in `a2a-schema.ts`; 0.3's `final` flag passes through untouched (1.0 ends a
 * stream by closing it).
 */
import type { AgentEndpoint } from '../domain/agent.js';

/** The JSON-RPC methods the client calls, by their 1.0 names. */
export type A2AMethod = 'SendMessage' | 'SendStreamingMessage' | 'GetTask' | 'CancelTask';

/** The 0.3 name of each method. */
export const V03_METHOD_NAMES: Readonly<Record<A2AMethod, string>> = {
  SendMessage: 'message/send',
  SendStreamingMessage: 'message/stream',
  GetTask: 'tasks/get',
  CancelTask: 'tasks/cancel',
};

/** True when the endpoint speaks the 0.3 dialect. */
export function isV03(endpoint: AgentEndpoint): boolean {
  return endpoint.protocolVersion === '0.3';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function defined(entries: Json): Json {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}

function toV03Part(part: unknown): unknown {
  if (!isObject(part)) return part;
  const { text, raw, url, data, mediaType, filename, metadata } = part;
  if (text !== undefined) return defined({ kind: 'text', text, metadata });
  if (raw !== undefined || url !== undefined) {
    const file = defined({ bytes: raw, uri: url, name: filename, mimeType: mediaType });
    return defined({ kind: 'file', file, metadata });
  }
  return defined({ kind: 'data', data, metadata });
}

const V03_ROLES: Readonly<Record<string, string>> = { ROLE_USER: 'user', ROLE_AGENT: 'agent' };

function toV03Message(message: unknown): unknown {
  if (!isObject(message)) return message;
  const role =
    typeof message['role'] === 'string' ? (V03_ROLES[message['role']] ?? message['role']) : undefined;
  const parts = Array.isArray(message['parts']) ? message['parts'].map(toV03Part) : message['parts'];
  return { ...message, kind: 'message', role, parts };
}

/** Rewrites 1.0 params (as built by the client) into the 0.3 shape of the same call. */
export function toV03Params(method: A2AMethod, params: Json): Json {
  switch (method) {
    case 'SendMessage':
    case 'SendStreamingMessage': {
      const configuration = isObject(params['configuration'])
        ? defined({
            acceptedOutputModes: params['configuration']['acceptedOutputModes'],
            historyLength: params['configuration']['historyLength'],
            blocking:
              params['configuration']['returnImmediately'] === undefined
                ? undefined
                : params['configuration']['returnImmediately'] !== true,
          })
        : undefined;
      return defined({
        message: toV03Message(params['message']),
        configuration,
        metadata: params['metadata'],
      });
    }
    case 'GetTask':
      return defined({ id: params['id'], historyLength: params['historyLength'] });
    case 'CancelTask':
      return { id: params['id'] };
  }
}

function fromV03Part(part: unknown): unknown {
  if (!isObject(part)) return part;
  const { kind, ...rest } = part;
  if (kind === 'text') return rest;
  if (kind === 'data') return rest;
  if (kind === 'file' && isObject(rest['file'])) {
    const { file, ...others } = rest;
    const { bytes, uri, name, mimeType } = file;
    return defined({ ...others, raw: bytes, url: uri, filename: name, mediaType: mimeType });
  }
  return part;
}

function fromV03Message(message: unknown): unknown {
  if (!isObject(message)) return message;
  const { kind: _kind, ...rest } = message;
  return Array.isArray(rest['parts']) ? { ...rest, parts: rest['parts'].map(fromV03Part) } : rest;
}

function fromV03Status(status: unknown): unknown {
  if (!isObject(status) || status['message'] === undefined) return status;
  return { ...status, message: fromV03Message(status['message']) };
}

function fromV03Artifact(artifact: unknown): unknown {
  if (!isObject(artifact) || !Array.isArray(artifact['parts'])) return artifact;
  return { ...artifact, parts: artifact['parts'].map(fromV03Part) };
}

function fromV03Task(task: unknown): unknown {
  if (!isObject(task)) return task;
  const { kind: _kind, ...rest } = task;
  return defined({
    ...rest,
    status: fromV03Status(rest['status']),
    artifacts: Array.isArray(rest['artifacts']) ? rest['artifacts'].map(fromV03Artifact) : rest['artifacts'],
    history: Array.isArray(rest['history']) ? rest['history'].map(fromV03Message) : rest['history'],
  });
}

/**
 * Rewrites a 0.3 result into the 1.0 shape the schemas expect: `SendMessage` and stream events become the
 * `{task}` / `{message}` / `{statusUpdate}` / `{artifactUpdate}` wrappers, tasks and parts lose `kind`.
 * Values of an unexpected shape are returned unchanged, for the schema to reject.
 */
export function fromV03Result(method: A2AMethod, result: unknown): unknown {
  if (!isObject(result)) return result;
  if (method === 'GetTask' || method === 'CancelTask') return fromV03Task(result);
  const { kind, ...rest } = result;
  switch (kind) {
    case 'task':
      return { task: fromV03Task(rest) };
    case 'message':
      return { message: fromV03Message(rest) };
    case 'status-update':
      return { statusUpdate: { ...rest, status: fromV03Status(rest['status']) } };
    case 'artifact-update':
      return { artifactUpdate: { ...rest, artifact: fromV03Artifact(rest['artifact']) } };
    default:
      return result;
  }
}
