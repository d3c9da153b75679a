// Original file: proto/bzzz/gateway/v1/gateway.proto

import type { Long } from '@grpc/proto-loader';

export interface StepRemote {
  method?: string;
  taskId?: string;
  state?: string;
  statusMessage?: string;
  eventCount?: number | string | Long;
}

export interface StepRemote__Output {
  method: string;
  taskId: string;
  state: string;
  statusMessage: string;
  eventCount: string;
}
