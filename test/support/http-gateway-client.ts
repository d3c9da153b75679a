/**
 * `GatewayTestClient` (gateway-client.ts) over the gateway's HTTP API, for the shared API behaviour
 * suite and the HTTP transport tests. Error bodies become `ApiError` (code from the body, `wireStatus` =
 * the HTTP status); `watchRun` reads the Server-Sent Events with `eventsource-parser`. Each client owns
 * its own undici `Agent`, so `close()` leaves no socket behind.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { Agent, fetch, type Response } from 'undici';

import type { PublicAgentView } from '../../src/domain/agent.js';
import type { Run } from '../../src/domain/run.js';
import type { Session } from '../../src/domain/session.js';
import type { RunDetails, RunWatchEvent, SessionDetails } from '../../src/app/services.js';
import {
  ApiError,
  type GatewayTestClient,
  type ListRunsInput,
  type SubmitRunInput,
} from './gateway-client.js';

/** The `ApiError` for a non-2xx response (or a body that is not our error shape). */
async function apiErrorFrom(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const error = body.error;
    if (error !== undefined && typeof error.code === 'string') {
      return new ApiError(
        error.code,
        typeof error.message === 'string' ? error.message : '',
        response.status,
        (error.details ?? {}) as Record<string, unknown>,
      );
    }
  } catch {
    // not JSON: reported below
  }
  return new ApiError('UNKNOWN', `HTTP ${response.status}: ${text.slice(0, 200)}`, response.status);
}

/** An `ApiError` from an `event: error` payload. */
function apiErrorFromEvent(data: string): ApiError {
  const body = JSON.parse(data) as {
    error: { code: string; message: string; details?: Record<string, unknown> };
  };
  return new ApiError(body.error.code, body.error.message, 'sse', body.error.details ?? {});
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/** A client of the HTTP API at `baseUrl` (e.g. `http://127.0.0.1:8080`). */
export function createHttpGatewayClient(baseUrl: string): GatewayTestClient {
  const dispatcher = new Agent();
  const base = baseUrl.replace(/\/+$/, '');

  async function send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const response = await fetch(`${base}${path}`, {
      method,
      dispatcher,
      ...(body !== undefined && {
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      }),
      ...(signal !== undefined && { signal }),
    });
    if (!response.ok) throw await apiErrorFrom(response);
    return response;
  }

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  const enc = encodeURIComponent;

  return {
    transport: 'http',

    submitRun(input: SubmitRunInput) {
      const target = input.agent !== undefined ? { agent: input.agent } : { url: input.url };
      return call<RunDetails>('POST', '/v1/runs', {
        target,
        input: { text: input.text },
        ...(input.sessionId !== undefined && { sessionId: input.sessionId }),
        ...(input.timeoutMs !== undefined && { timeoutMs: input.timeoutMs }),
        ...(input.idempotencyKey !== undefined && { idempotencyKey: input.idempotencyKey }),
        ...(input.waitMs !== undefined && { waitMs: input.waitMs }),
      });
    },
    getRun: (id) => call<RunDetails>('GET', `/v1/runs/${enc(id)}`),
    listRuns(input: ListRunsInput) {
      const query = new URLSearchParams();
      if (input.statuses !== undefined && input.statuses.length > 0)
        query.set('status', input.statuses.join(','));
      if (input.agent !== undefined) query.set('agent', input.agent);
      if (input.sessionId !== undefined) query.set('sessionId', input.sessionId);
      if (input.createdAfter !== undefined) query.set('createdAfter', input.createdAfter);
      if (input.createdBefore !== undefined) query.set('createdBefore', input.createdBefore);
      if (input.pageSize !== undefined) query.set('pageSize', String(input.pageSize));
      if (input.pageToken !== undefined && input.pageToken !== '') query.set('pageToken', input.pageToken);
      const qs = query.toString();
      return call<{ runs: Run[]; nextPageToken: string }>('GET', `/v1/runs${qs === '' ? '' : `?${qs}`}`);
    },
    cancelRun: (id, reason) =>
      call<RunDetails>('POST', `/v1/runs/${enc(id)}/cancel`, reason === undefined ? {} : { reason }),
    sendInput: (id, text, waitMs) =>
      call<RunDetails>('POST', `/v1/runs/${enc(id)}/input`, {
        input: { text },
        ...(waitMs !== undefined && { waitMs }),
      }),

    async *watchRun(id: string, signal?: AbortSignal): AsyncIterable<RunWatchEvent> {
      let response: Response;
      try {
        response = await send('GET', `/v1/runs/${enc(id)}/events`, undefined, signal);
      } catch (error) {
        if (isAbort(error, signal)) return;
        throw error;
      }
      if (response.body === null) return;
      const events = response.body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream())
        .getReader();
      try {
        for (;;) {
          const { done, value } = await events.read();
          if (done) return;
          if (value.event === 'error') throw apiErrorFromEvent(value.data);
          yield JSON.parse(value.data) as RunWatchEvent;
        }
      } catch (error) {
        if (error instanceof ApiError || !isAbort(error, signal)) throw error;
      } finally {
        await events.cancel().catch(() => undefined);
      }
    },

    createSession: (name) => call<SessionDetails>('POST', '/v1/sessions', { name }),
    getSession: (id) => call<SessionDetails>('GET', `/v1/sessions/${enc(id)}`),
    listSessions: () => call<{ sessions: Session[]; nextPageToken: string }>('GET', '/v1/sessions'),
    endSession: (id) => call<SessionDetails>('POST', `/v1/sessions/${enc(id)}/end`),

    registerAgent(input) {
      return call<PublicAgentView>('POST', '/v1/agents', {
        name: input.name,
        url: input.url,
        ...(input.labels !== undefined && { labels: input.labels }),
        ...(input.bearerToken !== undefined && { credentials: { bearerToken: input.bearerToken } }),
        ...(input.heartbeatTtlMs !== undefined && { heartbeatTtlMs: input.heartbeatTtlMs }),
      });
    },
    heartbeatAgent: (name) => call<PublicAgentView>('POST', `/v1/agents/${enc(name)}/heartbeat`),
    deregisterAgent: (name) => call<undefined>('DELETE', `/v1/agents/${enc(name)}`),
    getAgent: (name) => call<PublicAgentView>('GET', `/v1/agents/${enc(name)}`),
    async listAgents() {
      return (await call<{ agents: PublicAgentView[] }>('GET', '/v1/agents')).agents;
    },

    getArtifact: (id) => call<Record<string, unknown>>('GET', `/v1/artifacts/${enc(id)}`),
    async readArtifact(id) {
      const response = await send('GET', `/v1/artifacts/${enc(id)}/content`);
      return new Uint8Array(await response.arrayBuffer());
    },

    close: () => dispatcher.close(),
  };
}
