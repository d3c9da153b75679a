/**
 * Turns one decoded `ExportTraceServiceRequest` (from OTLP/JSON, or from protobuf via `otlp-schema.ts`)
 * into flat, protocol-independent {@link ReceivedSpan}s, and rejects what a collector would reject.
 * It owns the normalised span types. Servers and waiting live in `../otlp-receiver.ts`.
 *
 * Both encodings arrive as lowerCamelCase objects; they differ only in how `bytes` and 64-bit integers
 * look. OTLP/JSON carries trace and span ids as hex strings, other `bytes` as base64, 64-bit integers
 * as strings or numbers and enums as integers. Like the Collector, we also accept the original
 * snake_case field names and enum value names (`SPAN_KIND_SERVER`), which the proto3 JSON mapping allows.
 */

/** How a span reached the receiver; the values of `OTEL_EXPORTER_OTLP_PROTOCOL`. */
export const OTLP_PROTOCOL = {
  httpJson: 'http/json',
  httpProtobuf: 'http/protobuf',
  grpc: 'grpc',
} as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOL)[keyof typeof OTLP_PROTOCOL];

/** `Span.SpanKind` names, indexed by their OTLP number. */
export const SPAN_KIND_NAMES = [
  'UNSPECIFIED',
  'INTERNAL',
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
] as const;
export type SpanKindName = (typeof SPAN_KIND_NAMES)[number];

/** `Status.StatusCode` names, indexed by their OTLP number. */
export const STATUS_CODE_NAMES = ['UNSET', 'OK', 'ERROR'] as const;
export type StatusCodeName = (typeof STATUS_CODE_NAMES)[number];

/**
 * A decoded `AnyValue`: `int_value` and `double_value` both become numbers, `bytes_value` a Uint8Array,
 * `kvlist_value` a plain object, and an empty AnyValue `null`.
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | Uint8Array
  | null
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue };

/** Attributes keyed by name; on a duplicated key the last one wins. */
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** A span event. */
export interface ReceivedEvent {
  readonly name: string;
  readonly timeUnixNano: bigint;
  readonly attributes: Attributes;
}

/** A span link. */
export interface ReceivedLink {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  readonly traceState: string;
  readonly attributes: Attributes;
}

/** One received span, the same whichever protocol delivered it. */
export interface ReceivedSpan {
  readonly protocol: OtlpProtocol;
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** 16 lowercase hex digits. */
  readonly spanId: string;
  /** 16 lowercase hex digits, or `undefined` for a root span. */
  readonly parentSpanId: string | undefined;
  readonly traceState: string;
  /** The raw `flags` field: W3C trace flags in the low 8 bits, is-remote bits 8 and 9; 0 when absent. */
  readonly flags: number;
  readonly name: string;
  readonly kind: SpanKindName;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Attributes;
  readonly events: readonly ReceivedEvent[];
  readonly links: readonly ReceivedLink[];
  readonly status: { readonly code: StatusCodeName; readonly message: string };
  /** The attributes of the span's resource, e.g. `service.name`. */
  readonly resource: Attributes;
  /** The instrumentation scope (the tracer's name and version). */
  readonly scope: { readonly name: string; readonly version: string };
}

/** The request could not be understood; a collector answers HTTP 400 / gRPC INVALID_ARGUMENT. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

/** Which wire form the decoded request came from; decides how ids, `bytes` and 64-bit integers look. */
export type DecodedEncoding = 'json' | 'protobuf';

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
const HEX = /^[0-9a-fA-F]*$/;

/**
 * Flattens a decoded `ExportTraceServiceRequest` into spans, in the order they were sent.
 * @throws OtlpDecodeError when a field has the wrong type, an id the wrong length, or an enum an unknown value.
 */
export function normaliseTraceRequest(
  request: unknown,
  encoding: DecodedEncoding,
  protocol: OtlpProtocol,
): ReceivedSpan[] {
  const read = new Reader(encoding);
  const spans: ReceivedSpan[] = [];
  const root = read.record(request, 'request');
  read.array(field(root, 'resourceSpans', 'resource_spans'), 'resourceSpans').forEach((rs, i) => {
    const resourceSpans = read.record(rs, `resourceSpans[${i}]`);
    const resourceAt = `resourceSpans[${i}].resource`;
    const resource = read.attributes(
      field(read.record(field(resourceSpans, 'resource'), resourceAt), 'attributes'),
      `${resourceAt}.attributes`,
    );
    read
      .array(field(resourceSpans, 'scopeSpans', 'scope_spans'), `resourceSpans[${i}].scopeSpans`)
      .forEach((ss, j) => {
        const scopeAt = `resourceSpans[${i}].scopeSpans[${j}]`;
        const scopeSpans = read.record(ss, scopeAt);
        const scopeRecord = read.record(field(scopeSpans, 'scope'), `${scopeAt}.scope`);
        const scope = {
          name: read.string(field(scopeRecord, 'name'), `${scopeAt}.scope.name`),
          version: read.string(field(scopeRecord, 'version'), `${scopeAt}.scope.version`),
        };
        read.array(field(scopeSpans, 'spans'), `${scopeAt}.spans`).forEach((s, k) => {
          spans.push({ ...read.span(s, `${scopeAt}.spans[${k}]`), protocol, resource, scope });
        });
      });
  });
  return spans;
}

