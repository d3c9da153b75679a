/**
 * The SERVER span of each gRPC call and the trace carrier it puts into the `CallContext`: with an SDK
 * registered, `traceparent` metadata parents the span `{package.Service}/{Method}` and the service
 * receives the span's own context; without it a new trace starts; the RPC attributes carry the status
 * code, and server-side failures mark the span as an error; a server stream's span lasts as long as the
 * stream. With no SDK the client's trace context reaches the service unchanged.
 */
import * as grpc from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { RunWatchEvent } from '../../../src/app/services.js';
import type { CallContext } from '../../../src/domain/call-context.js';
import { ErrorCode, GatewayError } from '../../../src/errors/gateway-error.js';
import type { GrpcServer } from '../../../src/transport/grpc/grpc-server.js';
import { loadGatewayProto } from '../../../src/transport/grpc/proto.js';
import {
  CLIENT_BAGGAGE,
  CLIENT_SPAN_ID,
  CLIENT_TRACE_ID,
  CLIENT_TRACEPARENT,
  CLIENT_TRACESTATE,
  parseTraceparent,
  registerTestTracing,
  type TestTracing,
} from '../tracing-kit.js';
import {
  RUN_ID,
  createMockServices,
  sampleDetails,
  sampleRun,
  startServer,
  type MockServices,
} from './fixtures.js';
import { submitted } from '../../support/mock-services.js';

type RawRunService = InstanceType<ReturnType<typeof loadGatewayProto>['RunService']>;

let services: MockServices;
let server: GrpcServer;
let raw: RawRunService;
let tracing: TestTracing | undefined;

beforeEach(async () => {
  services = createMockServices();
  let address: string;
  ({ server, address } = await startServer(services));
  const proto = loadGatewayProto();
  raw = new proto.RunService(address, grpc.credentials.createInsecure());
});

afterEach(async () => {
  raw.close();
  await server.close(1000);
  await tracing?.disable();
  tracing = undefined;
});

function metadataOf(fields: Record<string, string>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(fields)) metadata.set(key, value);
  return metadata;
}

const W3C_FIELDS = {
  traceparent: CLIENT_TRACEPARENT,
  tracestate: CLIENT_TRACESTATE,
  baggage: CLIENT_BAGGAGE,
};

/** GetRun with `fields` as metadata; resolves to the status code the call ended with. */
function getRun(fields: Record<string, string>): Promise<grpc.status> {
  return new Promise((resolve) => {
    raw.getRun({ id: RUN_ID }, metadataOf(fields), (error) => resolve(error?.code ?? grpc.status.OK));
  });
}

function getContext(call = 0): CallContext {
  const ctx = services.runs.get.mock.calls[call]?.[1];
  expect(ctx).toBeDefined();
  return ctx!;
}

