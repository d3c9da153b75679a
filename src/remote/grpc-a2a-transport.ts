/**
 * `GrpcA2ATransport`, the gRPC adapter of the outbound transport port (`a2a-transport.ts`): sends A2A 1.0
 * operations to an agent's `lf.a2a.v1.A2AService` over @grpc/grpc-js, with the ProtoJSON ⇄ protobuf
 * codecs of src/a2a/a2a-proto.ts. It owns the wire work only: addresses and channels, metadata,
 * deadlines, cancellation, and turning gRPC statuses (with the `google.rpc.Status` of
 * `grpc-status-details-bin`) into `GatewayError`s. Its twins: `jsonrpc-a2a-transport.ts`, `rest-a2a-transport.ts`.
 */
import * as grpc from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';

import { a2aErrorByGrpcStatus, a2aErrorByReason, JSON_RPC_ERRORS } from '../a2a/a2a-errors.js';
import {
  A2A_GRPC_SERVICE,
  A2A_GRPC_SERVICE_NAME,
  a2aOperationCodecs,
  decodeGrpcStatusDetails,
  GRPC_STATUS_DETAILS_KEY,
} from '../a2a/a2a-proto.js';
import type { A2AOperation, A2AStreamOperation, A2AUnaryOperation, JsonObject } from '../a2a/operations.js';
import type { AgentEndpoint } from '../domain/agent.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { Attr } from '../telemetry/semconv.js';
import type { A2ACallOptions } from './a2a-client.js';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_PROTOCOL_VERSION,
  type A2ATransport,
  type A2ATransportOptions,
  type RemoteErrorDetails,
} from './a2a-transport.js';

/** Where a gRPC interface URL points, and whether the channel uses TLS. */
interface GrpcAddress {
  /** `host:port` as grpc-js takes it (IPv6 hosts in brackets). */
  readonly target: string;
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
}

/** URL schemes older cards use for gRPC interfaces, and whether each means TLS. */
const SCHEME_SECURITY: Readonly<Record<string, boolean>> = {
  'grpc:': false,
  'http:': false,
  'grpcs:': true,
  'https:': true,
};

/**
 * Reads an interface URL: `host:port` (plaintext, as the official SDK client treats it), or a
 * `grpc://` / `http://` (plaintext) or `grpcs://` / `https://` (TLS) URL whose path is ignored.
 */
function parseAddress(url: string): GrpcAddress {
  const invalid = (why: string): GatewayError =>
    new GatewayError(ErrorCode.INVALID_AGENT_CARD, `gRPC interface URL '${url}' ${why}`, {
      details: { field: 'url', url },
    });
  const hasScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(url);
  let parsed: URL;
  try {
    parsed = new URL(hasScheme ? url : `grpc://${url}`);
  } catch {
    throw invalid('is not host:port');
  }
  const secure = SCHEME_SECURITY[parsed.protocol];
  if (secure === undefined) throw invalid(`has unsupported scheme ${parsed.protocol}`);
  if (parsed.hostname === '') throw invalid('names no host');
  if (!hasScheme && parsed.port === '') throw invalid('names no port');
  const port = parsed.port === '' ? (secure ? 443 : 80) : Number(parsed.port);
  return {
    target: `${parsed.hostname}:${port}`,
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    secure,
  };
}

/** What the agent's failed call said, from its status and the `google.rpc.Status` trailer. */
function remoteError(error: grpc.ServiceError, address: GrpcAddress): GatewayError {
  const trailer = error.metadata?.get(GRPC_STATUS_DETAILS_KEY)[0];
  let reason: string | undefined;
  if (trailer instanceof Buffer) {
    try {
      reason = decodeGrpcStatusDetails(trailer).errorInfo?.reason;
    } catch {
      // A trailer that is not a google.rpc.Status: the status code still says enough.
    }
  }
  const kind =
    (reason === undefined ? undefined : a2aErrorByReason(reason)) ?? a2aErrorByGrpcStatus(error.code);
  const remoteCode = kind?.jsonRpcCode ?? JSON_RPC_ERRORS.Internal.jsonRpcCode;
  const details: RemoteErrorDetails = {
    remoteCode,
    remoteMessage: error.details,
    remoteStatus: error.code,
    ...(reason !== undefined && { remoteReason: reason }),
  };
  const label = kind === undefined ? statusName(error.code) : `${statusName(error.code)} (${kind.name})`;
  return new GatewayError(
    ErrorCode.REMOTE_ERROR,
    `agent at ${address.target} answered ${label}: ${error.details}`,
    { details: { ...details } },
  );
}

function statusName(code: number): string {
  return grpc.status[code] ?? `STATUS_${code}`;
}

function isServiceError(error: unknown): error is grpc.ServiceError {
  return (
    error instanceof Error && typeof (error as { code?: unknown }).code === 'number' && 'details' in error
  );
}

