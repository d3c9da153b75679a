// Original file: proto/bzzz/gateway/v1/gateway.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  Agent as _bzzz_gateway_v1_Agent,
  Agent__Output as _bzzz_gateway_v1_Agent__Output,
} from '../../../bzzz/gateway/v1/Agent.js';
import type {
  DeregisterAgentRequest as _bzzz_gateway_v1_DeregisterAgentRequest,
  DeregisterAgentRequest__Output as _bzzz_gateway_v1_DeregisterAgentRequest__Output,
} from '../../../bzzz/gateway/v1/DeregisterAgentRequest.js';
import type {
  DeregisterAgentResponse as _bzzz_gateway_v1_DeregisterAgentResponse,
  DeregisterAgentResponse__Output as _bzzz_gateway_v1_DeregisterAgentResponse__Output,
} from '../../../bzzz/gateway/v1/DeregisterAgentResponse.js';
import type {
  GetAgentRequest as _bzzz_gateway_v1_GetAgentRequest,
  GetAgentRequest__Output as _bzzz_gateway_v1_GetAgentRequest__Output,
} from '../../../bzzz/gateway/v1/GetAgentRequest.js';
import type {
  HeartbeatRequest as _bzzz_gateway_v1_HeartbeatRequest,
  HeartbeatRequest__Output as _bzzz_gateway_v1_HeartbeatRequest__Output,
} from '../../../bzzz/gateway/v1/HeartbeatRequest.js';
import type {
  ListAgentsRequest as _bzzz_gateway_v1_ListAgentsRequest,
  ListAgentsRequest__Output as _bzzz_gateway_v1_ListAgentsRequest__Output,
} from '../../../bzzz/gateway/v1/ListAgentsRequest.js';
import type {
  ListAgentsResponse as _bzzz_gateway_v1_ListAgentsResponse,
  ListAgentsResponse__Output as _bzzz_gateway_v1_ListAgentsResponse__Output,
} from '../../../bzzz/gateway/v1/ListAgentsResponse.js';
import type {
  RegisterAgentRequest as _bzzz_gateway_v1_RegisterAgentRequest,
  RegisterAgentRequest__Output as _bzzz_gateway_v1_RegisterAgentRequest__Output,
} from '../../../bzzz/gateway/v1/RegisterAgentRequest.js';