describe('with an SDK registered', () => {
  beforeEach(() => {
    tracing = registerTestTracing();
  });

  it("makes the SERVER span a child of the client's traceparent and hands the service its context in the carrier", async () => {
    services.runs.get.mockImplementation(async () => sampleDetails());
    expect(await getRun(W3C_FIELDS)).toBe(grpc.status.OK);

    const [span, ...others] = await tracing!.ended(1);
    expect(others).toEqual([]);
    expect(span!.name).toBe('bzzz.gateway.v1.RunService/GetRun');
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.spanContext().traceId).toBe(CLIENT_TRACE_ID);
    expect(span!.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    expect(span!.attributes).toEqual({
      'rpc.system': 'grpc',
      'rpc.service': 'bzzz.gateway.v1.RunService',
      'rpc.method': 'GetRun',
      'rpc.grpc.status_code': 0,
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);

    const carrier = getContext().traceCarrier;
    expect(parseTraceparent(carrier?.traceparent)).toEqual({
      traceId: CLIENT_TRACE_ID,
      spanId: span!.spanContext().spanId,
      flags: '01',
    });
    expect(carrier).toMatchObject({ tracestate: CLIENT_TRACESTATE, baggage: CLIENT_BAGGAGE });
  });

  it('starts a new trace when the call carries no traceparent', async () => {
    services.runs.get.mockResolvedValue(sampleDetails());
    await getRun({});
    const [span] = await tracing!.ended(1);
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.spanContext().traceId).not.toBe(CLIENT_TRACE_ID);
    expect(parseTraceparent(getContext().traceCarrier?.traceparent)).toMatchObject({
      traceId: span!.spanContext().traceId,
      spanId: span!.spanContext().spanId,
    });
  });

  it('records the status code; only server-side failures make the span an error', async () => {
    services.runs.get.mockRejectedValueOnce(new GatewayError(ErrorCode.RUN_NOT_FOUND, 'no such run'));
    expect(await getRun({})).toBe(grpc.status.NOT_FOUND);
    services.runs.get.mockRejectedValueOnce(new GatewayError(ErrorCode.UNAVAILABLE, 'store down'));
    expect(await getRun({})).toBe(grpc.status.UNAVAILABLE);
    services.runs.get.mockRejectedValueOnce(new Error('a bug'));
    expect(await getRun({})).toBe(grpc.status.INTERNAL);

    const [notFound, unavailable, internal] = await tracing!.ended(3);
    expect(notFound!.attributes['rpc.grpc.status_code']).toBe(grpc.status.NOT_FOUND);
    expect(notFound!.status.code).toBe(SpanStatusCode.UNSET);
    expect(notFound!.attributes['error.type']).toBeUndefined();
    expect(unavailable!.attributes['rpc.grpc.status_code']).toBe(grpc.status.UNAVAILABLE);
    expect(unavailable!.status.code).toBe(SpanStatusCode.ERROR);
    expect(unavailable!.attributes['error.type']).toBe('UNAVAILABLE');
    expect(internal!.status.code).toBe(SpanStatusCode.ERROR);
    expect(internal!.attributes['error.type']).toBe('INTERNAL');
  });

  it('names each span by its service and method', async () => {
    services.runs.submit.mockResolvedValue(submitted(sampleDetails()));
    await new Promise<void>((resolve, reject) =>
      raw.submitRun(
        { target: { agent: { name: 'echo' } }, input: { parts: [{ text: 'hi' }] } },
        metadataOf(W3C_FIELDS),
        (error) => (error === null ? resolve() : reject(error)),
      ),
    );
    const [span] = await tracing!.ended(1);
    expect(span!.name).toBe('bzzz.gateway.v1.RunService/SubmitRun');
    expect(span!.attributes['rpc.method']).toBe('SubmitRun');
    const carrier = services.runs.submit.mock.calls[0]?.[1].traceCarrier;
    expect(parseTraceparent(carrier?.traceparent).spanId).toBe(span!.spanContext().spanId);
  });

  it('ends the span of a server stream when the stream ends', async () => {
    const run = sampleRun({ status: 'running' });
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    services.runs.watch.mockImplementation(async function* (): AsyncIterable<RunWatchEvent> {
      yield { type: 'snapshot', seq: 1, details: sampleDetails({ status: 'running' }) };
      await finished;
      yield { type: 'run', runId: run.id, seq: 2, run: { ...run, status: 'completed' } };
    });
    const stream = raw.watchRun({ id: RUN_ID }, metadataOf(W3C_FIELDS));
    const received: unknown[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('data', (event: unknown) => received.push(event));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    while (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(tracing!.exporter.getFinishedSpans()).toEqual([]);

    finish();
    await ended;
    const [span] = await tracing!.ended(1);
    expect(span!.name).toBe('bzzz.gateway.v1.RunService/WatchRun');
    expect(span!.attributes['rpc.grpc.status_code']).toBe(grpc.status.OK);
    expect(span!.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
    expect(received).toHaveLength(2);
  });

  it('ends the span of a stream the client cancels, as CANCELLED', async () => {
    services.runs.watch.mockImplementation(async function* (_id, ctx): AsyncIterable<RunWatchEvent> {
      yield { type: 'snapshot', seq: 1, details: sampleDetails({ status: 'running' }) };
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
    });
    const stream = raw.watchRun({ id: RUN_ID }, metadataOf({}));
    stream.on('error', () => undefined);
    await new Promise((resolve) => stream.once('data', resolve));
    stream.cancel();
    const [span] = await tracing!.ended(1);
    expect(span!.attributes['rpc.grpc.status_code']).toBe(grpc.status.CANCELLED);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });
});

describe('without an SDK', () => {
  it("passes the client's trace context to the service unchanged", async () => {
    services.runs.get.mockResolvedValue(sampleDetails());
    await getRun(W3C_FIELDS);
    expect(getContext().traceCarrier).toEqual(W3C_FIELDS);
  });

  it('passes nothing when the call carries no trace context', async () => {
    services.runs.get.mockResolvedValue(sampleDetails());
    await getRun({ 'x-request-id': 'r-1' });
    expect(getContext()).not.toHaveProperty('traceCarrier');
  });
});
