/**
 * The A2A 0.3 JSON-RPC dialect, in both directions, for every operation that 0.3 has: method names, requests
 * and results rewritten between the 1.0 ProtoJSON objects bzzz keeps and the 0.3 JSON shapes (`kind`
 * discriminators, `file` parts, lowercase roles and states, `blocking`, nested push configs, the 0.3 card).
 * Outbound calls to 0.3 agents use `toV03Params` / `fromV03Result`; the façade answering 0.3 clients uses
 * `fromV03Params` / `toV03Result`. Pure functions: values of an unexpected shape pass through unchanged for
 * the callers' schemas to reject. The 0.3 shapes follow the @a2a-js/sdk compat layer (compat/v0_3).
 */
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import type { A2AOperation, JsonObject } from './operations.js';

/** The 0.3 JSON-RPC method of each 1.0 operation; ListTasks has none. */
export const V03_METHODS: Readonly<Record<A2AOperation, string | undefined>> = {
  SendMessage: 'message/send',
  SendStreamingMessage: 'message/stream',
  GetTask: 'tasks/get',
  ListTasks: undefined,
  CancelTask: 'tasks/cancel',
  SubscribeToTask: 'tasks/resubscribe',
  CreateTaskPushNotificationConfig: 'tasks/pushNotificationConfig/set',
  GetTaskPushNotificationConfig: 'tasks/pushNotificationConfig/get',
  ListTaskPushNotificationConfigs: 'tasks/pushNotificationConfig/list',
  DeleteTaskPushNotificationConfig: 'tasks/pushNotificationConfig/delete',
  GetExtendedAgentCard: 'agent/getAuthenticatedExtendedCard',
};

const OPERATION_BY_V03_METHOD = new Map(
  Object.entries(V03_METHODS).flatMap(([operation, method]) =>
    method === undefined ? [] : [[method, operation as A2AOperation] as const],
  ),
);

/** The 1.0 operation of a 0.3 JSON-RPC method name, or undefined for names 0.3 does not define. */
export function operationOfV03Method(name: string): A2AOperation | undefined {
  return OPERATION_BY_V03_METHOD.get(name);
}

/** The `protocolVersion` written on 0.3 cards. */
export const V03_PROTOCOL_VERSION = '0.3.0';

/** Marks a 0.3 data part whose 1.0 `data` was not an object and was wrapped as `{value}` (SDK convention). */
const DATA_PART_COMPAT_FLAG = 'data_part_compat';

const V03_STATE_TO_1_0: Readonly<Record<string, string>> = {
  unknown: 'TASK_STATE_UNSPECIFIED',
  submitted: 'TASK_STATE_SUBMITTED',
  working: 'TASK_STATE_WORKING',
  completed: 'TASK_STATE_COMPLETED',
  failed: 'TASK_STATE_FAILED',
  canceled: 'TASK_STATE_CANCELED',
  'input-required': 'TASK_STATE_INPUT_REQUIRED',
  rejected: 'TASK_STATE_REJECTED',
  'auth-required': 'TASK_STATE_AUTH_REQUIRED',
};
const STATE_1_0_TO_V03: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(V03_STATE_TO_1_0).map(([v03, v1]) => [v1, v03]),
);

/** 0.3 states that end a 0.3 stream: terminal and interrupted ones. */
const FINAL_V03_STATES: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'canceled',
  'rejected',
  'input-required',
  'auth-required',
]);

/** A 0.3 task state (`input-required`, also the 0.3 proto spelling `cancelled`) → its 1.0 name; others unchanged. */
export function normalizeV03State(state: string): string {
  return V03_STATE_TO_1_0[state === 'cancelled' ? 'canceled' : state] ?? state;
}

/** A 1.0 task state (`TASK_STATE_INPUT_REQUIRED`) → its 0.3 name (`input-required`); others unchanged. */
export function toV03State(state1_0: string): string {
  return STATE_1_0_TO_V03[state1_0] ?? state1_0;
}

