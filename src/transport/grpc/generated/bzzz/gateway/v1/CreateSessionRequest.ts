// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface CreateSessionRequest {
  name?: string;
}

export interface CreateSessionRequest__Output {
  name: string;
}
