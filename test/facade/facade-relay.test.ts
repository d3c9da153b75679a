/**
 * The façade beyond the 1.0 matrix: a 0.3 client through the SDK's compatibility transport, a 0.3-only
 * agent, what reaches the agent (service parameters, credentials), a client that leaves mid-stream, and a
 * conversation continued on the same task (input-required) as one run.
 */
import { randomUUID } from 'node:crypto';

import { Role, TaskState, type Message, type StreamResponse, type Task } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  JsonRpcTransportFactory,
  type Client,
} from '@a2a-js/sdk/client';
import { isLegacyAgentCard, parseLegacyAgentCard } from '@a2a-js/sdk/compat/v0_3/client';
import { TaskNotFoundError } from '@a2a-js/sdk/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEchoAgent } from '../../examples/echo-agent.js';
import { InputExecutor, INPUT_QUESTION } from '../../examples/input-agent.js';
import { startAgent, textPart, JSONRPC_PATH, type RunningAgent } from '../../examples/serve-agent.js';
import { StreamingExecutor } from '../../examples/streaming-agent.js';
import type { RunDetails } from '../../src/app/services.js';
import { systemContext } from '../../src/domain/call-context.js';
import { isTerminalRunStatus, RunStatus } from '../../src/domain/run.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gateway: TestGateway;
let streaming: RunningAgent;
let legacy: RunningAgent;
let input: RunningAgent;
const ctx = systemContext();
const AGENT_TOKEN = 'agent-secret-token';

beforeAll(async () => {
  gateway = await startTestGateway();
  streaming = await startAgent({
    executor: new StreamingExecutor({ chunks: 3, delayMs: 5, slowChunks: 200, slowDelayMs: 50 }),
    name: 'streaming',
    description: 'streams',
  });
  legacy = await startEchoAgent({ legacyOnly: true });
  input = await startAgent({ executor: new InputExecutor(), name: 'input', description: 'asks first' });
  const { agents } = gateway.gateway.services;
  await agents.register(
    { name: 'streaming', url: streaming.url, credentials: { bearerToken: AGENT_TOKEN } },
    ctx,
  );
  await agents.register({ name: 'legacy', url: legacy.url }, ctx);
  await agents.register({ name: 'input', url: input.url }, ctx);
});

afterAll(async () => {
  await gateway.close({ removeData: true });
  await Promise.all([streaming.close(), legacy.close(), input.close()]);
});

function userMessage(text: string, taskId = '', contextId = ''): Message {
  return {
    messageId: randomUUID(),
    contextId,
    taskId,
    role: Role.ROLE_USER,
    parts: [textPart(text)],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

function sendRequest(message: Message): Parameters<Client['sendMessage']>[0] {
  return { tenant: '', message, configuration: undefined, metadata: undefined };
}

async function v1Client(agent: string): Promise<Client> {
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { preferredTransports: ['JSONRPC'] }),
  );
  return factory.createFromUrl(`${gateway.httpUrl}/a2a/${agent}/`);
}

async function runOf(
  agent: string,
  taskId: string,
  until: (details: RunDetails) => boolean,
): Promise<RunDetails> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const runs = await gateway.gateway.services.runs.list({ agent }, { pageSize: 100 }, ctx);
    const run = runs.items.find((r) => r.remote?.taskId === taskId);
    if (run !== undefined) {
      const details = await gateway.gateway.services.runs.get(run.id, ctx);
      if (until(details)) return details;
    }
    if (Date.now() > deadline) throw new Error(`run of task ${taskId} never reached the expected state`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a 0.3 client through the SDK compatibility transport', () => {
  let client: Client;
  const sent: { method: string; version: string | null }[] = [];

  beforeAll(async () => {
    const response = await fetch(`${gateway.httpUrl}/a2a/streaming/.well-known/agent-card.json`, {
      headers: { 'A2A-Version': '0.3' },
    });
    const card03: unknown = await response.json();
    expect(isLegacyAgentCard(card03)).toBe(true);
    const recordingFetch: typeof fetch = async (input, init) => {
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { method?: string }) : {};
      sent.push({ method: body.method ?? '', version: new Headers(init?.headers).get('A2A-Version') });
      return fetch(input, init);
    };
    const factory = new ClientFactory(
      ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
        transports: [
          new JsonRpcTransportFactory({ legacyCompat: { enabled: true }, fetchImpl: recordingFetch }),
        ],
      }),
    );
    client = await factory.createFromAgentCard(parseLegacyAgentCard(card03));
  });

  it('sends, streams and gets in the 0.3 dialect, answered in it', async () => {
    const task = (await client.sendMessage(sendRequest(userMessage('old client')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const events: StreamResponse[] = [];
    for await (const event of client.sendMessageStream(sendRequest(userMessage('old stream'))))
      events.push(event);
    const last = events.at(-1)?.payload;
    expect(last?.$case === 'statusUpdate' && last.value.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const got = await client.getTask({ tenant: '', id: task.id, historyLength: undefined });
    expect(got.id).toBe(task.id);
    expect(sent.map((s) => s.method)).toEqual(['message/send', 'message/stream', 'tasks/get']);
    expect(sent.every((s) => s.version === null || s.version.startsWith('0.3'))).toBe(true);
    // The calls that sent a message are runs, as for 1.0 callers.
    const details = await runOf('streaming', task.id, (d) => isTerminalRunStatus(d.run.status));
    expect(details.run.status).toBe(RunStatus.Completed);
  });

  it('cancels, and an unknown task is TaskNotFound', async () => {
    const stream = client.sendMessageStream(sendRequest(userMessage('slow')));
    const first = (await stream.next()).value as StreamResponse;
    const taskId = first.payload?.$case === 'task' ? first.payload.value.id : '';
    const cancelled = await client.cancelTask({ tenant: '', id: taskId, metadata: undefined });
    expect(cancelled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    await stream.return(undefined);
    const error = await client
      .getTask({ tenant: '', id: 'no-such-task', historyLength: undefined })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TaskNotFoundError);
  });
});

describe('a 0.3-only agent', () => {
  it('is reached by a 1.0 client, and its replies come back in 1.0', async () => {
    const client = await v1Client('legacy');
    const task = (await client.sendMessage(sendRequest(userMessage('to the past')))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const parts = task.artifacts.flatMap((a) => a.parts).map((p) => p.content);
    expect(parts).toEqual([{ $case: 'text', value: 'echo: to the past' }]);
    const calls = legacy.requests.filter((r) => r.path === JSONRPC_PATH);
    expect(calls.at(-1)?.headers['a2a-version']).toBe('0.3');
  });
});

describe('what reaches the agent', () => {
  it("A2A-Extensions and the version are forwarded; the caller's credentials are replaced by the agent's", async () => {
    const before = streaming.requests.length;
    const response = await fetch(`${gateway.httpUrl}/a2a/streaming`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'A2A-Version': '1.0',
        'A2A-Extensions': 'urn:example:ext',
        Authorization: 'Bearer caller-token-for-the-gateway',
        Cookie: 'session=caller',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'SendMessage',
        params: { message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'hi' }] } },
      }),
    });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { result?: { task?: { status?: { state?: string } } } };
    expect(reply.result?.task?.status?.state).toBe('TASK_STATE_COMPLETED');
    const received = streaming.requests.slice(before).find((r) => r.method === 'POST');
    expect(received?.headers['a2a-extensions']).toBe('urn:example:ext');
    expect(received?.headers['a2a-version']).toBe('1.0');
    expect(received?.headers.authorization).toBe(`Bearer ${AGENT_TOKEN}`);
    expect(received?.headers.cookie).toBeUndefined();
  });
});

