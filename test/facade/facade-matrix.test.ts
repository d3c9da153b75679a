/**
 * The A2A façade end to end: the official SDK client, built from the gateway's card alone, on each
 * binding in turn, against SDK agents that each offer one binding (the 3 × 3 matrix), through a real
 * gateway (SQLite, real sockets). Every call that sends a message must also be a run with steps.
 */
import { randomUUID } from 'node:crypto';

import { Role, TaskState, type Message, type StreamResponse, type Task } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  JsonRpcTransportFactory,
  RestTransportFactory,
  type Client,
} from '@a2a-js/sdk/client';
import { GrpcTransportFactory } from '@a2a-js/sdk/client/grpc';
import { TaskNotFoundError } from '@a2a-js/sdk/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { textPart, type AgentBinding, type RunningAgent } from '../../examples/serve-agent.js';
import { startAgent } from '../../examples/serve-agent.js';
import { StreamingExecutor } from '../../examples/streaming-agent.js';
import type { RunDetails } from '../../src/app/services.js';
import { systemContext } from '../../src/domain/call-context.js';
import { isTerminalRunStatus, RunStatus } from '../../src/domain/run.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const BINDINGS: readonly AgentBinding[] = ['JSONRPC', 'HTTP+JSON', 'GRPC'];
const AGENT_NAMES: Record<AgentBinding, string> = {
  JSONRPC: 'agent-jsonrpc',
  'HTTP+JSON': 'agent-rest',
  GRPC: 'agent-grpc',
};
const CHUNKS = 3;

let gateway: TestGateway;
const agents: RunningAgent[] = [];
const ctx = systemContext();

beforeAll(async () => {
  gateway = await startTestGateway();
  for (const binding of BINDINGS) {
    const agent = await startAgent({
      executor: new StreamingExecutor({ chunks: CHUNKS, delayMs: 5, slowChunks: 200, slowDelayMs: 100 }),
      name: AGENT_NAMES[binding],
      description: `streams over ${binding} only`,
      bindings: [binding],
      pushNotifications: true,
      extendedCard: true,
    });
    agents.push(agent);
    await gateway.gateway.services.agents.register({ name: AGENT_NAMES[binding], url: agent.url }, ctx);
  }
});

afterAll(async () => {
  await gateway.close({ removeData: true });
  await Promise.all(agents.map((agent) => agent.close()));
});

/** An SDK client built from the gateway's card for `agent`, forced onto `binding`. */
async function clientFor(agent: string, binding: AgentBinding): Promise<Client> {
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory(), new RestTransportFactory(), new GrpcTransportFactory()],
      preferredTransports: [binding],
    }),
  );
  // The trailing slash: the SDK resolves the card path relative to this URL.
  return factory.createFromUrl(`${gateway.httpUrl}/a2a/${agent}/`);
}

