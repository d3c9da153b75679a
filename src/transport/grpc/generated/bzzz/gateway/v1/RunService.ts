// Original file: proto/bzzz/gateway/v1/gateway.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  CancelRunRequest as _bzzz_gateway_v1_CancelRunRequest,
  CancelRunRequest__Output as _bzzz_gateway_v1_CancelRunRequest__Output,
} from '../../../bzzz/gateway/v1/CancelRunRequest.js';
import type {
  GetRunRequest as _bzzz_gateway_v1_GetRunRequest,
  GetRunRequest__Output as _bzzz_gateway_v1_GetRunRequest__Output,
} from '../../../bzzz/gateway/v1/GetRunRequest.js';
import type {
  ListRunsRequest as _bzzz_gateway_v1_ListRunsRequest,
  ListRunsRequest__Output as _bzzz_gateway_v1_ListRunsRequest__Output,
} from '../../../bzzz/gateway/v1/ListRunsRequest.js';
import type {
  ListRunsResponse as _bzzz_gateway_v1_ListRunsResponse,
  ListRunsResponse__Output as _bzzz_gateway_v1_ListRunsResponse__Output,
} from '../../../bzzz/gateway/v1/ListRunsResponse.js';
import type {
  RunDetails as _bzzz_gateway_v1_RunDetails,
  RunDetails__Output as _bzzz_gateway_v1_RunDetails__Output,
} from '../../../bzzz/gateway/v1/RunDetails.js';
import type {
  RunEvent as _bzzz_gateway_v1_RunEvent,
  RunEvent__Output as _bzzz_gateway_v1_RunEvent__Output,
} from '../../../bzzz/gateway/v1/RunEvent.js';
import type {
  SendInputRequest as _bzzz_gateway_v1_SendInputRequest,
  SendInputRequest__Output as _bzzz_gateway_v1_SendInputRequest__Output,
} from '../../../bzzz/gateway/v1/SendInputRequest.js';
import type {
  SubmitRunRequest as _bzzz_gateway_v1_SubmitRunRequest,
  SubmitRunRequest__Output as _bzzz_gateway_v1_SubmitRunRequest__Output,
} from '../../../bzzz/gateway/v1/SubmitRunRequest.js';
import type {
  WatchRunRequest as _bzzz_gateway_v1_WatchRunRequest,
  WatchRunRequest__Output as _bzzz_gateway_v1_WatchRunRequest__Output,
} from '../../../bzzz/gateway/v1/WatchRunRequest.js';

