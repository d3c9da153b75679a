// Original file: proto/bzzz/gateway/v1/gateway.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  Artifact as _bzzz_gateway_v1_Artifact,
  Artifact__Output as _bzzz_gateway_v1_Artifact__Output,
} from '../../../bzzz/gateway/v1/Artifact.js';
import type {
  ArtifactChunk as _bzzz_gateway_v1_ArtifactChunk,
  ArtifactChunk__Output as _bzzz_gateway_v1_ArtifactChunk__Output,
} from '../../../bzzz/gateway/v1/ArtifactChunk.js';
import type {
  GetArtifactRequest as _bzzz_gateway_v1_GetArtifactRequest,
  GetArtifactRequest__Output as _bzzz_gateway_v1_GetArtifactRequest__Output,
} from '../../../bzzz/gateway/v1/GetArtifactRequest.js';
import type {
  ReadArtifactRequest as _bzzz_gateway_v1_ReadArtifactRequest,
  ReadArtifactRequest__Output as _bzzz_gateway_v1_ReadArtifactRequest__Output,
} from '../../../bzzz/gateway/v1/ReadArtifactRequest.js';

export interface ArtifactServiceClient extends grpc.Client {
  GetArtifact(
    argument: _bzzz_gateway_v1_GetArtifactRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Artifact__Output>,
  ): grpc.ClientUnaryCall;
  GetArtifact(
    argument: _bzzz_gateway_v1_GetArtifactRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Artifact__Output>,
  ): grpc.ClientUnaryCall;
  GetArtifact(
    argument: _bzzz_gateway_v1_GetArtifactRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Artifact__Output>,
  ): grpc.ClientUnaryCall;
  GetArtifact(
    argument: _bzzz_gateway_v1_GetArtifactRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Artifact__Output>,
  ): grpc.ClientUnaryCall;
  getArtifact(
    argument: _bzzz_gateway_v1_GetArtifactRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Artifact__Output>,
  ): grpc.ClientUnaryCall;
  getArtifact(
    argument: _bzzz_gateway_v1_GetArtifactRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Artifact__Output>,
  ): grpc.ClientUnaryCall;
  getArtifact(
    argument: _bzzz_gateway_v1_GetArtifactRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Artifact__Output>,
  ): grpc.ClientUnaryCall;
  getArtifact(
    argument: _bzzz_gateway_v1_GetArtifactRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Artifact__Output>,
  ): grpc.ClientUnaryCall;

  ReadArtifact(
    argument: _bzzz_gateway_v1_ReadArtifactRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_bzzz_gateway_v1_ArtifactChunk__Output>;
  ReadArtifact(
    argument: _bzzz_gateway_v1_ReadArtifactRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_bzzz_gateway_v1_ArtifactChunk__Output>;
  readArtifact(
    argument: _bzzz_gateway_v1_ReadArtifactRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_bzzz_gateway_v1_ArtifactChunk__Output>;
  readArtifact(
    argument: _bzzz_gateway_v1_ReadArtifactRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_bzzz_gateway_v1_ArtifactChunk__Output>;
}

export interface ArtifactServiceHandlers extends grpc.UntypedServiceImplementation {
  GetArtifact: grpc.handleUnaryCall<_bzzz_gateway_v1_GetArtifactRequest__Output, _bzzz_gateway_v1_Artifact>;

  ReadArtifact: grpc.handleServerStreamingCall<
    _bzzz_gateway_v1_ReadArtifactRequest__Output,
    _bzzz_gateway_v1_ArtifactChunk
  >;
}

export interface ArtifactServiceDefinition extends grpc.ServiceDefinition {
  GetArtifact: MethodDefinition<
    _bzzz_gateway_v1_GetArtifactRequest,
    _bzzz_gateway_v1_Artifact,
    _bzzz_gateway_v1_GetArtifactRequest__Output,
    _bzzz_gateway_v1_Artifact__Output
  >;
  ReadArtifact: MethodDefinition<
    _bzzz_gateway_v1_ReadArtifactRequest,
    _bzzz_gateway_v1_ArtifactChunk,
    _bzzz_gateway_v1_ReadArtifactRequest__Output,
    _bzzz_gateway_v1_ArtifactChunk__Output
  >;
}
