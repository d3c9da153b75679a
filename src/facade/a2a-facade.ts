/**
 * The A2A façade port: every registered agent re-exposed as an A2A 1.0 endpoint. The inbound bindings
 * (JSON-RPC and HTTP+JSON on the HTTP port, gRPC `lf.a2a.v1.A2AService` on the gRPC port) decode their
 * wire format into an operation with ProtoJSON params, call this port, and encode what it returns; the
 * port knows no binding. Failures are `GatewayError`s; `facade-errors.ts` maps them to each binding's
 * A2A error.
 */
import type { CallContext } from '../domain/call-context.js';
import type { A2AStreamOperation, A2AUnaryOperation, JsonObject } from '../a2a/operations.js';

/** One inbound call: which agent, and the service parameters the caller sent. */
export interface FacadeCall {
  /** The registered agent's name (from the path, or the gRPC request's `tenant`). */
  readonly agent: string;
  readonly ctx: CallContext;
  /** The caller's `A2A-Extensions` value, forwarded to the agent. */
  readonly extensions?: string;
  /**
   * Where the caller reaches the gateway, for cards in replies; asked only when a reply holds a card.
   * Unset: the configured addresses.
   */
  readonly addresses?: () => FacadeAddresses;
}

/** Where the façade is reachable, for the card's interface URLs. */
export interface FacadeAddresses {
  /** Public base URL of the HTTP port, without a trailing slash (`https://gw.example.com`). */
  readonly httpBaseUrl: string;
  /** Public `host:port` of the gRPC port. */
  readonly grpcAddress: string;
}

export interface ServedCard {
  readonly card: JsonObject;
  /** Strong validator of the served bytes (quoted). */
  readonly etag: string;
}

export interface A2AFacadeService {
  /** The agent's card with every interface rewritten to the gateway. */
  card(agent: string, addresses: FacadeAddresses, ctx: CallContext): Promise<ServedCard>;
  /** A unary operation; resolves with its ProtoJSON response (`{}` for DeleteTaskPushNotificationConfig). */
  unary(call: FacadeCall, operation: A2AUnaryOperation, params: JsonObject): Promise<JsonObject>;
  /**
   * A streaming operation: each ProtoJSON `StreamResponse` as the agent sends it. Ends when the agent
   * closes the stream; the caller ending the iteration (or aborting `call.ctx.signal`) closes the
   * upstream call without cancelling the task.
   */
  stream(call: FacadeCall, operation: A2AStreamOperation, params: JsonObject): AsyncIterable<JsonObject>;
}
