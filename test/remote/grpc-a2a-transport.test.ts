import net from 'node:net';

import type { AgentCard } from '@a2a-js/sdk';
import { DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { A2AService, UserBuilder, grpcService, type GrpcServiceOptions } from '@a2a-js/sdk/server/grpc';
import * as grpc from '@grpc/grpc-js';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { StreamingExecutor } from '../../examples/streaming-agent.js';
import type { JsonObject } from '../../src/a2a/operations.js';
import type { AgentEndpoint } from '../../src/domain/agent.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { GrpcA2ATransport } from '../../src/remote/grpc-a2a-transport.js';
import { CLIENT_TRACEPARENT, registerTestTracing } from '../transport/tracing-kit.js';

/** An SDK agent served over gRPC only, recording each call's metadata and whether it was cancelled. */
interface GrpcAgent {
  readonly address: string;
  readonly calls: { path: string; metadata: grpc.Metadata; cancelled: boolean }[];
  close(): Promise<void>;
}

async function startGrpcAgent(): Promise<GrpcAgent> {
  const card: AgentCard = {
    name: 'streaming',
    description: 'streams chunks',
    version: '1.0.0',
    supportedInterfaces: [
      { url: '127.0.0.1:0', protocolBinding: 'GRPC', protocolVersion: '1.0', tenant: '' },
    ],
    capabilities: { streaming: true, pushNotifications: false, extensions: [] },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [],
    securitySchemes: {},
    securityRequirements: [],
    signatures: [],
    provider: undefined,
  };
  const executor = new StreamingExecutor({ chunks: 3, delayMs: 30, slowChunks: 100, slowDelayMs: 100 });
  const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
  const calls: GrpcAgent['calls'] = [];
  const userBuilder: GrpcServiceOptions['userBuilder'] = (call) => {
    const record = { path: call.getPath(), metadata: call.metadata, cancelled: false };
    calls.push(record);
    call.once('cancelled', () => (record.cancelled = true));
    return UserBuilder.noAuthentication();
  };
  const server = new grpc.Server();
  server.addService(A2AService, grpcService({ requestHandler, userBuilder }));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.tryShutdown(() => resolve());
        server.forceShutdown();
      }),
  };
}

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function userMessage(text: string): JsonObject {
  return { message: { messageId: crypto.randomUUID(), role: 'ROLE_USER', parts: [{ text }] } };
}