describe('a client that leaves mid-stream', () => {
  it('closes the call to the agent without cancelling the task; the run follows it to its end', async () => {
    const client = await v1Client('streaming');
    const before = streaming.requests.length;
    const stream = client.sendMessageStream(sendRequest(userMessage('slow')));
    const first = (await stream.next()).value as StreamResponse;
    const taskId = first.payload?.$case === 'task' ? first.payload.value.id : '';
    await stream.next();
    await stream.return(undefined); // the client goes away

    // The gateway's own stream to the agent closes at once (the task itself would stream for 10 s).
    const upstream = streaming.requests.slice(before).find((r) => r.method === 'POST');
    const closedSoon = await Promise.race([
      upstream?.closed?.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 2_000)),
    ]);
    expect(closedSoon).toBe(true);

    // The exchange step ends (the upstream call is closed) and a polling step follows the task.
    const followed = await runOf('streaming', taskId, (d) => d.steps.length >= 2);
    expect(followed.steps[0]).toMatchObject({ name: 'send-message', status: 'cancelled' });
    expect(followed.steps[1]).toMatchObject({ name: 'poll-task', remote: { method: 'GetTask' } });
    expect(followed.run.status).toBe(RunStatus.Running);
    // The task was not cancelled: the agent still works on it.
    const task = await client.getTask({ tenant: '', id: taskId, historyLength: undefined });
    expect(task.status?.state).toBe(TaskState.TASK_STATE_WORKING);
    await client.cancelTask({ tenant: '', id: taskId, metadata: undefined });
    const ended = await runOf('streaming', taskId, (d) => isTerminalRunStatus(d.run.status));
    expect(ended.run.status).toBe(RunStatus.Cancelled);
  });
});

describe('a conversation on one task', () => {
  it('continues the run that waits for input, as a second step, and completes it', async () => {
    const client = await v1Client('input');
    const asked = (await client.sendMessage(sendRequest(userMessage('hello')))) as Task;
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    const waiting = await runOf('input', asked.id, (d) => d.run.status === RunStatus.InputRequired);
    expect(waiting.steps[0]?.remote?.statusMessage).toBe(INPUT_QUESTION);

    const answered = (await client.sendMessage(
      sendRequest(userMessage('Ada', asked.id, asked.contextId)),
    )) as Task;
    expect(answered.id).toBe(asked.id);
    expect(answered.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const done = await runOf('input', asked.id, (d) => isTerminalRunStatus(d.run.status));
    expect(done.run.id).toBe(waiting.run.id);
    expect(done.run.status).toBe(RunStatus.Completed);
    expect(done.steps.map((s) => s.name)).toEqual(['send-message', 'send-input-1']);
  });

  it('cancelling a task whose run waits for input cancels the run, with a step', async () => {
    const client = await v1Client('input');
    const asked = (await client.sendMessage(sendRequest(userMessage('hello')))) as Task;
    await runOf('input', asked.id, (d) => d.run.status === RunStatus.InputRequired);
    const cancelled = await client.cancelTask({ tenant: '', id: asked.id, metadata: undefined });
    expect(cancelled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    const done = await runOf('input', asked.id, (d) => isTerminalRunStatus(d.run.status));
    expect(done.run.status).toBe(RunStatus.Cancelled);
    expect(done.steps.map((s) => [s.name, s.remote?.method, s.status])).toEqual([
      ['send-message', 'SendMessage', 'completed'],
      ['cancel-task', 'CancelTask', 'completed'],
    ]);
  });
});
