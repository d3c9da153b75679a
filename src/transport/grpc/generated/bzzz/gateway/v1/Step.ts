// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  StepStatus as _bzzz_gateway_v1_StepStatus,
  StepStatus__Output as _bzzz_gateway_v1_StepStatus__Output,
} from '../../../bzzz/gateway/v1/StepStatus.js';
import type {
  Timestamp as _google_protobuf_Timestamp,
  Timestamp__Output as _google_protobuf_Timestamp__Output,
} from '../../../google/protobuf/Timestamp.js';
import type {
  StepError as _bzzz_gateway_v1_StepError,
  StepError__Output as _bzzz_gateway_v1_StepError__Output,
} from '../../../bzzz/gateway/v1/StepError.js';
import type {
  StepRemote as _bzzz_gateway_v1_StepRemote,
  StepRemote__Output as _bzzz_gateway_v1_StepRemote__Output,
} from '../../../bzzz/gateway/v1/StepRemote.js';

export interface Step {
  id?: string;
  runId?: string;
  index?: number;
  status?: _bzzz_gateway_v1_StepStatus;
  name?: string;
  agent?: string;
  createdAt?: _google_protobuf_Timestamp | null;
  startedAt?: _google_protobuf_Timestamp | null;
  finishedAt?: _google_protobuf_Timestamp | null;
  error?: _bzzz_gateway_v1_StepError | null;
  outputArtifactIds?: string[];
  remote?: _bzzz_gateway_v1_StepRemote | null;
  traceId?: string;
  spanId?: string;
  traceFlags?: number;
}

export interface Step__Output {
  id: string;
  runId: string;
  index: number;
  status: _bzzz_gateway_v1_StepStatus__Output;
  name: string;
  agent: string;
  createdAt: _google_protobuf_Timestamp__Output | null;
  startedAt: _google_protobuf_Timestamp__Output | null;
  finishedAt: _google_protobuf_Timestamp__Output | null;
  error: _bzzz_gateway_v1_StepError__Output | null;
  outputArtifactIds: string[];
  remote: _bzzz_gateway_v1_StepRemote__Output | null;
  traceId: string;
  spanId: string;
  traceFlags: number;
}
