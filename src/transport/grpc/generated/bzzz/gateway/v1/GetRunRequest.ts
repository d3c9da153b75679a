// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface GetRunRequest {
  id?: string;
}

export interface GetRunRequest__Output {
  id: string;
}
