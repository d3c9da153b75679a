// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  RunInput as _bzzz_gateway_v1_RunInput,
  RunInput__Output as _bzzz_gateway_v1_RunInput__Output,
} from '../../../bzzz/gateway/v1/RunInput.js';
import type { Long } from '@grpc/proto-loader';

export interface SendInputRequest {
  id?: string;
  input?: _bzzz_gateway_v1_RunInput | null;
  waitMs?: number | string | Long;
}

export interface SendInputRequest__Output {
  id: string;
  input: _bzzz_gateway_v1_RunInput__Output | null;
  waitMs: string;
}
