// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface AgentTarget {
  name?: string;
}

export interface AgentTarget__Output {
  name: string;
}
