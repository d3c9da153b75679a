// Original file: proto/bzzz/gateway/v1/gateway.proto

import type { Long } from '@grpc/proto-loader';

export interface ArtifactChunk {
  data?: Buffer | Uint8Array | string;
  offset?: number | string | Long;
}

export interface ArtifactChunk__Output {
  data: Buffer;
  offset: string;
}
