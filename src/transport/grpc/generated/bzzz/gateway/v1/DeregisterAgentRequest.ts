// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface DeregisterAgentRequest {
  name?: string;
}

export interface DeregisterAgentRequest__Output {
  name: string;
}
