/**
 * The agent registry: registers remote agents by name after fetching and validating their card, renews
 * heartbeats, and runs the periodic health check that marks agents unhealthy (missed heartbeat TTL, or
 * `failuresBeforeUnhealthy` failed card fetches in a row) and healthy again when they recover. The run
 * engine resolves agents through `resolve`, which refuses unknown and unhealthy ones.
 *
 * `resolve` keeps a routable agent for `RESOLVE_CACHE_MS`: every run and every façade message resolves
 * its agent, the façade twice. A change made through this registry takes effect at once; one made by
 * another replica (sharing a PostgreSQL store) within that time.
 */
import {
  AGENT_NAME_PATTERN,
  AGENT_NAME_RULE,
  AgentHealth,
  isRoutable,
  publicAgentView,
  type AgentCredentials,
  type PublicAgentView,
  type RegisteredAgent,
} from '../domain/agent.js';
import { systemContext, type CallContext } from '../domain/call-context.js';
import { now } from '../domain/time.js';
import { ErrorCode, GatewayError, invalidArgument, notFound } from '../errors/gateway-error.js';
import { callLogFields, type Logger } from '../logging/logger.js';
import type { A2AClient } from '../remote/a2a-client.js';
import { validateAgentCard } from '../remote/agent-card.js';
import type { Store } from '../store/store.js';
import type { AgentRegistryService, RegisterAgentRequest } from './services.js';

/** Request headers that carry an agent's credentials. */
export function credentialHeaders(credentials: AgentCredentials | undefined): Record<string, string> {
  if (credentials === undefined) return {};
  return {
    ...credentials.headers,
    ...(credentials.bearerToken !== undefined && { authorization: `Bearer ${credentials.bearerToken}` }),
  };
}

