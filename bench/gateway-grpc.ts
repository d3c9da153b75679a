/**
 * The harness's gRPC side of the gateway: raw grpc-js clients built from the gateway's own proto loader
 * (src/transport/grpc/proto.ts, so the same loader options as the server), agent registration, run
 * submission (answered at once or once the run stops) and `WatchRun` until a status of interest. Raw
 * clients rather than the CLI's `GatewayGrpcClient`, so the load generator spends no time converting
 * messages to domain shapes.
 */
import * as grpc from '@grpc/grpc-js';

import type { RunEvent__Output } from '../src/transport/grpc/generated/bzzz/gateway/v1/RunEvent.js';
import type { AgentRegistryServiceClient } from '../src/transport/grpc/generated/bzzz/gateway/v1/AgentRegistryService.js';
import type { RunDetails__Output } from '../src/transport/grpc/generated/bzzz/gateway/v1/RunDetails.js';
import type { RunServiceClient } from '../src/transport/grpc/generated/bzzz/gateway/v1/RunService.js';
import type { RunStatus__Output } from '../src/transport/grpc/generated/bzzz/gateway/v1/RunStatus.js';
import { loadGatewayProto } from '../src/transport/grpc/proto.js';

/** The statuses after which a run never changes again (the watch then ends). */
export const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus__Output> = new Set([
  'RUN_STATUS_COMPLETED',
  'RUN_STATUS_FAILED',
  'RUN_STATUS_CANCELLED',
  'RUN_STATUS_TIMEOUT',
]);

/** Clients of one gateway over `channels` separate HTTP/2 connections. */
export class GatewayGrpc {
  readonly #runs: RunServiceClient[];
  readonly #agents: AgentRegistryServiceClient;
  #next = 0;

  /**
   * @param address - `host:port` of the gateway's gRPC server
   * @param channels - how many connections the run calls are spread over. @default 1
   */
  constructor(address: string, channels = 1) {
    const proto = loadGatewayProto();
    const credentials = grpc.credentials.createInsecure();
    // A local subchannel pool per client gives each its own connection.
    this.#runs = Array.from(
      { length: channels },
      () => new proto.RunService(address, credentials, { 'grpc.use_local_subchannel_pool': 1 }),
    );
    this.#agents = new proto.AgentRegistryService(address, credentials);
  }

  #client(): RunServiceClient {
    const client = this.#runs[this.#next % this.#runs.length];
    this.#next += 1;
    if (client === undefined) throw new Error('no run client');
    return client;
  }

  /** Registers (or re-registers) the agent `name` at `url`. */
  registerAgent(name: string, url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#agents.registerAgent({ name, url, labels: {}, heartbeatTtlMs: '0' }, (error) =>
        error === null ? resolve() : reject(error),
      );
    });
  }

  /**
   * Submits a run of the registered agent `agent` with one text part; resolves with its id and status.
   * With `waitMs`, the gateway answers once the run has stopped executing (or that time has passed).
   */
  submitRun(
    agent: string,
    text: string,
    waitMs = 0,
  ): Promise<{ readonly id: string; readonly status: RunStatus__Output }> {
    return new Promise((resolve, reject) => {
      this.#client().submitRun(
        {
          target: { agent: { name: agent } },
          input: { parts: [{ text }] },
          sessionId: '',
          timeoutMs: '0',
          waitMs: String(waitMs),
        },
        (error: grpc.ServiceError | null, details?: RunDetails__Output) => {
          const run = details?.run;
          if (error !== null) reject(error);
          else if (run === undefined || run === null) reject(new Error('SubmitRun returned no run'));
          else resolve({ id: run.id, status: run.status });
        },
      );
    });
  }

  /**
   * Watches run `id` until its status is one of `until`, then resolves with that status and the call. A
   * watch ends by itself only after a terminal status; for any other, the call stays open until the
   * caller cancels it.
   */
  watchUntil(
    id: string,
    until: ReadonlySet<RunStatus__Output>,
  ): Promise<{ status: RunStatus__Output; call: grpc.ClientReadableStream<RunEvent__Output> }> {
    return new Promise((resolve, reject) => {
      const call = this.#client().watchRun({ id });
      let settled = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        outcome();
      };
      call.on('data', (event: RunEvent__Output) => {
        const status = event.snapshot?.run?.status ?? event.run?.status;
        if (status !== undefined && until.has(status)) settle(() => resolve({ status, call }));
      });
      call.on('error', (error: grpc.ServiceError) => {
        // A cancel by the caller after the status arrived is the normal way out.
        if (error.code !== grpc.status.CANCELLED) settle(() => reject(error));
      });
      call.on('end', () =>
        settle(() => reject(new Error(`watch of ${id} ended before any of ${[...until].join(', ')}`))),
      );
    });
  }

  /** Closes every channel. */
  close(): void {
    for (const client of this.#runs) client.close();
    this.#agents.close();
  }
}