export interface AgentRegistryServiceClient extends grpc.Client {
  DeregisterAgent(
    argument: _bzzz_gateway_v1_DeregisterAgentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_DeregisterAgentResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeregisterAgent(
    argument: _bzzz_gateway_v1_DeregisterAgentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_DeregisterAgentResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeregisterAgent(
    argument: _bzzz_gateway_v1_DeregisterAgentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_DeregisterAgentResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeregisterAgent(
    argument: _bzzz_gateway_v1_DeregisterAgentRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_DeregisterAgentResponse__Output>,
  ): grpc.ClientUnaryCall;
  deregisterAgent(
    argument: _bzzz_gateway_v1_DeregisterAgentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_DeregisterAgentResponse__Output>,
  ): grpc.ClientUnaryCall;
  deregisterAgent(
    argument: _bzzz_gateway_v1_DeregisterAgentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_DeregisterAgentResponse__Output>,
  ): grpc.ClientUnaryCall;
  deregisterAgent(
    argument: _bzzz_gateway_v1_DeregisterAgentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_DeregisterAgentResponse__Output>,
  ): grpc.ClientUnaryCall;
  deregisterAgent(
    argument: _bzzz_gateway_v1_DeregisterAgentRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_DeregisterAgentResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetAgent(
    argument: _bzzz_gateway_v1_GetAgentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  GetAgent(
    argument: _bzzz_gateway_v1_GetAgentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  GetAgent(
    argument: _bzzz_gateway_v1_GetAgentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  GetAgent(
    argument: _bzzz_gateway_v1_GetAgentRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  getAgent(
    argument: _bzzz_gateway_v1_GetAgentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  getAgent(
    argument: _bzzz_gateway_v1_GetAgentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  getAgent(
    argument: _bzzz_gateway_v1_GetAgentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  getAgent(
    argument: _bzzz_gateway_v1_GetAgentRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;

  Heartbeat(
    argument: _bzzz_gateway_v1_HeartbeatRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  Heartbeat(
    argument: _bzzz_gateway_v1_HeartbeatRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  Heartbeat(
    argument: _bzzz_gateway_v1_HeartbeatRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  Heartbeat(
    argument: _bzzz_gateway_v1_HeartbeatRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  heartbeat(
    argument: _bzzz_gateway_v1_HeartbeatRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  heartbeat(
    argument: _bzzz_gateway_v1_HeartbeatRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  heartbeat(
    argument: _bzzz_gateway_v1_HeartbeatRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  heartbeat(
    argument: _bzzz_gateway_v1_HeartbeatRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;

  ListAgents(
    argument: _bzzz_gateway_v1_ListAgentsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListAgentsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListAgents(
    argument: _bzzz_gateway_v1_ListAgentsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListAgentsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListAgents(
    argument: _bzzz_gateway_v1_ListAgentsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListAgentsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListAgents(
    argument: _bzzz_gateway_v1_ListAgentsRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListAgentsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listAgents(
    argument: _bzzz_gateway_v1_ListAgentsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListAgentsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listAgents(
    argument: _bzzz_gateway_v1_ListAgentsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListAgentsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listAgents(
    argument: _bzzz_gateway_v1_ListAgentsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListAgentsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listAgents(
    argument: _bzzz_gateway_v1_ListAgentsRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListAgentsResponse__Output>,
  ): grpc.ClientUnaryCall;

  RegisterAgent(
    argument: _bzzz_gateway_v1_RegisterAgentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  RegisterAgent(
    argument: _bzzz_gateway_v1_RegisterAgentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  RegisterAgent(
    argument: _bzzz_gateway_v1_RegisterAgentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  RegisterAgent(
    argument: _bzzz_gateway_v1_RegisterAgentRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  registerAgent(
    argument: _bzzz_gateway_v1_RegisterAgentRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  registerAgent(
    argument: _bzzz_gateway_v1_RegisterAgentRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  registerAgent(
    argument: _bzzz_gateway_v1_RegisterAgentRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
  registerAgent(
    argument: _bzzz_gateway_v1_RegisterAgentRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_Agent__Output>,
  ): grpc.ClientUnaryCall;
}

export interface AgentRegistryServiceHandlers extends grpc.UntypedServiceImplementation {
  DeregisterAgent: grpc.handleUnaryCall<
    _bzzz_gateway_v1_DeregisterAgentRequest__Output,
    _bzzz_gateway_v1_DeregisterAgentResponse
  >;

  GetAgent: grpc.handleUnaryCall<_bzzz_gateway_v1_GetAgentRequest__Output, _bzzz_gateway_v1_Agent>;

  Heartbeat: grpc.handleUnaryCall<_bzzz_gateway_v1_HeartbeatRequest__Output, _bzzz_gateway_v1_Agent>;

  ListAgents: grpc.handleUnaryCall<
    _bzzz_gateway_v1_ListAgentsRequest__Output,
    _bzzz_gateway_v1_ListAgentsResponse
  >;

  RegisterAgent: grpc.handleUnaryCall<_bzzz_gateway_v1_RegisterAgentRequest__Output, _bzzz_gateway_v1_Agent>;
}

export interface AgentRegistryServiceDefinition extends grpc.ServiceDefinition {
  DeregisterAgent: MethodDefinition<
    _bzzz_gateway_v1_DeregisterAgentRequest,
    _bzzz_gateway_v1_DeregisterAgentResponse,
    _bzzz_gateway_v1_DeregisterAgentRequest__Output,
    _bzzz_gateway_v1_DeregisterAgentResponse__Output
  >;
  GetAgent: MethodDefinition<
    _bzzz_gateway_v1_GetAgentRequest,
    _bzzz_gateway_v1_Agent,
    _bzzz_gateway_v1_GetAgentRequest__Output,
    _bzzz_gateway_v1_Agent__Output
  >;
  Heartbeat: MethodDefinition<
    _bzzz_gateway_v1_HeartbeatRequest,
    _bzzz_gateway_v1_Agent,
    _bzzz_gateway_v1_HeartbeatRequest__Output,
    _bzzz_gateway_v1_Agent__Output
  >;
  ListAgents: MethodDefinition<
    _bzzz_gateway_v1_ListAgentsRequest,
    _bzzz_gateway_v1_ListAgentsResponse,
    _bzzz_gateway_v1_ListAgentsRequest__Output,
    _bzzz_gateway_v1_ListAgentsResponse__Output
  >;
  RegisterAgent: MethodDefinition<
    _bzzz_gateway_v1_RegisterAgentRequest,
    _bzzz_gateway_v1_Agent,
    _bzzz_gateway_v1_RegisterAgentRequest__Output,
    _bzzz_gateway_v1_Agent__Output
  >;
}
