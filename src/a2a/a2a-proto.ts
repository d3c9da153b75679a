/**
 * The A2A 1.0 protobuf messages (proto/lf/a2a/v1/a2a.proto) as ProtoJSON codecs, the grpc-js service
 * definition of `lf.a2a.v1.A2AService` built on them, and the `google.rpc.Status` carried in the
 * `grpc-status-details-bin` trailer (proto/google/rpc). The outbound transport
 * (src/remote/grpc-a2a-transport.ts) and the inbound service (src/transport/grpc/a2a-grpc-service.ts) use
 * them; the gateway's own API keeps its proto-loader setup (src/transport/grpc/proto.ts).
 *
 * Why @bufbuild/protobuf and not proto-loader objects: the gateway passes A2A messages around as exact
 * ProtoJSON (Struct/Value as plain JSON, Timestamp as RFC 3339, bytes as base64, enums by name, oneofs by
 * member name, unknown JSON fields ignored). proto-loader and protobufjs objects are their own JS shapes
 * (Struct as `{fields: {…kind…}}`, Timestamp as `{seconds, nanos}`), so each caller would have to convert
 * by hand; bufbuild implements the ProtoJSON mapping itself, including the well-known types.
 *
 * bufbuild cannot parse `.proto` text, so protobufjs parses and resolves the files, and `toFileProto`
 * turns its reflection into `FileDescriptorProto`s. That is done here rather than with
 * `protobufjs/ext/descriptor`, whose export loses `proto3_optional`, the imports, and (with `keepCase`) the
 * map-entry type names, which bufbuild needs to validate the files and to map presence correctly. The
 * well-known types resolve to bufbuild's own embedded descriptors.
 */
import path from 'node:path';

