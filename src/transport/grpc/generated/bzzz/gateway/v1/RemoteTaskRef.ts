// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface RemoteTaskRef {
  taskId?: string;
  contextId?: string;
  state?: string;
}

export interface RemoteTaskRef__Output {
  taskId: string;
  contextId: string;
  state: string;
}
