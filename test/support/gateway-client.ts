/**
 * One client interface over the gateway's own API, implemented once per transport
 * (`grpc-gateway-client.ts`, `http-gateway-client.ts`), so the API behaviour suite in
 * test/integration runs unchanged against gRPC and HTTP. Values come back in the domain's JSON shapes
 * (the HTTP API's shapes); the gRPC implementation converts from proto messages. Errors are thrown as
 * `ApiError` carrying the gateway's stable error code.
 */
import type { PublicAgentView } from '../../src/domain/agent.js';
import type { Run } from '../../src/domain/run.js';
import type { Session } from '../../src/domain/session.js';
import type { RunDetails, RunWatchEvent, SessionDetails } from '../../src/app/services.js';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status or gRPC status code name, for asserting the wire mapping. */
    readonly wireStatus: string | number,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface SubmitRunInput {
  /** A registered agent name or an http(s) A2A URL. */
  readonly agent?: string;
  readonly url?: string;
  readonly text: string;
  readonly sessionId?: string;
  readonly timeoutMs?: number;
  /** Makes the submission safe to retry (the HTTP client sends it in the body). */
  readonly idempotencyKey?: string;
  /** Waits up to this long for the run to stop executing before answering. */
  readonly waitMs?: number;
}

export interface ListRunsInput {
  readonly statuses?: readonly string[];
  readonly agent?: string;
  readonly sessionId?: string;
  readonly createdAfter?: string;
  readonly createdBefore?: string;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export interface GatewayTestClient {
  readonly transport: 'grpc' | 'http';
  submitRun(input: SubmitRunInput): Promise<RunDetails>;
  getRun(id: string): Promise<RunDetails>;
  listRuns(input: ListRunsInput): Promise<{ runs: Run[]; nextPageToken: string }>;
  cancelRun(id: string, reason?: string): Promise<RunDetails>;
  /** With `waitMs`, the answer comes once the run stops executing again (or that time passed). */
  sendInput(id: string, text: string, waitMs?: number): Promise<RunDetails>;
  /** Events until the server ends the stream (or the signal aborts). */
  watchRun(id: string, signal?: AbortSignal): AsyncIterable<RunWatchEvent>;

  createSession(name: string): Promise<SessionDetails>;
  getSession(id: string): Promise<SessionDetails>;
  listSessions(): Promise<{ sessions: Session[]; nextPageToken: string }>;
  endSession(id: string): Promise<SessionDetails>;

  registerAgent(input: {
    name: string;
    url: string;
    labels?: Record<string, string>;
    bearerToken?: string;
    heartbeatTtlMs?: number;
  }): Promise<PublicAgentView>;
  heartbeatAgent(name: string): Promise<PublicAgentView>;
  deregisterAgent(name: string): Promise<void>;
  getAgent(name: string): Promise<PublicAgentView>;
  listAgents(): Promise<PublicAgentView[]>;

  getArtifact(id: string): Promise<Record<string, unknown>>;
  readArtifact(id: string): Promise<Uint8Array>;

  close(): Promise<void>;
}
