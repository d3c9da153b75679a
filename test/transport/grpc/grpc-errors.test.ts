/**
 * Every gateway error code reaches a gRPC client with the status of the table in grpc-status.ts and
 * the stable code in the `bzzz-error-code` trailer; unknown failures become INTERNAL without leaking.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors/gateway-error.js';
import { GRPC_STATUS_BY_CODE, grpcStatusName } from '../../../src/transport/grpc/grpc-status.js';
import type { GrpcServer } from '../../../src/transport/grpc/grpc-server.js';
import { ApiError, type GatewayTestClient } from '../../support/gateway-client.js';
import { createGrpcGatewayClient } from '../../support/grpc-gateway-client.js';
import { RUN_ID, createMockServices, startServer, type MockServices } from './fixtures.js';

/** The expected wire status of each code, spelled out independently of the table under test. */
const EXPECTED_STATUS: Record<ErrorCode, string> = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  PAYLOAD_TOO_LARGE: 'RESOURCE_EXHAUSTED',
  UNSUPPORTED_MEDIA_TYPE: 'INVALID_ARGUMENT',
  RUN_NOT_FOUND: 'NOT_FOUND',
  RUN_ALREADY_EXISTS: 'ALREADY_EXISTS',
  SESSION_NOT_FOUND: 'NOT_FOUND',
  ARTIFACT_NOT_FOUND: 'NOT_FOUND',
  AGENT_NOT_FOUND: 'NOT_FOUND',
  ROUTE_NOT_FOUND: 'UNIMPLEMENTED',
  AGENT_UNHEALTHY: 'UNAVAILABLE',
  INVALID_AGENT_CARD: 'FAILED_PRECONDITION',
  ILLEGAL_STATE_TRANSITION: 'FAILED_PRECONDITION',
  INVALID_CONFIG: 'FAILED_PRECONDITION',
  VERSION_NOT_SUPPORTED: 'FAILED_PRECONDITION',
  UNSUPPORTED_OPERATION: 'FAILED_PRECONDITION',
  REMOTE_UNAVAILABLE: 'UNAVAILABLE',
  REMOTE_PROTOCOL_ERROR: 'UNKNOWN',
  REMOTE_ERROR: 'UNKNOWN',
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  CANCELLED: 'CANCELLED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
};

let services: MockServices;
let server: GrpcServer;
let client: GatewayTestClient;

beforeAll(async () => {
  services = createMockServices();
  let address: string;
  ({ server, address } = await startServer(services));
  client = createGrpcGatewayClient(address);
});

beforeEach(() => {
  services.runs.get.mockReset();
});

afterAll(async () => {
  await client.close();
  await server.close(1000);
});

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('gRPC error mapping', () => {
  it('the table covers every error code with the documented status', () => {
    const table = Object.fromEntries(
      Object.entries(GRPC_STATUS_BY_CODE).map(([code, status]) => [code, grpcStatusName(status)]),
    );
    expect(table).toEqual(EXPECTED_STATUS);
  });

  it.each(Object.values(ErrorCode))(
    '%s travels as its status with the code and details in trailers',
    async (code) => {
      services.runs.get.mockRejectedValue(
        new GatewayError(code, `failure ${code}`, { details: { runId: RUN_ID, n: 3 } }),
      );
      const error = await apiError(client.getRun(RUN_ID));
      expect(error.code).toBe(code);
      expect(error.wireStatus).toBe(EXPECTED_STATUS[code]);
      expect(error.message).toBe(`failure ${code}`);
      expect(error.details).toEqual({ runId: RUN_ID, n: 3 });
    },
  );

  it('details in any language reach the client intact (the trailer stays printable ASCII)', async () => {
    const remoteMessage = 'Tâche introuvable — 任务 ✓';
    services.runs.get.mockRejectedValue(
      new GatewayError(ErrorCode.REMOTE_ERROR, 'agent answered an error', {
        details: { remoteCode: -32001, remoteMessage },
      }),
    );
    const error = await apiError(client.getRun(RUN_ID));
    expect(error.code).toBe('REMOTE_ERROR');
    expect(error.details).toEqual({ remoteCode: -32001, remoteMessage });
  });

  it('an unknown thrown value becomes INTERNAL with a generic message', async () => {
    services.runs.get.mockRejectedValue(new Error('password=hunter2 at /secret/path'));
    const error = await apiError(client.getRun(RUN_ID));
    expect(error.code).toBe('INTERNAL');
    expect(error.wireStatus).toBe('INTERNAL');
    expect(error.message).toBe('internal error');
    expect(error.message).not.toContain('hunter2');
  });

  it('a service error in a server stream ends the stream with the mapped status', async () => {
    services.runs.watch.mockImplementation(() => {
      throw new GatewayError(ErrorCode.RUN_NOT_FOUND, `run '${RUN_ID}' not found`);
    });
    const error = await apiError(
      (async () => {
        for await (const _event of client.watchRun(RUN_ID)) {
          // drain
        }
      })(),
    );
    expect(error.code).toBe('RUN_NOT_FOUND');
    expect(error.wireStatus).toBe('NOT_FOUND');
  });
});
