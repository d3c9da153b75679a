/** A registered, healthy JSON-RPC agent for tests of the application services (no network behind it). */
import { AgentHealth, type RegisteredAgent } from '../../src/domain/agent.js';

export function registeredAgent(name: string, overrides: Partial<RegisteredAgent> = {}): RegisteredAgent {
  return {
    tenant: 'default',
    name,
    url: 'http://agent.internal',
    cardUrl: 'http://agent.internal/.well-known/agent-card.json',
    card: { name },
    endpoint: { url: 'http://agent.internal/rpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    labels: {},
    health: AgentHealth.Healthy,
    registeredAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
