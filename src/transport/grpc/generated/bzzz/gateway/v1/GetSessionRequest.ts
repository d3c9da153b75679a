// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface GetSessionRequest {
  id?: string;
}

export interface GetSessionRequest__Output {
  id: string;
}
