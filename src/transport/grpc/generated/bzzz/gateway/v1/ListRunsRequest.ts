// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  RunStatus as _bzzz_gateway_v1_RunStatus,
  RunStatus__Output as _bzzz_gateway_v1_RunStatus__Output,
} from '../../../bzzz/gateway/v1/RunStatus.js';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp.js';

export interface ListRunsRequest {
  statuses?: _bzzz_gateway_v1_RunStatus[];
  agent?: string;
  sessionId?: string;
  createdAfter?: _google_protobuf_Timestamp | null;
  createdBefore?: _google_protobuf_Timestamp | null;
  pageSize?: number;
  pageToken?: string;
}

export interface ListRunsRequest__Output {
  statuses: _bzzz_gateway_v1_RunStatus__Output[];
  agent: string;
  sessionId: string;
  createdAfter: _google_protobuf_Timestamp__Output | null;
  createdBefore: _google_protobuf_Timestamp__Output | null;
  pageSize: number;
  pageToken: string;
}
