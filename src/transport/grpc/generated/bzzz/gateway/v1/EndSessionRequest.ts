// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface EndSessionRequest {
  id?: string;
}

export interface EndSessionRequest__Output {
  id: string;
}
