/**
 * A façade call is traced like any run: the caller's traceparent → the SERVER span of the A2A call (HTTP
 * or gRPC) → the Run span → the Step span, whose context the agent receives. Pass-through calls (GetTask)
 * get a SERVER span and hand the agent the caller's trace.
 */
import { randomUUID } from 'node:crypto';

import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEchoAgent } from '../../examples/echo-agent.js';
import type { RunningAgent } from '../../examples/serve-agent.js';
import { A2A_GRPC_SERVICE } from '../../src/a2a/a2a-proto.js';
import type { JsonObject } from '../../src/a2a/operations.js';
import { systemContext } from '../../src/domain/call-context.js';
import { Attr, SpanName } from '../../src/telemetry/semconv.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

const CLIENT_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN_ID = 'b7ad6b7169203331';
const CLIENT_TRACEPARENT = `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`;

let receiver: OtlpReceiver;
let agent: RunningAgent;
let gateway: TestGateway;

beforeAll(async () => {
  [receiver, agent] = await Promise.all([startOtlpReceiver(), startEchoAgent()]);
  gateway = await startTestGateway({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    },
  });
  await gateway.gateway.services.agents.register({ name: 'echo', url: agent.url }, systemContext());
});

afterAll(async () => {
  await gateway?.close({ removeData: true });
  await Promise.all([receiver?.close(), agent?.close()]);
});

function message(text: string): JsonObject {
  return { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] };
}

/** The trace of one façade message call: server span → run → step, and what the agent received. */
async function expectRunTrace(serverSpanName: string, taskId: string): Promise<void> {
  const spans = await receiver.waitForSpans(
    (all) =>
      all.some((s) => s.name === serverSpanName && s.traceId === CLIENT_TRACE_ID) &&
      all.some((s) => s.name === SpanName.run && s.attributes[Attr.A2A_TASK_ID] === taskId) &&
      all.some((s) => s.kind === 'CLIENT' && s.attributes[Attr.A2A_TASK_ID] === taskId),
    10_000,
  );
  const server = spans.find((s) => s.name === serverSpanName && s.traceId === CLIENT_TRACE_ID);
  expect(server?.kind).toBe('SERVER');
  expect(server?.parentSpanId).toBe(CLIENT_SPAN_ID);
  const run = spans.find((s) => s.name === SpanName.run && s.attributes[Attr.A2A_TASK_ID] === taskId);
  expect(run?.traceId).toBe(CLIENT_TRACE_ID);
  expect(run?.parentSpanId).toBe(server?.spanId);
  const step = spans.find((s) => s.kind === 'CLIENT' && s.attributes[Attr.A2A_TASK_ID] === taskId);
  expect(step?.parentSpanId).toBe(run?.spanId);
  expect(step?.attributes[Attr.A2A_METHOD_NAME]).toBe('SendMessage');
  const received = agent.requests.filter((r) =>
    r.headers.traceparent?.toString().includes(step?.spanId ?? '-'),
  );
  expect(received).toHaveLength(1);
}

describe('façade tracing', () => {
  it('over JSON-RPC: the A2A request, its run and its step are one trace under the caller', async () => {
    const response = await fetch(`${gateway.httpUrl}/a2a/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0', traceparent: CLIENT_TRACEPARENT },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'SendMessage',
        params: { message: message('hi') },
      }),
    });
    const reply = (await response.json()) as { result: { task: { id: string } } };
    await expectRunTrace('POST /a2a/:agent', reply.result.task.id);
  });

  it('a pass-through call (GetTask): its CLIENT span and the agent’s traceparent are under the SERVER span', async () => {
    const call = (method: string, params: JsonObject): Promise<Response> =>
      fetch(`${gateway.httpUrl}/a2a/echo`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'a2a-version': '1.0',
          traceparent: CLIENT_TRACEPARENT,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
    const sent = (await (await call('SendMessage', { message: message('get me') })).json()) as {
      result: { task: { id: string } };
    };
    const taskId = sent.result.task.id;
    expect((await call('GetTask', { id: taskId })).status).toBe(200);
    const received = agent.requests.at(-1);

    const spans = await receiver.waitForSpans(
      (all) => all.some((s) => s.kind === 'CLIENT' && s.attributes[Attr.A2A_METHOD_NAME] === 'GetTask'),
      10_000,
    );
    const client = spans.find((s) => s.kind === 'CLIENT' && s.attributes[Attr.A2A_METHOD_NAME] === 'GetTask');
    expect(client?.name).toBe(SpanName.httpPost);
    expect(client?.traceId).toBe(CLIENT_TRACE_ID);
    const server = spans.find((s) => s.spanId === client?.parentSpanId);
    expect(server).toMatchObject({ kind: 'SERVER', name: 'POST /a2a/:agent', parentSpanId: CLIENT_SPAN_ID });
    expect(received?.headers.traceparent).toBe(`00-${CLIENT_TRACE_ID}-${server?.spanId}-01`);
  });

  it('over gRPC: the same tree under the SERVER span of the RPC', async () => {
    const Client = grpc.makeGenericClientConstructor(A2A_GRPC_SERVICE, 'A2AService');
    const client = new Client(gateway.grpcAddress, grpc.credentials.createInsecure()) as unknown as {
      SendMessage: (
        request: JsonObject,
        metadata: grpc.Metadata,
        callback: (error: grpc.ServiceError | null, response?: JsonObject) => void,
      ) => void;
      close: () => void;
    };
    const metadata = new grpc.Metadata();
    metadata.set('traceparent', CLIENT_TRACEPARENT);
    metadata.set('a2a-version', '1.0');
    const reply = await new Promise<JsonObject>((resolve, reject) =>
      client.SendMessage({ tenant: 'echo', message: message('hi') }, metadata, (error, response) =>
        error === null ? resolve(response ?? {}) : reject(error),
      ),
    );
    client.close();
    await expectRunTrace('lf.a2a.v1.A2AService/SendMessage', (reply.task as { id: string }).id);
  });
});
