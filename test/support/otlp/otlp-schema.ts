/**
 * The OTLP trace schema of our own (the `.proto` files under `opentelemetry/proto/` beside this module),
 * loaded with `@grpc/proto-loader`. It owns the TraceService definition that the receiver's gRPC server
 * serves, the request decoder and response encoder that OTLP/HTTP protobuf shares with it, and the
 * `google.rpc.Status` body of an HTTP error. Turning a decoded request into spans is `otlp-normalise.ts`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ServiceDefinition } from '@grpc/proto-loader';
import { loadSync } from '@grpc/proto-loader';

const PROTO_ROOT = dirname(fileURLToPath(import.meta.url));
const TRACE_SERVICE_PROTO = join('opentelemetry', 'proto', 'collector', 'trace', 'v1', 'trace_service.proto');
const TRACE_SERVICE_NAME = 'opentelemetry.proto.collector.trace.v1.TraceService';

/** The gRPC path every OTLP/gRPC trace exporter calls. */
export const TRACE_EXPORT_GRPC_PATH = `/${TRACE_SERVICE_NAME}/Export`;

/**
 * How decoded messages look: lowerCamelCase keys (as in OTLP/JSON), 64-bit integers as decimal strings,
 * enums as numbers, `bytes` as Buffers, absent fields left out and repeated fields always arrays.
 */
const packageDefinition = loadSync(TRACE_SERVICE_PROTO, {
  includeDirs: [PROTO_ROOT],
  keepCase: false,
  longs: String,
  defaults: false,
  arrays: true,
});

/** The `TraceService` with its one method, `Export`, ready for `grpc.Server#addService`. */
export const traceServiceDefinition = packageDefinition[TRACE_SERVICE_NAME] as ServiceDefinition;

const exportMethod = traceServiceDefinition['Export'];
if (exportMethod?.path !== TRACE_EXPORT_GRPC_PATH) {
  throw new Error(`otlp-schema: ${TRACE_SERVICE_NAME}/Export is missing from ${TRACE_SERVICE_PROTO}`);
}
const { requestDeserialize, responseSerialize } = exportMethod;

/** The reply a collector sends when every span was accepted: an empty partial success. */
export const FULL_SUCCESS_RESPONSE = { partialSuccess: {} } as const;

/**
 * Decodes a protobuf `ExportTraceServiceRequest` into the shape described above.
 * @throws Error when the bytes are not a valid encoding of the message.
 */
export function decodeTraceRequest(body: Buffer): unknown {
  return requestDeserialize(body);
}

/** Encodes an `ExportTraceServiceResponse` (lowerCamelCase fields) as protobuf. */
export function encodeTraceResponse(response: object): Buffer {
  return responseSerialize(response);
}

/** `google.rpc.Code.INVALID_ARGUMENT`, the code of a malformed export. */
export const RPC_CODE_INVALID_ARGUMENT = 3;

/**
 * Encodes a `google.rpc.Status` (`int32 code = 1; string message = 2`; `details = 3` is never sent) as
 * protobuf, the body an OTLP/HTTP server returns with a 4xx or 5xx status.
 */
export function encodeRpcStatus(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  return Buffer.concat([
    Buffer.from([0x08]), // field 1, varint
    encodeVarint(code),
    Buffer.from([0x12]), // field 2, length-delimited
    encodeVarint(text.length),
    text,
  ]);
}

/** Base-128 varint of a non-negative integer below 2^31. */
function encodeVarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
