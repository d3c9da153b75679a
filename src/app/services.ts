/**
 * The application services every transport (gRPC, HTTP, later the A2A façade) calls. Transports build a
 * `CallContext`, validate input, call one of these, and map `GatewayError` codes to their wire status.
 * No transport holds business rules; no service knows about a transport.
 */
import type { AgentCredentials, PublicAgentView } from '../domain/agent.js';
import type { Artifact } from '../domain/artifact.js';
import type { CallContext } from '../domain/call-context.js';
import type { RunInput } from '../domain/part.js';
import type { Run, RunTarget } from '../domain/run.js';
import type { RunEvent } from '../domain/run-event.js';
import type { Session } from '../domain/session.js';
import type { Step } from '../domain/step.js';
import type { Page, PageRequest, RunFilter, SessionFilter } from '../store/store.js';

/** An artifact as APIs return it: metadata, never inline bytes (those are read with `ArtifactService.read`). */
export type ArtifactMeta = Omit<Artifact, 'location'> & { readonly storage: Artifact['location']['kind'] };

/** A run with its steps and artifacts. */
export interface RunDetails {
  readonly run: Run;
  readonly steps: readonly Step[];
  readonly artifacts: readonly ArtifactMeta[];
}

export interface SubmitRunRequest {
  readonly target: RunTarget;
  readonly input: RunInput;
  readonly sessionId?: string;
  readonly timeoutMs?: number;
  /**
   * 1..200 printable ASCII characters chosen by the client. A second submission with the same key (in
   * the same tenant) returns the run the first one created instead of creating another; with another
   * target it fails with `RUN_ALREADY_EXISTS`.
   */
  readonly idempotencyKey?: string;
  /**
   * How long the reply may wait, at most {@link MAX_RUN_WAIT_MS}, for the run to stop executing (a
   * terminal status, or waiting for input); it then carries the run as it is. Absent: the reply comes once
   * the run is stored.
   */
  readonly waitMs?: number;
}

/** The longest a call may wait for its run to stop executing (`waitMs` of SubmitRun, SendInput): 10 min. */
export const MAX_RUN_WAIT_MS = 600_000;

/** What `submit` returns: the run's details, and whether this call created the run. */
export interface SubmitRunResult extends RunDetails {
  /** False when the idempotency key matched a run submitted before, whose details these are. */
  readonly created: boolean;
}

/** What a watcher receives: first the current state, then every change in order. */
export type RunWatchEvent =
  { readonly type: 'snapshot'; readonly seq: number; readonly details: RunDetails } | RunEvent;

export interface RunService {
  /**
   * Creates the run (pending), starts executing it in the background, and returns it once stored, or
   * when it stops executing if the request waits (`waitMs`); or, when a run with the request's
   * idempotency key exists, returns that run (`created: false`), waiting the same way.
   */
  submit(request: SubmitRunRequest, ctx: CallContext): Promise<SubmitRunResult>;
  get(id: string, ctx: CallContext): Promise<RunDetails>;
  list(filter: RunFilter, page: PageRequest, ctx: CallContext): Promise<Page<Run>>;
  /** Cancels a run that has not finished and asks the agent to cancel its task. */
  cancel(id: string, reason: string, ctx: CallContext): Promise<RunDetails>;
  /**
   * Continues a run that waits for input (input_required / auth_required) with a new step; with
   * `waitMs`, answers once the run stops executing again or that time has passed.
   */
  sendInput(
    id: string,
    input: RunInput,
    ctx: CallContext,
    options?: { readonly waitMs?: number },
  ): Promise<RunDetails>;
  /**
   * The current state, then live events, with no gap and no duplicate; ends after the run reaches a
   * terminal status, or when `ctx.signal` aborts.
   */
  watch(id: string, ctx: CallContext): AsyncIterable<RunWatchEvent>;
}

export interface SessionDetails {
  readonly session: Session;
  readonly runIds: readonly string[];
}

export interface SessionService {
  create(request: { name: string }, ctx: CallContext): Promise<SessionDetails>;
  get(id: string, ctx: CallContext): Promise<SessionDetails>;
  list(filter: SessionFilter, page: PageRequest, ctx: CallContext): Promise<Page<Session>>;
  end(id: string, ctx: CallContext): Promise<SessionDetails>;
}

export interface RegisterAgentRequest {
  readonly name: string;
  /** Base URL of the agent or the URL of its card. */
  readonly url: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly credentials?: AgentCredentials;
  /** Expect a heartbeat at least this often. Unset: the agent is health-checked only. */
  readonly heartbeatTtlMs?: number;
}

export interface AgentRegistryService {
  /** Fetches and validates the card, then stores the agent. Re-registering the same name replaces it. */
  register(request: RegisterAgentRequest, ctx: CallContext): Promise<PublicAgentView>;
  /** Renews the heartbeat TTL; an unhealthy agent that heartbeats becomes healthy. */
  heartbeat(name: string, ctx: CallContext): Promise<PublicAgentView>;
  deregister(name: string, ctx: CallContext): Promise<void>;
  get(name: string, ctx: CallContext): Promise<PublicAgentView>;
  list(ctx: CallContext): Promise<readonly PublicAgentView[]>;
}

export interface ArtifactService {
  get(id: string, ctx: CallContext): Promise<ArtifactMeta>;
  /** The content in chunks of at most `chunkBytes`. */
  read(id: string, ctx: CallContext, chunkBytes?: number): AsyncIterable<Uint8Array>;
}

/** Everything a transport needs. */
export interface GatewayServices {
  readonly runs: RunService;
  readonly sessions: SessionService;
  readonly agents: AgentRegistryService;
  readonly artifacts: ArtifactService;
  /** False while starting or shutting down; `/readyz` and the gRPC health service report it. */
  isReady(): boolean;
}
