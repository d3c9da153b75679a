// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  ArtifactStorage as _bzzz_gateway_v1_ArtifactStorage,
  ArtifactStorage__Output as _bzzz_gateway_v1_ArtifactStorage__Output,
} from '../../../bzzz/gateway/v1/ArtifactStorage.js';
import type {
  Checksum as _bzzz_gateway_v1_Checksum,
  Checksum__Output as _bzzz_gateway_v1_Checksum__Output,
} from '../../../bzzz/gateway/v1/Checksum.js';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

export interface Artifact {
  id?: string;
  tenant?: string;
  name?: string;
  contentType?: string;
  size?: number | string | Long;
  storage?: _bzzz_gateway_v1_ArtifactStorage;
  checksum?: _bzzz_gateway_v1_Checksum | null;
  createdAt?: _google_protobuf_Timestamp | null;
  sourceRunId?: string;
  sourceStepId?: string;
  remoteArtifactId?: string;
}

export interface Artifact__Output {
  id: string;
  tenant: string;
  name: string;
  contentType: string;
  size: string;
  storage: _bzzz_gateway_v1_ArtifactStorage__Output;
  checksum: _bzzz_gateway_v1_Checksum__Output | null;
  createdAt: _google_protobuf_Timestamp__Output | null;
  sourceRunId: string;
  sourceStepId: string;
  remoteArtifactId: string;
}
