// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  RunTarget as _bzzz_gateway_v1_RunTarget,
  RunTarget__Output as _bzzz_gateway_v1_RunTarget__Output,
} from '../../../bzzz/gateway/v1/RunTarget.js';
import type {
  RunInput as _bzzz_gateway_v1_RunInput,
  RunInput__Output as _bzzz_gateway_v1_RunInput__Output,
} from '../../../bzzz/gateway/v1/RunInput.js';
import type { Long } from '@grpc/proto-loader';

export interface SubmitRunRequest {
  target?: _bzzz_gateway_v1_RunTarget | null;
  input?: _bzzz_gateway_v1_RunInput | null;
  sessionId?: string;
  timeoutMs?: number | string | Long;
  idempotencyKey?: string;
  waitMs?: number | string | Long;
}

export interface SubmitRunRequest__Output {
  target: _bzzz_gateway_v1_RunTarget__Output | null;
  input: _bzzz_gateway_v1_RunInput__Output | null;
  sessionId: string;
  timeoutMs: string;
  idempotencyKey: string;
  waitMs: string;
}