/** The value under the lowerCamelCase name, or else under the original snake_case name. */
function field(record: Readonly<Record<string, unknown>>, camel: string, snake?: string): unknown {
  const value = record[camel];
  return value === undefined && snake !== undefined ? record[snake] : value;
}

/** Reads fields of one encoding; every method names the path of what it rejects. */
class Reader {
  constructor(private readonly encoding: DecodedEncoding) {}

  span(value: unknown, at: string): Omit<ReceivedSpan, 'protocol' | 'resource' | 'scope'> {
    const span = this.record(value, at);
    const status = this.record(field(span, 'status'), `${at}.status`);
    return {
      traceId: this.id(field(span, 'traceId', 'trace_id'), TRACE_ID_BYTES, `${at}.traceId`),
      spanId: this.id(field(span, 'spanId', 'span_id'), SPAN_ID_BYTES, `${at}.spanId`),
      parentSpanId: this.optionalId(field(span, 'parentSpanId', 'parent_span_id'), `${at}.parentSpanId`),
      traceState: this.string(field(span, 'traceState', 'trace_state'), `${at}.traceState`),
      flags: this.uint32(field(span, 'flags'), `${at}.flags`),
      name: this.string(field(span, 'name'), `${at}.name`),
      kind: this.enumName(field(span, 'kind'), SPAN_KIND_NAMES, 'SPAN_KIND_', `${at}.kind`),
      startTimeUnixNano: this.uint64(field(span, 'startTimeUnixNano', 'start_time_unix_nano'), `${at}.start`),
      endTimeUnixNano: this.uint64(field(span, 'endTimeUnixNano', 'end_time_unix_nano'), `${at}.end`),
      attributes: this.attributes(field(span, 'attributes'), `${at}.attributes`),
      events: this.array(field(span, 'events'), `${at}.events`).map((e, i) =>
        this.event(e, `${at}.events[${i}]`),
      ),
      links: this.array(field(span, 'links'), `${at}.links`).map((l, i) => this.link(l, `${at}.links[${i}]`)),
      status: {
        code: this.enumName(field(status, 'code'), STATUS_CODE_NAMES, 'STATUS_CODE_', `${at}.status.code`),
        message: this.string(field(status, 'message'), `${at}.status.message`),
      },
    };
  }

  event(value: unknown, at: string): ReceivedEvent {
    const event = this.record(value, at);
    return {
      name: this.string(field(event, 'name'), `${at}.name`),
      timeUnixNano: this.uint64(field(event, 'timeUnixNano', 'time_unix_nano'), `${at}.timeUnixNano`),
      attributes: this.attributes(field(event, 'attributes'), `${at}.attributes`),
    };
  }

  link(value: unknown, at: string): ReceivedLink {
    const link = this.record(value, at);
    return {
      traceId: this.id(field(link, 'traceId', 'trace_id'), TRACE_ID_BYTES, `${at}.traceId`),
      spanId: this.id(field(link, 'spanId', 'span_id'), SPAN_ID_BYTES, `${at}.spanId`),
      traceState: this.string(field(link, 'traceState', 'trace_state'), `${at}.traceState`),
      attributes: this.attributes(field(link, 'attributes'), `${at}.attributes`),
    };
  }

  /** A `repeated KeyValue` as a plain object. */
  attributes(value: unknown, at: string): Attributes {
    const result: Record<string, AttributeValue> = {};
    this.array(value, at).forEach((kv, i) => {
      const keyValue = this.record(kv, `${at}[${i}]`);
      const key = this.string(field(keyValue, 'key'), `${at}[${i}].key`);
      result[key] = this.anyValue(field(keyValue, 'value'), `${at}[${i}].value`);
    });
    return result;
  }

  anyValue(value: unknown, at: string): AttributeValue {
    const any = this.record(value, at);
    const stringValue = field(any, 'stringValue', 'string_value');
    if (stringValue !== undefined) return this.string(stringValue, `${at}.stringValue`);
    const boolValue = field(any, 'boolValue', 'bool_value');
    if (boolValue !== undefined) {
      if (typeof boolValue !== 'boolean') throw new OtlpDecodeError(`${at}.boolValue is not a boolean`);
      return boolValue;
    }
    const intValue = field(any, 'intValue', 'int_value');
    if (intValue !== undefined) return Number(this.int64(intValue, `${at}.intValue`));
    const doubleValue = field(any, 'doubleValue', 'double_value');
    if (doubleValue !== undefined) return this.double(doubleValue, `${at}.doubleValue`);
    const arrayValue = field(any, 'arrayValue', 'array_value');
    if (arrayValue !== undefined) {
      const values = field(this.record(arrayValue, `${at}.arrayValue`), 'values');
      return this.array(values, `${at}.arrayValue.values`).map((v, i) =>
        this.anyValue(v, `${at}.arrayValue.values[${i}]`),
      );
    }
    const kvlistValue = field(any, 'kvlistValue', 'kvlist_value');
    if (kvlistValue !== undefined) {
      const values = field(this.record(kvlistValue, `${at}.kvlistValue`), 'values');
      return this.attributes(values, `${at}.kvlistValue.values`);
    }
    const bytesValue = field(any, 'bytesValue', 'bytes_value');
    if (bytesValue !== undefined) return new Uint8Array(this.bytes(bytesValue, 'base64', `${at}.bytesValue`));
    return null;
  }

