/**
 * A client of the gateway's own gRPC API that speaks in domain shapes (src/app/services.ts): what the
 * `bzzz` CLI (src/cli) and the test harness (test/support/grpc-gateway-client.ts) use. Failures are
 * thrown as `GrpcCallError`, carrying the gateway's stable code from the `bzzz-error-code` trailer.
 */
import * as grpc from '@grpc/grpc-js';
import type { PublicAgentView } from '../../domain/agent.js';
import type { RunInput } from '../../domain/part.js';
import type { Run } from '../../domain/run.js';
import type { Session } from '../../domain/session.js';
import type {
  ArtifactMeta,
  RegisterAgentRequest,
  RunDetails,
  SessionDetails,
  SubmitRunRequest,
} from '../../app/services.js';
import type { Page, PageRequest, RunFilter, SessionFilter } from '../../store/store.js';
import {
  RUN_STATUS_TO_PROTO,
  SESSION_STATUS_TO_PROTO,
  fromProtoAgent,
  fromProtoArtifact,
  fromProtoRun,
  fromProtoRunDetails,
  fromProtoRunEvent,
  fromProtoSession,
  fromProtoSessionDetails,
  toProtoRunInput,
  toProtoTarget,
  toTimestamp,
  type ClientRunWatchEvent,
} from './codec.js';
import type { ArtifactChunk__Output } from './generated/bzzz/gateway/v1/ArtifactChunk.js';
import type { AgentRegistryServiceClient } from './generated/bzzz/gateway/v1/AgentRegistryService.js';
import type { ArtifactServiceClient } from './generated/bzzz/gateway/v1/ArtifactService.js';
import type { ListAgentsResponse__Output } from './generated/bzzz/gateway/v1/ListAgentsResponse.js';
import type { ListRunsResponse__Output } from './generated/bzzz/gateway/v1/ListRunsResponse.js';
import type { ListSessionsResponse__Output } from './generated/bzzz/gateway/v1/ListSessionsResponse.js';
import type { RunEvent__Output } from './generated/bzzz/gateway/v1/RunEvent.js';
import type { RunServiceClient } from './generated/bzzz/gateway/v1/RunService.js';
import type { SessionServiceClient } from './generated/bzzz/gateway/v1/SessionService.js';
import { ERROR_CODE_METADATA_KEY, ERROR_DETAILS_METADATA_KEY, grpcStatusName } from './grpc-status.js';
import { loadGatewayProto } from './proto.js';

/** A failed call: the gateway's stable `code` (or the gRPC status name when the server sent none). */
export class GrpcCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The gRPC status code name, e.g. `NOT_FOUND`. */
    readonly grpcStatus: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'GrpcCallError';
  }

  /** Converts a grpc-js error (a `ServiceError`) or anything else thrown by a call. */
  static from(error: unknown): GrpcCallError {
    if (error instanceof GrpcCallError) return error;
    const serviceError = error as Partial<grpc.ServiceError>;
    if (typeof serviceError.code !== 'number') {
      return new GrpcCallError('UNKNOWN', error instanceof Error ? error.message : String(error), 'UNKNOWN');
    }
    const statusName = grpcStatusName(serviceError.code);
    const metadata = serviceError.metadata;
    const code = metadata?.get(ERROR_CODE_METADATA_KEY)[0];
    const rawDetails = metadata?.get(ERROR_DETAILS_METADATA_KEY)[0];
    let details: Record<string, unknown> = {};
    if (typeof rawDetails === 'string') {
      try {
        details = JSON.parse(rawDetails) as Record<string, unknown>;
      } catch {
        details = {};
      }
    }
    return new GrpcCallError(
      typeof code === 'string' ? code : statusName,
      serviceError.details ?? serviceError.message ?? statusName,
      statusName,
      details,
    );
  }
}

export interface GatewayGrpcClientOptions {
  /** `host:port` of the gateway's gRPC server. */
  readonly address: string;
  /** @default insecure (plaintext) */
  readonly credentials?: grpc.ChannelCredentials;
  /** Deadline of each unary call. Unset: no deadline. */
  readonly callTimeoutMs?: number;
}

