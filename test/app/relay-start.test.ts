/**
 * A façade run is stored together with its first step. When starting fails before that write (the
 * agent turned unhealthy between the façade's check and the run's start), the run is still recorded,
 * failed, with its step, and the caller gets the error.
 */
import { describe, expect, it, vi } from 'vitest';

import { DefaultRunService } from '../../src/app/run-service.js';
import { registeredAgent } from '../support/registered-agent.js';
import { systemContext } from '../../src/domain/call-context.js';
import { RunStatus } from '../../src/domain/run.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { InProcessRunEventBus } from '../../src/events/run-event-bus.js';
import { createLogger } from '../../src/logging/logger.js';
import type { A2AClient } from '../../src/remote/a2a-client.js';
import { InMemoryStore } from '../../src/store/memory/in-memory-store.js';

const agent = registeredAgent('flaky');

describe('a façade run that cannot start', () => {
  it('is stored failed with its step, and the caller hears why', async () => {
    const store = new InMemoryStore();
    await store.start();
    const unhealthy = new GatewayError(ErrorCode.AGENT_UNHEALTHY, "agent 'flaky' is unhealthy");
    const resolve = vi.fn().mockResolvedValueOnce(agent).mockRejectedValue(unhealthy);
    const sendMessage = vi.fn();
    const client = { sendMessage } as unknown as A2AClient;
    const runs = new DefaultRunService({
      store,
      bus: new InProcessRunEventBus(),
      client,
      agents: { resolve },
      artifacts: { prepare: vi.fn() },
      logger: createLogger('silent'),
      agentCallTimeoutMs: 1000,
      maxConcurrentRuns: 10,
    });
    const ctx = systemContext();
    const relayed = runs.relay(
      {
        agent: 'flaky',
        request: { message: { messageId: 'm-1', role: 'ROLE_USER', parts: [{ text: 'hi' }] } },
        streaming: false,
      },
      ctx,
    );
    const error = await (async () => {
      for await (const _event of relayed) throw new Error('no event expected');
    })().catch((e: unknown) => e);
    expect(GatewayError.is(error) && error.code).toBe(ErrorCode.AGENT_UNHEALTHY);
    expect(sendMessage).not.toHaveBeenCalled();

    await runs.close(1000);
    const [run] = (await store.listRuns({ agent: 'flaky' }, {}, ctx)).items;
    expect(run?.status).toBe(RunStatus.Failed);
    expect(run?.error?.kind).toBe('RuntimeError');
    expect(run?.input).toEqual({ parts: [{ text: 'hi' }] });
    const steps = await store.listSteps(run?.id ?? '', ctx);
    expect(steps.map((s) => [s.name, s.status])).toEqual([['send-message', 'failed']]);
  });
});