import type * as grpc from '@grpc/grpc-js';
import {
  create,
  createFileRegistry,
  fromBinary,
  fromJson,
  toBinary,
  toJson,
  type DescFile,
  type DescMessage,
  type FileRegistry,
  type JsonValue,
} from '@bufbuild/protobuf';
import {
  anyPack,
  anyUnpack,
  DescriptorProtoSchema,
  EnumDescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FileDescriptorProtoSchema,
  file_google_protobuf_any,
  file_google_protobuf_empty,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  MessageOptionsSchema,
  MethodDescriptorProtoSchema,
  ServiceDescriptorProtoSchema,
  type DescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import protobuf from 'protobufjs';

import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { packageRoot } from '../transport/package-file.js';
import {
  A2A_STREAM_OPERATIONS,
  A2A_UNARY_OPERATIONS,
  isA2AOperation,
  isStreamOperation,
  type A2AOperation,
  type JsonObject,
} from './operations.js';

/** The A2A proto, relative to the proto root. */
export const A2A_PROTO_FILE = 'lf/a2a/v1/a2a.proto';
/** The fully qualified name of the A2A gRPC service. */
export const A2A_GRPC_SERVICE_NAME = 'lf.a2a.v1.A2AService';
/** The trailer that carries a binary `google.rpc.Status` with the error's details. */
export const GRPC_STATUS_DETAILS_KEY = 'grpc-status-details-bin';

const STATUS_PROTO_FILE = 'google/rpc/status.proto';
const ERROR_DETAILS_PROTO_FILE = 'google/rpc/error_details.proto';
const A2A_PACKAGE = 'lf.a2a.v1';

/** The well-known types our protos import, as bufbuild embeds them. */
const WELL_KNOWN_FILES: Readonly<Record<string, DescFile>> = {
  'google/protobuf/any.proto': file_google_protobuf_any,
  'google/protobuf/empty.proto': file_google_protobuf_empty,
  'google/protobuf/struct.proto': file_google_protobuf_struct,
  'google/protobuf/timestamp.proto': file_google_protobuf_timestamp,
};

const SCALAR_TYPES: Readonly<Record<string, FieldDescriptorProto_Type>> = {
  double: FieldDescriptorProto_Type.DOUBLE,
  float: FieldDescriptorProto_Type.FLOAT,
  int64: FieldDescriptorProto_Type.INT64,
  uint64: FieldDescriptorProto_Type.UINT64,
  int32: FieldDescriptorProto_Type.INT32,
  fixed64: FieldDescriptorProto_Type.FIXED64,
  fixed32: FieldDescriptorProto_Type.FIXED32,
  bool: FieldDescriptorProto_Type.BOOL,
  string: FieldDescriptorProto_Type.STRING,
  bytes: FieldDescriptorProto_Type.BYTES,
  uint32: FieldDescriptorProto_Type.UINT32,
  sfixed32: FieldDescriptorProto_Type.SFIXED32,
  sfixed64: FieldDescriptorProto_Type.SFIXED64,
  sint32: FieldDescriptorProto_Type.SINT32,
  sint64: FieldDescriptorProto_Type.SINT64,
};

/** protoc's JSON name: underscores dropped, the letter after each one upper-cased. */
function jsonNameOf(fieldName: string): string {
  return fieldName.replace(/_+([a-zA-Z0-9]?)/g, (_match, next: string) => next.toUpperCase());
}

/** protoc's map entry type name: `security_schemes` → `SecuritySchemesEntry`. */
function mapEntryNameOf(fieldName: string): string {
  const camel = jsonNameOf(fieldName);
  return `${camel.charAt(0).toUpperCase()}${camel.slice(1)}Entry`;
}

/** The type part of a field descriptor: a scalar, or a reference to a message or enum by full name. */
function fieldType(
  typeName: string,
  resolved: protobuf.Type | protobuf.Enum | null,
): Partial<Pick<FieldDescriptorProto, 'type' | 'typeName'>> {
  if (resolved instanceof protobuf.Type)
    return { type: FieldDescriptorProto_Type.MESSAGE, typeName: resolved.fullName };
  if (resolved instanceof protobuf.Enum)
    return { type: FieldDescriptorProto_Type.ENUM, typeName: resolved.fullName };
  const scalar = SCALAR_TYPES[typeName];
  if (scalar === undefined) throw new Error(`unresolved proto type '${typeName}'`);
  return { type: scalar };
}

function toMessageProto(type: protobuf.Type): DescriptorProto {
  // Real oneofs first: protoc puts the synthetic oneofs of proto3 `optional` fields last.
  const isSynthetic = (oneof: protobuf.OneOf): boolean =>
    oneof.fieldsArray.length === 1 && oneof.fieldsArray[0]?.options?.['proto3_optional'] === true;
  const oneofs = [
    ...type.oneofsArray.filter((oneof) => !isSynthetic(oneof)),
    ...type.oneofsArray.filter(isSynthetic),
  ];
  const message = create(DescriptorProtoSchema, {
    name: type.name,
    oneofDecl: oneofs.map((oneof) => ({ name: oneof.name })),
  });
  for (const field of type.fieldsArray) {
    const base = { name: field.name, number: field.id, jsonName: jsonNameOf(field.name) };
    if (field instanceof protobuf.MapField) {
      const entryName = mapEntryNameOf(field.name);
      message.nestedType.push(
        create(DescriptorProtoSchema, {
          name: entryName,
          options: create(MessageOptionsSchema, { mapEntry: true }),
          field: [
            {
              name: 'key',
              number: 1,
              jsonName: 'key',
              label: FieldDescriptorProto_Label.OPTIONAL,
              ...fieldType(field.keyType, null),
            },
            {
              name: 'value',
              number: 2,
              jsonName: 'value',
              label: FieldDescriptorProto_Label.OPTIONAL,
              ...fieldType(field.type, field.resolvedType),
            },
          ].map((entryField) => create(FieldDescriptorProtoSchema, entryField)),
        }),
      );
      message.field.push(
        create(FieldDescriptorProtoSchema, {
          ...base,
          label: FieldDescriptorProto_Label.REPEATED,
          type: FieldDescriptorProto_Type.MESSAGE,
          typeName: `${type.fullName}.${entryName}`,
        }),
      );
      continue;
    }
    const oneofIndex = field.partOf === null ? -1 : oneofs.indexOf(field.partOf);
    message.field.push(
      create(FieldDescriptorProtoSchema, {
        ...base,
        label: field.repeated ? FieldDescriptorProto_Label.REPEATED : FieldDescriptorProto_Label.OPTIONAL,
        ...fieldType(field.type, field.resolvedType),
        ...(oneofIndex >= 0 && { oneofIndex }),
        ...(field.options?.['proto3_optional'] === true && { proto3Optional: true }),
      }),
    );
  }
  return message;
}

/** One `.proto` file of `root` (already resolved) as a `FileDescriptorProto`. */
function toFileProto(root: protobuf.Root, file: string, absolutePath: string): FileDescriptorProto {
  const own = (object: protobuf.ReflectionObject): boolean => object.filename === absolutePath;
  const namespaces: protobuf.Namespace[] = [];
  const collect = (namespace: protobuf.Namespace): void => {
    if (namespace.nestedArray.some(own)) namespaces.push(namespace);
    for (const nested of namespace.nestedArray) {
      if (nested instanceof protobuf.Namespace && !(nested instanceof protobuf.Type)) collect(nested);
    }
  };
  collect(root);
  const [namespace, ...others] = namespaces;
  if (namespace === undefined || others.length > 0) throw new Error(`${file} must declare one package`);
  const members = namespace.nestedArray.filter(own);
  const messages = members.filter((member) => member instanceof protobuf.Type);
  // Our protos import only well-known types, which protobufjs declares without a file name.
  const referenced = new Set<string>();
  const reference = (resolved: protobuf.ReflectionObject | null): void => {
    if (resolved !== null && resolved.filename !== absolutePath)
      referenced.add(wellKnownFileOf(resolved.fullName));
  };
  for (const message of messages) {
    for (const field of message.fieldsArray) reference(field.resolvedType);
  }
  for (const service of members.filter((member) => member instanceof protobuf.Service)) {
    for (const method of service.methodsArray) {
      reference(method.resolvedRequestType);
      reference(method.resolvedResponseType);
    }
  }
  return create(FileDescriptorProtoSchema, {
    name: file,
    package: namespace.fullName.slice(1),
    syntax: 'proto3',
    dependency: [...referenced].sort(),
    messageType: messages.map(toMessageProto),
    enumType: members
      .filter((member) => member instanceof protobuf.Enum)
      .map((enumType) =>
        create(EnumDescriptorProtoSchema, {
          name: enumType.name,
          value: Object.entries(enumType.values).map(([name, number]) => ({ name, number })),
        }),
      ),
    service: members
      .filter((member) => member instanceof protobuf.Service)
      .map((service) =>
        create(ServiceDescriptorProtoSchema, {
          name: service.name,
          method: service.methodsArray.map((method) =>
            create(MethodDescriptorProtoSchema, {
              name: method.name,
              inputType: method.resolvedRequestType?.fullName ?? '',
              outputType: method.resolvedResponseType?.fullName ?? '',
              serverStreaming: method.responseStream === true,
              clientStreaming: method.requestStream === true,
            }),
          ),
        }),
      ),
  });
}

/** The well-known file that declares `.google.protobuf.X`. */
function wellKnownFileOf(fullName: string): string {
  for (const [file, desc] of Object.entries(WELL_KNOWN_FILES)) {
    if (desc.messages.some((message) => `.${message.typeName}` === fullName)) return file;
  }
  throw new Error(`type ${fullName} is neither ours nor a known well-known type`);
}

/** Parses our protos with protobufjs and registers them with bufbuild, once per process. */
function loadRegistry(): FileRegistry {
  const protoDir = path.join(packageRoot(`proto/${A2A_PROTO_FILE}`), 'proto');
  const files = [A2A_PROTO_FILE, STATUS_PROTO_FILE, ERROR_DETAILS_PROTO_FILE];
  const root = new protobuf.Root();
  // protobufjs serves google/protobuf/* from its bundled copies whatever directory is asked for.
  root.resolvePath = (_origin, target) => path.join(protoDir, target);
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  const registries = files.map((file) =>
    createFileRegistry(
      toFileProto(root, file, path.join(protoDir, file)),
      (imported) => WELL_KNOWN_FILES[imported],
    ),
  );
  return createFileRegistry(...registries);
}

const registry = loadRegistry();

function messageDesc(typeName: string): DescMessage {
  const desc = registry.getMessage(typeName);
  if (desc === undefined) throw new Error(`${typeName} is not in the A2A protos`);
  return desc;
}

/** Converts one A2A message between its ProtoJSON form and protobuf binary. */
export interface A2AMessageCodec {
  /** The fully qualified message name, e.g. `lf.a2a.v1.Task`. */
  readonly typeName: string;
  /**
   * ProtoJSON → binary. Unknown JSON fields and enum names are ignored (ProtoJSON's `ignore unknown
   * fields`, so newer peers' additions pass), `undefined` members as in JSON.
   * @throws GatewayError INVALID_ARGUMENT when `json` is not valid ProtoJSON for the type.
   */
  encode(json: JsonObject): Uint8Array;
  /**
   * Binary → ProtoJSON (enums by name, no default values).
   * @throws Error when `bytes` are not a valid encoding of the type.
   */
  decode(bytes: Uint8Array): JsonObject;
}

/** `value` as JSON would carry it: object members that are `undefined` dropped, array holes null. */
function asJson(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : asJson(item)));
  if (typeof value !== 'object' || value === null) return value as JsonValue;
  const members = Object.entries(value).filter(([, member]) => member !== undefined);
  return Object.fromEntries(members.map(([key, member]) => [key, asJson(member)]));
}

