// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface CancelRunRequest {
  id?: string;
  reason?: string;
}

export interface CancelRunRequest__Output {
  id: string;
  reason: string;
}