type Callback<T> = (error: grpc.ServiceError | null, value?: T) => void;

export class GatewayGrpcClient {
  readonly #runs: RunServiceClient;
  readonly #sessions: SessionServiceClient;
  readonly #agents: AgentRegistryServiceClient;
  readonly #artifacts: ArtifactServiceClient;
  readonly #callTimeoutMs: number | undefined;

  constructor(options: GatewayGrpcClientOptions) {
    const proto = loadGatewayProto();
    const credentials = options.credentials ?? grpc.credentials.createInsecure();
    this.#runs = new proto.RunService(options.address, credentials);
    // The other clients share the first one's channel.
    const channelOverride = { channelOverride: this.#runs.getChannel() };
    this.#sessions = new proto.SessionService(options.address, credentials, channelOverride);
    this.#agents = new proto.AgentRegistryService(options.address, credentials, channelOverride);
    this.#artifacts = new proto.ArtifactService(options.address, credentials, channelOverride);
    this.#callTimeoutMs = options.callTimeoutMs;
  }

  /** The call's deadline: the call timeout, plus as long as the server may wait before it answers. */
  #callOptions(waitMs = 0): grpc.CallOptions {
    return this.#callTimeoutMs === undefined ? {} : { deadline: Date.now() + this.#callTimeoutMs + waitMs };
  }