/**
 * The `GatewayError` of a failed call. The caller's abort wins (`CANCELLED`), then a stream's own open
 * deadline; otherwise the status decides.
 */
function classify(
  error: unknown,
  address: GrpcAddress,
  signal: AbortSignal,
  openDeadline?: GatewayError,
): GatewayError {
  if (signal.aborted) {
    return new GatewayError(ErrorCode.CANCELLED, `call to agent at ${address.target} cancelled`, {
      cause: signal.reason,
    });
  }
  if (openDeadline !== undefined) return openDeadline;
  if (GatewayError.is(error)) return error;
  if (!isServiceError(error)) {
    return new GatewayError(ErrorCode.REMOTE_UNAVAILABLE, `call to agent at ${address.target} failed`, {
      cause: error,
      retryable: false,
      details: { url: address.target },
    });
  }
  switch (error.code) {
    // No connection could be made or kept (refused, DNS, TLS, GOAWAY): the agent is down or restarting.
    case grpc.status.UNAVAILABLE:
      return new GatewayError(
        ErrorCode.REMOTE_UNAVAILABLE,
        `agent at ${address.target} unreachable: ${error.details}`,
        { cause: error, details: { url: address.target, remoteStatus: error.code } },
      );
    // The call's deadline passed, here or at the agent.
    case grpc.status.DEADLINE_EXCEEDED:
      return new GatewayError(
        ErrorCode.DEADLINE_EXCEEDED,
        `agent at ${address.target} did not answer in time: ${error.details}`,
        { cause: error, details: { url: address.target } },
      );
    default:
      return remoteError(error, address);
  }
}

function protocolError(address: GrpcAddress, operation: A2AOperation, cause: unknown): GatewayError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new GatewayError(
    ErrorCode.REMOTE_PROTOCOL_ERROR,
    `agent at ${address.target} sent a ${operation} reply that is not valid protobuf: ${why}`,
    { cause, details: { url: address.target } },
  );
}

/**
 * The CLIENT span of one call, a child of `parent` (RPC conventions). Its own context is not sent: the
 * agent receives the step's `traceparent` from `options.headers`, which its spans nest under.
 */
