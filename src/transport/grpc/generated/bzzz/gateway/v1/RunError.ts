// Original file: proto/bzzz/gateway/v1/gateway.proto

import type { Long } from '@grpc/proto-loader';

export interface RunError {
  kind?: string;
  message?: string;
  retryable?: boolean;
  cancellation?: boolean;
  configError?: boolean;
  detail?: string;
  reason?: string;
  afterMs?: number | string | Long;
  worker?: string;
  resourceType?: string;
  resourceId?: string;
  pattern?: string;
  step?: string;
}

export interface RunError__Output {
  kind: string;
  message: string;
  retryable: boolean;
  cancellation: boolean;
  configError: boolean;
  detail: string;
  reason: string;
  afterMs: string;
  worker: string;
  resourceType: string;
  resourceId: string;
  pattern: string;
  step: string;
}
