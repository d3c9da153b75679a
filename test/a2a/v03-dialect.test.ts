import type { ServerCallContext } from '@a2a-js/sdk/server';
import {
  isLegacyAgentCard,
  LegacyJsonRpcTransport,
  parseLegacyAgentCard,
} from '@a2a-js/sdk/compat/v0_3/client';
import { LegacyJsonRpcTransportHandler } from '@a2a-js/sdk/compat/v0_3/server';
import { A2AService } from '@a2a-js/sdk/server/grpc';
import { describe, expect, it } from 'vitest';

import { a2aOperationCodecs } from '../../src/a2a/a2a-proto.js';
import { A2A_STREAM_OPERATIONS, A2A_UNARY_OPERATIONS } from '../../src/a2a/operations.js';
import type { A2AOperation, JsonObject } from '../../src/a2a/operations.js';
import {
  fromV03AgentCard,
  fromV03Params,
  fromV03Result,
  normalizeV03State,
  operationOfV03Method,
  toV03AgentCard,
  toV03Params,
  toV03Result,
  toV03State,
  V03_METHODS,
} from '../../src/a2a/v03-dialect.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';

// ------------------------------------------------------------------------------------------------------
// Fixtures: the same values in their 1.0 (ProtoJSON) and 0.3 shapes.

const userMessage = {
  v1: {
    messageId: 'm-1',
    contextId: 'ctx-1',
    role: 'ROLE_USER',
    parts: [
      { text: 'hello', metadata: { lang: 'en' } },
      { url: 'https://files.example/a.pdf', filename: 'a.pdf', mediaType: 'application/pdf' },
      { raw: 'aGk=', mediaType: 'text/plain' },
      { data: { k: 1 } },
      { data: [1, 2] },
    ],
    extensions: ['urn:ext'],
    referenceTaskIds: ['t-0'],
  },
  v03: {
    kind: 'message',
    messageId: 'm-1',
    contextId: 'ctx-1',
    role: 'user',
    parts: [
      { kind: 'text', text: 'hello', metadata: { lang: 'en' } },
      {
        kind: 'file',
        file: { uri: 'https://files.example/a.pdf', name: 'a.pdf', mimeType: 'application/pdf' },
      },
      { kind: 'file', file: { bytes: 'aGk=', mimeType: 'text/plain' } },
      { kind: 'data', data: { k: 1 } },
      { kind: 'data', data: { value: [1, 2] }, metadata: { data_part_compat: true } },
    ],
    extensions: ['urn:ext'],
    referenceTaskIds: ['t-0'],
  },
};

const agentMessage = {
  v1: {
    messageId: 'm-2',
    contextId: 'ctx-1',
    taskId: 't-1',
    role: 'ROLE_AGENT',
    parts: [{ text: 'which one?' }],
  },
  v03: {
    kind: 'message',
    messageId: 'm-2',
    contextId: 'ctx-1',
    taskId: 't-1',
    role: 'agent',
    parts: [{ kind: 'text', text: 'which one?' }],
  },
};

const task = {
  v1: {
    id: 't-1',
    contextId: 'ctx-1',
    status: { state: 'TASK_STATE_INPUT_REQUIRED', message: agentMessage.v1 },
    artifacts: [{ artifactId: 'a-1', name: 'out', parts: [{ text: 'draft' }] }],
    history: [userMessage.v1],
    metadata: { n: 1 },
  },
  v03: {
    kind: 'task',
    id: 't-1',
    contextId: 'ctx-1',
    status: { state: 'input-required', message: agentMessage.v03 },
    artifacts: [{ artifactId: 'a-1', name: 'out', parts: [{ kind: 'text', text: 'draft' }] }],
    history: [userMessage.v03],
    metadata: { n: 1 },
  },
};

const submittedTask = {
  v1: { id: 't-1', contextId: 'ctx-1', status: { state: 'TASK_STATE_SUBMITTED' } },
  v03: { kind: 'task', id: 't-1', contextId: 'ctx-1', status: { state: 'submitted' } },
};

