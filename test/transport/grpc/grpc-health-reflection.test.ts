/**
 * The standard services generic gRPC tools rely on (grpc.health.v1 and server reflection), and the
 * server lifecycle: bound port, idempotent close, forced shutdown after the grace period.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcServer } from '../../../src/transport/grpc/grpc-server.js';
import { GatewayGrpcClient } from '../../../src/transport/grpc/gateway-grpc-client.js';
import { PROTO_LOADER_OPTIONS } from '../../../src/transport/grpc/proto.js';
import { RUN_ID, createMockServices, sampleDetails, silentLogger, startServer } from './fixtures.js';

type Ctor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
) => grpc.Client & Record<string, unknown>;

function loadClient(file: string, name: string): Ctor {
  const definition = protoLoader.loadSync(file, PROTO_LOADER_OPTIONS);
  let node: unknown = grpc.loadPackageDefinition(definition);
  for (const part of name.split('.')) node = (node as Record<string, unknown>)[part];
  return node as Ctor;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(): Promise<{ server: GrpcServer; address: string }> {
  const result = await startServer(createMockServices());
  cleanups.push(() => result.server.close(1000));
  return result;
}

function check(address: string, service: string): Promise<string> {
  const Health = loadClient(healthProtoPath, 'grpc.health.v1.Health');
  const client = new Health(address, grpc.credentials.createInsecure());
  return new Promise<string>((resolve, reject) => {
    (
      client.check as (
        req: unknown,
        cb: (e: grpc.ServiceError | null, r?: { status: string }) => void,
      ) => void
    )({ service }, (error, response) => {
      client.close();
      if (error !== null) reject(error);
      else resolve(response!.status);
    });
  });
}

describe('health', () => {
  it('answers SERVING for the gateway and each service, and NOT_SERVING after setServing(false)', async () => {
    const { server, address } = await started();
    expect(await check(address, '')).toBe('SERVING');
    expect(await check(address, 'bzzz.gateway.v1.RunService')).toBe('SERVING');
    expect(await check(address, 'bzzz.gateway.v1.AgentRegistryService')).toBe('SERVING');
    server.setServing(false);
    expect(await check(address, '')).toBe('NOT_SERVING');
    expect(await check(address, 'bzzz.gateway.v1.ArtifactService')).toBe('NOT_SERVING');
    server.setServing(true);
    expect(await check(address, 'bzzz.gateway.v1.SessionService')).toBe('SERVING');
  });

  it('starts NOT_SERVING when the services are not ready', async () => {
    const services = createMockServices();
    services.isReady.mockReturnValue(false);
    const { server, address } = await startServer(services);
    cleanups.push(() => server.close(1000));
    expect(await check(address, '')).toBe('NOT_SERVING');
  });
});

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] } | null;
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] } | null;
  errorResponse?: { errorMessage: string } | null;
}

/** Sends one reflection request (grpc.reflection.v1) and returns the first response. */
async function reflect(address: string, request: Record<string, string>): Promise<ReflectionResponse> {
  const reflectionDir = path.dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json'));
  const Reflection = loadClient(
    path.join(reflectionDir, 'build/proto/grpc/reflection/v1/reflection.proto'),
    'grpc.reflection.v1.ServerReflection',
  );
  const client = new Reflection(address, grpc.credentials.createInsecure());
  const call = (client.serverReflectionInfo as () => grpc.ClientDuplexStream<unknown, ReflectionResponse>)();
  try {
    return await new Promise<ReflectionResponse>((resolve, reject) => {
      call.on('data', resolve);
      call.on('error', reject);
      call.write(request);
    });
  } finally {
    call.end();
    client.close();
  }
}

describe('reflection', () => {
  it('lists the gateway services and health', async () => {
    const { address } = await started();
    const response = await reflect(address, { listServices: '' });
    const names = (response.listServicesResponse?.service ?? []).map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'bzzz.gateway.v1.RunService',
        'bzzz.gateway.v1.SessionService',
        'bzzz.gateway.v1.AgentRegistryService',
        'bzzz.gateway.v1.ArtifactService',
        'grpc.health.v1.Health',
      ]),
    );
  });

  it('serves the file descriptor of a gateway service, well-known imports included', async () => {
    const { address } = await started();
    const response = await reflect(address, { fileContainingSymbol: 'bzzz.gateway.v1.RunService' });
    expect(response.errorResponse ?? null).toBeNull();
    const text = Buffer.concat(response.fileDescriptorResponse?.fileDescriptorProto ?? []).toString('latin1');
    // proto-loader names descriptor files after their package; the well-known types come along as a
    // dependency so tools can resolve every field type.
    expect(text).toContain('bzzz_gateway_v1.proto');
    expect(text).toContain('RunService');
    expect(text).toContain('WatchRun');
    expect(text).toContain('google_protobuf.proto');
    expect(text).toContain('Timestamp');
  });
});

describe('lifecycle', () => {
  it('binds a port, refuses a second start, and closes idempotently', async () => {
    const server = new GrpcServer({
      services: createMockServices(),
      logger: silentLogger,
      host: '127.0.0.1',
      port: 0,
    });
    expect(() => server.port).toThrow();
    await server.start();
    expect(server.port).toBeGreaterThan(0);
    await expect(server.start()).rejects.toMatchObject({ code: 'ILLEGAL_STATE_TRANSITION' });
    const first = server.close(1000);
    expect(server.close(1000)).toBe(first);
    await first;
  });

  it('forces open streams closed after the grace period', async () => {
    const services = createMockServices();
    let serviceSignal: AbortSignal | undefined;
    services.runs.watch.mockImplementation(async function* (_id, ctx) {
      serviceSignal = ctx.signal;
      yield { type: 'snapshot', seq: 1, details: sampleDetails({ status: 'running' }) };
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    });
    const { server, address } = await startServer(services);
    const client = new GatewayGrpcClient({ address });
    cleanups.push(() => client.close());
    const iterator = client.watchRun(RUN_ID)[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.type).toBe('snapshot');

    const startedAt = Date.now();
    await server.close(150);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(140);
    await expect(iterator.next()).rejects.toMatchObject({ grpcStatus: expect.any(String) });
    expect(serviceSignal?.aborted).toBe(true);
  });
});
