// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface AgentEndpoint {
  url?: string;
  protocolBinding?: string;
  protocolVersion?: string;
  tenant?: string;
}

export interface AgentEndpoint__Output {
  url: string;
  protocolBinding: string;
  protocolVersion: string;
  tenant: string;
}