const workingUpdate = {
  v1: { statusUpdate: { taskId: 't-1', contextId: 'ctx-1', status: { state: 'TASK_STATE_WORKING' } } },
  v03: {
    kind: 'status-update',
    taskId: 't-1',
    contextId: 'ctx-1',
    status: { state: 'working' },
    final: false,
  },
};

const artifactUpdate = {
  v1: {
    artifactUpdate: {
      taskId: 't-1',
      contextId: 'ctx-1',
      artifact: { artifactId: 'a-1', parts: [{ text: 'chunk' }] },
      append: true,
      lastChunk: true,
    },
  },
  v03: {
    kind: 'artifact-update',
    taskId: 't-1',
    contextId: 'ctx-1',
    artifact: { artifactId: 'a-1', parts: [{ kind: 'text', text: 'chunk' }] },
    append: true,
    lastChunk: true,
  },
};

const completedUpdate = {
  v1: { statusUpdate: { taskId: 't-1', contextId: 'ctx-1', status: { state: 'TASK_STATE_COMPLETED' } } },
  v03: {
    kind: 'status-update',
    taskId: 't-1',
    contextId: 'ctx-1',
    status: { state: 'completed' },
    final: true,
  },
};

const pushConfig = {
  v1: {
    id: 'cfg-1',
    taskId: 't-1',
    url: 'https://hooks.example/a2a',
    token: 'tok',
    authentication: { scheme: 'Bearer', credentials: 'secret' },
  },
  v03: {
    taskId: 't-1',
    pushNotificationConfig: {
      id: 'cfg-1',
      url: 'https://hooks.example/a2a',
      token: 'tok',
      authentication: { schemes: ['Bearer'], credentials: 'secret' },
    },
  },
};

/** A card whose interfaces are all 0.3, so it survives 1.0 → 0.3 → 1.0 unchanged. */
const card = {
  v1: {
    name: 'Echo',
    description: 'Echoes text',
    version: '1.2.0',
    provider: { organization: 'Acme', url: 'https://acme.example' },
    supportedInterfaces: [
      { url: 'https://agent.example/rpc', protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
      { url: 'https://agent.example/rest', protocolBinding: 'HTTP+JSON', protocolVersion: '0.3' },
    ],
    capabilities: { streaming: true, pushNotifications: true, extendedAgentCard: true },
    securitySchemes: { bearer: { httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'JWT' } } },
    securityRequirements: [{ schemes: { bearer: { list: [] } } }],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain', 'application/json'],
    skills: [{ id: 'echo', name: 'Echo', description: 'Repeats the input', tags: ['demo'] }],
  },
  v03: {
    name: 'Echo',
    description: 'Echoes text',
    version: '1.2.0',
    provider: { organization: 'Acme', url: 'https://acme.example' },
    protocolVersion: '0.3.0',
    url: 'https://agent.example/rpc',
    preferredTransport: 'JSONRPC',
    additionalInterfaces: [{ url: 'https://agent.example/rest', transport: 'HTTP+JSON' }],
    capabilities: { streaming: true, pushNotifications: true },
    supportsAuthenticatedExtendedCard: true,
    securitySchemes: { bearer: { type: 'http', scheme: 'Bearer', bearerFormat: 'JWT' } },
    security: [{ bearer: [] }],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain', 'application/json'],
    skills: [{ id: 'echo', name: 'Echo', description: 'Repeats the input', tags: ['demo'] }],
  },
};

interface Case {
  readonly operation: Exclude<A2AOperation, 'ListTasks'>;
  readonly params: { readonly v1: JsonObject; readonly v03: JsonObject };
  /** One result, or the events of a stream. */
  readonly results: readonly { readonly v1: unknown; readonly v03: unknown }[];
}

const sendParams = {
  v1: {
    message: userMessage.v1,
    configuration: {
      acceptedOutputModes: ['text/plain'],
      historyLength: 5,
      returnImmediately: false,
      taskPushNotificationConfig: { url: 'https://hooks.example/a2a', token: 'tok' },
    },
    metadata: { trace: 'x' },
  },
  v03: {
    message: userMessage.v03,
    configuration: {
      acceptedOutputModes: ['text/plain'],
      historyLength: 5,
      blocking: true,
      pushNotificationConfig: { url: 'https://hooks.example/a2a', token: 'tok' },
    },
    metadata: { trace: 'x' },
  },
};

