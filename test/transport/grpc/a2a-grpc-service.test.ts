import { TaskState } from '@a2a-js/sdk';
import type { AgentCard, Task } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, type Client } from '@a2a-js/sdk/client';
import { GrpcTransportFactory } from '@a2a-js/sdk/client/grpc';
import { TaskNotFoundError } from '@a2a-js/sdk/errors';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  A2A_GRPC_SERVICE,
  decodeGrpcStatusDetails,
  GRPC_STATUS_DETAILS_KEY,
} from '../../../src/a2a/a2a-proto.js';
import type { A2AStreamOperation, A2AUnaryOperation, JsonObject } from '../../../src/a2a/operations.js';
import type { CallContext } from '../../../src/domain/call-context.js';
import { ErrorCode, GatewayError } from '../../../src/errors/gateway-error.js';
import type { A2AFacadeService, FacadeCall, ServedCard } from '../../../src/facade/a2a-facade.js';
import { buildCallContext } from '../../../src/transport/call-context.js';
import { a2aGrpcHandlers, type A2AServerCall } from '../../../src/transport/grpc/a2a-grpc-service.js';

interface RecordedCall {
  readonly agent: string;
  readonly extensions?: string;
  readonly operation: string;
  readonly params: JsonObject;
  readonly ctx: CallContext;
}

const completedTask: JsonObject = {
  id: 'task-1',
  contextId: 'ctx-1',
  status: { state: 'TASK_STATE_COMPLETED', timestamp: '2025-01-02T03:04:05.678Z' },
  artifacts: [{ artifactId: 'a-1', parts: [{ text: 'done' }, { data: { answer: 42, tags: ['x'] } }] }],
  metadata: { via: 'gateway' },
};

const streamEvents: JsonObject[] = [
  { task: { id: 'task-2', contextId: 'ctx-2', status: { state: 'TASK_STATE_SUBMITTED' } } },
  {
    artifactUpdate: {
      taskId: 'task-2',
      contextId: 'ctx-2',
      artifact: { artifactId: 'a', parts: [{ raw: Buffer.from('bytes').toString('base64') }] },
      lastChunk: true,
    },
  },
  { statusUpdate: { taskId: 'task-2', contextId: 'ctx-2', status: { state: 'TASK_STATE_COMPLETED' } } },
];

/** The façade port, scripted: the thing these tests do not exercise. */
class TestFacade implements A2AFacadeService {
  readonly calls: RecordedCall[] = [];
  /** What the next stream does after its events: end, or throw. */
  streamFailure: GatewayError | undefined;
  /** Set once a stream's iteration was closed by the caller. */
  streamClosed = false;
  /** How many events a stream sends before it waits for cancellation (undefined: all, then end). */
  hangAfter: number | undefined;

  async card(): Promise<ServedCard> {
    throw new Error('not used over gRPC');
  }

  async unary(call: FacadeCall, operation: A2AUnaryOperation, params: JsonObject): Promise<JsonObject> {
    this.#record(call, operation, params);
    if (operation === 'GetTask' && params['id'] === 'missing') {
      throw new GatewayError(ErrorCode.REMOTE_ERROR, 'agent answered TaskNotFound', {
        details: {
          remoteCode: -32001,
          remoteMessage: 'Task not found: missing',
          remoteReason: 'TASK_NOT_FOUND',
        },
      });
    }
    if (operation === 'SendMessage') return { task: completedTask };
    if (operation === 'DeleteTaskPushNotificationConfig') return {};
    return completedTask;
  }

  async *stream(
    call: FacadeCall,
    operation: A2AStreamOperation,
    params: JsonObject,
  ): AsyncIterable<JsonObject> {
    this.#record(call, operation, params);
    try {
      for (const [index, event] of streamEvents.entries()) {
        if (index === this.hangAfter) {
          await new Promise((resolve) => call.ctx.signal.addEventListener('abort', resolve));
          return;
        }
        yield event;
        if (this.streamFailure !== undefined) throw this.streamFailure;
      }
    } finally {
      this.streamClosed = true;
    }
  }

  #record(call: FacadeCall, operation: string, params: JsonObject): void {
    this.calls.push({
      agent: call.agent,
      operation,
      params,
      ctx: call.ctx,
      ...(call.extensions !== undefined && { extensions: call.extensions }),
    });
  }
}

function contextOf(call: A2AServerCall): CallContext {
  const controller = new AbortController();
  call.once('cancelled', () => controller.abort(new GatewayError(ErrorCode.CANCELLED, 'client cancelled')));
  const requestId = call.metadata.get('x-request-id')[0];
  return buildCallContext({
    signal: controller.signal,
    ...(typeof requestId === 'string' && { requestId }),
  });
}