function userMessage(text: string): Message {
  return {
    messageId: randomUUID(),
    contextId: '',
    taskId: '',
    role: Role.ROLE_USER,
    parts: [textPart(text)],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

function sendRequest(text: string): Parameters<Client['sendMessage']>[0] {
  return { tenant: '', message: userMessage(text), configuration: undefined, metadata: undefined };
}

function artifactText(task: Task): string {
  return task.artifacts
    .flatMap((artifact) => artifact.parts)
    .map((part) => (part.content?.$case === 'text' ? part.content.value : ''))
    .join('');
}

function taskOf(event: StreamResponse): Task | undefined {
  return event.payload?.$case === 'task' ? event.payload.value : undefined;
}

/** The run that tracks the agent's task, once it has reached a terminal status. */
async function finishedRunOf(agent: string, taskId: string): Promise<RunDetails> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const runs = await gateway.gateway.services.runs.list({ agent }, { pageSize: 100 }, ctx);
    const run = runs.items.find((r) => r.remote?.taskId === taskId);
    if (run !== undefined && isTerminalRunStatus(run.status)) {
      return gateway.gateway.services.runs.get(run.id, ctx);
    }
    if (Date.now() > deadline)
      throw new Error(`no finished run tracks task ${taskId}: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(BINDINGS)('an SDK client on %s', (clientBinding) => {
  describe.each(BINDINGS)('to an agent on %s only', (agentBinding) => {
    const agent = AGENT_NAMES[agentBinding];

    it('sends a message and gets the completed task; the call is a run with its step', async () => {
      const client = await clientFor(agent, clientBinding);
      const task = (await client.sendMessage(sendRequest('hello'))) as Task;
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(artifactText(task)).toBe('chunk-1 chunk-2 chunk-3 ');

      const details = await finishedRunOf(agent, task.id);
      expect(details.run.status).toBe(RunStatus.Completed);
      expect(details.run.input?.parts).toEqual([{ text: 'hello', mediaType: 'text/plain' }]);
      expect(details.steps.map((s) => [s.name, s.remote?.method, s.status])).toEqual([
        ['send-message', 'SendMessage', 'completed'],
      ]);
      expect(details.artifacts).toHaveLength(1);
    });

    it('streams every event in order; the run records the streaming step', async () => {
      const client = await clientFor(agent, clientBinding);
      const events: StreamResponse[] = [];
      for await (const event of client.sendMessageStream(sendRequest('stream me'))) events.push(event);
      const cases = events.map((event) => event.payload?.$case);
      expect(cases[0]).toBe('task');
      expect(cases.filter((c) => c === 'artifactUpdate')).toHaveLength(CHUNKS);
      const last = events.at(-1)?.payload;
      expect(last?.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

      const taskId = taskOf(events[0] as StreamResponse)?.id ?? '';
      const details = await finishedRunOf(agent, taskId);
      expect(details.run.status).toBe(RunStatus.Completed);
      expect(details.steps.map((s) => [s.remote?.method, s.status])).toEqual([
        ['SendStreamingMessage', 'completed'],
      ]);
    });

    it('gets and lists the task through the gateway', async () => {
      const client = await clientFor(agent, clientBinding);
      const sent = (await client.sendMessage(sendRequest('find me'))) as Task;
      const got = await client.getTask({ tenant: '', id: sent.id, historyLength: undefined });
      expect(got.id).toBe(sent.id);
      expect(got.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      const listed = await client.listTasks({
        tenant: '',
        contextId: sent.contextId,
        status: TaskState.TASK_STATE_UNSPECIFIED,
        pageToken: '',
        statusTimestampAfter: undefined,
        includeArtifacts: false,
      });
      expect(listed.tasks.map((t) => t.id)).toEqual([sent.id]);
    });

    it('subscribes to a running task (snapshot first), cancels it, and the run ends cancelled', async () => {
      const client = await clientFor(agent, clientBinding);
      const stream = client.sendMessageStream(sendRequest('slow'));
      const first = await stream.next();
      const taskId = taskOf(first.value as StreamResponse)?.id ?? '';
      expect(taskId).not.toBe('');

      const subscription = client.resubscribeTask({ tenant: '', id: taskId });
      const snapshot = await subscription.next();
      expect(taskOf(snapshot.value as StreamResponse)?.id).toBe(taskId);
      await subscription.return();

      const cancelled = await client.cancelTask({ tenant: '', id: taskId, metadata: undefined });
      expect(cancelled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
      // The original stream sees the cancellation and ends.
      const rest: StreamResponse[] = [];
      for await (const event of { [Symbol.asyncIterator]: () => stream }) rest.push(event);
      const last = rest.at(-1)?.payload;
      expect(last?.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_CANCELED);

      const details = await finishedRunOf(agent, taskId);
      expect(details.run.status).toBe(RunStatus.Cancelled);
    });

    it('creates, gets, lists and deletes push-notification configs on the agent', async () => {
      const client = await clientFor(agent, clientBinding);
      const task = (await client.sendMessage(sendRequest('push me'))) as Task;
      const created = await client.createTaskPushNotificationConfig({
        tenant: '',
        id: 'config-1',
        taskId: task.id,
        url: 'https://hooks.example.com/a2a',
        token: 'hook-token',
        authentication: undefined,
      });
      expect(created).toMatchObject({ taskId: task.id, url: 'https://hooks.example.com/a2a' });
      const got = await client.getTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: created.id });
      expect(got).toMatchObject({ id: created.id, token: 'hook-token' });
      const listed = await client.listTaskPushNotificationConfig({
        tenant: '',
        taskId: task.id,
        pageSize: 10,
        pageToken: '',
      });
      expect(listed.configs.map((c) => c.id)).toEqual([created.id]);
      await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: created.id });
      const after = await client.listTaskPushNotificationConfig({
        tenant: '',
        taskId: task.id,
        pageSize: 10,
        pageToken: '',
      });
      expect(after.configs).toEqual([]);
    });

    it("gets the agent's extended card, rewritten to the gateway", async () => {
      const client = await clientFor(agent, clientBinding);
      // The client asks for the extended card because the (rewritten) public card says there is one.
      const card = await client.getAgentCard();
      expect(card.description).toContain('(extended)');
      const urls = card.supportedInterfaces.map((i) => i.url);
      expect(urls).toContain(`${gateway.httpUrl}/a2a/${agent}`);
      expect(urls).toContain(gateway.grpcAddress);
      expect(urls.some((url) => agents.some((a) => url.includes(String(a.port))))).toBe(false);
    });

    it('answers an unknown task with TaskNotFound', async () => {
      const client = await clientFor(agent, clientBinding);
      const error = await client.getTask({ tenant: '', id: 'no-such-task', historyLength: undefined }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(TaskNotFoundError);
    });
  });
});