function codecFor(desc: DescMessage): A2AMessageCodec {
  return {
    typeName: desc.typeName,
    encode(json) {
      let message;
      try {
        message = fromJson(desc, asJson(json), { ignoreUnknownFields: true });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new GatewayError(ErrorCode.INVALID_ARGUMENT, `invalid ${desc.name}: ${reason}`, {
          details: { field: desc.typeName, reason },
          cause: error,
        });
      }
      return toBinary(desc, message);
    },
    decode(bytes) {
      return toJson(desc, fromBinary(desc, bytes), { registry }) as JsonObject;
    },
  };
}

const codecs = new Map<string, A2AMessageCodec>();

/**
 * The codec of one message type, by its short name in `lf.a2a.v1` (`Task`, `StreamResponse`, …) or its
 * fully qualified name (`google.protobuf.Empty`).
 * @throws Error when the type does not exist.
 */
export function a2aCodec(typeName: string): A2AMessageCodec {
  const fullName = typeName.includes('.') ? typeName : `${A2A_PACKAGE}.${typeName}`;
  let codec = codecs.get(fullName);
  if (codec === undefined) {
    codec = codecFor(messageDesc(fullName));
    codecs.set(fullName, codec);
  }
  return codec;
}

/** A method of `A2A_GRPC_SERVICE`: requests and responses are ProtoJSON objects. */
export type A2AMethodDefinition = grpc.MethodDefinition<JsonObject, JsonObject>;

