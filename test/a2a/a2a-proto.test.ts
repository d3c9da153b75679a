import { A2AService } from '@a2a-js/sdk/server/grpc';
import { describe, expect, it } from 'vitest';

import {
  A2A_GRPC_SERVICE,
  a2aCodec,
  decodeGrpcStatusDetails,
  encodeGrpcStatusDetails,
} from '../../src/a2a/a2a-proto.js';
import { A2A_STREAM_OPERATIONS, A2A_UNARY_OPERATIONS, type JsonObject } from '../../src/a2a/operations.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';

const task: JsonObject = {
  id: 'task-1',
  contextId: 'ctx-1',
  status: {
    state: 'TASK_STATE_INPUT_REQUIRED',
    timestamp: '2025-03-04T05:06:07.089Z',
    message: {
      messageId: 'm-2',
      role: 'ROLE_AGENT',
      parts: [{ text: 'which city?' }],
      taskId: 'task-1',
      contextId: 'ctx-1',
    },
  },
  artifacts: [
    {
      artifactId: 'a-1',
      name: 'report',
      description: 'every kind of part',
      parts: [
        { text: 'hello', mediaType: 'text/plain', metadata: { lang: 'en' } },
        {
          raw: Buffer.from([0, 1, 2, 250, 255]).toString('base64'),
          filename: 'blob.bin',
          mediaType: 'application/octet-stream',
        },
        { url: 'https://example.com/file.pdf', filename: 'file.pdf', mediaType: 'application/pdf' },
        { data: { city: 'Lyon', temps: [12.5, -3, 0], ok: true, none: null, nested: { deep: ['x'] } } },
        { data: 'a bare string value' },
      ],
      metadata: { source: 'test' },
      extensions: ['https://example.com/ext/v1'],
    },
  ],
  history: [
    {
      messageId: 'm-1',
      role: 'ROLE_USER',
      parts: [{ text: 'weather?' }],
      referenceTaskIds: ['task-0'],
      extensions: ['https://example.com/ext/v1'],
      metadata: { n: 1 },
    },
  ],
  metadata: { priority: 3, tags: ['a', 'b'], empty: {} },
};

const agentCard: JsonObject = {
  name: 'weather',
  description: 'Answers weather questions',
  supportedInterfaces: [
    { url: 'gw.example.com:443', protocolBinding: 'GRPC', protocolVersion: '1.0', tenant: 'weather' },
    { url: 'https://gw.example.com/agents/weather', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
  ],
  provider: { url: 'https://example.com', organization: 'Example' },
  version: '2.1.0',
  documentationUrl: 'https://example.com/docs',
  capabilities: {
    streaming: true,
    pushNotifications: false,
    extensions: [{ uri: 'https://example.com/ext/v1', description: 'x', required: true, params: { a: 1 } }],
  },
  securitySchemes: {
    bearer: { httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'JWT' } },
    oauth: {
      oauth2SecurityScheme: {
        flows: { clientCredentials: { tokenUrl: 'https://example.com/token', scopes: { read: 'Read' } } },
      },
    },
  },
  securityRequirements: [{ schemes: { bearer: {}, oauth: { list: ['read'] } } }],
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain', 'application/json'],
  skills: [
    { id: 'forecast', name: 'Forecast', description: 'Forecasts', tags: ['weather'], examples: ['rain?'] },
  ],
  signatures: [{ protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'c2ln', header: { kid: 'k1' } }],
  iconUrl: 'https://example.com/icon.png',
};

const streamEvents: JsonObject[] = [
  { task },
  { message: { messageId: 'm-3', role: 'ROLE_AGENT', parts: [{ text: 'hi' }] } },
  {
    statusUpdate: {
      taskId: 'task-1',
      contextId: 'ctx-1',
      status: { state: 'TASK_STATE_WORKING', timestamp: '2025-03-04T05:06:08Z' },
      metadata: { step: 1 },
    },
  },
  {
    artifactUpdate: {
      taskId: 'task-1',
      contextId: 'ctx-1',
      artifact: { artifactId: 'a-1', parts: [{ text: 'chunk' }] },
      append: true,
      lastChunk: true,
    },
  },
];

/** Our bytes decoded and re-encoded by the SDK's own generated code, then decoded by us. */
function throughSdk(
  bytes: Uint8Array,
  method: { responseDeserialize: (b: Buffer) => unknown; responseSerialize: (v: never) => Buffer },
): Uint8Array {
  return method.responseSerialize(method.responseDeserialize(Buffer.from(bytes)) as never);
}

