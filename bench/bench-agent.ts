/**
 * The façade benchmarks' agents, run as `node dist/bench/bench-agent.js echo|stream` with `PORT` (0 for a
 * free port); prints `… listening on URL`. `echo` is the example echo agent's executor and `stream` the
 * example streaming executor set to 20 events per task with no pause (`STREAM_CHUNKS`). Both are
 * served like `examples/serve-agent.ts` serves them (the official SDK's JSON-RPC handler on express),
 * except for the task store: the SDK's in-memory store keeps every task for the life of the process, which
 * at thousands of 64 KB tasks a second fills the heap within a round; this one keeps the latest
 * {@link KEPT_TASKS}.
 */
import type { ListTasksResponse, Task } from '@a2a-js/sdk';
import type { AgentExecutor, TaskStore } from '@a2a-js/sdk/server';
import { DefaultRequestHandler } from '@a2a-js/sdk/server';
import { UserBuilder, agentCardHandler, jsonRpcHandler } from '@a2a-js/sdk/server/express';
import express from 'express';
import type { AddressInfo } from 'node:net';

import { EchoExecutor } from '../examples/echo-agent.js';
import { AGENT_CARD_PATH, JSONRPC_PATH, buildAgentCard } from '../examples/serve-agent.js';
import { StreamingExecutor } from '../examples/streaming-agent.js';

import { STREAM_CHUNKS } from './facade-streaming.js';

/** Tasks the store keeps; a benchmark's task lives a few milliseconds. */
const KEPT_TASKS = 1000;

/** A task store that forgets the oldest task beyond {@link KEPT_TASKS}; copies like the SDK's own. */
class RecentTaskStore implements TaskStore {
  readonly #tasks = new Map<string, Task>();

  async save(task: Task): Promise<void> {
    this.#tasks.delete(task.id);
    this.#tasks.set(task.id, structuredClone(task));
    if (this.#tasks.size > KEPT_TASKS) {
      const oldest = this.#tasks.keys().next().value;
      if (oldest !== undefined) this.#tasks.delete(oldest);
    }
  }

  async load(taskId: string): Promise<Task | undefined> {
    const task = this.#tasks.get(taskId);
    return task === undefined ? undefined : structuredClone(task);
  }

  async list(): Promise<ListTasksResponse> {
    throw new Error('the benchmark agent does not list tasks');
  }
}

const EXECUTORS: Record<string, () => AgentExecutor> = {
  echo: () => new EchoExecutor(),
  stream: () => new StreamingExecutor({ chunks: STREAM_CHUNKS, delayMs: 0 }),
};

const kind = process.argv[2] ?? '';
const makeExecutor = EXECUTORS[kind];
if (makeExecutor === undefined) {
  console.error(`usage: bench-agent.js ${Object.keys(EXECUTORS).join('|')}`);
  process.exit(2);
}
const app = express();
const server = app.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1');
await new Promise<void>((resolve, reject) => {
  server.once('listening', resolve);
  server.once('error', reject);
});
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const card = buildAgentCard({
  name: kind,
  description: `benchmark ${kind} agent`,
  baseUrl: url,
  streaming: true,
  bindings: ['JSONRPC'],
});
const requestHandler = new DefaultRequestHandler(card, new RecentTaskStore(), makeExecutor());
app.use(AGENT_CARD_PATH, agentCardHandler({ agentCardProvider: requestHandler }));
app.use(JSONRPC_PATH, jsonRpcHandler({ requestHandler, userBuilder: UserBuilder.noAuthentication }));
console.log(`${kind} agent listening on ${url}`);
