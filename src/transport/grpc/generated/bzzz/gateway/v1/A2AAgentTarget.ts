// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface A2AAgentTarget {
  url?: string;
}

export interface A2AAgentTarget__Output {
  url: string;
}