  /** Runs one unary call and converts its error. */
  #unary<T>(invoke: (options: grpc.CallOptions, callback: Callback<T>) => void, waitMs = 0): Promise<T> {
    return new Promise((resolve, reject) => {
      invoke(this.#callOptions(waitMs), (error, value) => {
        if (error !== null) reject(GrpcCallError.from(error));
        else resolve(value as T);
      });
    });
  }

  async submitRun(request: SubmitRunRequest): Promise<RunDetails> {
    const message = {
      target: toProtoTarget(request.target),
      input: toProtoRunInput(request.input),
      sessionId: request.sessionId ?? '',
      timeoutMs: String(request.timeoutMs ?? 0),
      idempotencyKey: request.idempotencyKey ?? '',
      waitMs: String(request.waitMs ?? 0),
    };
    return fromProtoRunDetails(
      await this.#unary((o, cb) => this.#runs.submitRun(message, o, cb), request.waitMs),
    );
  }

  async getRun(id: string): Promise<RunDetails> {
    return fromProtoRunDetails(await this.#unary((o, cb) => this.#runs.getRun({ id }, o, cb)));
  }

  async listRuns(filter: RunFilter = {}, page: PageRequest = {}): Promise<Page<Run>> {
    const message = {
      // An unknown status goes out as UNSPECIFIED, which the server rejects naming the field.
      statuses: (filter.statuses ?? []).map((s) => RUN_STATUS_TO_PROTO[s] ?? 'RUN_STATUS_UNSPECIFIED'),
      agent: filter.agent ?? '',
      sessionId: filter.sessionId ?? '',
      createdAfter: toTimestamp(filter.createdAfter),
      createdBefore: toTimestamp(filter.createdBefore),
      pageSize: page.pageSize ?? 0,
      pageToken: page.pageToken ?? '',
    };
    const response = await this.#unary<ListRunsResponse__Output>((o, cb) =>
      this.#runs.listRuns(message, o, cb),
    );
    return { items: response.runs.map(fromProtoRun), nextPageToken: response.nextPageToken };
  }

  async cancelRun(id: string, reason = ''): Promise<RunDetails> {
    return fromProtoRunDetails(await this.#unary((o, cb) => this.#runs.cancelRun({ id, reason }, o, cb)));
  }

  /** With `waitMs`, the answer comes once the run stops executing again, or when that time has passed. */
  async sendInput(id: string, input: RunInput, waitMs?: number): Promise<RunDetails> {
    const message = { id, input: toProtoRunInput(input), waitMs: String(waitMs ?? 0) };
    return fromProtoRunDetails(await this.#unary((o, cb) => this.#runs.sendInput(message, o, cb), waitMs));
  }

  /** The run's events until the server ends the stream; aborting `signal` cancels the call quietly. */
  async *watchRun(id: string, signal?: AbortSignal): AsyncIterable<ClientRunWatchEvent> {
    for await (const message of this.#serverStream<RunEvent__Output>(
      () => this.#runs.watchRun({ id }),
      signal,
    )) {
      const event = fromProtoRunEvent(message);
      if (event !== undefined) yield event;
    }
  }

  async createSession(name: string): Promise<SessionDetails> {
    return fromProtoSessionDetails(
      await this.#unary((o, cb) => this.#sessions.createSession({ name }, o, cb)),
    );
  }

  async getSession(id: string): Promise<SessionDetails> {
    return fromProtoSessionDetails(await this.#unary((o, cb) => this.#sessions.getSession({ id }, o, cb)));
  }

  async listSessions(filter: SessionFilter = {}, page: PageRequest = {}): Promise<Page<Session>> {
    const message = {
      statuses: (filter.statuses ?? []).map(
        (s) => SESSION_STATUS_TO_PROTO[s] ?? 'SESSION_STATUS_UNSPECIFIED',
      ),
      pageSize: page.pageSize ?? 0,
      pageToken: page.pageToken ?? '',
    };
    const response = await this.#unary<ListSessionsResponse__Output>((o, cb) =>
      this.#sessions.listSessions(message, o, cb),
    );
    return { items: response.sessions.map(fromProtoSession), nextPageToken: response.nextPageToken };
  }

  async endSession(id: string): Promise<SessionDetails> {
    return fromProtoSessionDetails(await this.#unary((o, cb) => this.#sessions.endSession({ id }, o, cb)));
  }

  async registerAgent(request: RegisterAgentRequest): Promise<PublicAgentView> {
    const message = {
      name: request.name,
      url: request.url,
      labels: { ...request.labels },
      credentials:
        request.credentials === undefined
          ? null
          : {
              bearerToken: request.credentials.bearerToken ?? '',
              headers: { ...request.credentials.headers },
            },
      heartbeatTtlMs: String(request.heartbeatTtlMs ?? 0),
    };
    return fromProtoAgent(await this.#unary((o, cb) => this.#agents.registerAgent(message, o, cb)));
  }

  async heartbeatAgent(name: string): Promise<PublicAgentView> {
    return fromProtoAgent(await this.#unary((o, cb) => this.#agents.heartbeat({ name }, o, cb)));
  }

  async deregisterAgent(name: string): Promise<void> {
    await this.#unary((o, cb) => this.#agents.deregisterAgent({ name }, o, cb));
  }

  async getAgent(name: string): Promise<PublicAgentView> {
    return fromProtoAgent(await this.#unary((o, cb) => this.#agents.getAgent({ name }, o, cb)));
  }

  async listAgents(): Promise<PublicAgentView[]> {
    const response = await this.#unary<ListAgentsResponse__Output>((o, cb) =>
      this.#agents.listAgents({}, o, cb),
    );
    return response.agents.map(fromProtoAgent);
  }

  async getArtifact(id: string): Promise<ArtifactMeta> {
    return fromProtoArtifact(await this.#unary((o, cb) => this.#artifacts.getArtifact({ id }, o, cb)));
  }

  /** The artifact's content, chunk by chunk. */
  async *readArtifact(id: string, signal?: AbortSignal): AsyncIterable<Uint8Array> {
    for await (const chunk of this.#serverStream<ArtifactChunk__Output>(
      () => this.#artifacts.readArtifact({ id }),
      signal,
    )) {
      yield chunk.data;
    }
  }

  /** Closes the shared channel. */
  async close(): Promise<void> {
    this.#runs.close();
  }

  async *#serverStream<T>(open: () => grpc.ClientReadableStream<T>, signal?: AbortSignal): AsyncIterable<T> {
    if (signal?.aborted) return;
    const call = open();
    const onAbort = (): void => call.cancel();
    signal?.addEventListener('abort', onAbort);
    try {
      for await (const message of call as AsyncIterable<T>) yield message;
    } catch (error) {
      if (signal?.aborted) return;
      throw GrpcCallError.from(error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Leaving early (the consumer stopped iterating) cancels the call so the server stops sending.
      call.cancel();
    }
  }
}
