// Original file: proto/bzzz/gateway/v1/gateway.proto

export const AgentHealth = {
  AGENT_HEALTH_UNSPECIFIED: 'AGENT_HEALTH_UNSPECIFIED',
  AGENT_HEALTH_UNKNOWN: 'AGENT_HEALTH_UNKNOWN',
  AGENT_HEALTH_HEALTHY: 'AGENT_HEALTH_HEALTHY',
  AGENT_HEALTH_UNHEALTHY: 'AGENT_HEALTH_UNHEALTHY',
} as const;

export type AgentHealth =
  | 'AGENT_HEALTH_UNSPECIFIED'
  | 0
  | 'AGENT_HEALTH_UNKNOWN'
  | 1
  | 'AGENT_HEALTH_HEALTHY'
  | 2
  | 'AGENT_HEALTH_UNHEALTHY'
  | 3;

export type AgentHealth__Output = (typeof AgentHealth)[keyof typeof AgentHealth];
