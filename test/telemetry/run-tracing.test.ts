/**
 * The span tree of real runs, exported by the real OTLP exporters to the test receiver over each
 * protocol: a client's traceparent → the inbound HTTP request's SERVER span → the Run span → one
 * CLIENT Step span per exchange, whose own context the @a2a-js/sdk agent receives as `traceparent`.
 * Also: a failed run's spans carry the error, sampling off exports nothing, and /metrics counts runs.
 */

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { startInputAgent } from '../../examples/input-agent.js';
import type { RunningAgent } from '../../examples/serve-agent.js';
import type { RunDetails } from '../../src/app/services.js';
import { Attr, SpanName } from '../../src/telemetry/semconv.js';
import { unusedUrl } from '../support/agents.js';
import { captureLog } from '../support/captured-log.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { settle } from '../integration/api-behaviour.js';
import { createHttpGatewayClient } from '../support/http-gateway-client.js';

const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';
const CLIENT_TRACEPARENT = `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`;

async function post(gateway: TestGateway, path: string, body: unknown): Promise<RunDetails> {
  const response = await fetch(`${gateway.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: CLIENT_TRACEPARENT },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as RunDetails;
}

function traceparentParts(value: unknown): { traceId: string; parentId: string } {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(String(value));
  expect(match, `a W3C traceparent, got ${String(value)}`).not.toBeNull();
  return { traceId: match![1]!, parentId: match![2]! };
}

describe.each(['http/json', 'http/protobuf', 'grpc'] as const)('tracing over OTLP %s', (protocol) => {
  let receiver: OtlpReceiver;
  let agent: RunningAgent;
  let gateway: TestGateway;

  beforeAll(async () => {
    [receiver, agent] = await Promise.all([startOtlpReceiver(), startInputAgent()]);
    gateway = await startTestGateway({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_SERVICE_NAME: 'bzzz-under-test',
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
    });
    const client = createHttpGatewayClient(gateway.httpUrl);
    await client.registerAgent({ name: 'asker', url: agent.url });
    await client.close();
  });

  afterAll(async () => {
    await gateway?.close({ removeData: true });
    await Promise.all([receiver?.close(), agent?.close()]);
  });

  it('nests request → run → one step per exchange, and hands each step its own context', async () => {
    const submitted = await post(gateway, '/v1/runs', { target: { agent: 'asker' }, input: { text: 'hi' } });
    const client = createHttpGatewayClient(gateway.httpUrl);
    expect((await settle(client, submitted.run.id)).run.status).toBe('input_required');
    await post(gateway, `/v1/runs/${submitted.run.id}/input`, { input: { text: 'Ada' } });
    const done = await settle(client, submitted.run.id);
    await client.close();
    expect(done.run.status).toBe('completed');
    expect(done.run.trace?.traceId).toBe(CLIENT_TRACE_ID);

    const runId = submitted.run.id;
    const spans = await receiver.waitForSpans(
      (all) =>
        all.some((s) => s.name === SpanName.run && s.attributes[Attr.RUN_ID] === runId) &&
        all.filter((s) => s.attributes[Attr.RUN_ID] === runId && s.kind === 'CLIENT').length === 2 &&
        all.filter((s) => s.traceId === CLIENT_TRACE_ID && s.name === SpanName.httpPost).length >= 2,
      10_000,
    );
    const inTrace = spans.filter((s) => s.traceId === CLIENT_TRACE_ID);
    const server = inTrace.find((s) => s.kind === 'SERVER' && s.name === 'POST /v1/runs');
    expect(server?.parentSpanId).toBe(CLIENT_SPAN_ID);
    const runSpan = inTrace.find((s) => s.name === SpanName.run)!;
    expect(runSpan.parentSpanId).toBe(server!.spanId);
    expect(runSpan.spanId).toBe(done.run.trace?.spanId);
    expect(runSpan.kind).toBe('INTERNAL');
    expect(runSpan.attributes[Attr.RUN_STATUS]).toBe('completed');
    expect(runSpan.resource['service.name']).toBe('bzzz-under-test');
    expect(runSpan.status.code).not.toBe('ERROR');

    const steps: ReceivedSpan[] = inTrace
      .filter((s) => s.kind === 'CLIENT' && s.attributes[Attr.RUN_ID] === runId)
      .sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
    expect(steps.map((s) => s.name)).toEqual(['invoke_agent input', 'invoke_agent input']);
    for (const [index, step] of steps.entries()) {
      expect(step.parentSpanId).toBe(runSpan.spanId);
      expect(step.spanId).toBe(done.steps[index]?.trace?.spanId);
      expect(step.attributes).toMatchObject({
        [Attr.GEN_AI_OPERATION_NAME]: 'invoke_agent',
        [Attr.GEN_AI_AGENT_NAME]: 'input',
        [Attr.GEN_AI_AGENT_ID]: 'asker',
        [Attr.A2A_METHOD_NAME]: 'SendStreamingMessage',
        [Attr.A2A_PROTOCOL_VERSION]: '1.0',
        [Attr.SERVER_ADDRESS]: '127.0.0.1',
        [Attr.SERVER_PORT]: agent.port,
        [Attr.RUN_ID]: runId,
        [Attr.STEP_ID]: done.steps[index]?.id,
        [Attr.A2A_TASK_ID]: done.run.remote?.taskId,
      });
      expect(step.events.some((e) => e.name === 'bzzz.status_update')).toBe(true);
      // The HTTP request of the step nests under it.
      const requests = inTrace.filter((s) => s.name === SpanName.httpPost && s.parentSpanId === step.spanId);
      expect(requests).toHaveLength(1);
      expect(requests[0]?.kind).toBe('CLIENT');
      expect(requests[0]?.attributes).toMatchObject({
        [Attr.HTTP_REQUEST_METHOD]: 'POST',
        [Attr.HTTP_RESPONSE_STATUS_CODE]: 200,
        [Attr.SERVER_PORT]: agent.port,
        [Attr.URL_FULL]: `${agent.url}/a2a/jsonrpc`,
      });
    }
    expect(steps[0]?.attributes[Attr.A2A_TASK_STATE]).toBe('TASK_STATE_INPUT_REQUIRED');
    expect(steps[1]?.attributes[Attr.A2A_TASK_STATE]).toBe('TASK_STATE_COMPLETED');

    // What the agent received: each message call carries its own step's context.
    const calls = agent.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/a2a/jsonrpc'));
    const received = calls.slice(-2).map((r) => traceparentParts(r.headers.traceparent));
    expect(received).toEqual(steps.map((s) => ({ traceId: CLIENT_TRACE_ID, parentId: s.spanId })));
  });

  it('marks a failed run and its step with the error', async () => {
    const submitted = await post(gateway, '/v1/runs', {
      target: { url: await unusedUrl() },
      input: { text: 'x' },
    });
    const client = createHttpGatewayClient(gateway.httpUrl);
    expect((await settle(client, submitted.run.id)).run.status).toBe('failed');
    await client.close();
    const spans = await receiver.waitForSpans((all) =>
      all.some((s) => s.name === SpanName.run && s.attributes[Attr.RUN_ID] === submitted.run.id),
    );
    const runSpan = spans.find(
      (s) => s.name === SpanName.run && s.attributes[Attr.RUN_ID] === submitted.run.id,
    )!;
    expect(runSpan.status.code).toBe('ERROR');
    expect(runSpan.attributes[Attr.ERROR_TYPE]).toBe('RuntimeError');
    expect(runSpan.attributes[Attr.RUN_STATUS]).toBe('failed');
  });
});

describe('tracing switched off by sampling', () => {
  let receiver: OtlpReceiver;
  let agent: RunningAgent;
  afterEach(async () => {
    await Promise.all([receiver?.close(), agent?.close()]);
  });

  it('exports nothing with OTEL_TRACES_SAMPLER=always_off, yet counts the run in /metrics', async () => {
    [receiver, agent] = await Promise.all([startOtlpReceiver(), startInputAgent()]);
    const gateway = await startTestGateway({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, OTEL_TRACES_SAMPLER: 'always_off' },
    });
    const client = createHttpGatewayClient(gateway.httpUrl);
    try {
      const submitted = await post(gateway, '/v1/runs', {
        target: { url: agent.url },
        input: { text: 'hi' },
      });
      expect((await settle(client, submitted.run.id)).run.status).toBe('input_required');
      await client.cancelRun(submitted.run.id, 'enough');
      const metrics = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
      expect(metrics).toMatch(/bzzz_runs_finished_total\{agent="url",status="cancelled"\} 1/);
      expect(metrics).toMatch(/bzzz_runs_started_total\{agent="url"\} 1/);
    } finally {
      await client.close();
      await gateway.close({ removeData: true });
    }
    // Closing flushed everything there was to flush.
    expect(receiver.spans()).toEqual([]);
    expect(receiver.exports()).toEqual([]);
  });
});

describe('trace context with tracing off', () => {
  it("passes the caller's traceparent through unchanged, and baggage only to allowed agents", async () => {
    const agent = await startInputAgent();
    const gateway = await startTestGateway({ env: { BZZZ_TRACE_BAGGAGE_AGENTS: 'asker' } });
    const client = createHttpGatewayClient(gateway.httpUrl);
    try {
      await client.registerAgent({ name: 'asker', url: agent.url });
      const submit = async (target: Record<string, string>): Promise<void> => {
        const response = await fetch(`${gateway.httpUrl}/v1/runs`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            traceparent: CLIENT_TRACEPARENT,
            baggage: 'user=ada',
          },
          body: JSON.stringify({ target, input: { text: 'hi' } }),
        });
        const { run } = (await response.json()) as RunDetails;
        expect((await settle(client, run.id)).run.trace).toBeUndefined();
      };
      const lastCall = () => agent.requests.filter((r) => r.method === 'POST').at(-1)!;

      await submit({ agent: 'asker' });
      expect(traceparentParts(lastCall().headers.traceparent)).toEqual({
        traceId: CLIENT_TRACE_ID,
        parentId: CLIENT_SPAN_ID,
      });
      expect(lastCall().headers.baggage).toBe('user=ada');

      await submit({ url: agent.url });
      expect(traceparentParts(lastCall().headers.traceparent).traceId).toBe(CLIENT_TRACE_ID);
      expect(lastCall().headers.baggage).toBeUndefined();
    } finally {
      await client.close();
      await gateway.close({ removeData: true });
      await agent.close();
    }
  });
});

describe('a run continued after a restart', () => {
  it('stays in its trace: the new step is a child of the stored Run span', async () => {
    const [receiver, agent] = await Promise.all([startOtlpReceiver(), startInputAgent()]);
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, OTEL_BSP_SCHEDULE_DELAY: '50' };
    const first = await startTestGateway({ env });
    try {
      const submitted = await post(first, '/v1/runs', { target: { url: agent.url }, input: { text: 'hi' } });
      const firstClient = createHttpGatewayClient(first.httpUrl);
      const waiting = await settle(firstClient, submitted.run.id);
      await firstClient.close();
      expect(waiting.run.status).toBe('input_required');
      await first.close();

      const second = await startTestGateway({ dataDir: first.dataDir, env });
      const client = createHttpGatewayClient(second.httpUrl);
      try {
        await client.sendInput(submitted.run.id, 'Ada');
        const done = await settle(client, submitted.run.id);
        expect(done.run.status).toBe('completed');
        const spans = await receiver.waitForSpans((all) =>
          all.some((s) => s.spanId === done.steps[1]?.trace?.spanId),
        );
        const resumed = spans.find((s) => s.spanId === done.steps[1]?.trace?.spanId)!;
        expect(resumed.traceId).toBe(CLIENT_TRACE_ID);
        expect(resumed.parentSpanId).toBe(waiting.run.trace?.spanId);
      } finally {
        await client.close();
        await second.close({ removeData: true });
      }
    } finally {
      await Promise.all([receiver.close(), agent.close()]);
    }
  });
});

describe('logs', () => {
  it('carry the trace and span ids of the request or run they were written in', async () => {
    const [receiver, agent] = await Promise.all([startOtlpReceiver(), startInputAgent()]);
    const { logger, lines } = captureLog('debug');
    const gateway = await startTestGateway({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl },
      overrides: { logger },
    });
    const client = createHttpGatewayClient(gateway.httpUrl);
    try {
      const response = await fetch(`${gateway.httpUrl}/v1/agents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: CLIENT_TRACEPARENT },
        body: JSON.stringify({ name: 'asker', url: agent.url, credentials: { bearerToken: 'never-logged' } }),
      });
      expect(response.status).toBe(201);
      const registered = lines.find((l) => l.msg === 'agent registered');
      expect(registered?.trace_id).toBe(CLIENT_TRACE_ID);
      expect(registered?.span_id).toMatch(/^[0-9a-f]{16}$/);

      const submitted = await post(gateway, '/v1/runs', {
        target: { url: await unusedUrl() },
        input: { text: 'x' },
      });
      const done = await settle(client, submitted.run.id);
      const finished = lines.find((l) => l.msg === 'run finished' && l.runId === done.run.id);
      expect(finished).toMatchObject({ trace_id: done.run.trace?.traceId, span_id: done.run.trace?.spanId });
      expect(JSON.stringify(lines)).not.toContain('never-logged');
    } finally {
      await client.close();
      await gateway.close({ removeData: true });
      await Promise.all([receiver.close(), agent.close()]);
    }
  });
});