function startRpcSpan(address: GrpcAddress, operation: A2AOperation, parent: Context = ROOT_CONTEXT): Span {
  return trace.getTracer('bzzz').startSpan(
    `${A2A_GRPC_SERVICE_NAME}/${operation}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [Attr.RPC_SYSTEM]: 'grpc',
        [Attr.RPC_SERVICE]: A2A_GRPC_SERVICE_NAME,
        [Attr.RPC_METHOD]: operation,
        [Attr.SERVER_ADDRESS]: address.host,
        [Attr.SERVER_PORT]: address.port,
        [Attr.A2A_METHOD_NAME]: operation,
      },
    },
    parent,
  );
}

function endRpcSpan(span: Span, code: grpc.status, failure?: GatewayError): void {
  span.setAttribute(Attr.RPC_GRPC_STATUS_CODE, code);
  if (failure !== undefined) {
    span.setAttribute(Attr.ERROR_TYPE, failure.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
  }
  span.end();
}

/** The gRPC status a failure ended with, for the span (UNKNOWN when it never reached the wire). */
function statusOf(error: unknown, signal: AbortSignal): grpc.status {
  if (signal.aborted) return grpc.status.CANCELLED;
  return isServiceError(error) ? error.code : grpc.status.UNKNOWN;
}

const passThrough = (bytes: Buffer): Buffer => bytes;

/** The A2A transport over gRPC. One instance per process; `close()` when shutting down. */
export class GrpcA2ATransport implements A2ATransport {
  readonly #defaultTimeoutMs: number;
  readonly #maxResponseBytes: number;
  /** One client (and so one channel) per address and security. */
  readonly #clients = new Map<string, grpc.Client>();
  #closed = false;

  constructor(options: A2ATransportOptions = {}) {
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  async unary(
    endpoint: AgentEndpoint,
    operation: A2AUnaryOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): Promise<unknown> {
    const address = parseAddress(endpoint.url);
    const request = a2aOperationCodecs(operation).request.encode(params);
    const span = startRpcSpan(address, operation, options.traceContext);
    const { signal } = options;
    let onAbort: (() => void) | undefined;
    try {
      if (signal.aborted) throw signal.reason;
      const client = this.#client(address);
      const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;
      const reply = await new Promise<Buffer>((resolve, reject) => {
        const call = client.makeUnaryRequest(
          A2A_GRPC_SERVICE[operation].path,
          passThrough,
          passThrough,
          Buffer.from(request),
          this.#metadata(endpoint, options),
          { deadline: Date.now() + timeoutMs },
          (error, value) =>
            value !== undefined && error === null
              ? resolve(value)
              : reject(error ?? new Error('empty reply')),
        );
        onAbort = () => call.cancel();
        signal.addEventListener('abort', onAbort, { once: true });
      });
      let response: JsonObject;
      try {
        response = a2aOperationCodecs(operation).response.decode(reply);
      } catch (error) {
        throw protocolError(address, operation, error);
      }
      endRpcSpan(span, grpc.status.OK);
      return response;
    } catch (error) {
      const failure = classify(error, address, signal);
      endRpcSpan(span, statusOf(error, signal), failure);
      throw failure;
    } finally {
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    }
  }

  async *stream(
    endpoint: AgentEndpoint,
    operation: A2AStreamOperation,
    params: JsonObject,
    options: A2ACallOptions,
  ): AsyncIterable<unknown> {
    const address = parseAddress(endpoint.url);
    const codecs = a2aOperationCodecs(operation);
    const request = codecs.request.encode(params);
    const span = startRpcSpan(address, operation, options.traceContext);
    const { signal } = options;
    if (signal.aborted) {
      const failure = classify(undefined, address, signal);
      endRpcSpan(span, grpc.status.CANCELLED, failure);
      throw failure;
    }
    let call: grpc.ClientReadableStream<Buffer>;
    try {
      call = this.#client(address).makeServerStreamRequest(
        A2A_GRPC_SERVICE[operation].path,
        passThrough,
        passThrough,
        Buffer.from(request),
        this.#metadata(endpoint, options),
      );
    } catch (error) {
      const failure = classify(error, address, signal);
      endRpcSpan(span, grpc.status.UNKNOWN, failure);
      throw failure;
    }
    // grpc-js deadlines bound a whole call; a stream is bounded only until it opens.
    const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;
    let openDeadline: GatewayError | undefined;
    const openTimer = setTimeout(() => {
      openDeadline = new GatewayError(
        ErrorCode.DEADLINE_EXCEEDED,
        `${operation} to agent at ${address.target}: the stream did not open within ${timeoutMs} ms`,
        { details: { url: address.target, timeoutMs } },
      );
      call.cancel();
    }, timeoutMs);
    const opened = (): void => clearTimeout(openTimer);
    call.once('metadata', opened);
    const onAbort = (): void => call.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    let spanCode: grpc.status = grpc.status.CANCELLED;
    let failure: GatewayError | undefined;
    try {
      for await (const chunk of call as AsyncIterable<Buffer>) {
        opened();
        let event: JsonObject;
        try {
          event = codecs.response.decode(chunk);
        } catch (error) {
          throw protocolError(address, operation, error);
        }
        yield event;
      }
      finished = true;
      spanCode = grpc.status.OK;
    } catch (error) {
      finished = true;
      failure = GatewayError.is(error) ? error : classify(error, address, signal, openDeadline);
      spanCode =
        openDeadline !== undefined && !signal.aborted
          ? grpc.status.DEADLINE_EXCEEDED
          : statusOf(error, signal);
      throw failure;
    } finally {
      clearTimeout(openTimer);
      signal.removeEventListener('abort', onAbort);
      call.off('metadata', opened);
      if (!finished || failure?.code === ErrorCode.REMOTE_PROTOCOL_ERROR) {
        // The consumer stopped early, or the reply was unreadable: end the upstream call. grpc-js then
        // emits the CANCELLED status as an 'error' nobody listens to any more.
        call.on('error', () => undefined);
        call.cancel();
      }
      endRpcSpan(span, spanCode, failure);
    }
  }

  /** Closes every channel; later calls fail with `UNAVAILABLE`. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const client of this.#clients.values()) client.close();
    this.#clients.clear();
  }

  #client(address: GrpcAddress): grpc.Client {
    if (this.#closed) throw new GatewayError(ErrorCode.UNAVAILABLE, 'the outbound gRPC transport is closed');
    const key = `${address.secure ? 'tls' : 'plaintext'} ${address.target}`;
    let client = this.#clients.get(key);
    if (client === undefined) {
      const credentials = address.secure ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
      client = new grpc.Client(address.target, credentials, {
        'grpc.max_receive_message_length': this.#maxResponseBytes,
      });
      this.#clients.set(key, client);
    }
    return client;
  }

  /** `a2a-version` from the endpoint, then the caller's headers (credentials, trace context), lower-cased. */
  #metadata(endpoint: AgentEndpoint, options: A2ACallOptions): grpc.Metadata {
    const metadata = new grpc.Metadata();
    metadata.set('a2a-version', endpoint.protocolVersion || DEFAULT_PROTOCOL_VERSION);
    for (const [name, value] of Object.entries(options.headers ?? {}))
      metadata.set(name.toLowerCase(), value);
    return metadata;
  }
}
