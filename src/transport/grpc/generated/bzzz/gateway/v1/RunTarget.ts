// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  AgentTarget as _bzzz_gateway_v1_AgentTarget,
  AgentTarget__Output as _bzzz_gateway_v1_AgentTarget__Output,
} from '../../../bzzz/gateway/v1/AgentTarget.js';
import type {
  SwarmTarget as _bzzz_gateway_v1_SwarmTarget,
  SwarmTarget__Output as _bzzz_gateway_v1_SwarmTarget__Output,
} from '../../../bzzz/gateway/v1/SwarmTarget.js';
import type {
  A2AAgentTarget as _bzzz_gateway_v1_A2AAgentTarget,
  A2AAgentTarget__Output as _bzzz_gateway_v1_A2AAgentTarget__Output,
} from '../../../bzzz/gateway/v1/A2AAgentTarget.js';

export interface RunTarget {
  agent?: _bzzz_gateway_v1_AgentTarget | null;
  swarm?: _bzzz_gateway_v1_SwarmTarget | null;
  a2aAgent?: _bzzz_gateway_v1_A2AAgentTarget | null;
  kind?: 'agent' | 'swarm' | 'a2aAgent';
}

export interface RunTarget__Output {
  agent?: _bzzz_gateway_v1_AgentTarget__Output | null;
  swarm?: _bzzz_gateway_v1_SwarmTarget__Output | null;
  a2aAgent?: _bzzz_gateway_v1_A2AAgentTarget__Output | null;
  kind?: 'agent' | 'swarm' | 'a2aAgent';
}
