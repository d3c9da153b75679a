// Original file: proto/bzzz/gateway/v1/gateway.proto

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

export interface RunDetails {
  run?: _bzzz_gateway_v1_Run | null;
  steps?: _bzzz_gateway_v1_Step[];
  artifacts?: _bzzz_gateway_v1_Artifact[];
}

export interface RunDetails__Output {
  run: _bzzz_gateway_v1_Run__Output | null;
  steps: _bzzz_gateway_v1_Step__Output[];
  artifacts: _bzzz_gateway_v1_Artifact__Output[];
}
