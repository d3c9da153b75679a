// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface GetArtifactRequest {
  id?: string;
}

export interface GetArtifactRequest__Output {
  id: string;
}
