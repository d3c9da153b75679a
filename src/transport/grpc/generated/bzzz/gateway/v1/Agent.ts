// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  Struct as _google_protobuf_Struct,
  Struct__Output as _google_protobuf_Struct__Output,
} from '../../../google/protobuf/Struct.js';
import type {
  AgentEndpoint as _bzzz_gateway_v1_AgentEndpoint,
  AgentEndpoint__Output as _bzzz_gateway_v1_AgentEndpoint__Output,
} from '../../../bzzz/gateway/v1/AgentEndpoint.js';
import type {
  AgentHealth as _bzzz_gateway_v1_AgentHealth,
  AgentHealth__Output as _bzzz_gateway_v1_AgentHealth__Output,
} from '../../../bzzz/gateway/v1/AgentHealth.js';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

export interface Agent {
  tenant?: string;
  name?: string;
  url?: string;
  cardUrl?: string;
  card?: _google_protobuf_Struct | null;
  endpoint?: _bzzz_gateway_v1_AgentEndpoint | null;
  labels?: { [key: string]: string };
  health?: _bzzz_gateway_v1_AgentHealth;
  healthReason?: string;
  heartbeatTtlMs?: number | string | Long;
  lastHeartbeatAt?: _google_protobuf_Timestamp | null;
  lastCheckedAt?: _google_protobuf_Timestamp | null;
  registeredAt?: _google_protobuf_Timestamp | null;
  updatedAt?: _google_protobuf_Timestamp | null;
  hasCredentials?: boolean;
}

export interface Agent__Output {
  tenant: string;
  name: string;
  url: string;
  cardUrl: string;
  card: _google_protobuf_Struct__Output | null;
  endpoint: _bzzz_gateway_v1_AgentEndpoint__Output | null;
  labels: { [key: string]: string };
  health: _bzzz_gateway_v1_AgentHealth__Output;
  healthReason: string;
  heartbeatTtlMs: string;
  lastHeartbeatAt: _google_protobuf_Timestamp__Output | null;
  lastCheckedAt: _google_protobuf_Timestamp__Output | null;
  registeredAt: _google_protobuf_Timestamp__Output | null;
  updatedAt: _google_protobuf_Timestamp__Output | null;
  hasCredentials: boolean;
}