const CASES: readonly Case[] = [
  { operation: 'SendMessage', params: sendParams, results: [{ v1: { task: task.v1 }, v03: task.v03 }] },
  {
    operation: 'SendMessage',
    params: {
      v1: {
        message: userMessage.v1,
        configuration: { acceptedOutputModes: ['text/plain'], returnImmediately: true },
      },
      v03: {
        message: userMessage.v03,
        configuration: { acceptedOutputModes: ['text/plain'], blocking: false },
      },
    },
    results: [{ v1: { message: agentMessage.v1 }, v03: agentMessage.v03 }],
  },
  {
    operation: 'SendStreamingMessage',
    params: { v1: { message: userMessage.v1 }, v03: { message: userMessage.v03 } },
    results: [
      { v1: { task: submittedTask.v1 }, v03: submittedTask.v03 },
      workingUpdate,
      artifactUpdate,
      completedUpdate,
    ],
  },
  {
    operation: 'GetTask',
    params: { v1: { id: 't-1', historyLength: 2 }, v03: { id: 't-1', historyLength: 2 } },
    results: [task],
  },
  {
    operation: 'CancelTask',
    params: { v1: { id: 't-1', metadata: { why: 'user' } }, v03: { id: 't-1', metadata: { why: 'user' } } },
    results: [
      {
        v1: { id: 't-1', contextId: 'ctx-1', status: { state: 'TASK_STATE_CANCELED' } },
        v03: { kind: 'task', id: 't-1', contextId: 'ctx-1', status: { state: 'canceled' } },
      },
    ],
  },
  {
    operation: 'SubscribeToTask',
    params: { v1: { id: 't-1' }, v03: { id: 't-1' } },
    results: [{ v1: { task: task.v1 }, v03: task.v03 }, workingUpdate, completedUpdate],
  },
  { operation: 'CreateTaskPushNotificationConfig', params: pushConfig, results: [pushConfig] },
  {
    operation: 'GetTaskPushNotificationConfig',
    params: { v1: { taskId: 't-1', id: 'cfg-1' }, v03: { id: 't-1', pushNotificationConfigId: 'cfg-1' } },
    results: [pushConfig],
  },
  {
    operation: 'ListTaskPushNotificationConfigs',
    params: { v1: { taskId: 't-1' }, v03: { id: 't-1' } },
    results: [{ v1: { configs: [pushConfig.v1] }, v03: [pushConfig.v03] }],
  },
  {
    operation: 'DeleteTaskPushNotificationConfig',
    params: { v1: { taskId: 't-1', id: 'cfg-1' }, v03: { id: 't-1', pushNotificationConfigId: 'cfg-1' } },
    results: [{ v1: {}, v03: null }],
  },
  { operation: 'GetExtendedAgentCard', params: { v1: {}, v03: {} }, results: [card] },
];

const caseName = (c: Case): string => `${c.operation} (${V03_METHODS[c.operation]})`;

describe('V03_METHODS', () => {
  it('names every operation but ListTasks, and maps the names back', () => {
    const operations = [...A2A_UNARY_OPERATIONS, ...A2A_STREAM_OPERATIONS];
    for (const operation of operations) {
      const method = V03_METHODS[operation];
      if (operation === 'ListTasks') expect(method).toBeUndefined();
      else expect(operationOfV03Method(method ?? '')).toBe(operation);
    }
    expect(V03_METHODS.SubscribeToTask).toBe('tasks/resubscribe');
    expect(V03_METHODS.GetExtendedAgentCard).toBe('agent/getAuthenticatedExtendedCard');
    expect(operationOfV03Method('tasks/list')).toBeUndefined();
    expect(operationOfV03Method('GetTask')).toBeUndefined();
  });
});

