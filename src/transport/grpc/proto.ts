/**
 * Loads the gateway's own protos (proto/bzzz/gateway/v1) at runtime with @grpc/proto-loader, with the one
 * set of loader options that the server, the client, the CLI and the generated types
 * (src/transport/grpc/generated, produced by proto-loader-gen-types with the same flags) all share.
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { packageRoot } from '../package-file.js';
import type { ProtoGrpcType } from './generated/gateway.js';

/** The proto-loader options used everywhere; `proto-loader-gen-types` runs with the same flags. */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies protoLoader.Options;

/** The gateway proto, relative to the proto root. */
export const GATEWAY_PROTO_FILE = 'bzzz/gateway/v1/gateway.proto';

/** Fully qualified names of the gateway's services, as the health and reflection services list them. */
export const GATEWAY_SERVICE_NAMES = [
  'bzzz.gateway.v1.RunService',
  'bzzz.gateway.v1.SessionService',
  'bzzz.gateway.v1.AgentRegistryService',
  'bzzz.gateway.v1.ArtifactService',
] as const;

/** The `proto/` directory of the package. */
export function protoRoot(): string {
  return path.join(packageRoot(`proto/${GATEWAY_PROTO_FILE}`), 'proto');
}

/**
 * The package definition of the gateway protos. The google/protobuf well-known types resolve through
 * protobufjs' bundled copies; `includeDirs` makes imports relative to the proto root.
 */
export function loadGatewayPackageDefinition(): protoLoader.PackageDefinition {
  const root = protoRoot();
  return protoLoader.loadSync(GATEWAY_PROTO_FILE, { ...PROTO_LOADER_OPTIONS, includeDirs: [root] });
}

/** The gateway protos as grpc-js service constructors and definitions. */
export function loadGatewayProto(
  definition: protoLoader.PackageDefinition = loadGatewayPackageDefinition(),
): ProtoGrpcType['bzzz']['gateway']['v1'] {
  const loaded = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
  return loaded.bzzz.gateway.v1;
}