  /** A required id of `size` bytes, as lowercase hex. */
  id(value: unknown, size: number, at: string): string {
    const bytes = this.bytes(value, 'hex', at);
    if (bytes.length !== size) throw new OtlpDecodeError(`${at} must be ${size} bytes, got ${bytes.length}`);
    return bytes.toString('hex');
  }

  /** A parent span id: empty means none. */
  optionalId(value: unknown, at: string): string | undefined {
    const bytes = this.bytes(value, 'hex', at);
    if (bytes.length === 0) return undefined;
    if (bytes.length !== SPAN_ID_BYTES) {
      throw new OtlpDecodeError(`${at} must be empty or ${SPAN_ID_BYTES} bytes, got ${bytes.length}`);
    }
    return bytes.toString('hex');
  }

  /** A `bytes` field: a Buffer from protobuf; in JSON, ids are hex and everything else base64. */
  bytes(value: unknown, jsonForm: 'hex' | 'base64', at: string): Buffer {
    if (value === undefined || value === null) return Buffer.alloc(0);
    if (this.encoding === 'protobuf' && value instanceof Uint8Array) return Buffer.from(value);
    if (this.encoding === 'json' && typeof value === 'string') {
      if (jsonForm === 'hex' && (value.length % 2 !== 0 || !HEX.test(value))) {
        throw new OtlpDecodeError(`${at} is not a hex string: ${JSON.stringify(value)}`);
      }
      return Buffer.from(value, jsonForm);
    }
    throw new OtlpDecodeError(`${at} is not ${this.encoding === 'json' ? `a ${jsonForm} string` : 'bytes'}`);
  }

  /** An enum given as its number, or (JSON) as its full or short name. */
  enumName<Name extends string>(value: unknown, names: readonly Name[], prefix: string, at: string): Name {
    if (value === undefined || value === null) return names[0] as Name;
    if (typeof value === 'number' && Number.isInteger(value) && names[value] !== undefined) {
      return names[value];
    }
    if (this.encoding === 'json' && typeof value === 'string') {
      const short = value.startsWith(prefix) ? value.slice(prefix.length) : value;
      const name = names.find((n) => n === short);
      if (name !== undefined) return name;
    }
    throw new OtlpDecodeError(`${at} is not a known value: ${JSON.stringify(value)}`);
  }

  /** An unsigned 64-bit integer (fixed64 times): decimal string or, in JSON, also a number. */
  uint64(value: unknown, at: string): bigint {
    const n = this.int64(value, at);
    if (n < 0n || n >= 2n ** 64n) throw new OtlpDecodeError(`${at} is out of range for uint64`);
    return n;
  }

  /** A 64-bit integer: decimal string (protobuf via proto-loader, and JSON) or, in JSON, a number. */
  int64(value: unknown, at: string): bigint {
    if (value === undefined || value === null) return 0n;
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
    if (this.encoding === 'json' && typeof value === 'number' && Number.isSafeInteger(value)) {
      return BigInt(value);
    }
    throw new OtlpDecodeError(`${at} is not a 64-bit integer: ${JSON.stringify(value)}`);
  }

  uint32(value: unknown, at: string): number {
    if (value === undefined || value === null) return 0;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff)
      return value;
    throw new OtlpDecodeError(`${at} is not a uint32: ${JSON.stringify(value)}`);
  }

  /** A double; JSON may also spell it as a string, e.g. "NaN" or "Infinity". */
  double(value: unknown, at: string): number {
    if (typeof value === 'number') return value;
    if (this.encoding === 'json' && typeof value === 'string' && value.trim() !== '') {
      const n = Number(value);
      if (!Number.isNaN(n) || value === 'NaN') return n;
    }
    throw new OtlpDecodeError(`${at} is not a double: ${JSON.stringify(value)}`);
  }

  string(value: unknown, at: string): string {
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    throw new OtlpDecodeError(`${at} is not a string`);
  }

  record(value: unknown, at: string): Readonly<Record<string, unknown>> {
    if (value === undefined || value === null) return {};
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    throw new OtlpDecodeError(`${at} is not an object`);
  }

  array(value: unknown, at: string): readonly unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value as unknown[];
    throw new OtlpDecodeError(`${at} is not an array`);
  }
}
