/**
 * `DefaultFacadeService`, the A2A façade behind every inbound binding.
 *
 * Task ids pass through: the ids a caller sees are the agent's own, so an unmodified client can move
 * between the gateway and the agent, and nothing has to be rewritten inside messages, tasks or events.
 * The gateway keeps the link the other way: a run records its agent's task id, indexed, so a task's run
 * is one lookup away.
 *
 * - SendMessage / SendStreamingMessage become runs (`RunService.relay`): the caller's own request goes to
 *   the agent, every event comes back as the agent sent it, and the run records each step.
 * - GetTask, ListTasks, SubscribeToTask, the push-notification configs and GetExtendedAgentCard are
 *   forwarded to the agent with the credentials registered for it, and answered as it answers (they
 *   send no message, so they are no runs), an extended card rewritten like the public one. Push
 *   notifications therefore go from the agent straight to the caller's webhook.
 * - CancelTask is forwarded too; when it cancels a task whose run waits for input, the run is cancelled
 *   with it (an executing run sees the cancellation on its own stream or poll).
 *
 * The caller's credentials for the gateway are never forwarded; `A2A-Extensions` is, and `A2A-Version`
 * is set from the agent's interface by the outbound client.
 */
import { propagation } from '@opentelemetry/api';
import { z } from 'zod';

import {
  A2AHeader,
  type A2AStreamOperation,
  type A2AUnaryOperation,
  type JsonObject,
} from '../a2a/operations.js';
import type { CallContext } from '../domain/call-context.js';
import type { RegisteredAgent } from '../domain/agent.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { credentialHeaders, type DefaultAgentRegistry } from '../app/agent-registry.js';
import type { DefaultRunService } from '../app/run-service.js';
import { callTraceContext } from '../app/run-telemetry.js';
import type { A2ACallOptions, A2AClient } from '../remote/a2a-client.js';
import { formatPath } from '../remote/a2a-schema.js';
import type { A2ASendMessageRequest, A2AStreamEvent, A2ATask } from '../remote/a2a-types.js';
import type { A2AFacadeService, FacadeAddresses, FacadeCall, ServedCard } from './a2a-facade.js';
import { rewriteAgentCard, servedCard } from './agent-card-rewrite.js';

export interface FacadeServiceOptions {
  readonly agents: Pick<DefaultAgentRegistry, 'resolve'>;
  readonly runs: Pick<DefaultRunService, 'relay' | 'taskCancelled'>;
  readonly client: A2AClient;
  /** Limit on one unary call to an agent (streams: on the wait for the stream to open). */
  readonly agentCallTimeoutMs: number;
  /** The gateway's public addresses, for cards in replies when the call does not say where it came in. */
  readonly addresses: () => FacadeAddresses;
}

const nonEmpty = z.string({ error: 'required' }).min(1, 'required');
const messageSchema = z.looseObject({
  messageId: nonEmpty,
  role: z.enum(['ROLE_USER', 'ROLE_AGENT'], { error: 'must be ROLE_USER or ROLE_AGENT' }),
  parts: z.array(z.looseObject({}), { error: 'must be an array of parts' }).min(1, 'at least one part'),
  taskId: z.string().optional(),
  contextId: z.string().optional(),
});
const sendSchema = z.looseObject({ message: messageSchema });
const byId = z.looseObject({ id: nonEmpty });
const byTaskId = z.looseObject({ taskId: nonEmpty });
const byTaskAndId = z.looseObject({ taskId: nonEmpty, id: nonEmpty });

/** The params each operation requires (everything else is the agent's to judge). */
const PARAMS: Record<A2AUnaryOperation | A2AStreamOperation, z.ZodType<JsonObject>> = {
  SendMessage: sendSchema,
  SendStreamingMessage: sendSchema,
  GetTask: byId,
  CancelTask: byId,
  SubscribeToTask: byId,
  ListTasks: z.looseObject({}),
  CreateTaskPushNotificationConfig: z.looseObject({ taskId: nonEmpty, url: nonEmpty }),
  GetTaskPushNotificationConfig: byTaskAndId,
  ListTaskPushNotificationConfigs: byTaskId,
  DeleteTaskPushNotificationConfig: byTaskAndId,
  GetExtendedAgentCard: z.looseObject({}),
};

