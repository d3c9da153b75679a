// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface GetAgentRequest {
  name?: string;
}

export interface GetAgentRequest__Output {
  name: string;
}
