/**
 * `resolve` reuses an agent it read for RESOLVE_CACHE_MS, and forgets it as soon as this registry
 * changes it. The store is real (in memory); the card fetch is faked at the network edge.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { DefaultAgentRegistry, RESOLVE_CACHE_MS } from '../../src/app/agent-registry.js';
import { systemContext } from '../../src/domain/call-context.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { createLogger } from '../../src/logging/logger.js';
import type { A2AClient } from '../../src/remote/a2a-client.js';
import { InMemoryStore } from '../../src/store/memory/in-memory-store.js';

const card = {
  name: 'echo',
  supportedInterfaces: [
    { url: 'http://agent.internal/rpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
  ],
};
const ctx = systemContext();

let store: InMemoryStore;
let registry: DefaultAgentRegistry;
let reads: ReturnType<typeof vi.spyOn>;

beforeEach(async () => {
  store = new InMemoryStore();
  await store.start();
  const fetchAgentCard = vi.fn().mockResolvedValue({ cardUrl: 'http://agent.internal/card.json', card });
  registry = new DefaultAgentRegistry({
    store,
    client: { fetchAgentCard } as unknown as A2AClient,
    logger: createLogger('silent'),
    healthCheckIntervalMs: 60_000,
    failuresBeforeUnhealthy: 3,
    callTimeoutMs: 1000,
  });
  await registry.register({ name: 'echo', url: 'http://agent.internal' }, ctx);
  reads = vi.spyOn(store, 'getAgent');
});

afterEach(() => {
  vi.useRealTimers();
});

describe('DefaultAgentRegistry.resolve', () => {
  it('reads the store once for repeated resolves, and again after the cache time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const first = await registry.resolve('echo', ctx);
    expect(await registry.resolve('echo', ctx)).toBe(first);
    expect(reads).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.now() + RESOLVE_CACHE_MS + 1);
    await registry.resolve('echo', ctx);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('forgets an agent this registry deregisters or re-registers', async () => {
    await registry.resolve('echo', ctx);
    await registry.deregister('echo', ctx);
    const error = await registry.resolve('echo', ctx).catch((e: unknown) => e);
    expect(GatewayError.is(error) && error.code).toBe(ErrorCode.AGENT_NOT_FOUND);

    await registry.register({ name: 'echo', url: 'http://agent.internal', labels: { v: '2' } }, ctx);
    expect((await registry.resolve('echo', ctx)).labels).toEqual({ v: '2' });
  });

  it('keeps tenants apart', async () => {
    await registry.resolve('echo', ctx);
    const other = systemContext(undefined, 'other-tenant');
    const error = await registry.resolve('echo', other).catch((e: unknown) => e);
    expect(GatewayError.is(error) && error.code).toBe(ErrorCode.AGENT_NOT_FOUND);
  });
});
