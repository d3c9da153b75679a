/**
 * The edges of the A2A façade on the gateway's real gRPC port, seen on the wire with a raw grpc-js client
 * built from `A2A_GRPC_SERVICE`: the agent is the request's `tenant`, failures carry their status and a
 * `google.rpc.Status` with an `ErrorInfo` in `grpc-status-details-bin`, streams end with OK. Real gateway
 * (SQLite) and a real SDK streaming agent.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startAgent, type RunningAgent } from '../../examples/serve-agent.js';
import { StreamingExecutor } from '../../examples/streaming-agent.js';
import {
  A2A_GRPC_SERVICE,
  decodeGrpcStatusDetails,
  GRPC_STATUS_DETAILS_KEY,
  type GrpcStatusDetails,
} from '../../src/a2a/a2a-proto.js';
import type { JsonObject } from '../../src/a2a/operations.js';
import { systemContext } from '../../src/domain/call-context.js';
import { PROTO_LOADER_OPTIONS } from '../../src/transport/grpc/proto.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const AGENT = 'streamer';
const CHUNKS = 3;
const A2A_DOMAIN = 'a2a-protocol.org';
const GATEWAY_DOMAIN = 'bzzz.gateway';
const ctx = systemContext();

const RawClient = grpc.makeGenericClientConstructor(A2A_GRPC_SERVICE, 'A2AService');
type RawClient = InstanceType<typeof RawClient> &
  Record<string, (...args: unknown[]) => grpc.ClientUnaryCall | grpc.ClientReadableStream<JsonObject>>;

let agent: RunningAgent;
let gateway: TestGateway;
let client: RawClient;

beforeAll(async () => {
  agent = await startAgent({
    executor: new StreamingExecutor({ chunks: CHUNKS, delayMs: 5 }),
    name: AGENT,
    description: 'streams chunks',
  });
  gateway = await startTestGateway();
  await gateway.gateway.services.agents.register({ name: AGENT, url: agent.url }, ctx);
  client = new RawClient(gateway.grpcAddress, grpc.credentials.createInsecure()) as RawClient;
});

afterAll(async () => {
  client.close();
  await gateway.close({ removeData: true });
  await agent.close();
});

function metadataOf(entries: Record<string, string>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return metadata;
}

function unary(method: string, request: JsonObject, metadata = new grpc.Metadata()): Promise<JsonObject> {
  return new Promise((resolve, reject) => {
    client[method]?.(request, metadata, (error: grpc.ServiceError | null, reply: JsonObject) =>
      error === null ? resolve(reply) : reject(error),
    );
  });
}

/** Every message of a server stream and the status it ended with. */
function serverStream(
  method: string,
  request: JsonObject,
  metadata = new grpc.Metadata(),
): Promise<{ messages: JsonObject[]; status: grpc.StatusObject; error?: grpc.ServiceError }> {
  return new Promise((resolve) => {
    const call = client[method]?.(request, metadata) as grpc.ClientReadableStream<JsonObject>;
    const messages: JsonObject[] = [];
    let error: grpc.ServiceError | undefined;
    call.on('data', (message: JsonObject) => messages.push(message));
    call.on('error', (e: grpc.ServiceError) => (error = e));
    call.on('status', (status: grpc.StatusObject) =>
      // 'status' may come before the last 'error'/'end'; let them land first.
      setImmediate(() => resolve({ messages, status, ...(error !== undefined && { error }) })),
    );
  });
}

async function failureOf(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error('expected the call to fail');
}

function statusDetailsOf(metadata: grpc.Metadata): GrpcStatusDetails {
  const [trailer] = metadata.get(GRPC_STATUS_DETAILS_KEY);
  expect(trailer).toBeInstanceOf(Buffer);
  return decodeGrpcStatusDetails(trailer as Buffer);
}