const RawClient = grpc.makeGenericClientConstructor(A2A_GRPC_SERVICE, 'A2AService');
type RawClient = InstanceType<typeof RawClient> & Record<string, (...args: unknown[]) => unknown>;

function rawUnary(client: RawClient, method: string, request: JsonObject, metadata = new grpc.Metadata()) {
  return new Promise<JsonObject>((resolve, reject) => {
    client[method]?.(request, metadata, (error: grpc.ServiceError | null, reply: JsonObject) =>
      error === null ? resolve(reply) : reject(error),
    );
  });
}

async function rawFailure(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error('expected the call to fail');
}

function errorInfoOf(error: grpc.ServiceError) {
  const trailer = error.metadata.get(GRPC_STATUS_DETAILS_KEY)[0];
  expect(trailer).toBeInstanceOf(Buffer);
  return decodeGrpcStatusDetails(trailer as Buffer);
}

describe('the A2A gRPC service, called by the @a2a-js/sdk client', () => {
  const facade = new TestFacade();
  let server: grpc.Server;
  let address: string;
  let client: Client;
  let raw: RawClient;

  beforeAll(async () => {
    server = new grpc.Server();
    const handlers = a2aGrpcHandlers({
      facade,
      logger: pino({ level: 'silent' }),
      scopeOf: (call) => ({ ctx: contextOf(call), finish: () => undefined }),
    });
    server.addService(A2A_GRPC_SERVICE, handlers);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error === null ? resolve(bound) : reject(error),
      ),
    );
    address = `127.0.0.1:${port}`;
    const card = {
      name: 'echo',
      description: 'the echo agent, through the gateway',
      version: '1.0.0',
      supportedInterfaces: [
        { url: address, protocolBinding: 'GRPC', protocolVersion: '1.0', tenant: 'echo' },
      ],
      capabilities: { streaming: true, pushNotifications: false, extensions: [] },
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: [],
      securitySchemes: {},
      securityRequirements: [],
      signatures: [],
    } as unknown as AgentCard;
    const factory = new ClientFactory(
      ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
        transports: [new GrpcTransportFactory()],
        preferredTransports: ['GRPC'],
      }),
    );
    client = await factory.createFromAgentCard(card);
    raw = new RawClient(address, grpc.credentials.createInsecure()) as RawClient;
  });

  afterAll(async () => {
    raw.close();
    await new Promise<void>((resolve) => {
      server.tryShutdown(() => resolve());
      server.forceShutdown();
    });
  });

  beforeEach(() => {
    facade.calls.length = 0;
    facade.streamFailure = undefined;
    facade.streamClosed = false;
    facade.hangAfter = undefined;
  });

  it('routes by tenant, hands the façade ProtoJSON params without tenant, and the SDK decodes the result', async () => {
    const result = (await client.sendMessage({
      tenant: '',
      message: {
        messageId: 'm-1',
        contextId: '',
        taskId: '',
        role: 1,
        parts: [
          { content: { $case: 'text', value: 'hello' }, mediaType: '', filename: '', metadata: undefined },
        ],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      },
      configuration: undefined,
      metadata: { trace: 'x' },
    })) as Task;
    expect(facade.calls).toHaveLength(1);
    const [call] = facade.calls;
    expect(call?.agent).toBe('echo');
    expect(call?.operation).toBe('SendMessage');
    expect(call?.params).toEqual({
      message: { messageId: 'm-1', role: 'ROLE_USER', parts: [{ text: 'hello' }] },
      metadata: { trace: 'x' },
      // The SDK client always sends a (here empty) configuration: present on the wire, so kept.
      configuration: {},
    });
    expect(result.id).toBe('task-1');
    expect(result.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(result.status?.timestamp).toBe('2025-01-02T03:04:05.678Z');
    expect(result.artifacts[0]?.parts.map((part) => part.content)).toEqual([
      { $case: 'text', value: 'done' },
      { $case: 'data', value: { answer: 42, tags: ['x'] } },
    ]);
    expect(result.metadata).toEqual({ via: 'gateway' });
  });

  it('a TaskNotFound-kind error reaches the SDK client as its TaskNotFoundError', async () => {
    const error = await client.getTask({ tenant: '', id: 'missing', historyLength: undefined }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect((error as Error).message).toContain('Task not found: missing');
    expect(facade.calls[0]?.params).toEqual({ id: 'missing' });
  });

  it('streams every event to the SDK client in order', async () => {
    const received: unknown[] = [];
    for await (const event of client.sendMessageStream({
      tenant: '',
      message: {
        messageId: 'm-2',
        contextId: '',
        taskId: '',
        role: 1,
        parts: [
          { content: { $case: 'text', value: 'stream' }, mediaType: '', filename: '', metadata: undefined },
        ],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      },
      configuration: undefined,
      metadata: undefined,
    })) {
      received.push(event.payload);
    }
    expect(received.map((payload) => (payload as { $case: string }).$case)).toEqual([
      'task',
      'artifactUpdate',
      'statusUpdate',
    ]);
    const artifactUpdate = received[1] as {
      value: { artifact: { parts: { content: { $case: string; value: Uint8Array } }[] } };
    };
    const content = artifactUpdate.value.artifact.parts[0]?.content;
    expect(content?.$case).toBe('raw');
    expect(Buffer.from(content?.value ?? []).toString()).toBe('bytes');
    expect(facade.calls[0]).toMatchObject({ agent: 'echo', operation: 'SendStreamingMessage' });
  });

  it('an error after the first event ends the stream with the error status', async () => {
    facade.streamFailure = new GatewayError(ErrorCode.REMOTE_ERROR, 'gone', {
      details: {
        remoteCode: -32001,
        remoteMessage: 'Task not found: task-2',
        remoteReason: 'TASK_NOT_FOUND',
      },
    });
    const received: unknown[] = [];
    const error = await (async () => {
      for await (const event of client.resubscribeTask({ tenant: '', id: 'task-2' })) received.push(event);
    })().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(received).toHaveLength(1);
    expect(error).toBeInstanceOf(TaskNotFoundError);
    expect(facade.calls[0]).toMatchObject({ operation: 'SubscribeToTask', params: { id: 'task-2' } });
  });

  it('a missing tenant is INVALID_ARGUMENT, with an ErrorInfo in grpc-status-details-bin', async () => {
    const error = await rawFailure(rawUnary(raw, 'GetTask', { id: 't' }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(errorInfoOf(error)).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      errorInfo: { reason: 'INVALID_PARAMS', domain: 'a2a-protocol.org' },
    });
    expect(facade.calls).toHaveLength(0);
  });

  it('checks a2a-version: 1.x and none pass, others are VersionNotSupported', async () => {
    for (const version of ['1.0', '1.1', undefined]) {
      const metadata = new grpc.Metadata();
      if (version !== undefined) metadata.set('a2a-version', version);
      await expect(rawUnary(raw, 'GetTask', { tenant: 'echo', id: 't' }, metadata)).resolves.toMatchObject({
        id: 'task-1',
      });
    }
    const metadata = new grpc.Metadata();
    metadata.set('a2a-version', '0.3');
    const error = await rawFailure(rawUnary(raw, 'GetTask', { tenant: 'echo', id: 't' }, metadata));
    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(errorInfoOf(error).errorInfo?.reason).toBe('VERSION_NOT_SUPPORTED');
    expect(facade.calls).toHaveLength(3);
  });

  it('passes a2a-extensions and the request id, and answers an empty Delete', async () => {
    const metadata = new grpc.Metadata();
    metadata.set('a2a-extensions', 'https://example.com/ext/a, https://example.com/ext/b');
    metadata.set('x-request-id', 'req-42');
    const reply = await rawUnary(
      raw,
      'DeleteTaskPushNotificationConfig',
      { tenant: 'echo', taskId: 't', id: 'c' },
      metadata,
    );
    expect(reply).toEqual({});
    expect(facade.calls[0]).toMatchObject({
      agent: 'echo',
      extensions: 'https://example.com/ext/a, https://example.com/ext/b',
      params: { taskId: 't', id: 'c' },
    });
    expect(facade.calls[0]?.ctx.requestId).toBe('req-42');
  });

  it('a client cancelling a stream aborts the call context and closes the façade stream', async () => {
    facade.hangAfter = 1;
    const stream = (raw['SubscribeToTask'] as (request: JsonObject) => grpc.ClientReadableStream<JsonObject>)(
      {
        tenant: 'echo',
        id: 'task-2',
      },
    );
    stream.on('error', () => undefined);
    await new Promise((resolve) => stream.once('data', resolve));
    stream.cancel();
    await vi.waitFor(() => expect(facade.streamClosed).toBe(true));
    expect(facade.calls[0]?.ctx.signal.aborted).toBe(true);
  });
});
