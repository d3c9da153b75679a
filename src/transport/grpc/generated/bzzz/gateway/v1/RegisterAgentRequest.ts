// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  AgentCredentials as _bzzz_gateway_v1_AgentCredentials,
  AgentCredentials__Output as _bzzz_gateway_v1_AgentCredentials__Output,
} from '../../../bzzz/gateway/v1/AgentCredentials.js';
import type { Long } from '@grpc/proto-loader';

export interface RegisterAgentRequest {
  name?: string;
  url?: string;
  labels?: { [key: string]: string };
  credentials?: _bzzz_gateway_v1_AgentCredentials | null;
  heartbeatTtlMs?: number | string | Long;
}

export interface RegisterAgentRequest__Output {
  name: string;
  url: string;
  labels: { [key: string]: string };
  credentials: _bzzz_gateway_v1_AgentCredentials__Output | null;
  heartbeatTtlMs: string;
}
