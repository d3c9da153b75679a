// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface DeregisterAgentResponse {}

export interface DeregisterAgentResponse__Output {}
