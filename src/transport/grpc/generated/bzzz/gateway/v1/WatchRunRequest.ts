// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface WatchRunRequest {
  id?: string;
}

export interface WatchRunRequest__Output {
  id: string;
}
