// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  RunStatus as _bzzz_gateway_v1_RunStatus,
  RunStatus__Output as _bzzz_gateway_v1_RunStatus__Output,
} from '../../../bzzz/gateway/v1/RunStatus.js';
import type {
  RunTarget as _bzzz_gateway_v1_RunTarget,
  RunTarget__Output as _bzzz_gateway_v1_RunTarget__Output,
} from '../../../bzzz/gateway/v1/RunTarget.js';
import type {
  RuntimeKind as _bzzz_gateway_v1_RuntimeKind,
  RuntimeKind__Output as _bzzz_gateway_v1_RuntimeKind__Output,
} from '../../../bzzz/gateway/v1/RuntimeKind.js';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp.js';
import type {
  RunError as _bzzz_gateway_v1_RunError,
  RunError__Output as _bzzz_gateway_v1_RunError__Output,
} from '../../../bzzz/gateway/v1/RunError.js';
import type {
  RunInput as _bzzz_gateway_v1_RunInput,
  RunInput__Output as _bzzz_gateway_v1_RunInput__Output,
} from '../../../bzzz/gateway/v1/RunInput.js';
import type {
  RemoteTaskRef as _bzzz_gateway_v1_RemoteTaskRef,
  RemoteTaskRef__Output as _bzzz_gateway_v1_RemoteTaskRef__Output,
} from '../../../bzzz/gateway/v1/RemoteTaskRef.js';
import type { Long } from '@grpc/proto-loader';

export interface Run {
  id?: string;
  tenant?: string;
  status?: _bzzz_gateway_v1_RunStatus;
  target?: _bzzz_gateway_v1_RunTarget | null;
  runtimeKind?: _bzzz_gateway_v1_RuntimeKind;
  sessionId?: string;
  createdAt?: _google_protobuf_Timestamp | null;
  startedAt?: _google_protobuf_Timestamp | null;
  finishedAt?: _google_protobuf_Timestamp | null;
  timeoutMs?: number | string | Long;
  error?: _bzzz_gateway_v1_RunError | null;
  artifactIds?: string[];
  input?: _bzzz_gateway_v1_RunInput | null;
  remote?: _bzzz_gateway_v1_RemoteTaskRef | null;
  version?: number | string | Long;
  updatedAt?: _google_protobuf_Timestamp | null;
  traceId?: string;
  spanId?: string;
  traceFlags?: number;
  idempotencyKey?: string;
}

export interface Run__Output {
  id: string;
  tenant: string;
  status: _bzzz_gateway_v1_RunStatus__Output;
  target: _bzzz_gateway_v1_RunTarget__Output | null;
  runtimeKind: _bzzz_gateway_v1_RuntimeKind__Output;
  sessionId: string;
  createdAt: _google_protobuf_Timestamp__Output | null;
  startedAt: _google_protobuf_Timestamp__Output | null;
  finishedAt: _google_protobuf_Timestamp__Output | null;
  timeoutMs: string;
  error: _bzzz_gateway_v1_RunError__Output | null;
  artifactIds: string[];
  input: _bzzz_gateway_v1_RunInput__Output | null;
  remote: _bzzz_gateway_v1_RemoteTaskRef__Output | null;
  version: string;
  updatedAt: _google_protobuf_Timestamp__Output | null;
  traceId: string;
  spanId: string;
  traceFlags: number;
  idempotencyKey: string;
}
