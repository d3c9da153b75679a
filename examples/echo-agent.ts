/**
 * The echo agent: answers every message with a completed task whose one artifact holds
 * `echo: <input text>`. Run directly (`node dist/examples/echo-agent.js`) it listens on `PORT` (default
 * 9001) and prints its URL; tests call `startEchoAgent()`.
 */
import { pathToFileURL } from 'node:url';

import { TaskState } from '@a2a-js/sdk';
import type { AgentExecutor } from '@a2a-js/sdk/server';
import { AgentEvent } from '@a2a-js/sdk/server';

import type { RunningAgent } from './serve-agent.js';
import { agentMessage, messageText, startAgent, textPart } from './serve-agent.js';

/** Completes every task at once with an `echo: <text>` artifact. */
export class EchoExecutor implements AgentExecutor {
  async execute(...[context, bus]: Parameters<AgentExecutor['execute']>): Promise<void> {
    const { taskId, contextId } = context;
    const text = messageText(context.userMessage);
    bus.publish(
      AgentEvent.task({
        id: taskId,
        contextId,
        status: {
          state: TaskState.TASK_STATE_WORKING,
          message: undefined,
          timestamp: new Date().toISOString(),
        },
        artifacts: [],
        history: [context.userMessage],
        metadata: undefined,
      }),
    );
    bus.publish(
      AgentEvent.artifactUpdate({
        taskId,
        contextId,
        artifact: {
          artifactId: 'echo',
          name: 'echo',
          description: '',
          parts: [textPart(`echo: ${text}`)],
          metadata: undefined,
          extensions: [],
        },
        append: false,
        lastChunk: true,
        metadata: undefined,
      }),
    );
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: {
          state: TaskState.TASK_STATE_COMPLETED,
          message: agentMessage('done', { taskId, contextId }),
          timestamp: new Date().toISOString(),
        },
        metadata: undefined,
      }),
    );
  }

  async cancelTask(...[taskId, bus]: Parameters<AgentExecutor['cancelTask']>): Promise<void> {
    // The echo task completes synchronously; a late cancel still has to end the handler's wait.
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId: '',
        status: {
          state: TaskState.TASK_STATE_CANCELED,
          message: undefined,
          timestamp: new Date().toISOString(),
        },
        metadata: undefined,
      }),
    );
  }
}

export interface EchoAgentOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Also speak the 0.3 JSON-RPC dialect. @default false */
  readonly legacyCompat?: boolean;
  /** Speak only the 0.3 JSON-RPC dialect (the card lists nothing else). @default false */
  readonly legacyOnly?: boolean;
}

/** Starts the echo agent on a loopback port. */
export function startEchoAgent(options: EchoAgentOptions = {}): Promise<RunningAgent> {
  return startAgent({
    executor: new EchoExecutor(),
    name: 'echo',
    description: 'Echoes the text of each message back as an artifact.',
    ...options,
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const agent = await startEchoAgent({ port: Number(process.env['PORT'] ?? 9001) });
  console.log(`echo agent listening on ${agent.url}`);
}
