/** Tests of RegisteredAgent: the public view never carries credentials, and only unhealthy agents are not routed to. */
import { describe, expect, it } from 'vitest';

import { AgentHealth, isRoutable, publicAgentView, type RegisteredAgent } from './agent.js';

const T0 = '2025-03-01T10:00:00.000Z';
const TOKEN = 'tok-9f1c2e7a-very-secret';
const HEADER_SECRET = 'hdr-4b8d-also-secret';

function agent(overrides: Partial<RegisteredAgent> = {}): RegisteredAgent {
  return {
    tenant: 'default',
    name: 'echo',
    url: 'http://127.0.0.1:9999',
    cardUrl: 'http://127.0.0.1:9999/.well-known/agent-card.json',
    card: { name: 'Echo', protocolVersion: '1.0', skills: [] },
    endpoint: { url: 'http://127.0.0.1:9999/a2a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    labels: { team: 'core' },
    credentials: { bearerToken: TOKEN, headers: { 'x-api-key': HEADER_SECRET } },
    health: AgentHealth.Healthy,
    heartbeatTtlMs: 30_000,
    lastHeartbeatAt: T0,
    lastCheckedAt: T0,
    registeredAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

describe('publicAgentView', () => {
  it('never contains the credentials', () => {
    const view = publicAgentView(agent());
    expect(view).not.toHaveProperty('credentials');
    const json = JSON.stringify(view);
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain(HEADER_SECRET);
    expect(json).not.toContain('x-api-key');
    expect(view.hasCredentials).toBe(true);
  });

  it('keeps every other field', () => {
    const { credentials: _credentials, ...rest } = agent();
    expect(publicAgentView(agent())).toEqual({ ...rest, hasCredentials: true });
  });

  it('says when the agent has no credentials', () => {
    const view = publicAgentView(agent({ credentials: undefined }));
    expect(view.hasCredentials).toBe(false);
    expect(view).not.toHaveProperty('credentials');
  });

  it('does not change the agent it was given', () => {
    const registered = agent();
    publicAgentView(registered);
    expect(registered.credentials?.bearerToken).toBe(TOKEN);
  });
});

describe('isRoutable', () => {
  it.each([
    [AgentHealth.Unknown, true],
    [AgentHealth.Healthy, true],
    [AgentHealth.Unhealthy, false],
  ])('%s agent: %s', (health, routable) => {
    expect(isRoutable(agent({ health }))).toBe(routable);
  });

  it('covers every health value', () => {
    expect(Object.values(AgentHealth).sort()).toEqual(['healthy', 'unhealthy', 'unknown']);
  });
});