const V03_ROLE_TO_1_0: Readonly<Record<string, string>> = { user: 'ROLE_USER', agent: 'ROLE_AGENT' };
const ROLE_1_0_TO_V03: Readonly<Record<string, string>> = { ROLE_USER: 'user', ROLE_AGENT: 'agent' };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `entries` without the `undefined` members. */
function defined(entries: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

/** ProtoJSON leaves out empty strings; 0.3 optional fields do the same. */
function nonEmpty(value: unknown): unknown {
  return value === '' ? undefined : value;
}

function mapArray(value: unknown, convert: (item: unknown) => unknown): unknown {
  return Array.isArray(value) ? value.map(convert) : value;
}

function mapEnum(value: unknown, names: Readonly<Record<string, string>>): unknown {
  return typeof value === 'string' ? (names[value] ?? value) : value;
}

function unsupported(operation: A2AOperation): GatewayError {
  return new GatewayError(ErrorCode.UNSUPPORTED_OPERATION, `${operation} has no A2A 0.3 JSON-RPC method`, {
    details: { operation },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Parts, messages, tasks, events: 1.0 → 0.3

function toV03Part(part: unknown): unknown {
  if (!isObject(part)) return part;
  const { text, raw, url, data, mediaType, filename, metadata } = part;
  if (text !== undefined) return defined({ kind: 'text', text, metadata });
  if (raw !== undefined || url !== undefined) {
    const file = defined({ bytes: raw, uri: url, name: nonEmpty(filename), mimeType: nonEmpty(mediaType) });
    return defined({ kind: 'file', file, metadata });
  }
  if (data === undefined) return part;
  if (isObject(data)) return defined({ kind: 'data', data, metadata });
  // 0.3 data parts hold objects only.
  const flagged = { ...(isObject(metadata) ? metadata : {}), [DATA_PART_COMPAT_FLAG]: true };
  return { kind: 'data', data: { value: data }, metadata: flagged };
}

function toV03Message(message: unknown): unknown {
  if (!isObject(message)) return message;
  return defined({
    ...message,
    kind: 'message',
    role: mapEnum(message['role'], ROLE_1_0_TO_V03),
    parts: mapArray(message['parts'], toV03Part),
  });
}

function toV03Status(status: unknown): unknown {
  if (!isObject(status)) return status;
  // ProtoJSON omits TASK_STATE_UNSPECIFIED.
  const state = status['state'] === undefined ? 'unknown' : mapEnum(status['state'], STATE_1_0_TO_V03);
  return defined({ ...status, state, message: toV03Message(status['message']) });
}

function toV03Artifact(artifact: unknown): unknown {
  if (!isObject(artifact)) return artifact;
  return defined({ ...artifact, parts: mapArray(artifact['parts'], toV03Part) });
}

function toV03Task(task: unknown): unknown {
  if (!isObject(task)) return task;
  return defined({
    kind: 'task',
    ...task,
    status: toV03Status(task['status']),
    artifacts: mapArray(task['artifacts'], toV03Artifact),
    history: mapArray(task['history'], toV03Message),
  });
}

function toV03StatusUpdate(event: JsonObject): JsonObject {
  const status = toV03Status(event['status']);
  const state = isObject(status) ? status['state'] : undefined;
  return defined({
    kind: 'status-update',
    ...event,
    status,
    final: typeof state === 'string' && FINAL_V03_STATES.has(state),
  });
}

function toV03ArtifactUpdate(event: JsonObject): JsonObject {
  return defined({ kind: 'artifact-update', ...event, artifact: toV03Artifact(event['artifact']) });
}

/** A 1.0 `StreamResponse` or `SendMessageResponse` wrapper → the bare 0.3 object with its `kind`. */
function toV03Event(response: unknown): unknown {
  if (!isObject(response)) return response;
  const { task, message, statusUpdate, artifactUpdate } = response;
  if (isObject(task)) return toV03Task(task);
  if (isObject(message)) return toV03Message(message);
  if (isObject(statusUpdate)) return toV03StatusUpdate(statusUpdate);
  if (isObject(artifactUpdate)) return toV03ArtifactUpdate(artifactUpdate);
  return response;
}

// ---------------------------------------------------------------------------------------------------------
// Parts, messages, tasks, events: 0.3 → 1.0

function fromV03Part(part: unknown): unknown {
  if (!isObject(part)) return part;
  const { kind, ...rest } = part;
  if (kind === 'text') return rest;
  if (kind === 'file' && isObject(rest['file'])) {
    const { file, ...others } = rest;
    const { bytes, uri, name, mimeType } = file;
    return defined({ ...others, raw: bytes, url: uri, filename: name, mediaType: mimeType });
  }
  if (kind === 'data') {
    const { data, metadata } = rest;
    if (!isObject(metadata) || metadata[DATA_PART_COMPAT_FLAG] !== true) return rest;
    const { [DATA_PART_COMPAT_FLAG]: _flag, ...otherMetadata } = metadata;
    return defined({
      ...rest,
      data: isObject(data) && 'value' in data ? data['value'] : data,
      metadata: Object.keys(otherMetadata).length > 0 ? otherMetadata : undefined,
    });
  }
  return part;
}

function fromV03Message(message: unknown): unknown {
  if (!isObject(message)) return message;
  const { kind: _kind, ...rest } = message;
  return defined({
    ...rest,
    role: mapEnum(rest['role'], V03_ROLE_TO_1_0),
    parts: mapArray(rest['parts'], fromV03Part),
  });
}

function fromV03Status(status: unknown): unknown {
  if (!isObject(status)) return status;
  const state = typeof status['state'] === 'string' ? normalizeV03State(status['state']) : status['state'];
  return defined({ ...status, state, message: fromV03Message(status['message']) });
}

function fromV03Artifact(artifact: unknown): unknown {
  if (!isObject(artifact)) return artifact;
  return defined({ ...artifact, parts: mapArray(artifact['parts'], fromV03Part) });
}

function fromV03Task(task: unknown): unknown {
  if (!isObject(task)) return task;
  const { kind: _kind, ...rest } = task;
  return defined({
    ...rest,
    status: fromV03Status(rest['status']),
    artifacts: mapArray(rest['artifacts'], fromV03Artifact),
    history: mapArray(rest['history'], fromV03Message),
  });
}

/** A bare 0.3 object with `kind` → the 1.0 `StreamResponse` / `SendMessageResponse` wrapper. */
function fromV03Event(result: unknown): unknown {
  if (!isObject(result)) return result;
  switch (result['kind']) {
    case 'task':
      return { task: fromV03Task(result) };
    case 'message':
      return { message: fromV03Message(result) };
    case 'status-update': {
      // 1.0 ends a stream by closing it, not with `final`.
      const { kind: _kind, final: _final, ...rest } = result;
      return { statusUpdate: defined({ ...rest, status: fromV03Status(rest['status']) }) };
    }
    case 'artifact-update': {
      const { kind: _kind, ...rest } = result;
      return { artifactUpdate: defined({ ...rest, artifact: fromV03Artifact(rest['artifact']) }) };
    }
    default:
      return result;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Push-notification configs: 1.0 is flat (`{tenant, id, taskId, url, token, authentication{scheme}}`), 0.3
// nests the config under the task id (`{taskId, pushNotificationConfig{id, url, token,
// authentication{schemes[]}}}`).

function toV03PushNotificationConfig(config: unknown): unknown {
  if (!isObject(config)) return config;
  const { authentication } = config;
  return defined({
    id: nonEmpty(config['id']),
    url: config['url'],
    token: nonEmpty(config['token']),
    authentication: isObject(authentication)
      ? defined({
          schemes: typeof authentication['scheme'] === 'string' ? [authentication['scheme']] : [],
          credentials: nonEmpty(authentication['credentials']),
        })
      : authentication,
  });
}

function toV03TaskPushNotificationConfig(config: unknown): unknown {
  if (!isObject(config)) return config;
  return defined({ taskId: config['taskId'], pushNotificationConfig: toV03PushNotificationConfig(config) });
}

function fromV03PushNotificationConfig(config: unknown, taskId?: unknown): unknown {
  if (!isObject(config)) return config;
  const { authentication } = config;
  return defined({
    taskId,
    id: config['id'],
    url: config['url'],
    token: config['token'],
    // 1.0 keeps one scheme; 0.3 listed several.
    authentication: isObject(authentication)
      ? defined({
          scheme: Array.isArray(authentication['schemes']) ? authentication['schemes'][0] : undefined,
          credentials: authentication['credentials'],
        })
      : authentication,
  });
}

function fromV03TaskPushNotificationConfig(config: unknown): unknown {
  if (!isObject(config) || !isObject(config['pushNotificationConfig'])) return config;
  return fromV03PushNotificationConfig(config['pushNotificationConfig'], config['taskId']);
}

// ---------------------------------------------------------------------------------------------------------
// Agent cards

/** True for `0.3` and `0.3.x`. */
function isV03Version(version: unknown): boolean {
  return typeof version === 'string' && /^0\.3(\.|$)/.test(version.trim());
}

/**
 * 1.0 security scheme (a oneof by member name) → 0.3 OpenAPI-style scheme. Only the shapes that map one to
 * one are converted: http, apiKey, openIdConnect, mutualTLS. OAuth2 is left out (1.0 has one flow where 0.3
 * allows several, plus device-code and `pkceRequired`), as is anything unknown.
 */
function toV03SecurityScheme(scheme: unknown): JsonObject | undefined {
  if (!isObject(scheme)) return undefined;
  const { httpAuthSecurityScheme: http, apiKeySecurityScheme: apiKey } = scheme;
  const { openIdConnectSecurityScheme: oidc, mtlsSecurityScheme: mtls } = scheme;
  if (isObject(http)) {
    const { scheme: httpScheme, bearerFormat, description } = http;
    return defined({
      type: 'http',
      scheme: httpScheme,
      bearerFormat: nonEmpty(bearerFormat),
      description: nonEmpty(description),
    });
  }
  if (isObject(apiKey)) {
    const { location, name, description } = apiKey;
    return defined({ type: 'apiKey', in: location, name, description: nonEmpty(description) });
  }
  if (isObject(oidc)) {
    const { openIdConnectUrl, description } = oidc;
    return defined({ type: 'openIdConnect', openIdConnectUrl, description: nonEmpty(description) });
  }
  if (isObject(mtls)) return defined({ type: 'mutualTLS', description: nonEmpty(mtls['description']) });
  return undefined;
}

/** 0.3 OpenAPI-style scheme → 1.0 oneof; the same subset as `toV03SecurityScheme`. */
function fromV03SecurityScheme(scheme: unknown): JsonObject | undefined {
  if (!isObject(scheme)) return undefined;
  const { type, description } = scheme;
  switch (type) {
    case 'http':
      return {
        httpAuthSecurityScheme: defined({
          scheme: scheme['scheme'],
          bearerFormat: scheme['bearerFormat'],
          description,
        }),
      };
    case 'apiKey':
      return { apiKeySecurityScheme: defined({ location: scheme['in'], name: scheme['name'], description }) };
    case 'openIdConnect':
      return {
        openIdConnectSecurityScheme: defined({ openIdConnectUrl: scheme['openIdConnectUrl'], description }),
      };
    case 'mutualTLS':
      return { mtlsSecurityScheme: defined({ description }) };
    default:
      return undefined;
  }
}

function convertSchemes(
  schemes: unknown,
  convert: (scheme: unknown) => JsonObject | undefined,
): JsonObject | undefined {
  if (!isObject(schemes)) return undefined;
  const converted = Object.entries(schemes).flatMap(([name, scheme]) => {
    const result = convert(scheme);
    return result === undefined ? [] : [[name, result] as const];
  });
  return converted.length > 0 ? Object.fromEntries(converted) : undefined;
}

/**
 * 1.0 `[{schemes: {name: {list: [scopes]}}}]` → 0.3 `[{name: [scopes]}]`. A requirement naming a scheme
 * that was left out of the 0.3 card is dropped, since no 0.3 client could satisfy it.
 */
function toV03Security(requirements: unknown, schemes: JsonObject | undefined): unknown {
  if (!Array.isArray(requirements)) return undefined;
  const converted = requirements.flatMap((requirement) => {
    const named = isObject(requirement) && isObject(requirement['schemes']) ? requirement['schemes'] : {};
    const entries = Object.entries(named).map(([name, scopes]) => {
      const list = isObject(scopes) && Array.isArray(scopes['list']) ? scopes['list'] : [];
      return [name, list] as const;
    });
    return entries.every(([name]) => schemes?.[name] !== undefined) ? [Object.fromEntries(entries)] : [];
  });
  return converted.length > 0 ? converted : undefined;
}

/** 0.3 `[{name: [scopes]}]` → 1.0 `[{schemes: {name: {list: [scopes]}}}]`. */
function fromV03Security(requirements: unknown): unknown {
  if (!Array.isArray(requirements)) return requirements;
  return requirements.map((requirement) =>
    isObject(requirement)
      ? {
          schemes: Object.fromEntries(
            Object.entries(requirement).map(([name, scopes]) => [
              name,
              { list: Array.isArray(scopes) ? scopes : [] },
            ]),
          ),
        }
      : requirement,
  );
}

/**
 * A 0.3 card built from a 1.0 one, for 0.3 clients: `url` and `preferredTransport` from the first interface
 * of version 0.3 (else the first interface), the other 0.3 interfaces as `additionalInterfaces`,
 * `supportsAuthenticatedExtendedCard` from `capabilities.extendedAgentCard`, and the security schemes that map
 * one to one. Arrays the 0.3 SDK requires (`defaultInputModes`, `defaultOutputModes`, `skills`, each skill's
 * `tags`) are written even when ProtoJSON left them out. Signatures are dropped: they sign the 1.0 card.
 */
export function toV03AgentCard(card1_0: JsonObject): JsonObject {
  const {
    supportedInterfaces,
    capabilities,
    securitySchemes,
    securityRequirements,
    skills,
    signatures: _signatures,
    ...rest
  } = card1_0;
  const interfaces = Array.isArray(supportedInterfaces) ? supportedInterfaces.filter(isObject) : [];
  const v03Interfaces = interfaces.filter((entry) => isV03Version(entry['protocolVersion']));
  const primary = v03Interfaces[0] ?? interfaces[0];
  const additional = v03Interfaces
    .filter((entry) => entry !== primary)
    .map((entry) => ({ url: entry['url'], transport: entry['protocolBinding'] }));
  const { extendedAgentCard, ...v03Capabilities } = isObject(capabilities) ? capabilities : {};
  const v03Schemes = convertSchemes(securitySchemes, toV03SecurityScheme);
  const v03Skills = (Array.isArray(skills) ? skills : []).map((skill) => {
    if (!isObject(skill)) return skill;
    const { securityRequirements: skillRequirements, ...skillRest } = skill;
    return defined({
      ...skillRest,
      tags: skillRest['tags'] ?? [],
      security: toV03Security(skillRequirements, v03Schemes),
    });
  });
  return defined({
    ...rest,
    protocolVersion: V03_PROTOCOL_VERSION,
    url: primary?.['url'],
    preferredTransport: primary?.['protocolBinding'],
    additionalInterfaces: additional.length > 0 ? additional : undefined,
    capabilities: v03Capabilities,
    supportsAuthenticatedExtendedCard: extendedAgentCard,
    securitySchemes: v03Schemes,
    security: toV03Security(securityRequirements, v03Schemes),
    defaultInputModes: rest['defaultInputModes'] ?? [],
    defaultOutputModes: rest['defaultOutputModes'] ?? [],
    skills: v03Skills,
  });
}

/**
 * A 1.0 card built from a 0.3 one: `url` + `preferredTransport` (default JSONRPC) and `additionalInterfaces`
 * become `supportedInterfaces` of version 0.3, `supportsAuthenticatedExtendedCard` becomes
 * `capabilities.extendedAgentCard`, and the security schemes that map one to one are converted. A value
 * without a string `url` (not a 0.3 card) is returned unchanged.
 */
export function fromV03AgentCard(card0_3: JsonObject): JsonObject {
  if (typeof card0_3['url'] !== 'string') return card0_3;
  const {
    url,
    preferredTransport,
    additionalInterfaces,
    protocolVersion: _protocolVersion,
    supportsAuthenticatedExtendedCard,
    capabilities,
    securitySchemes,
    security,
    skills,
    ...rest
  } = card0_3;
  const primary = { url, protocolBinding: preferredTransport ?? 'JSONRPC', protocolVersion: '0.3' };
  const others = (Array.isArray(additionalInterfaces) ? additionalInterfaces.filter(isObject) : [])
    .map((entry) => ({ url: entry['url'], protocolBinding: entry['transport'], protocolVersion: '0.3' }))
    // 0.3 cards usually repeat the main interface among the additional ones.
    .filter((entry) => entry.url !== primary.url || entry.protocolBinding !== primary.protocolBinding);
  const { stateTransitionHistory: _removedIn1_0, ...v1Capabilities } = isObject(capabilities)
    ? capabilities
    : {};
  return defined({
    ...rest,
    supportedInterfaces: [primary, ...others],
    capabilities: defined({ ...v1Capabilities, extendedAgentCard: supportsAuthenticatedExtendedCard }),
    securitySchemes: convertSchemes(securitySchemes, fromV03SecurityScheme),
    securityRequirements: fromV03Security(security),
    skills: mapArray(skills, (skill) => {
      if (!isObject(skill)) return skill;
      const { security: skillSecurity, ...skillRest } = skill;
      return defined({ ...skillRest, securityRequirements: fromV03Security(skillSecurity) });
    }),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Requests and results

/**
 * Outbound: 1.0 request params → the 0.3 params of the same call. `tenant` has no 0.3 equivalent and is
 * dropped; a SendMessage always carries `blocking` (`!returnImmediately`).
 * @throws GatewayError UNSUPPORTED_OPERATION for ListTasks.
 */
export function toV03Params(operation: A2AOperation, params1_0: JsonObject): JsonObject {
  switch (operation) {
    case 'SendMessage':
    case 'SendStreamingMessage': {
      const given = params1_0['configuration'];
      const configuration = isObject(given) ? given : {};
      const converted = defined({
        acceptedOutputModes: configuration['acceptedOutputModes'],
        historyLength: configuration['historyLength'],
        // 1.0 blocks unless told not to; 0.3 servers (the JS SDK's among them) do not block unless
        // told to, so a send always says which it wants.
        blocking: operation === 'SendMessage' ? configuration['returnImmediately'] !== true : undefined,
        pushNotificationConfig: toV03PushNotificationConfig(configuration['taskPushNotificationConfig']),
      });
      return defined({
        message: toV03Message(params1_0['message']),
        configuration: isObject(given) || Object.keys(converted).length > 0 ? converted : given,
        metadata: params1_0['metadata'],
      });
    }
    case 'GetTask':
      return defined({ id: params1_0['id'], historyLength: params1_0['historyLength'] });
    case 'CancelTask':
      return defined({ id: params1_0['id'], metadata: params1_0['metadata'] });
    case 'SubscribeToTask':
      return defined({ id: params1_0['id'] });
    case 'CreateTaskPushNotificationConfig':
      return toV03TaskPushNotificationConfig(params1_0) as JsonObject;
    case 'GetTaskPushNotificationConfig':
    case 'DeleteTaskPushNotificationConfig':
      return defined({ id: params1_0['taskId'], pushNotificationConfigId: nonEmpty(params1_0['id']) });
    case 'ListTaskPushNotificationConfigs':
      return defined({ id: params1_0['taskId'] });
    case 'GetExtendedAgentCard':
      return {};
    case 'ListTasks':
      throw unsupported(operation);
  }
}

/**
 * Outbound: a 0.3 result (for stream operations, one event) → the 1.0 result: `{task}` / `{message}` /
 * `{statusUpdate}` / `{artifactUpdate}` wrappers, 1.0 enum names, flat push configs, `{configs}` for the list,
 * `{}` for Delete, a 1.0 card.
 * @throws GatewayError UNSUPPORTED_OPERATION for ListTasks.
 */
export function fromV03Result(operation: A2AOperation, result0_3: unknown): unknown {
  switch (operation) {
    case 'SendMessage':
    case 'SendStreamingMessage':
    case 'SubscribeToTask':
      return fromV03Event(result0_3);
    case 'GetTask':
    case 'CancelTask':
      return fromV03Task(result0_3);
    case 'CreateTaskPushNotificationConfig':
    case 'GetTaskPushNotificationConfig':
      return fromV03TaskPushNotificationConfig(result0_3);
    case 'ListTaskPushNotificationConfigs':
      return Array.isArray(result0_3)
        ? { configs: result0_3.map(fromV03TaskPushNotificationConfig) }
        : result0_3;
    case 'DeleteTaskPushNotificationConfig':
      return result0_3 === null || result0_3 === undefined ? {} : result0_3;
    case 'GetExtendedAgentCard':
      return isObject(result0_3) ? fromV03AgentCard(result0_3) : result0_3;
    case 'ListTasks':
      throw unsupported(operation);
  }
}

/**
 * Inbound: the params of a 0.3 request → the 1.0 request. `blocking` becomes `returnImmediately` only when
 * set (absent means the 1.0 default, blocking); a push-config get or delete without
 * `pushNotificationConfigId` leaves `id` unset.
 * @throws GatewayError UNSUPPORTED_OPERATION for ListTasks.
 */
export function fromV03Params(operation: A2AOperation, params0_3: JsonObject): JsonObject {
  switch (operation) {
    case 'SendMessage':
    case 'SendStreamingMessage': {
      const { configuration } = params0_3;
      return defined({
        message: fromV03Message(params0_3['message']),
        configuration: isObject(configuration)
          ? defined({
              acceptedOutputModes: configuration['acceptedOutputModes'],
              historyLength: configuration['historyLength'],
              returnImmediately:
                typeof configuration['blocking'] === 'boolean' ? !configuration['blocking'] : undefined,
              taskPushNotificationConfig: fromV03PushNotificationConfig(
                configuration['pushNotificationConfig'],
              ),
            })
          : configuration,
        metadata: params0_3['metadata'],
      });
    }
    case 'GetTask':
      return defined({ id: params0_3['id'], historyLength: params0_3['historyLength'] });
    case 'CancelTask':
      return defined({ id: params0_3['id'], metadata: params0_3['metadata'] });
    case 'SubscribeToTask':
      return defined({ id: params0_3['id'] });
    case 'CreateTaskPushNotificationConfig':
      return fromV03TaskPushNotificationConfig(params0_3) as JsonObject;
    case 'GetTaskPushNotificationConfig':
    case 'DeleteTaskPushNotificationConfig':
      return defined({ taskId: params0_3['id'], id: params0_3['pushNotificationConfigId'] });
    case 'ListTaskPushNotificationConfigs':
      return defined({ taskId: params0_3['id'] });
    case 'GetExtendedAgentCard':
      return {};
    case 'ListTasks':
      throw unsupported(operation);
  }
}

/**
 * Inbound: a 1.0 result (for stream operations, one `StreamResponse`) → the 0.3 result: the bare task,
 * message or event with its `kind` (status updates with `final`), 0.3 enum names, nested push configs, the
 * bare config array for the list, `null` for Delete, a 0.3 card.
 * @throws GatewayError UNSUPPORTED_OPERATION for ListTasks.
 */
export function toV03Result(operation: A2AOperation, result1_0: unknown): unknown {
  switch (operation) {
    case 'SendMessage':
    case 'SendStreamingMessage':
    case 'SubscribeToTask':
      return toV03Event(result1_0);
    case 'GetTask':
    case 'CancelTask':
      return toV03Task(result1_0);
    case 'CreateTaskPushNotificationConfig':
    case 'GetTaskPushNotificationConfig':
      return toV03TaskPushNotificationConfig(result1_0);
    case 'ListTaskPushNotificationConfigs': {
      if (!isObject(result1_0)) return result1_0;
      // ProtoJSON leaves out an empty `configs`.
      const configs = result1_0['configs'] ?? [];
      return Array.isArray(configs) ? configs.map(toV03TaskPushNotificationConfig) : result1_0;
    }
    case 'DeleteTaskPushNotificationConfig':
      return null;
    case 'GetExtendedAgentCard':
      return isObject(result1_0) ? toV03AgentCard(result1_0) : result1_0;
    case 'ListTasks':
      throw unsupported(operation);
  }
}
