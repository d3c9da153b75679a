// Original file: proto/bzzz/gateway/v1/gateway.proto

import type { Long } from '@grpc/proto-loader';

export interface StepError {
  kind?: string;
  message?: string;
  retryable?: boolean;
  cancellation?: boolean;
  detail?: string;
  reason?: string;
  afterMs?: number | string | Long;
  pattern?: string;
}

export interface StepError__Output {
  kind: string;
  message: string;
  retryable: boolean;
  cancellation: boolean;
  detail: string;
  reason: string;
  afterMs: string;
  pattern: string;
}
