/**
 * The streaming agent: streams N artifact chunks (the first creates the artifact, the rest append to it),
 * each after a `WORKING` status update, then completes. A message whose text is `slow` runs long enough to
 * be cancelled or to time out; `CancelTask` stops it and publishes `TASK_STATE_CANCELED`. Run directly
 * (`node dist/examples/streaming-agent.js`) it listens on `PORT` (default 9002); tests call
 * `startStreamingAgent()`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

import { TaskState } from '@a2a-js/sdk';
import type { AgentExecutor, ExecutionEventBus } from '@a2a-js/sdk/server';
import { AgentEvent } from '@a2a-js/sdk/server';

import type { RunningAgent } from './serve-agent.js';
import { agentMessage, messageText, startAgent, textPart } from './serve-agent.js';

export interface StreamingBehaviour {
  /** Chunks per normal task. @default 3 */
  readonly chunks?: number;
  /** Pause before each chunk of a normal task. @default 10 */
  readonly delayMs?: number;
  /** Chunks of a `slow` task. @default 100 */
  readonly slowChunks?: number;
  /** Pause before each chunk of a `slow` task. @default 200 */
  readonly slowDelayMs?: number;
}

/** The artifact id every chunk of a task belongs to. */
export const STREAM_ARTIFACT_ID = 'stream';

/** Streams chunks with status updates; stops and reports `CANCELED` on `cancelTask`. */
export class StreamingExecutor implements AgentExecutor {
  readonly #behaviour: Required<StreamingBehaviour>;
  /** One controller per running task, aborted by `cancelTask`. */
  readonly #running = new Map<string, { controller: AbortController; contextId: string }>();

  constructor(behaviour: StreamingBehaviour = {}) {
    this.#behaviour = {
      chunks: behaviour.chunks ?? 3,
      delayMs: behaviour.delayMs ?? 10,
      slowChunks: behaviour.slowChunks ?? 100,
      slowDelayMs: behaviour.slowDelayMs ?? 200,
    };
  }

  async execute(...[context, bus]: Parameters<AgentExecutor['execute']>): Promise<void> {
    const { taskId, contextId } = context;
    const slow = messageText(context.userMessage).trim() === 'slow';
    const chunks = slow ? this.#behaviour.slowChunks : this.#behaviour.chunks;
    const delayMs = slow ? this.#behaviour.slowDelayMs : this.#behaviour.delayMs;
    const controller = new AbortController();
    this.#running.set(taskId, { controller, contextId });
    try {
      bus.publish(
        AgentEvent.task({
          id: taskId,
          contextId,
          status: {
            state: TaskState.TASK_STATE_SUBMITTED,
            message: undefined,
            timestamp: new Date().toISOString(),
          },
          artifacts: [],
          history: [context.userMessage],
          metadata: undefined,
        }),
      );
      for (let i = 1; i <= chunks; i++) {
        await sleep(delayMs, undefined, { signal: controller.signal });
        publishStatus(bus, { taskId, contextId }, TaskState.TASK_STATE_WORKING, `chunk ${i} of ${chunks}`);
        bus.publish(
          AgentEvent.artifactUpdate({
            taskId,
            contextId,
            artifact: {
              artifactId: STREAM_ARTIFACT_ID,
              name: 'stream',
              description: '',
              parts: [textPart(`chunk-${i} `)],
              metadata: undefined,
              extensions: [],
            },
            append: i > 1,
            lastChunk: i === chunks,
            metadata: undefined,
          }),
        );
      }
      publishStatus(bus, { taskId, contextId }, TaskState.TASK_STATE_COMPLETED, 'done');
    } catch (error) {
      // Cancelled mid-sleep: `cancelTask` has already published CANCELED on the bus.
      if (!controller.signal.aborted) throw error;
    } finally {
      this.#running.delete(taskId);
    }
  }

  async cancelTask(...[taskId, bus]: Parameters<AgentExecutor['cancelTask']>): Promise<void> {
    const running = this.#running.get(taskId);
    running?.controller.abort();
    // The request handler waits for a CANCELED event on this bus before it answers CancelTask.
    const ids = { taskId, contextId: running?.contextId ?? '' };
    publishStatus(bus, ids, TaskState.TASK_STATE_CANCELED, 'cancelled on request');
  }
}

function publishStatus(
  bus: ExecutionEventBus,
  ids: { taskId: string; contextId: string },
  state: TaskState,
  text: string,
): void {
  bus.publish(
    AgentEvent.statusUpdate({
      taskId: ids.taskId,
      contextId: ids.contextId,
      status: { state, message: agentMessage(text, ids), timestamp: new Date().toISOString() },
      metadata: undefined,
    }),
  );
}

export interface StreamingAgentOptions extends StreamingBehaviour {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

/** Starts the streaming agent on a loopback port. */
export function startStreamingAgent(options: StreamingAgentOptions = {}): Promise<RunningAgent> {
  const { port, host, ...behaviour } = options;
  return startAgent({
    executor: new StreamingExecutor(behaviour),
    name: 'streaming',
    description: 'Streams its answer as artifact chunks; send "slow" for a long task.',
    ...(port === undefined ? {} : { port }),
    ...(host === undefined ? {} : { host }),
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const agent = await startStreamingAgent({ port: Number(process.env['PORT'] ?? 9002) });
  console.log(`streaming agent listening on ${agent.url}`);
}
