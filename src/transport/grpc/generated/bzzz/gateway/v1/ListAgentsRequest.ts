// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface ListAgentsRequest {}

export interface ListAgentsRequest__Output {}