export interface RunServiceClient extends grpc.Client {
  CancelRun(
    argument: _bzzz_gateway_v1_CancelRunRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  CancelRun(
    argument: _bzzz_gateway_v1_CancelRunRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  CancelRun(
    argument: _bzzz_gateway_v1_CancelRunRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  CancelRun(
    argument: _bzzz_gateway_v1_CancelRunRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  cancelRun(
    argument: _bzzz_gateway_v1_CancelRunRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  cancelRun(
    argument: _bzzz_gateway_v1_CancelRunRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  cancelRun(
    argument: _bzzz_gateway_v1_CancelRunRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  cancelRun(
    argument: _bzzz_gateway_v1_CancelRunRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;

  GetRun(
    argument: _bzzz_gateway_v1_GetRunRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  GetRun(
    argument: _bzzz_gateway_v1_GetRunRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  GetRun(
    argument: _bzzz_gateway_v1_GetRunRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  GetRun(
    argument: _bzzz_gateway_v1_GetRunRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  getRun(
    argument: _bzzz_gateway_v1_GetRunRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  getRun(
    argument: _bzzz_gateway_v1_GetRunRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  getRun(
    argument: _bzzz_gateway_v1_GetRunRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  getRun(
    argument: _bzzz_gateway_v1_GetRunRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;

  ListRuns(
    argument: _bzzz_gateway_v1_ListRunsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListRunsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListRuns(
    argument: _bzzz_gateway_v1_ListRunsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListRunsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListRuns(
    argument: _bzzz_gateway_v1_ListRunsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListRunsResponse__Output>,
  ): grpc.ClientUnaryCall;
  ListRuns(
    argument: _bzzz_gateway_v1_ListRunsRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListRunsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listRuns(
    argument: _bzzz_gateway_v1_ListRunsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListRunsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listRuns(
    argument: _bzzz_gateway_v1_ListRunsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListRunsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listRuns(
    argument: _bzzz_gateway_v1_ListRunsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListRunsResponse__Output>,
  ): grpc.ClientUnaryCall;
  listRuns(
    argument: _bzzz_gateway_v1_ListRunsRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_ListRunsResponse__Output>,
  ): grpc.ClientUnaryCall;

  SendInput(
    argument: _bzzz_gateway_v1_SendInputRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  SendInput(
    argument: _bzzz_gateway_v1_SendInputRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  SendInput(
    argument: _bzzz_gateway_v1_SendInputRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  SendInput(
    argument: _bzzz_gateway_v1_SendInputRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  sendInput(
    argument: _bzzz_gateway_v1_SendInputRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  sendInput(
    argument: _bzzz_gateway_v1_SendInputRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  sendInput(
    argument: _bzzz_gateway_v1_SendInputRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  sendInput(
    argument: _bzzz_gateway_v1_SendInputRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;

  SubmitRun(
    argument: _bzzz_gateway_v1_SubmitRunRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  SubmitRun(
    argument: _bzzz_gateway_v1_SubmitRunRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  SubmitRun(
    argument: _bzzz_gateway_v1_SubmitRunRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  SubmitRun(
    argument: _bzzz_gateway_v1_SubmitRunRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  submitRun(
    argument: _bzzz_gateway_v1_SubmitRunRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  submitRun(
    argument: _bzzz_gateway_v1_SubmitRunRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  submitRun(
    argument: _bzzz_gateway_v1_SubmitRunRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;
  submitRun(
    argument: _bzzz_gateway_v1_SubmitRunRequest,
    callback: grpc.requestCallback<_bzzz_gateway_v1_RunDetails__Output>,
  ): grpc.ClientUnaryCall;

  WatchRun(
    argument: _bzzz_gateway_v1_WatchRunRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_bzzz_gateway_v1_RunEvent__Output>;
  WatchRun(
    argument: _bzzz_gateway_v1_WatchRunRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_bzzz_gateway_v1_RunEvent__Output>;
  watchRun(
    argument: _bzzz_gateway_v1_WatchRunRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_bzzz_gateway_v1_RunEvent__Output>;
  watchRun(
    argument: _bzzz_gateway_v1_WatchRunRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_bzzz_gateway_v1_RunEvent__Output>;
}

export interface RunServiceHandlers extends grpc.UntypedServiceImplementation {
  CancelRun: grpc.handleUnaryCall<_bzzz_gateway_v1_CancelRunRequest__Output, _bzzz_gateway_v1_RunDetails>;

  GetRun: grpc.handleUnaryCall<_bzzz_gateway_v1_GetRunRequest__Output, _bzzz_gateway_v1_RunDetails>;

  ListRuns: grpc.handleUnaryCall<_bzzz_gateway_v1_ListRunsRequest__Output, _bzzz_gateway_v1_ListRunsResponse>;

  SendInput: grpc.handleUnaryCall<_bzzz_gateway_v1_SendInputRequest__Output, _bzzz_gateway_v1_RunDetails>;

  SubmitRun: grpc.handleUnaryCall<_bzzz_gateway_v1_SubmitRunRequest__Output, _bzzz_gateway_v1_RunDetails>;

  WatchRun: grpc.handleServerStreamingCall<
    _bzzz_gateway_v1_WatchRunRequest__Output,
    _bzzz_gateway_v1_RunEvent
  >;
}

export interface RunServiceDefinition extends grpc.ServiceDefinition {
  CancelRun: MethodDefinition<
    _bzzz_gateway_v1_CancelRunRequest,
    _bzzz_gateway_v1_RunDetails,
    _bzzz_gateway_v1_CancelRunRequest__Output,
    _bzzz_gateway_v1_RunDetails__Output
  >;
  GetRun: MethodDefinition<
    _bzzz_gateway_v1_GetRunRequest,
    _bzzz_gateway_v1_RunDetails,
    _bzzz_gateway_v1_GetRunRequest__Output,
    _bzzz_gateway_v1_RunDetails__Output
  >;
  ListRuns: MethodDefinition<
    _bzzz_gateway_v1_ListRunsRequest,
    _bzzz_gateway_v1_ListRunsResponse,
    _bzzz_gateway_v1_ListRunsRequest__Output,
    _bzzz_gateway_v1_ListRunsResponse__Output
  >;
  SendInput: MethodDefinition<
    _bzzz_gateway_v1_SendInputRequest,
    _bzzz_gateway_v1_RunDetails,
    _bzzz_gateway_v1_SendInputRequest__Output,
    _bzzz_gateway_v1_RunDetails__Output
  >;
  SubmitRun: MethodDefinition<
    _bzzz_gateway_v1_SubmitRunRequest,
    _bzzz_gateway_v1_RunDetails,
    _bzzz_gateway_v1_SubmitRunRequest__Output,
    _bzzz_gateway_v1_RunDetails__Output
  >;
  WatchRun: MethodDefinition<
    _bzzz_gateway_v1_WatchRunRequest,
    _bzzz_gateway_v1_RunEvent,
    _bzzz_gateway_v1_WatchRunRequest__Output,
    _bzzz_gateway_v1_RunEvent__Output
  >;
}