/** Asserts the status, the `ErrorInfo` and that the binary status agrees with the plain one. */
function expectA2AFailure(
  error: grpc.ServiceError,
  expected: { code: grpc.status; reason: string; domain: string },
): GrpcStatusDetails {
  expect(error.code).toBe(expected.code);
  const details = statusDetailsOf(error.metadata);
  expect(details.code).toBe(expected.code);
  expect(details.message).toBe(error.details);
  expect(details.errorInfo).toMatchObject({ reason: expected.reason, domain: expected.domain });
  return details;
}

function sendRequest(text: string, tenant = AGENT): JsonObject {
  return {
    ...(tenant !== '' && { tenant }),
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] },
  };
}

describe('the A2A gRPC service on the gateway port', () => {
  it('sends a message to the agent named by the tenant', async () => {
    const reply = await unary('SendMessage', sendRequest('hello'));
    expect(reply).toMatchObject({ task: { status: { state: 'TASK_STATE_COMPLETED' } } });
    const task = reply['task'] as { id: string };
    const got = await unary('GetTask', { tenant: AGENT, id: task.id });
    expect(got).toMatchObject({ id: task.id, status: { state: 'TASK_STATE_COMPLETED' } });
  });

  it('refuses a call without a tenant with INVALID_ARGUMENT and an ErrorInfo', async () => {
    const error = await failureOf(unary('GetTask', { id: 'task-1' }));
    const details = expectA2AFailure(error, {
      code: grpc.status.INVALID_ARGUMENT,
      reason: 'INVALID_PARAMS',
      domain: A2A_DOMAIN,
    });
    expect(details.errorInfo?.metadata).toMatchObject({ field: 'tenant' });
    expect(error.metadata.get('bzzz-error-code')).toEqual(['INVALID_ARGUMENT']);
  });

  it('answers an unknown agent tenant with NOT_FOUND AGENT_NOT_FOUND in the gateway domain', async () => {
    const error = await failureOf(unary('GetTask', { tenant: 'no-such-agent', id: 'task-1' }));
    expectA2AFailure(error, {
      code: grpc.status.NOT_FOUND,
      reason: 'AGENT_NOT_FOUND',
      domain: GATEWAY_DOMAIN,
    });
    const badName = await failureOf(unary('GetTask', { tenant: 'Not An Agent/..', id: 'task-1' }));
    expectA2AFailure(badName, {
      code: grpc.status.NOT_FOUND,
      reason: 'AGENT_NOT_FOUND',
      domain: GATEWAY_DOMAIN,
    });
    const sent = await failureOf(unary('SendMessage', sendRequest('hi', 'no-such-agent')));
    expectA2AFailure(sent, {
      code: grpc.status.NOT_FOUND,
      reason: 'AGENT_NOT_FOUND',
      domain: GATEWAY_DOMAIN,
    });
  });

  it("answers an unknown task with the agent's NOT_FOUND TASK_NOT_FOUND", async () => {
    const error = await failureOf(unary('GetTask', { tenant: AGENT, id: 'no-such-task' }));
    expectA2AFailure(error, { code: grpc.status.NOT_FOUND, reason: 'TASK_NOT_FOUND', domain: A2A_DOMAIN });
    expect(error.details).toContain('no-such-task');
  });

  it('refuses a2a-version 9.9 with FAILED_PRECONDITION VERSION_NOT_SUPPORTED', async () => {
    const error = await failureOf(
      unary('GetTask', { tenant: AGENT, id: 'task-1' }, metadataOf({ 'a2a-version': '9.9' })),
    );
    expectA2AFailure(error, {
      code: grpc.status.FAILED_PRECONDITION,
      reason: 'VERSION_NOT_SUPPORTED',
      domain: A2A_DOMAIN,
    });
    const accepted = await failureOf(
      unary('GetTask', { tenant: AGENT, id: 'no-such-task' }, metadataOf({ 'a2a-version': '1.0' })),
    );
    expect(accepted.code).toBe(grpc.status.NOT_FOUND);
  });

  it('streams the events in order and ends with OK', async () => {
    const { messages, status, error } = await serverStream('SendStreamingMessage', sendRequest('stream me'));
    expect(error).toBeUndefined();
    expect(status.code).toBe(grpc.status.OK);
    const kinds = messages.map((message) => Object.keys(message).join());
    expect(kinds).toEqual([
      'task',
      ...Array.from({ length: CHUNKS }, () => ['statusUpdate', 'artifactUpdate']).flat(),
      'statusUpdate',
    ]);
    const taskId = (messages[0]?.['task'] as { id: string }).id;
    const chunks = messages.flatMap((message) => {
      const update = message['artifactUpdate'] as
        { taskId: string; artifact: { parts: { text: string }[] } } | undefined;
      if (update === undefined) return [];
      expect(update.taskId).toBe(taskId);
      return update.artifact.parts.map((part) => part.text);
    });
    expect(chunks).toEqual(['chunk-1 ', 'chunk-2 ', 'chunk-3 ']);
    expect(messages.at(-1)).toMatchObject({
      statusUpdate: { taskId, status: { state: 'TASK_STATE_COMPLETED' } },
    });
  });

  it('ends a stream that fails before its first event with the A2A status', async () => {
    const { messages, status, error } = await serverStream('SubscribeToTask', {
      tenant: AGENT,
      id: 'no-such-task',
    });
    expect(messages).toEqual([]);
    expect(status.code).toBe(grpc.status.NOT_FOUND);
    expect(error).toBeDefined();
    expectA2AFailure(error as grpc.ServiceError, {
      code: grpc.status.NOT_FOUND,
      reason: 'TASK_NOT_FOUND',
      domain: A2A_DOMAIN,
    });
  });

  it('refuses a stream without a tenant with INVALID_ARGUMENT', async () => {
    const { messages, error } = await serverStream('SendStreamingMessage', sendRequest('hi', ''));
    expect(messages).toEqual([]);
    expectA2AFailure(error as grpc.ServiceError, {
      code: grpc.status.INVALID_ARGUMENT,
      reason: 'INVALID_PARAMS',
      domain: A2A_DOMAIN,
    });
  });
});

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] } | null;
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] } | null;
  errorResponse?: { errorMessage: string } | null;
}

