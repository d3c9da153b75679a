// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface HeartbeatRequest {
  name?: string;
}

export interface HeartbeatRequest__Output {
  name: string;
}
