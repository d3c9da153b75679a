// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  SessionStatus as _bzzz_gateway_v1_SessionStatus,
  SessionStatus__Output as _bzzz_gateway_v1_SessionStatus__Output,
} from '../../../bzzz/gateway/v1/SessionStatus.js';

export interface ListSessionsRequest {
  statuses?: _bzzz_gateway_v1_SessionStatus[];
  pageSize?: number;
  pageToken?: string;
}

export interface ListSessionsRequest__Output {
  statuses: _bzzz_gateway_v1_SessionStatus__Output[];
  pageSize: number;
  pageToken: string;
}
