/**
 * The façade service's own rules, with its ports faked (the bindings and real agents are covered by the
 * matrix and relay tests): params checked per operation, pass-through calls made with the agent's
 * credentials and the caller's extensions, an extended card rewritten, a cancelled task reported.
 */
import { describe, expect, it, vi } from 'vitest';

import type { JsonObject } from '../../src/a2a/operations.js';
import { registeredAgent } from '../support/registered-agent.js';
import { systemContext } from '../../src/domain/call-context.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { DefaultFacadeService } from '../../src/facade/facade-service.js';
import type { A2AClient } from '../../src/remote/a2a-client.js';

const agent = registeredAgent('echo', {
  card: { name: 'echo', supportedInterfaces: [] },
  credentials: { bearerToken: 'registered-secret' },
});

function setUp(reply: JsonObject = {}) {
  const unary = vi.fn<A2AClient['unary']>().mockResolvedValue(reply);
  const taskCancelled = vi.fn().mockResolvedValue(undefined);
  const facade = new DefaultFacadeService({
    agents: { resolve: vi.fn().mockResolvedValue(agent) },
    runs: { relay: vi.fn(), taskCancelled },
    client: { unary } as unknown as A2AClient,
    agentCallTimeoutMs: 1234,
    addresses: () => ({ httpBaseUrl: 'https://gw.example.com', grpcAddress: 'gw.example.com:443' }),
  });
  const call = { agent: 'echo', ctx: systemContext(), extensions: 'urn:ext:a' };
  return { facade, unary, taskCancelled, call };
}

describe('DefaultFacadeService', () => {
  it.each([
    ['SendMessage', {}, 'message'],
    ['SendMessage', { message: { messageId: 'm', role: 'ROLE_USER', parts: [] } }, 'message.parts'],
    ['SendMessage', { message: { messageId: 'm', role: 'USER', parts: [{ text: 'x' }] } }, 'message.role'],
    ['GetTask', { id: '' }, 'id'],
    ['GetTaskPushNotificationConfig', { taskId: 't' }, 'id'],
  ] as const)('refuses %s with %j naming %s', async (operation, params, field) => {
    const { facade, call, unary } = setUp();
    const error = await facade.unary(call, operation, params).catch((e: unknown) => e);
    expect(GatewayError.is(error) && error.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect((error as GatewayError).details.field).toBe(field);
    expect(unary).not.toHaveBeenCalled();
  });

  it("forwards a pass-through call with the agent's credentials, the caller's extensions and the call limit", async () => {
    const { facade, call, unary } = setUp({ tasks: [] });
    expect(await facade.unary(call, 'ListTasks', { pageSize: 5 })).toEqual({ tasks: [] });
    const [endpoint, operation, params, options] = unary.mock.calls[0]!;
    expect([endpoint, operation, params]).toEqual([agent.endpoint, 'ListTasks', { pageSize: 5 }]);
    expect(options.timeoutMs).toBe(1234);
    expect(options.headers).toMatchObject({
      authorization: 'Bearer registered-secret',
      'A2A-Extensions': 'urn:ext:a',
    });
  });

  it('rewrites an extended card to the gateway, like the public one', async () => {
    const { facade, call } = setUp({
      name: 'echo',
      supportedInterfaces: [
        { url: 'http://agent.internal/rpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
      ],
      signatures: [{ protected: 'x', signature: 'y' }],
    });
    const card = await facade.unary(call, 'GetExtendedAgentCard', {});
    expect((card.supportedInterfaces as JsonObject[])[0]?.url).toBe('https://gw.example.com/a2a/echo');
    expect(card).not.toHaveProperty('signatures');
  });

  it('reports a cancelled task to the runs, and only a task', async () => {
    const task = { id: 't-1', status: { state: 'TASK_STATE_CANCELED' } };
    const { facade, call, taskCancelled } = setUp(task);
    await facade.unary(call, 'CancelTask', { id: 't-1' });
    expect(taskCancelled).toHaveBeenCalledWith('echo', task, call.ctx);

    const odd = setUp({ unexpected: true });
    await odd.facade.unary(odd.call, 'CancelTask', { id: 't-1' });
    expect(odd.taskCancelled).not.toHaveBeenCalled();
  });
});