/** The codecs of one operation's request and response. */
export interface A2AOperationCodecs {
  readonly request: A2AMessageCodec;
  readonly response: A2AMessageCodec;
}

function buildService(): {
  definition: Record<A2AOperation, A2AMethodDefinition>;
  codecs: Record<A2AOperation, A2AOperationCodecs>;
} {
  const service = registry.getService(A2A_GRPC_SERVICE_NAME);
  if (service === undefined) throw new Error(`${A2A_GRPC_SERVICE_NAME} is not in ${A2A_PROTO_FILE}`);
  const definition: Partial<Record<A2AOperation, A2AMethodDefinition>> = {};
  const operationCodecs: Partial<Record<A2AOperation, A2AOperationCodecs>> = {};
  for (const method of service.methods) {
    const operation = method.name;
    const streaming = method.methodKind === 'server_streaming';
    if (!isA2AOperation(operation) || isStreamOperation(operation) !== streaming)
      throw new Error(`unexpected RPC ${operation} in ${A2A_PROTO_FILE}`);
    const request = a2aCodec(method.input.typeName);
    const response = a2aCodec(method.output.typeName);
    const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    definition[operation] = {
      path: `/${A2A_GRPC_SERVICE_NAME}/${operation}`,
      originalName: operation,
      requestStream: false,
      responseStream: streaming,
      requestSerialize: (value) => toBuffer(request.encode(value)),
      requestDeserialize: (bytes) => request.decode(bytes),
      responseSerialize: (value) => toBuffer(response.encode(value)),
      responseDeserialize: (bytes) => response.decode(bytes),
    };
    operationCodecs[operation] = { request, response };
  }
  const absent = [...A2A_UNARY_OPERATIONS, ...A2A_STREAM_OPERATIONS].filter((op) => !(op in definition));
  if (absent.length > 0) throw new Error(`${A2A_PROTO_FILE} lacks ${absent.join(', ')}`);
  return {
    definition: definition as Record<A2AOperation, A2AMethodDefinition>,
    codecs: operationCodecs as Record<A2AOperation, A2AOperationCodecs>,
  };
}

