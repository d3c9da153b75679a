/**
 * A submission that waits listens for its run's events before the run is stored. When the caller leaves
 * while the store refuses the run, the caller gets the store's error, and the listening leaves no
 * rejected promise behind for nobody (which Node would turn into a crash of the process).
 */
import { describe, expect, it, vi } from 'vitest';

import { DefaultRunService } from '../../src/app/run-service.js';
import { registeredAgent } from '../support/registered-agent.js';
import { systemContext } from '../../src/domain/call-context.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { InProcessRunEventBus } from '../../src/events/run-event-bus.js';
import { createLogger } from '../../src/logging/logger.js';
import type { A2AClient } from '../../src/remote/a2a-client.js';
import { InMemoryStore } from '../../src/store/memory/in-memory-store.js';

const agent = registeredAgent('echo');

describe('a waiting submission whose run cannot be stored', () => {
  it('rejects with the store error even when its caller left meanwhile, leaving nothing unhandled', async () => {
    const store = new InMemoryStore();
    await store.start();
    const bus = new InProcessRunEventBus();
    const caller = new AbortController();
    const refused = new GatewayError(ErrorCode.UNAVAILABLE, 'the store is unavailable');
    vi.spyOn(store, 'createRun').mockImplementation(async () => {
      caller.abort(new GatewayError(ErrorCode.CANCELLED, 'the client closed the connection'));
      throw refused;
    });
    const runs = new DefaultRunService({
      store,
      bus,
      client: {} as A2AClient,
      agents: { resolve: vi.fn().mockResolvedValue(agent) },
      artifacts: { prepare: vi.fn() },
      logger: createLogger('silent'),
      agentCallTimeoutMs: 1000,
      maxConcurrentRuns: 10,
    });
    const submitted = runs.submit(
      { target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'hi' }] }, waitMs: 5000 },
      systemContext(caller.signal),
    );
    await expect(submitted).rejects.toBe(refused);
    expect(bus.subscriberCount()).toBe(0);
    // A stray rejection would be reported by now, failing the run.
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
});
