// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  Agent as _bzzz_gateway_v1_Agent,
  Agent__Output as _bzzz_gateway_v1_Agent__Output,
} from '../../../bzzz/gateway/v1/Agent.js';

export interface ListAgentsResponse {
  agents?: _bzzz_gateway_v1_Agent[];
}

export interface ListAgentsResponse__Output {
  agents: _bzzz_gateway_v1_Agent__Output[];
}
