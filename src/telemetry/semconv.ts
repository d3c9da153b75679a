/**
 * The span names, attribute keys and well-known values of the gateway's traces, in one place. It imports
 * nothing, so core code that depends only on `@opentelemetry/api` can use it without pulling in the SDK.
 *
 * The `gen_ai.*` keys follow the OpenTelemetry GenAI agent conventions and the `a2a.*` keys the draft A2A
 * conventions (open-telemetry/semantic-conventions-genai, `model/gen-ai` and `model/a2a`); both are
 * status Development, so they are copied here rather than imported from the `/incubating` entry point of
 * `@opentelemetry/semantic-conventions`, whose names may change in a minor release. `server.*` and
 * `error.type` are stable. The `bzzz.*` keys are the gateway's own namespace.
 */

/** Attribute keys. */
export const Attr = {
  /** What the span does: {@link GenAiOperation}. Set when the span starts, so samplers see it. */
  GEN_AI_OPERATION_NAME: 'gen_ai.operation.name',
  /** Who serves the agent: {@link GenAiProvider} for a remote A2A agent. */
  GEN_AI_PROVIDER_NAME: 'gen_ai.provider.name',
  /** From the agent card. */
  GEN_AI_AGENT_NAME: 'gen_ai.agent.name',
  /** The agent's stable id: for us the registered agent name (or its URL). */
  GEN_AI_AGENT_ID: 'gen_ai.agent.id',
  /** From the agent card. */
  GEN_AI_AGENT_DESCRIPTION: 'gen_ai.agent.description',
  /** From the agent card. */
  GEN_AI_AGENT_VERSION: 'gen_ai.agent.version',
  /** The conversation: the session id, which is the A2A `contextId`. */
  GEN_AI_CONVERSATION_ID: 'gen_ai.conversation.id',

  /** The logical A2A v1 operation (`SendMessage`, `SendStreamingMessage`, `GetTask`, …), whatever the binding. */
  A2A_METHOD_NAME: 'a2a.method.name',
  /** The agent's A2A task id. */
  A2A_TASK_ID: 'a2a.task.id',
  /** The task's state spelled as in A2A v1 (`TASK_STATE_WORKING`): the domain's `A2ATaskState` values. */
  A2A_TASK_STATE: 'a2a.task.state',
  /** On a span event: the agent's id of the artifact. */
  A2A_ARTIFACT_ID: 'a2a.artifact.id',
  /** The A2A protocol version spoken with the agent, such as `1.0` or `0.3`. */
  A2A_PROTOCOL_VERSION: 'a2a.protocol.version',

  /** Host of the agent's selected interface URL. */
  SERVER_ADDRESS: 'server.address',
  /** Port of the agent's selected interface URL (the scheme's default when it names none). */
  SERVER_PORT: 'server.port',
  /** On failure: the error's stable code. */
  ERROR_TYPE: 'error.type',

  /** Inbound HTTP requests (stable HTTP conventions). */
  HTTP_REQUEST_METHOD: 'http.request.method',
  /** The method as the client sent it, when `http.request.method` had to be `_OTHER`. */
  HTTP_REQUEST_METHOD_ORIGINAL: 'http.request.method_original',
  HTTP_ROUTE: 'http.route',
  HTTP_RESPONSE_STATUS_CODE: 'http.response.status_code',
  URL_PATH: 'url.path',
  /** Outbound HTTP calls: the agent URL called (never with credentials). */
  URL_FULL: 'url.full',
  /** Inbound gRPC calls (RPC conventions). */
  RPC_SYSTEM: 'rpc.system',
  RPC_SERVICE: 'rpc.service',
  RPC_METHOD: 'rpc.method',
  RPC_GRPC_STATUS_CODE: 'rpc.grpc.status_code',

  RUN_ID: 'bzzz.run.id',
  /** What the run targets: the agent name, the agent URL, or the swarm file. */
  RUN_TARGET: 'bzzz.run.target',
  /** The run's final status (`completed`, `failed`, …). */
  RUN_STATUS: 'bzzz.run.status',
  STEP_ID: 'bzzz.step.id',
  SESSION_ID: 'bzzz.session.id',
  /** On a span event: the size of the message or artifact content, in bytes. */
  CONTENT_SIZE_BYTES: 'bzzz.content.size_bytes',
  /** On a span event, only when `BZZZ_TRACE_CONTENT` is on: the message or artifact text. */
  CONTENT: 'bzzz.content',
} as const;
export type Attr = (typeof Attr)[keyof typeof Attr];

/** Span names; a Step span is named `${SpanName.invokeAgent} ${agent name}` as the GenAI conventions say. */
export const SpanName = {
  /** The gateway's Run, kind INTERNAL: lives from submission until the run ends. */
  run: 'bzzz.run',
  /** A Step that calls a remote agent, kind CLIENT. */
  invokeAgent: 'invoke_agent',
  /** The HTTP request a step sends to the agent, kind CLIENT, a child of the step (HTTP conventions). */
  httpPost: 'POST',
} as const;
export type SpanName = (typeof SpanName)[keyof typeof SpanName];

/** Span event names: our own namespace, as neither convention defines events for task updates. */
export const EventName = {
  /** The agent reported a task status (attribute `a2a.task.state`). */
  statusUpdate: 'bzzz.status_update',
  /** The agent produced or extended an artifact (attribute `bzzz.content.size_bytes`). */
  artifactUpdate: 'bzzz.artifact_update',
  /** The gateway shut down while the span was open; it was ended as it was. */
  gatewayShutdown: 'bzzz.gateway.shutdown',
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/** Values of `gen_ai.operation.name` the gateway reports. */
export const GenAiOperation = {
  invokeAgent: 'invoke_agent',
} as const;
export type GenAiOperation = (typeof GenAiOperation)[keyof typeof GenAiOperation];

/** Values of `gen_ai.provider.name` the gateway reports: the agent is reached over A2A. */
export const GenAiProvider = {
  a2a: 'a2a',
} as const;
export type GenAiProvider = (typeof GenAiProvider)[keyof typeof GenAiProvider];