function options(extra: { signal?: AbortSignal; timeoutMs?: number; headers?: Record<string, string> } = {}) {
  return { signal: extra.signal ?? new AbortController().signal, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (GatewayError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

async function collect(stream: AsyncIterable<unknown>): Promise<JsonObject[]> {
  const events: JsonObject[] = [];
  for await (const event of stream) events.push(event as JsonObject);
  return events;
}

function payloadKind(event: JsonObject): string {
  return Object.keys(event).join(',');
}

describe('GrpcA2ATransport against an @a2a-js/sdk agent', () => {
  let agent: GrpcAgent;
  let endpoint: AgentEndpoint;
  let transport: GrpcA2ATransport;

  beforeAll(async () => {
    agent = await startGrpcAgent();
    endpoint = { url: agent.address, protocolBinding: 'GRPC', protocolVersion: '1.0' };
    transport = new GrpcA2ATransport();
  });

  afterAll(async () => {
    await transport.close();
    await agent.close();
  });

  it('SendMessage returns the completed task', async () => {
    const reply = (await transport.unary(
      endpoint,
      'SendMessage',
      userMessage('hi'),
      options(),
    )) as JsonObject;
    const task = reply['task'] as JsonObject;
    expect(task['status']).toMatchObject({ state: 'TASK_STATE_COMPLETED' });
    expect(typeof (task['status'] as JsonObject)['timestamp']).toBe('string');
    const [artifact] = task['artifacts'] as JsonObject[];
    expect(artifact?.['parts']).toEqual(
      ['chunk-1 ', 'chunk-2 ', 'chunk-3 '].map((text) => ({ text, mediaType: 'text/plain' })),
    );
  });

  it('SendStreamingMessage yields every event in order, past a timeout that only bounds the opening', async () => {
    const events = await collect(
      transport.stream(endpoint, 'SendStreamingMessage', userMessage('hi'), options({ timeoutMs: 50 })),
    );
    expect(events.map(payloadKind)).toEqual([
      'task',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
      'artifactUpdate',
      'statusUpdate',
    ]);
    const chunks = events
      .filter((event) => 'artifactUpdate' in event)
      .map((event) => event['artifactUpdate'] as JsonObject);
    expect(chunks.map((chunk) => chunk['append'] ?? false)).toEqual([false, true, true]);
    expect(chunks[2]?.['lastChunk']).toBe(true);
    expect(events.at(-1)).toMatchObject({ statusUpdate: { status: { state: 'TASK_STATE_COMPLETED' } } });
  });

  it('GetTask of an unknown id is a REMOTE_ERROR carrying TaskNotFound', async () => {
    const error = await failure(transport.unary(endpoint, 'GetTask', { id: 'no-such-task' }, options()));
    expect(error.code).toBe(ErrorCode.REMOTE_ERROR);
    expect(error.details).toMatchObject({
      remoteCode: -32001,
      remoteReason: 'TASK_NOT_FOUND',
      remoteStatus: grpc.status.NOT_FOUND,
    });
    expect(String(error.details['remoteMessage'])).toContain('no-such-task');
  });

  it('CancelTask cancels a running task, and ListTasks lists it', async () => {
    const stream = transport.stream(endpoint, 'SendStreamingMessage', userMessage('slow'), options());
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    const taskId = ((first.value as JsonObject)['task'] as JsonObject)['id'] as string;
    const cancelled = (await transport.unary(
      endpoint,
      'CancelTask',
      { id: taskId },
      options(),
    )) as JsonObject;
    expect(cancelled).toMatchObject({ id: taskId, status: { state: 'TASK_STATE_CANCELED' } });
    await iterator.return?.();
    const listed = (await transport.unary(endpoint, 'ListTasks', {}, options())) as JsonObject;
    const tasks = listed['tasks'] as JsonObject[];
    expect(tasks.find((task) => task['id'] === taskId)).toMatchObject({
      status: { state: 'TASK_STATE_CANCELED' },
    });
  });

  it('aborting mid-stream fails with CANCELLED and cancels the upstream call', async () => {
    const controller = new AbortController();
    const seen: JsonObject[] = [];
    const error = await failure(
      (async () => {
        for await (const event of transport.stream(
          endpoint,
          'SendStreamingMessage',
          userMessage('slow'),
          options({ signal: controller.signal }),
        )) {
          seen.push(event as JsonObject);
          controller.abort();
        }
      })(),
    );
    expect(error.code).toBe(ErrorCode.CANCELLED);
    expect(seen).toHaveLength(1);
    const call = agent.calls.at(-1);
    expect(call?.path).toBe('/lf.a2a.v1.A2AService/SendStreamingMessage');
    await vi.waitFor(() => expect(call?.cancelled).toBe(true));
  });

  it('breaking out of a stream cancels the upstream call', async () => {
    for await (const event of transport.stream(
      endpoint,
      'SendStreamingMessage',
      userMessage('slow'),
      options(),
    )) {
      expect(payloadKind(event as JsonObject)).toBe('task');
      break;
    }
    const call = agent.calls.at(-1);
    await vi.waitFor(() => expect(call?.cancelled).toBe(true));
  });

  it('a unary call past its timeout is DEADLINE_EXCEEDED', async () => {
    const error = await failure(
      transport.unary(endpoint, 'SendMessage', userMessage('slow'), options({ timeoutMs: 100 })),
    );
    expect(error.code).toBe(ErrorCode.DEADLINE_EXCEEDED);
  });

  it('sends a2a-version from the endpoint and the caller’s headers, lower-cased', async () => {
    await transport.unary(
      { ...endpoint, url: `grpc://${agent.address}` },
      'ListTasks',
      {},
      options({
        headers: { Authorization: 'Bearer t0ken', traceparent: CLIENT_TRACEPARENT, 'X-Custom': 'yes' },
      }),
    );
    const { metadata } = agent.calls.at(-1) ?? {};
    expect(metadata?.get('a2a-version')).toEqual(['1.0']);
    expect(metadata?.get('authorization')).toEqual(['Bearer t0ken']);
    expect(metadata?.get('traceparent')).toEqual([CLIENT_TRACEPARENT]);
    expect(metadata?.get('x-custom')).toEqual(['yes']);
  });

  it('an unencodable request is INVALID_ARGUMENT and never sent', async () => {
    const before = agent.calls.length;
    const error = await failure(transport.unary(endpoint, 'GetTask', { id: 7 }, options()));
    expect(error.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(agent.calls).toHaveLength(before);
  });

  it('records one CLIENT span per call with the RPC attributes', async () => {
    const tracing = registerTestTracing();
    try {
      await failure(transport.unary(endpoint, 'GetTask', { id: 'missing' }, options()));
      const [span] = await tracing.ended(1);
      expect(span?.name).toBe('lf.a2a.v1.A2AService/GetTask');
      expect(span?.kind).toBe(SpanKind.CLIENT);
      const [host, port] = agent.address.split(':');
      expect(span?.attributes).toMatchObject({
        'rpc.system': 'grpc',
        'rpc.service': 'lf.a2a.v1.A2AService',
        'rpc.method': 'GetTask',
        'server.address': host,
        'server.port': Number(port),
        'rpc.grpc.status_code': grpc.status.NOT_FOUND,
        'error.type': ErrorCode.REMOTE_ERROR,
      });
    } finally {
      await tracing.disable();
    }
  });
});

describe('GrpcA2ATransport failures without an agent', () => {
  it('a dead port is REMOTE_UNAVAILABLE, on unary calls and streams', async () => {
    const transport = new GrpcA2ATransport();
    const endpoint = {
      url: `127.0.0.1:${await deadPort()}`,
      protocolBinding: 'GRPC',
      protocolVersion: '1.0',
    };
    try {
      const unary = await failure(transport.unary(endpoint, 'GetTask', { id: 't' }, options()));
      expect(unary.code).toBe(ErrorCode.REMOTE_UNAVAILABLE);
      expect(unary.retryable).toBe(true);
      const stream = await failure(
        collect(transport.stream(endpoint, 'SubscribeToTask', { id: 't' }, options())),
      );
      expect(stream.code).toBe(ErrorCode.REMOTE_UNAVAILABLE);
    } finally {
      await transport.close();
    }
  });

  it('refuses URLs that are not gRPC addresses, and calls after close()', async () => {
    const transport = new GrpcA2ATransport();
    const call = (url: string) =>
      failure(
        transport.unary(
          { url, protocolBinding: 'GRPC', protocolVersion: '1.0' },
          'GetTask',
          { id: 't' },
          options(),
        ),
      );
    expect((await call('ftp://host:1')).code).toBe(ErrorCode.INVALID_AGENT_CARD);
    expect((await call('just-a-host')).code).toBe(ErrorCode.INVALID_AGENT_CARD);
    await transport.close();
    await transport.close();
    expect((await call('127.0.0.1:1')).code).toBe(ErrorCode.UNAVAILABLE);
  });
});