describe('A2A ProtoJSON codecs', () => {
  it('round-trips a Task with status, timestamp, every part kind and metadata', () => {
    const codec = a2aCodec('Task');
    expect(codec.decode(codec.encode(task))).toEqual(task);
  });

  it('is wire-compatible with the SDK for Task, AgentCard and every StreamResponse member', () => {
    const taskCodec = a2aCodec('Task');
    expect(taskCodec.decode(throughSdk(taskCodec.encode(task), A2AService.getTask))).toEqual(task);
    const cardCodec = a2aCodec('AgentCard');
    expect(
      cardCodec.decode(throughSdk(cardCodec.encode(agentCard), A2AService.getExtendedAgentCard)),
    ).toEqual(agentCard);
    const streamCodec = a2aCodec('StreamResponse');
    for (const event of streamEvents) {
      expect(
        streamCodec.decode(throughSdk(streamCodec.encode(event), A2AService.sendStreamingMessage)),
      ).toEqual(event);
    }
  });

  it('encodes requests the SDK reads field by field (tenant numbering, optional presence)', () => {
    const listConfigs = a2aCodec('ListTaskPushNotificationConfigsRequest').encode({
      tenant: 'echo',
      taskId: 't-1',
      pageSize: 5,
      pageToken: 'p',
    });
    expect(A2AService.listTaskPushNotificationConfigs.requestDeserialize(Buffer.from(listConfigs))).toEqual({
      tenant: 'echo',
      taskId: 't-1',
      pageSize: 5,
      pageToken: 'p',
    });
    const getTask = a2aCodec('GetTaskRequest').encode({ tenant: 'echo', id: 't-1', historyLength: 0 });
    expect(A2AService.getTask.requestDeserialize(Buffer.from(getTask))).toEqual({
      tenant: 'echo',
      id: 't-1',
      historyLength: 0,
    });
  });

  it('round-trips an AgentCard, keeping explicit optional values and dropping defaults', () => {
    const codec = a2aCodec('AgentCard');
    expect(codec.decode(codec.encode(agentCard))).toEqual(agentCard);
    expect(
      codec.decode(codec.encode({ name: 'n', version: '', capabilities: { streaming: false } })),
    ).toEqual({
      name: 'n',
      capabilities: { streaming: false },
    });
  });

  it('ignores unknown JSON fields and undefined members', () => {
    const codec = a2aCodec('GetTaskRequest');
    expect(codec.decode(codec.encode({ id: 't', futureField: { x: 1 }, historyLength: undefined }))).toEqual({
      id: 't',
    });
  });

  it('rejects values that are not ProtoJSON for the type with INVALID_ARGUMENT', () => {
    const codec = a2aCodec('Task');
    const attempts: JsonObject[] = [
      { id: 't', status: 'working' },
      { id: 't', status: { timestamp: 'yesterday' } },
      { id: 't', artifacts: [{ artifactId: 'a', parts: [{ raw: '%%%not base64%%%' }] }] },
      { id: 't', artifacts: [{ artifactId: 'a', parts: [{ text: 'x', url: 'https://x' }] }] },
      { id: 42 },
    ];
    for (const json of attempts) {
      let thrown: unknown;
      try {
        codec.encode(json);
      } catch (error) {
        thrown = error;
      }
      expect(GatewayError.is(thrown), JSON.stringify(json)).toBe(true);
      expect((thrown as GatewayError).code).toBe(ErrorCode.INVALID_ARGUMENT);
      expect((thrown as GatewayError).message).toMatch(/^invalid Task: /);
    }
  });

  it('throws when bytes are not the type', () => {
    expect(() => a2aCodec('Task').decode(Uint8Array.from([0xff, 0xff, 0xff]))).toThrow();
  });
});

describe('A2A_GRPC_SERVICE', () => {
  it('defines every operation at the SDK’s paths with ProtoJSON (de)serializers', () => {
    const operations = [...A2A_UNARY_OPERATIONS, ...A2A_STREAM_OPERATIONS];
    expect(Object.keys(A2A_GRPC_SERVICE).sort()).toEqual([...operations].sort());
    const sdk = A2AService as unknown as Record<string, { path: string; responseStream: boolean }>;
    for (const operation of operations) {
      const ours = A2A_GRPC_SERVICE[operation];
      const theirs = sdk[operation.charAt(0).toLowerCase() + operation.slice(1)];
      expect(ours.path).toBe(theirs?.path);
      expect(ours.path).toBe(`/lf.a2a.v1.A2AService/${operation}`);
      expect(ours.requestStream).toBe(false);
      expect(ours.responseStream).toBe(theirs?.responseStream);
    }
    const method = A2A_GRPC_SERVICE.SendStreamingMessage;
    const event = streamEvents[2] as JsonObject;
    expect(method.responseDeserialize(method.responseSerialize(event))).toEqual(event);
    expect(A2A_GRPC_SERVICE.DeleteTaskPushNotificationConfig.responseSerialize({}).length).toBe(0);
  });
});

describe('google.rpc.Status details', () => {
  it('round-trips a Status with an ErrorInfo', () => {
    const status = {
      code: 5,
      message: 'Task not found: t-9',
      errorInfo: { reason: 'TASK_NOT_FOUND', domain: 'a2a-protocol.org', metadata: { taskId: 't-9' } },
    };
    expect(decodeGrpcStatusDetails(encodeGrpcStatusDetails(status))).toEqual(status);
    expect(decodeGrpcStatusDetails(encodeGrpcStatusDetails({ code: 13, message: 'boom' }))).toEqual({
      code: 13,
      message: 'boom',
    });
  });
});
