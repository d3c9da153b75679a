// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  RunDetails as _bzzz_gateway_v1_RunDetails,
  RunDetails__Output as _bzzz_gateway_v1_RunDetails__Output,
} from '../../../bzzz/gateway/v1/RunDetails.js';
import type {
  Run as _bzzz_gateway_v1_Run,
  Run__Output as _bzzz_gateway_v1_Run__Output,
} from '../../../bzzz/gateway/v1/Run.js';
import type {
  Step as _bzzz_gateway_v1_Step,
  Step__Output as _bzzz_gateway_v1_Step__Output,
} from '../../../bzzz/gateway/v1/Step.js';
import type {
  Artifact as _bzzz_gateway_v1_Artifact,
  Artifact__Output as _bzzz_gateway_v1_Artifact__Output,
} from '../../../bzzz/gateway/v1/Artifact.js';
import type { Long } from '@grpc/proto-loader';

export interface RunEvent {
  runId?: string;
  seq?: number | string | Long;
  snapshot?: _bzzz_gateway_v1_RunDetails | null;
  run?: _bzzz_gateway_v1_Run | null;
  step?: _bzzz_gateway_v1_Step | null;
  artifact?: _bzzz_gateway_v1_Artifact | null;
  event?: 'snapshot' | 'run' | 'step' | 'artifact';
}

export interface RunEvent__Output {
  runId: string;
  seq: string;
  snapshot?: _bzzz_gateway_v1_RunDetails__Output | null;
  run?: _bzzz_gateway_v1_Run__Output | null;
  step?: _bzzz_gateway_v1_Step__Output | null;
  artifact?: _bzzz_gateway_v1_Artifact__Output | null;
  event?: 'snapshot' | 'run' | 'step' | 'artifact';
}
