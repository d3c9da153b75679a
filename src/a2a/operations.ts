/**
 * The A2A 1.0 operations, by their canonical (PascalCase) names, shared by the façade (inbound) and the
 * outbound transports. Requests and responses travel between the two as ProtoJSON objects (the JSON form
 * of the A2A 1.0 proto messages: camelCase, enums by name, oneofs by member name); each binding converts
 * its own wire format to and from that form.
 */

/** A JSON object: a ProtoJSON message. */
export type JsonObject = Record<string, unknown>;

/** Operations answered with one message. */
export const A2A_UNARY_OPERATIONS = [
  'SendMessage',
  'GetTask',
  'ListTasks',
  'CancelTask',
  'CreateTaskPushNotificationConfig',
  'GetTaskPushNotificationConfig',
  'ListTaskPushNotificationConfigs',
  'DeleteTaskPushNotificationConfig',
  'GetExtendedAgentCard',
] as const;
export type A2AUnaryOperation = (typeof A2A_UNARY_OPERATIONS)[number];

/** Operations answered with a stream of `StreamResponse` messages. */
export const A2A_STREAM_OPERATIONS = ['SendStreamingMessage', 'SubscribeToTask'] as const;
export type A2AStreamOperation = (typeof A2A_STREAM_OPERATIONS)[number];

export type A2AOperation = A2AUnaryOperation | A2AStreamOperation;

export function isStreamOperation(name: string): name is A2AStreamOperation {
  return (A2A_STREAM_OPERATIONS as readonly string[]).includes(name);
}

export function isA2AOperation(name: string): name is A2AOperation {
  return isStreamOperation(name) || (A2A_UNARY_OPERATIONS as readonly string[]).includes(name);
}

/** The protocol bindings the gateway speaks, as cards name them. */
export const A2ABinding = {
  JSONRPC: 'JSONRPC',
  HTTP_JSON: 'HTTP+JSON',
  GRPC: 'GRPC',
} as const;
export type A2ABinding = (typeof A2ABinding)[keyof typeof A2ABinding];

/** Service parameters (HTTP headers, gRPC metadata keys in lower case). */
export const A2AHeader = {
  VERSION: 'A2A-Version',
  EXTENSIONS: 'A2A-Extensions',
  /** The 0.3 name of `A2A-Extensions`, still sent by 0.3 peers. */
  LEGACY_EXTENSIONS: 'X-A2A-Extensions',
} as const;