describe('task states', () => {
  it.each([
    ['submitted', 'TASK_STATE_SUBMITTED'],
    ['working', 'TASK_STATE_WORKING'],
    ['input-required', 'TASK_STATE_INPUT_REQUIRED'],
    ['auth-required', 'TASK_STATE_AUTH_REQUIRED'],
    ['completed', 'TASK_STATE_COMPLETED'],
    ['canceled', 'TASK_STATE_CANCELED'],
    ['failed', 'TASK_STATE_FAILED'],
    ['rejected', 'TASK_STATE_REJECTED'],
    ['unknown', 'TASK_STATE_UNSPECIFIED'],
  ])('%s ↔ %s', (v03, v1) => {
    expect(normalizeV03State(v03)).toBe(v1);
    expect(toV03State(v1)).toBe(v03);
  });

  it('accepts the 0.3 proto spelling and leaves names of the other dialect alone', () => {
    expect(normalizeV03State('cancelled')).toBe('TASK_STATE_CANCELED');
    expect(normalizeV03State('TASK_STATE_WORKING')).toBe('TASK_STATE_WORKING');
    expect(toV03State('working')).toBe('working');
  });

  it.each([
    ['TASK_STATE_SUBMITTED', false],
    ['TASK_STATE_WORKING', false],
    ['TASK_STATE_INPUT_REQUIRED', true],
    ['TASK_STATE_AUTH_REQUIRED', true],
    ['TASK_STATE_COMPLETED', true],
    ['TASK_STATE_FAILED', true],
    ['TASK_STATE_CANCELED', true],
    ['TASK_STATE_REJECTED', true],
  ])('a status update in %s has final: %s', (state, final) => {
    const event = { statusUpdate: { taskId: 't', contextId: 'c', status: { state } } };
    expect(toV03Result('SendStreamingMessage', event)).toMatchObject({ kind: 'status-update', final });
  });
});

describe.each(CASES)('$operation', (c) => {
  it(`outbound: 1.0 params → 0.3 params of ${caseName(c)}`, () => {
    expect(toV03Params(c.operation, c.params.v1)).toEqual(c.params.v03);
  });

  it('inbound: 0.3 params → 1.0 params', () => {
    expect(fromV03Params(c.operation, c.params.v03)).toEqual(c.params.v1);
  });

  it('inbound: 1.0 results → 0.3 results', () => {
    for (const result of c.results) expect(toV03Result(c.operation, result.v1)).toEqual(result.v03);
  });

  it('outbound: 0.3 results → 1.0 results', () => {
    for (const result of c.results) expect(fromV03Result(c.operation, result.v03)).toEqual(result.v1);
  });
});

describe('edge cases', () => {
  it('ListTasks has no 0.3 form', () => {
    for (const convert of [toV03Params, fromV03Params, toV03Result, fromV03Result]) {
      const call = (): unknown => convert('ListTasks', {});
      expect(call).toThrow(GatewayError);
      expect(call).toThrow(expect.objectContaining({ code: ErrorCode.UNSUPPORTED_OPERATION }));
    }
  });

  it('passes values of an unexpected shape through', () => {
    expect(fromV03Result('GetTask', 'nope')).toBe('nope');
    expect(fromV03Result('SendMessage', { kind: 'weird', x: 1 })).toEqual({ kind: 'weird', x: 1 });
    expect(toV03Result('SendMessage', { other: 1 })).toEqual({ other: 1 });
    expect(toV03Result('ListTaskPushNotificationConfigs', [1])).toEqual([1]);
    expect(fromV03Params('SendMessage', { message: { parts: 'x' } })).toEqual({ message: { parts: 'x' } });
  });

  it('reads ProtoJSON defaults: an empty config list, an unset state', () => {
    expect(toV03Result('ListTaskPushNotificationConfigs', {})).toEqual([]);
    expect(toV03Result('GetTask', { id: 't', status: {} })).toEqual({
      kind: 'task',
      id: 't',
      status: { state: 'unknown' },
    });
  });

  it('drops tenant outbound and keeps the first of several 0.3 auth schemes inbound', () => {
    expect(toV03Params('GetTask', { tenant: 'acme', id: 't-1' })).toEqual({ id: 't-1' });
    const set = {
      taskId: 't',
      pushNotificationConfig: { url: 'https://h', authentication: { schemes: ['Bearer', 'Basic'] } },
    };
    expect(fromV03Params('CreateTaskPushNotificationConfig', set)).toEqual({
      taskId: 't',
      url: 'https://h',
      authentication: { scheme: 'Bearer' },
    });
  });

  it('leaves blocking and the config id unset when the other side did not send them', () => {
    expect(fromV03Params('SendMessage', { message: userMessage.v03, configuration: {} })).toEqual({
      message: userMessage.v1,
      configuration: {},
    });
    expect(fromV03Params('GetTaskPushNotificationConfig', { id: 't-1' })).toEqual({ taskId: 't-1' });
  });

  it('tells a 0.3 agent to block on a send, unless the 1.0 caller asked to return immediately', () => {
    // 1.0 blocks by default; 0.3 servers such as the JS SDK's do not unless told to.
    expect(toV03Params('SendMessage', { message: userMessage.v1 })).toEqual({
      message: userMessage.v03,
      configuration: { blocking: true },
    });
    expect(
      toV03Params('SendMessage', { message: userMessage.v1, configuration: { returnImmediately: true } }),
    ).toEqual({ message: userMessage.v03, configuration: { blocking: false } });
  });
});

