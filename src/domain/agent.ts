/**
 * A registered agent: a remote A2A agent known to the gateway by name, with its validated card, the
 * endpoint chosen from the card, the credentials the gateway uses to call it, and its health.
 * Credentials live here but never leave the gateway: `publicAgentView` is what APIs return.
 */
import type { Timestamp } from './time.js';

/** Agent names appear in URL paths (`/v1/agents/NAME`, `/a2a/NAME/…`), so they are URL-safe. */
export const AGENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const AGENT_NAME_RULE =
  'must be 1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit';

export const AgentHealth = {
  /** Registered, not yet checked. Routed to. */
  Unknown: 'unknown',
  Healthy: 'healthy',
  /** Missed its heartbeat TTL or failed health checks; not routed to until it recovers. */
  Unhealthy: 'unhealthy',
} as const;
export type AgentHealth = (typeof AgentHealth)[keyof typeof AgentHealth];

/** How the gateway authenticates to the agent. Never returned by an API, never logged. */
export interface AgentCredentials {
  readonly bearerToken?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The interface the gateway calls, chosen from the card. */
export interface AgentEndpoint {
  readonly url: string;
  readonly protocolBinding: string;
  readonly protocolVersion: string;
  readonly tenant?: string;
}

export interface RegisteredAgent {
  readonly tenant: string;
  readonly name: string;
  /** The URL given at registration (base URL or card URL). */
  readonly url: string;
  readonly cardUrl: string;
  /** The agent card as fetched and validated (JSON). */
  readonly card: Readonly<Record<string, unknown>>;
  readonly endpoint: AgentEndpoint;
  readonly labels: Readonly<Record<string, string>>;
  readonly credentials?: AgentCredentials;
  readonly health: AgentHealth;
  readonly healthReason?: string;
  /** Heartbeats must arrive within this interval, or the agent turns unhealthy. Unset: no heartbeats expected. */
  readonly heartbeatTtlMs?: number;
  readonly lastHeartbeatAt?: Timestamp;
  readonly lastCheckedAt?: Timestamp;
  readonly registeredAt: Timestamp;
  readonly updatedAt: Timestamp;
}

export type PublicAgentView = Omit<RegisteredAgent, 'credentials'> & { readonly hasCredentials: boolean };

export function publicAgentView(agent: RegisteredAgent): PublicAgentView {
  const { credentials, ...rest } = agent;
  return { ...rest, hasCredentials: credentials !== undefined };
}

export function isRoutable(agent: RegisteredAgent): boolean {
  return agent.health !== AgentHealth.Unhealthy;
}
