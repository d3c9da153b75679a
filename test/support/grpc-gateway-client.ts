/**
 * The gRPC implementation of `GatewayTestClient` (gateway-client.ts): a thin wrapper over the gateway's
 * own client (src/transport/grpc/gateway-grpc-client.ts) that rethrows its errors as `ApiError`, with the
 * gRPC status name as `wireStatus`.
 */
import type { RunWatchEvent } from '../../src/app/services.js';
import type { RunStatus, RunTarget } from '../../src/domain/run.js';
import { GatewayGrpcClient, GrpcCallError } from '../../src/transport/grpc/gateway-grpc-client.js';
import {
  ApiError,
  type GatewayTestClient,
  type ListRunsInput,
  type SubmitRunInput,
} from './gateway-client.js';

async function mapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApiError(error);
  }
}

function toApiError(error: unknown): unknown {
  if (!(error instanceof GrpcCallError)) return error;
  return new ApiError(error.code, error.message, error.grpcStatus, error.details);
}

function targetOf(input: SubmitRunInput): RunTarget {
  if (input.url !== undefined) return { kind: 'a2aAgent', url: input.url };
  return { kind: 'agent', name: input.agent ?? '' };
}

/** A `GatewayTestClient` over gRPC to `address` (`host:port`). */
export function createGrpcGatewayClient(address: string): GatewayTestClient {
  const client = new GatewayGrpcClient({ address });
  return {
    transport: 'grpc',
    submitRun: (input) =>
      mapped(() =>
        client.submitRun({
          target: targetOf(input),
          input: { parts: [{ text: input.text }] },
          ...(input.sessionId !== undefined && { sessionId: input.sessionId }),
          ...(input.timeoutMs !== undefined && { timeoutMs: input.timeoutMs }),
          ...(input.idempotencyKey !== undefined && { idempotencyKey: input.idempotencyKey }),
          ...(input.waitMs !== undefined && { waitMs: input.waitMs }),
        }),
      ),
    getRun: (id) => mapped(() => client.getRun(id)),
    listRuns: (input: ListRunsInput) =>
      mapped(async () => {
        const page = await client.listRuns(
          {
            ...(input.statuses !== undefined && { statuses: input.statuses as readonly RunStatus[] }),
            ...(input.agent !== undefined && { agent: input.agent }),
            ...(input.sessionId !== undefined && { sessionId: input.sessionId }),
            ...(input.createdAfter !== undefined && { createdAfter: input.createdAfter }),
            ...(input.createdBefore !== undefined && { createdBefore: input.createdBefore }),
          },
          {
            ...(input.pageSize !== undefined && { pageSize: input.pageSize }),
            ...(input.pageToken !== undefined && { pageToken: input.pageToken }),
          },
        );
        return { runs: [...page.items], nextPageToken: page.nextPageToken };
      }),
    cancelRun: (id, reason) => mapped(() => client.cancelRun(id, reason)),
    sendInput: (id, text, waitMs) => mapped(() => client.sendInput(id, { parts: [{ text }] }, waitMs)),
    async *watchRun(id, signal) {
      try {
        // Artifact events carry metadata (with `storage`) rather than a location, as the HTTP API does.
        for await (const event of client.watchRun(id, signal)) yield event as RunWatchEvent;
      } catch (error) {
        throw toApiError(error);
      }
    },
    createSession: (name) => mapped(() => client.createSession(name)),
    getSession: (id) => mapped(() => client.getSession(id)),
    listSessions: () =>
      mapped(async () => {
        const page = await client.listSessions();
        return { sessions: [...page.items], nextPageToken: page.nextPageToken };
      }),
    endSession: (id) => mapped(() => client.endSession(id)),
    registerAgent: (input) =>
      mapped(() =>
        client.registerAgent({
          name: input.name,
          url: input.url,
          ...(input.labels !== undefined && { labels: input.labels }),
          ...(input.bearerToken !== undefined && { credentials: { bearerToken: input.bearerToken } }),
          ...(input.heartbeatTtlMs !== undefined && { heartbeatTtlMs: input.heartbeatTtlMs }),
        }),
      ),
    heartbeatAgent: (name) => mapped(() => client.heartbeatAgent(name)),
    deregisterAgent: (name) => mapped(() => client.deregisterAgent(name)),
    getAgent: (name) => mapped(() => client.getAgent(name)),
    listAgents: () => mapped(() => client.listAgents()),
    getArtifact: (id) => mapped(async () => ({ ...(await client.getArtifact(id)) })),
    readArtifact: (id) =>
      mapped(async () => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of client.readArtifact(id)) chunks.push(chunk);
        return new Uint8Array(Buffer.concat(chunks));
      }),
    close: () => client.close(),
  };
}
