/**
 * The input agent: the first message of a task gets `TASK_STATE_INPUT_REQUIRED` with a question in the
 * status message; the follow-up message on the same `taskId` completes the task with an artifact built
 * from the answer. Run directly (`node dist/examples/input-agent.js`) it listens on `PORT` (default
 * 9003); tests call `startInputAgent()`.
 */
import { pathToFileURL } from 'node:url';

import { TaskState } from '@a2a-js/sdk';
import type { AgentExecutor } from '@a2a-js/sdk/server';
import { AgentEvent } from '@a2a-js/sdk/server';

import type { RunningAgent } from './serve-agent.js';
import { agentMessage, messageText, startAgent, textPart } from './serve-agent.js';

/** The question the agent asks on the first turn. */
export const INPUT_QUESTION = 'Whom should I greet?';

/** Asks for a name on the first turn, greets it on the second. */
export class InputExecutor implements AgentExecutor {
  async execute(...[context, bus]: Parameters<AgentExecutor['execute']>): Promise<void> {
    const { taskId, contextId } = context;
    const now = new Date().toISOString();
    const previous = context.task;
    if (previous?.status?.state !== TaskState.TASK_STATE_INPUT_REQUIRED) {
      bus.publish(
        AgentEvent.task({
          id: taskId,
          contextId,
          status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: now },
          artifacts: [],
          history: [context.userMessage],
          metadata: undefined,
        }),
      );
      // The request handler ends a blocking call on a status *update*, not on a task snapshot.
      bus.publish(
        AgentEvent.statusUpdate({
          taskId,
          contextId,
          status: {
            state: TaskState.TASK_STATE_INPUT_REQUIRED,
            message: agentMessage(INPUT_QUESTION, { taskId, contextId }),
            timestamp: now,
          },
          metadata: undefined,
        }),
      );
      return;
    }
    const answer = messageText(context.userMessage);
    bus.publish(
      AgentEvent.task({
        ...previous,
        status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: now },
      }),
    );
    bus.publish(
      AgentEvent.artifactUpdate({
        taskId,
        contextId,
        artifact: {
          artifactId: 'greeting',
          name: 'greeting',
          description: '',
          parts: [textPart(`Hello, ${answer}!`)],
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
          timestamp: now,
        },
        metadata: undefined,
      }),
    );
  }

  async cancelTask(...[taskId, bus]: Parameters<AgentExecutor['cancelTask']>): Promise<void> {
    // A task waiting for input can be cancelled; the handler waits for this event before answering.
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

export interface InputAgentOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

/** Starts the input agent on a loopback port. */
export function startInputAgent(options: InputAgentOptions = {}): Promise<RunningAgent> {
  return startAgent({
    executor: new InputExecutor(),
    name: 'input',
    description: 'Asks a question, then answers using the reply.',
    ...options,
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const agent = await startInputAgent({ port: Number(process.env['PORT'] ?? 9003) });
  console.log(`input agent listening on ${agent.url}`);
}
