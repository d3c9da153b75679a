// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface ReadArtifactRequest {
  id?: string;
}

export interface ReadArtifactRequest__Output {
  id: string;
}