describe('toV03AgentCard', () => {
  const mixedCard = {
    ...card.v1,
    supportedInterfaces: [
      { url: 'https://agent.example/v1', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      { url: 'grpc.agent.example:443', protocolBinding: 'GRPC', protocolVersion: '0.3' },
      { url: 'https://agent.example/v03', protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
    ],
    securitySchemes: {
      bearer: { httpAuthSecurityScheme: { scheme: 'Bearer' } },
      key: { apiKeySecurityScheme: { location: 'header', name: 'X-Key' } },
      oauth: {
        oauth2SecurityScheme: { flows: { clientCredentials: { tokenUrl: 'https://t', scopes: {} } } },
      },
    },
    securityRequirements: [{ schemes: { oauth: { list: ['read'] } } }, { schemes: { key: { list: [] } } }],
    skills: [{ id: 'bare', name: 'Bare', description: 'no tags', securityRequirements: [] }],
    signatures: [{ protected: 'e30', signature: 'sig' }],
  };

  it('takes the first 0.3 interface as url, lists the other 0.3 ones, converts simple schemes only', () => {
    const v03 = toV03AgentCard(mixedCard);
    expect(v03).toMatchObject({
      protocolVersion: '0.3.0',
      url: 'grpc.agent.example:443',
      preferredTransport: 'GRPC',
      additionalInterfaces: [{ url: 'https://agent.example/v03', transport: 'JSONRPC' }],
      securitySchemes: {
        bearer: { type: 'http', scheme: 'Bearer' },
        key: { type: 'apiKey', in: 'header', name: 'X-Key' },
      },
      security: [{ key: [] }],
      skills: [{ id: 'bare', name: 'Bare', description: 'no tags', tags: [] }],
    });
    expect(v03).not.toHaveProperty('supportedInterfaces');
    expect(v03).not.toHaveProperty('signatures');
    expect(v03).not.toHaveProperty('securitySchemes.oauth');
  });

  it('falls back to the first interface when none is 0.3, and writes the arrays the 0.3 SDK requires', () => {
    const v03 = toV03AgentCard({
      name: 'Min',
      description: 'minimal',
      version: '1',
      supportedInterfaces: [{ url: 'https://a/v1', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
      capabilities: {},
    });
    expect(v03).toEqual({
      name: 'Min',
      description: 'minimal',
      version: '1',
      protocolVersion: '0.3.0',
      url: 'https://a/v1',
      preferredTransport: 'JSONRPC',
      capabilities: {},
      defaultInputModes: [],
      defaultOutputModes: [],
      skills: [],
    });
  });

  it('produces cards the SDK 0.3 client recognises and parses into a JSON-RPC 0.3 interface', () => {
    for (const v1 of [card.v1, mixedCard]) {
      const v03 = toV03AgentCard(v1);
      expect(isLegacyAgentCard(v03)).toBe(true);
      const parsed = parseLegacyAgentCard(v03);
      expect(parsed.supportedInterfaces.find((i) => i.protocolBinding === 'JSONRPC')?.url).toMatch(/rpc|v03/);
      expect(parsed.capabilities?.extendedAgentCard).toBe(true);
      expect(parsed.name).toBe('Echo');
    }
  });

  it('fromV03AgentCard drops a repeated main interface and 0.3-only fields', () => {
    const v1 = fromV03AgentCard({
      ...card.v03,
      additionalInterfaces: [{ url: 'https://agent.example/rpc', transport: 'JSONRPC' }],
      capabilities: { streaming: true, stateTransitionHistory: true },
    });
    expect(v1['supportedInterfaces']).toEqual([card.v1.supportedInterfaces[0]]);
    expect(v1['capabilities']).toEqual({ streaming: true, extendedAgentCard: true });
    expect(v1).not.toHaveProperty('protocolVersion');
  });
});

// ------------------------------------------------------------------------------------------------------
// Interop with the SDK's own 0.3 translators: its v0.3 JSON-RPC server handler (inbound) and client
// transport (outbound). SDK objects are bridged to ProtoJSON through protobuf binary: the SDK's gRPC
// serializers on one side, our codecs on the other.

interface SdkRpc {
  requestSerialize(value: unknown): Buffer;
  requestDeserialize(bytes: Buffer): unknown;
  responseSerialize(value: unknown): Buffer;
  responseDeserialize(bytes: Buffer): unknown;
}

type Side = 'request' | 'response';

function sdkRpc(operation: A2AOperation): SdkRpc {
  const name = operation[0]?.toLowerCase() + operation.slice(1);
  return (A2AService as unknown as Record<string, SdkRpc>)[name] as SdkRpc;
}

function toSdk(operation: A2AOperation, side: Side, json: unknown): unknown {
  const bytes = Buffer.from(a2aOperationCodecs(operation)[side].encode(json as JsonObject));
  return side === 'request'
    ? sdkRpc(operation).requestDeserialize(bytes)
    : sdkRpc(operation).responseDeserialize(bytes);
}

function fromSdk(operation: A2AOperation, side: Side, value: unknown): JsonObject {
  const rpc = sdkRpc(operation);
  const bytes = side === 'request' ? rpc.requestSerialize(value) : rpc.responseSerialize(value);
  return a2aOperationCodecs(operation)[side].decode(bytes);
}

/** ProtoJSON as the codec writes it (defaults left out), for comparing with SDK output. */
function canonical(operation: A2AOperation, side: Side, json: unknown): JsonObject {
  const codec = a2aOperationCodecs(operation)[side];
  return codec.decode(codec.encode(json as JsonObject));
}

/** The SDK stamps a 0.3 card's interfaces with the card's version (`0.3.0`); we write `0.3`. */
function withInterfaceVersion(cardJson: JsonObject): JsonObject {
  const interfaces = cardJson['supportedInterfaces'] as JsonObject[];
  return { ...cardJson, supportedInterfaces: interfaces.map((i) => ({ ...i, protocolVersion: '0.3' })) };
}

async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('interop with the SDK 0.3 server handler (inbound)', () => {
  it.each(CASES.map((c) => [caseName(c), c] as const))('%s', async (_name, c) => {
    let received: unknown;
    const capture =
      (result: () => unknown) =>
      (params: unknown): Promise<unknown> => {
        received = params;
        return Promise.resolve(result());
      };
    const results = c.results.map((r) => toSdk(c.operation, 'response', r.v1));
    const first = (): unknown => results[0];
    const stream = (params: unknown): AsyncGenerator<unknown> => {
      received = params;
      return (async function* () {
        yield* results;
      })();
    };
    const requestHandler = {
      getAgentCard: () => Promise.resolve({ capabilities: { streaming: true } }),
      getAuthenticatedExtendedAgentCard: capture(first),
      sendMessage: capture(() => (results[0] as { payload: { value: unknown } }).payload.value),
      sendMessageStream: stream,
      resubscribe: stream,
      getTask: capture(first),
      cancelTask: capture(first),
      createTaskPushNotificationConfig: capture(first),
      getTaskPushNotificationConfig: capture(first),
      listTaskPushNotificationConfigs: capture(first),
      deleteTaskPushNotificationConfig: capture(() => undefined),
      listTasks: capture(first),
    };
    const handler = new LegacyJsonRpcTransportHandler(requestHandler as never);
    const request = { jsonrpc: '2.0', id: 7, method: V03_METHODS[c.operation], params: c.params.v03 };
    const reply = await handler.handle(request, {} as ServerCallContext);
    const envelopes = Symbol.asyncIterator in reply ? await collect(reply) : [reply];

    expect(fromSdk(c.operation, 'request', received)).toEqual(
      canonical(c.operation, 'request', fromV03Params(c.operation, c.params.v03)),
    );
    expect(envelopes.map((e) => e.error)).toEqual(c.results.map(() => undefined));
    const ours = c.results.map((r) => toV03Result(c.operation, r.v1));
    if (c.operation === 'GetExtendedAgentCard') {
      expect(envelopes[0]?.result).toEqual({ ...(ours[0] as JsonObject), protocolVersion: '0.3' });
    } else {
      expect(envelopes.map((e) => e.result)).toEqual(ours);
    }
  });
});

describe('interop with the SDK 0.3 client transport (outbound)', () => {
  const call: Record<Case['operation'], (t: LegacyJsonRpcTransport, params: never) => unknown> = {
    SendMessage: (t, p) => t.sendMessage(p),
    SendStreamingMessage: (t, p) => collect(t.sendMessageStream(p)),
    GetTask: (t, p) => t.getTask(p),
    CancelTask: (t, p) => t.cancelTask(p),
    SubscribeToTask: (t, p) => collect(t.resubscribeTask(p)),
    CreateTaskPushNotificationConfig: (t, p) => t.createTaskPushNotificationConfig(p),
    GetTaskPushNotificationConfig: (t, p) => t.getTaskPushNotificationConfig(p),
    ListTaskPushNotificationConfigs: (t, p) => t.listTaskPushNotificationConfig(p),
    DeleteTaskPushNotificationConfig: (t, p) => t.deleteTaskPushNotificationConfig(p),
    GetExtendedAgentCard: (t, p) => t.getExtendedAgentCard(p),
  };

  it.each(CASES.map((c) => [caseName(c), c] as const))('%s', async (_name, c) => {
    let sent: { method: string; params?: unknown } | undefined;
    const fetchImpl = (_url: unknown, init?: RequestInit): Promise<Response> => {
      const body = JSON.parse(init?.body as string) as { id: number; method: string; params?: unknown };
      sent = body;
      const envelopes = c.results.map((r) => JSON.stringify({ jsonrpc: '2.0', id: body.id, result: r.v03 }));
      const streaming = c.operation === 'SendStreamingMessage' || c.operation === 'SubscribeToTask';
      return Promise.resolve(
        streaming
          ? new Response(envelopes.map((e) => `data: ${e}\n\n`).join(''), {
              headers: { 'Content-Type': 'text/event-stream' },
            })
          : new Response(envelopes[0], { headers: { 'Content-Type': 'application/json' } }),
      );
    };
    const transport = new LegacyJsonRpcTransport({ endpoint: 'http://agent.invalid/rpc', fetchImpl });
    const returned = await call[c.operation](transport, toSdk(c.operation, 'request', c.params.v1) as never);

    expect(sent?.method).toBe(V03_METHODS[c.operation]);
    expect(sent?.params ?? {}).toEqual(toV03Params(c.operation, c.params.v1));
    const ours = c.results.map((r) => canonical(c.operation, 'response', fromV03Result(c.operation, r.v03)));
    switch (c.operation) {
      case 'SendMessage': {
        const $case = 'messageId' in (returned as object) ? 'message' : 'task';
        expect([fromSdk(c.operation, 'response', { payload: { $case, value: returned } })]).toEqual(ours);
        break;
      }
      case 'SendStreamingMessage':
      case 'SubscribeToTask':
        expect((returned as unknown[]).map((e) => fromSdk(c.operation, 'response', e))).toEqual(ours);
        break;
      case 'DeleteTaskPushNotificationConfig':
        expect(returned).toBeUndefined();
        expect(ours).toEqual([{}]);
        break;
      case 'GetExtendedAgentCard':
        expect([withInterfaceVersion(fromSdk(c.operation, 'response', returned))]).toEqual(ours);
        break;
      default:
        expect([fromSdk(c.operation, 'response', returned)]).toEqual(ours);
    }
  });
});