const built = buildService();

/**
 * The grpc-js definition of `lf.a2a.v1.A2AService`, keyed by operation name. Its (de)serializers convert
 * between protobuf binary and ProtoJSON, so handlers and clients see ProtoJSON objects; a request that
 * cannot be encoded throws `GatewayError` INVALID_ARGUMENT.
 */
export const A2A_GRPC_SERVICE: Readonly<Record<A2AOperation, A2AMethodDefinition>> & grpc.ServiceDefinition =
  built.definition;

/** The request and response codecs of an operation. */
export function a2aOperationCodecs(operation: A2AOperation): A2AOperationCodecs {
  return built.codecs[operation];
}

/** A `google.rpc.Status` whose details hold (at most) the `google.rpc.ErrorInfo` of an A2A error. */
export interface GrpcStatusDetails {
  readonly code: number;
  readonly message: string;
  readonly errorInfo?: {
    readonly reason: string;
    readonly domain: string;
    readonly metadata?: Readonly<Record<string, string>>;
  };
}

const STATUS_DESC = messageDesc('google.rpc.Status');
const ERROR_INFO_DESC = messageDesc('google.rpc.ErrorInfo');

/** The binary `google.rpc.Status` of `grpc-status-details-bin`. */
export function encodeGrpcStatusDetails(status: GrpcStatusDetails): Buffer {
  const details = [];
  if (status.errorInfo !== undefined) {
    const { reason, domain, metadata } = status.errorInfo;
    const errorInfo = fromJson(ERROR_INFO_DESC, { reason, domain, ...(metadata && { metadata }) });
    details.push(anyPack(ERROR_INFO_DESC, errorInfo));
  }
  const message = fromJson(STATUS_DESC, { code: status.code, message: status.message });
  (message as unknown as { details: unknown[] }).details = details;
  return Buffer.from(toBinary(STATUS_DESC, message));
}

/**
 * Reads a `grpc-status-details-bin` value; `errorInfo` is the first `ErrorInfo` among the details.
 * @throws Error when the bytes are not a `google.rpc.Status`.
 */
export function decodeGrpcStatusDetails(bytes: Uint8Array): GrpcStatusDetails {
  const status = fromBinary(STATUS_DESC, bytes) as unknown as {
    code: number;
    message: string;
    details: Parameters<typeof anyUnpack>[0][];
  };
  for (const detail of status.details) {
    const unpacked = anyUnpack(detail, ERROR_INFO_DESC) as
      { reason: string; domain: string; metadata: Record<string, string> } | undefined;
    if (unpacked === undefined) continue;
    const { reason, domain, metadata } = unpacked;
    return {
      code: status.code,
      message: status.message,
      errorInfo: { reason, domain, ...(Object.keys(metadata).length > 0 && { metadata }) },
    };
  }
  return { code: status.code, message: status.message };
}
