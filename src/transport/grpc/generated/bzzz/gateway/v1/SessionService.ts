// Original file: proto/bzzz/gateway/v1/gateway.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  CreateSessionRequest as _bzzz_gateway_v1_CreateSessionRequest,
  CreateSessionRequest__Output as _bzzz_gateway_v1_CreateSessionRequest__Output,
} from '../../../bzzz/gateway/v1/CreateSessionRequest.js';
import type {
  EndSessionRequest as _bzzz_gateway_v1_EndSessionRequest,
  EndSessionRequest__Output as _bzzz_gateway_v1_EndSessionRequest__Output,
} from '../../../bzzz/gateway/v1/EndSessionRequest.js';
import type {
  GetSessionRequest as _bzzz_gateway_v1_GetSessionRequest,
  GetSessionRequest__Output as _bzzz_gateway_v1_GetSessionRequest__Output,
} from '../../../bzzz/gateway/v1/GetSessionRequest.js';
import type {
  ListSessionsRequest as _bzzz_gateway_v1_ListSessionsRequest,
  ListSessionsRequest__Output as _bzzz_gateway_v1_ListSessionsRequest__Output,
} from '../../../bzzz/gateway/v1/ListSessionsRequest.js';
import type {
  ListSessionsResponse as _bzzz_gateway_v1_ListSessionsResponse,
  ListSessionsResponse__Output as _bzzz_gateway_v1_ListSessionsResponse__Output,
} from '../../../bzzz/gateway/v1/ListSessionsResponse.js';
import type {
  SessionDetails as _bzzz_gateway_v1_SessionDetails,
  SessionDetails__Output as _bzzz_gateway_v1_SessionDetails__Output,
} from '../../../bzzz/gateway/v1/SessionDetails.js';

export interface SessionServiceClient extends grpc.Client {
  CreateSession(
    argument: _bzzz_gateway_v1_CreateSessionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  CreateSession(
    argument: _bzzz_gateway_v1_CreateSessionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  CreateSession(
    argument: _bzzz_gateway_v1_CreateSessionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  CreateSession(
    argument: _bzzz_gateway_v1_CreateSessionRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  createSession(
    argument: _bzzz_gateway_v1_CreateSessionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  createSession(
    argument: _bzzz_gateway_v1_CreateSessionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  createSession(
    argument: _bzzz_gateway_v1_CreateSessionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  createSession(
    argument: _bzzz_gateway_v1_CreateSessionRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;

  EndSession(
    argument: _bzzz_gateway_v1_EndSessionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  EndSession(
    argument: _bzzz_gateway_v1_EndSessionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  EndSession(
    argument: _bzzz_gateway_v1_EndSessionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  EndSession(
    argument: _bzzz_gateway_v1_EndSessionRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  endSession(
    argument: _bzzz_gateway_v1_EndSessionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  endSession(
    argument: _bzzz_gateway_v1_EndSessionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  endSession(
    argument: _bzzz_gateway_v1_EndSessionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  endSession(
    argument: _bzzz_gateway_v1_EndSessionRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;

  GetSession(
    argument: _bzzz_gateway_v1_GetSessionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  GetSession(
    argument: _bzzz_gateway_v1_GetSessionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  GetSession(
    argument: _bzzz_gateway_v1_GetSessionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  GetSession(
    argument: _bzzz_gateway_v1_GetSessionRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  getSession(
    argument: _bzzz_gateway_v1_GetSessionRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  getSession(
    argument: _bzzz_gateway_v1_GetSessionRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  getSession(
    argument: _bzzz_gateway_v1_GetSessionRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;
  getSession(
    argument: _bzzz_gateway_v1_GetSessionRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_SessionDetails__Output>,
  ): grpc.ClientUnaryCall;

  ListSessions(
    argument: _bzzz_gateway_v1_ListSessionsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListSessionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListSessions(
    argument: _bzzz_gateway_v1_ListSessionsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListSessionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListSessions(
    argument: _bzzz_gateway_v1_ListSessionsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListSessionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListSessions(
    argument: _bzzz_gateway_v1_ListSessionsRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListSessionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listSessions(
    argument: _bzzz_gateway_v1_ListSessionsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListSessionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listSessions(
    argument: _bzzz_gateway_v1_ListSessionsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListSessionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listSessions(
    argument: _bzzz_gateway_v1_ListSessionsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListSessionsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listSessions(
    argument: _bzzz_gateway_v1_ListSessionsRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListSessionsResponse__Output>,
  ): grpc.ClientUnaryCall;
}

export interface SessionServiceHandlers extends grpc.UntypedServiceImplementation {
  CreateSession: grpc.handleUnaryCall<
    _bzzz_gateway_v1_CreateSessionRequest__Output,
    _bzzz_gateway_v1_SessionDetails
  >;

  EndSession: grpc.handleUnaryCall<
    _bzzz_gateway_v1_EndSessionRequest__Output,
    _bzzz_gateway_v1_SessionDetails
  >;

  GetSession: grpc.handleUnaryCall<
    _bzzz_gateway_v1_GetSessionRequest__Output,
    _bzzz_gateway_v1_SessionDetails
  >;

  ListSessions: grpc.handleUnaryCall<
    _bzzz_gateway_v1_ListSessionsRequest__Output,
    _bzzz_gateway_v1_ListSessionsResponse
  >;
}

export interface SessionServiceDefinition extends grpc.ServiceDefinition {
  CreateSession: MethodDefinition<
    _bzzz_gateway_v1_CreateSessionRequest,
    _bzzz_gateway_v1_SessionDetails,
    _bzzz_gateway_v1_CreateSessionRequest__Output,
    _bzzz_gateway_v1_SessionDetails__Output
  >;
  EndSession: MethodDefinition<
    _bzzz_gateway_v1_EndSessionRequest,
    _bzzz_gateway_v1_SessionDetails,
    _bzzz_gateway_v1_EndSessionRequest__Output,
    _bzzz_gateway_v1_SessionDetails__Output
  >;
  GetSession: MethodDefinition<
    _bzzz_gateway_v1_GetSessionRequest,
    _bzzz_gateway_v1_SessionDetails,
    _bzzz_gateway_v1_GetSessionRequest__Output,
    _bzzz_gateway_v1_SessionDetails__Output
  >;
  ListSessions: MethodDefinition<
    _bzzz_gateway_v1_ListSessionsRequest,
    _bzzz_gateway_v1_ListSessionsResponse,
    _bzzz_gateway_v1_ListSessionsRequest__Output,
    _bzzz_gateway_v1_ListSessionsResponse__Output
  >;
}