export function parseHttpUrl(field: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument(field, `'${value}' is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidArgument(field, `must be an http or https URL, got ${url.protocol}`);
  }
  return url;
}

/** How long `resolve` reuses an agent it read. */
export const RESOLVE_CACHE_MS = 1000;

export interface DefaultAgentRegistryOptions {
  readonly store: Store;
  readonly client: A2AClient;
  readonly logger: Logger;
  /** Time between health checks. */
  readonly healthCheckIntervalMs: number;
  /** Consecutive failed card fetches that mark an agent unhealthy. */
  readonly failuresBeforeUnhealthy: number;
  /** Limit on one card fetch. */
  readonly callTimeoutMs: number;
}

export class DefaultAgentRegistry implements AgentRegistryService {
  readonly #options: DefaultAgentRegistryOptions;
  readonly #failures = new Map<string, number>();
  /** Routable agents `resolve` read, by `tenant/name`, until `expiresAt`. */
  readonly #resolved = new Map<string, { agent: RegisteredAgent; expiresAt: number }>();
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;
  readonly #closing = new AbortController();

  constructor(options: DefaultAgentRegistryOptions) {
    this.#options = options;
  }

  /** Starts the periodic health check. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.#checking ??= this.checkHealth().finally(() => (this.#checking = undefined));
    }, this.#options.healthCheckIntervalMs);
    this.#timer.unref();
  }

  /** Stops the health check and waits for a running one to end. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#closing.abort();
    await this.#checking;
  }

  async register(request: RegisterAgentRequest, ctx: CallContext): Promise<PublicAgentView> {
    if (!AGENT_NAME_PATTERN.test(request.name)) throw invalidArgument('name', AGENT_NAME_RULE);
    if (parseHttpUrl('url', request.url).username !== '') {
      throw invalidArgument('url', 'must not embed credentials; pass them as credentials instead');
    }
    if (
      request.heartbeatTtlMs !== undefined &&
      !(Number.isInteger(request.heartbeatTtlMs) && request.heartbeatTtlMs > 0)
    ) {
      throw invalidArgument('heartbeatTtlMs', 'must be a positive integer');
    }
    const fetched = await this.#options.client.fetchAgentCard(request.url, {
      signal: ctx.signal,
      timeoutMs: this.#options.callTimeoutMs,
      headers: credentialHeaders(request.credentials),
    });
    const validated = validateAgentCard(fetched.card, fetched.cardUrl);
    const at = now();
    const previous = await this.#options.store.getAgent(request.name, ctx);
    const agent: RegisteredAgent = {
      tenant: ctx.tenant,
      name: request.name,
      url: request.url,
      cardUrl: fetched.cardUrl,
      card: validated.card,
      endpoint: validated.endpoint,
      labels: request.labels ?? {},
      ...(request.credentials !== undefined && { credentials: request.credentials }),
      health: AgentHealth.Healthy,
      ...(request.heartbeatTtlMs !== undefined && {
        heartbeatTtlMs: request.heartbeatTtlMs,
        lastHeartbeatAt: at,
      }),
      lastCheckedAt: at,
      registeredAt: previous?.registeredAt ?? at,
      updatedAt: at,
    };
    await this.#options.store.putAgent(agent, ctx);
    this.#forget(this.#key(agent));
    const fields = { agent: agent.name, url: agent.endpoint.url, ...callLogFields(ctx) };
    this.#options.logger.info(fields, 'agent registered');
    return publicAgentView(agent);
  }

  async heartbeat(name: string, ctx: CallContext): Promise<PublicAgentView> {
    const agent = await this.#require(name, ctx);
    const at = now();
    const next = withoutReason({ ...agent, lastHeartbeatAt: at, updatedAt: at, health: AgentHealth.Healthy });
    await this.#options.store.putAgent(next, ctx);
    this.#forget(this.#key(agent));
    return publicAgentView(next);
  }

  async deregister(name: string, ctx: CallContext): Promise<void> {
    if (!(await this.#options.store.deleteAgent(name, ctx)))
      throw notFound(ErrorCode.AGENT_NOT_FOUND, 'agent', name);
    this.#forget(`${ctx.tenant}/${name}`);
  }

  async get(name: string, ctx: CallContext): Promise<PublicAgentView> {
    return publicAgentView(await this.#require(name, ctx));
  }

  async list(ctx: CallContext): Promise<readonly PublicAgentView[]> {
    return (await this.#options.store.listAgents(ctx)).map(publicAgentView);
  }

  /** The agent a run should call: refuses unknown agents and agents currently unhealthy. */
  async resolve(name: string, ctx: CallContext): Promise<RegisteredAgent> {
    const key = `${ctx.tenant}/${name}`;
    const cached = this.#resolved.get(key);
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.agent;
    this.#resolved.delete(key);
    const agent = await this.#require(name, ctx);
    if (!isRoutable(agent)) {
      throw new GatewayError(
        ErrorCode.AGENT_UNHEALTHY,
        `agent '${name}' is unhealthy (${agent.healthReason ?? 'health check failed'}); not routing to it`,
        { details: { agent: name } },
      );
    }
    this.#resolved.set(key, { agent, expiresAt: Date.now() + RESOLVE_CACHE_MS });
    return agent;
  }

  /** One health-check pass over every registered agent. */
  async checkHealth(): Promise<void> {
    const agents = await this.#options.store.listAllAgents();
    await Promise.all(agents.map((agent) => this.#checkOne(agent)));
  }

  async #checkOne(agent: RegisteredAgent): Promise<void> {
    const ctx = systemContext(this.#closing.signal, agent.tenant);
    const at = now();
    let health: AgentHealth = AgentHealth.Healthy;
    let reason: string | undefined;
    if (
      agent.heartbeatTtlMs !== undefined &&
      Date.parse(at) - Date.parse(agent.lastHeartbeatAt ?? agent.registeredAt) > agent.heartbeatTtlMs
    ) {
      health = AgentHealth.Unhealthy;
      reason = `no heartbeat within ${agent.heartbeatTtlMs} ms`;
    } else {
      try {
        await this.#options.client.fetchAgentCard(agent.cardUrl, {
          signal: ctx.signal,
          timeoutMs: this.#options.callTimeoutMs,
          headers: credentialHeaders(agent.credentials),
        });
        this.#failures.delete(this.#key(agent));
      } catch (error) {
        if (this.#closing.signal.aborted) return;
        const failures = (this.#failures.get(this.#key(agent)) ?? 0) + 1;
        this.#failures.set(this.#key(agent), failures);
        if (failures >= this.#options.failuresBeforeUnhealthy) {
          health = AgentHealth.Unhealthy;
          reason = `health check failed ${failures} times: ${GatewayError.from(error).message}`;
        } else {
          health = agent.health;
          reason = agent.healthReason;
        }
      }
    }
    // Re-read so a registration or heartbeat that raced with this check is not overwritten.
    const current = await this.#options.store.getAgent(agent.name, ctx);
    if (current === undefined || current.updatedAt !== agent.updatedAt) return;
    if (current.health !== health) {
      this.#options.logger.warn({ agent: agent.name, health, reason }, 'agent health changed');
    }
    const next: RegisteredAgent = { ...current, health, lastCheckedAt: at, updatedAt: at };
    const withReason = reason === undefined ? withoutReason(next) : { ...next, healthReason: reason };
    await this.#options.store.putAgent(withReason, ctx);
    this.#resolved.delete(this.#key(agent));
  }

  async #require(name: string, ctx: CallContext): Promise<RegisteredAgent> {
    const agent = await this.#options.store.getAgent(name, ctx);
    if (agent === undefined) throw notFound(ErrorCode.AGENT_NOT_FOUND, 'agent', name);
    return agent;
  }

  /** Drops what this registry remembers of an agent that was just changed. */
  #forget(key: string): void {
    this.#failures.delete(key);
    this.#resolved.delete(key);
  }

  #key(agent: RegisteredAgent): string {
    return `${agent.tenant}/${agent.name}`;
  }
}

function withoutReason(agent: RegisteredAgent): RegisteredAgent {
  const { healthReason: _dropped, ...rest } = agent;
  return rest;
}
