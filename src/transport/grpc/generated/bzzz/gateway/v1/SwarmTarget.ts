// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface SwarmTarget {
  swarmfilePath?: string;
}

export interface SwarmTarget__Output {
  swarmfilePath: string;
}