/** One grpc.reflection.v1 request to the gateway, and its first response. */
async function reflect(request: Record<string, string>): Promise<ReflectionResponse> {
  const reflectionDir = path.dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json'));
  const definition = protoLoader.loadSync(
    path.join(reflectionDir, 'build/proto/grpc/reflection/v1/reflection.proto'),
    PROTO_LOADER_OPTIONS,
  );
  const { ServerReflection } = (
    grpc.loadPackageDefinition(definition) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
    }
  ).grpc.reflection.v1;
  const reflection = new ServerReflection(gateway.grpcAddress, grpc.credentials.createInsecure());
  const call = (
    reflection['serverReflectionInfo'] as () => grpc.ClientDuplexStream<unknown, ReflectionResponse>
  ).call(reflection);
  try {
    return await new Promise<ReflectionResponse>((resolve, reject) => {
      call.on('data', resolve);
      call.on('error', reject);
      call.write(request);
    });
  } finally {
    call.end();
    reflection.close();
  }
}

describe('server reflection on the gateway port', () => {
  it('lists lf.a2a.v1.A2AService and describes it', async () => {
    const listed = await reflect({ listServices: '' });
    expect((listed.listServicesResponse?.service ?? []).map((s) => s.name)).toContain('lf.a2a.v1.A2AService');
    const described = await reflect({ fileContainingSymbol: 'lf.a2a.v1.A2AService' });
    expect(described.errorResponse ?? null).toBeNull();
    const text = Buffer.concat(described.fileDescriptorResponse?.fileDescriptorProto ?? []).toString(
      'latin1',
    );
    expect(text).toContain('A2AService');
    expect(text).toContain('SendStreamingMessage');
  });
});