function validated(operation: A2AUnaryOperation | A2AStreamOperation, params: JsonObject): JsonObject {
  const parsed = PARAMS[operation].safeParse(params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined ? 'params' : formatPath(issue.path) || 'params';
  throw new GatewayError(
    ErrorCode.INVALID_ARGUMENT,
    `${operation}: ${field}: ${issue?.message ?? 'invalid'}`,
    {
      details: { field, reason: issue?.message ?? 'invalid' },
    },
  );
}

export class DefaultFacadeService implements A2AFacadeService {
  readonly #o: FacadeServiceOptions;

  constructor(options: FacadeServiceOptions) {
    this.#o = options;
  }

  async card(agent: string, addresses: FacadeAddresses, ctx: CallContext): Promise<ServedCard> {
    const registered = await this.#o.agents.resolve(agent, ctx);
    return servedCard(rewriteAgentCard(registered.card, agent, addresses));
  }

  async unary(call: FacadeCall, operation: A2AUnaryOperation, params: JsonObject): Promise<JsonObject> {
    const request = validated(operation, params);
    if (operation === 'SendMessage') return this.#send(call, request);
    const agent = await this.#o.agents.resolve(call.agent, call.ctx);
    const reply = await this.#o.client.unary(agent.endpoint, operation, request, this.#options(agent, call));
    if (operation === 'CancelTask' && isTask(reply))
      await this.#o.runs.taskCancelled(call.agent, reply, call.ctx);
    if (operation === 'GetExtendedAgentCard') {
      return rewriteAgentCard(reply, call.agent, (call.addresses ?? this.#o.addresses)());
    }
    return reply;
  }

  async *stream(
    call: FacadeCall,
    operation: A2AStreamOperation,
    params: JsonObject,
  ): AsyncIterable<JsonObject> {
    const request = validated(operation, params);
    if (operation === 'SendStreamingMessage') {
      yield* this.#relay(call, request, true) as AsyncIterable<JsonObject>;
      return;
    }
    const agent = await this.#o.agents.resolve(call.agent, call.ctx);
    const options = this.#options(agent, call);
    yield* this.#o.client.stream(agent.endpoint, operation, request, options);
  }

  async #send(call: FacadeCall, request: JsonObject): Promise<JsonObject> {
    for await (const event of this.#relay(call, request, false)) {
      // The outbound client checked that a SendMessage reply is one task or one message.
      return event;
    }
    throw new GatewayError(ErrorCode.REMOTE_PROTOCOL_ERROR, `agent '${call.agent}' sent no reply`);
  }

  #relay(call: FacadeCall, request: JsonObject, streaming: boolean): AsyncIterable<A2AStreamEvent> {
    return this.#o.runs.relay(
      {
        agent: call.agent,
        request: request as unknown as A2ASendMessageRequest,
        streaming,
        headers: extensionHeaders(call),
      },
      call.ctx,
    );
  }

  /** A pass-through call: the agent's credentials, the caller's extensions, the request's trace context. */
  #options(agent: RegisteredAgent, call: FacadeCall): A2ACallOptions {
    const headers: Record<string, string> = { ...extensionHeaders(call) };
    const traceContext = callTraceContext(call.ctx);
    propagation.inject(traceContext, headers);
    return {
      signal: call.ctx.signal,
      timeoutMs: this.#o.agentCallTimeoutMs,
      headers: { ...headers, ...credentialHeaders(agent.credentials) },
      traceContext,
    };
  }
}

function isTask(reply: JsonObject): reply is JsonObject & A2ATask {
  const status = reply.status as { state?: unknown } | undefined;
  return typeof reply.id === 'string' && typeof status?.state === 'string';
}

function extensionHeaders(call: FacadeCall): Record<string, string> {
  return call.extensions === undefined || call.extensions === ''
    ? {}
    : { [A2AHeader.EXTENSIONS]: call.extensions };
}
