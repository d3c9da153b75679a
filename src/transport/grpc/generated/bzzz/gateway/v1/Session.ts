// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  SessionStatus as _bzzz_gateway_v1_SessionStatus,
  SessionStatus__Output as _bzzz_gateway_v1_SessionStatus__Output,
} from '../../../bzzz/gateway/v1/SessionStatus.js';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp.js';

export interface Session {
  id?: string;
  tenant?: string;
  status?: _bzzz_gateway_v1_SessionStatus;
  name?: string;
  createdAt?: _google_protobuf_Timestamp | null;
  endedAt?: _google_protobuf_Timestamp | null;
}

export interface Session__Output {
  id: string;
  tenant: string;
  status: _bzzz_gateway_v1_SessionStatus__Output;
  name: string;
  createdAt: _google_protobuf_Timestamp__Output | null;
  endedAt: _google_protobuf_Timestamp__Output | null;
}
