// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  RunInput as _bzzz_gateway_v1_RunInput,
  RunInput__Output as _bzzz_gateway_v1_RunInput__Output,
} from '../../../bzzz/gateway/v1/RunInput.js';

export interface SendInputRequest {
  id?: string;
  input?: _bzzz_gateway_v1_RunInput | null;
}

export interface SendInputRequest__Output {
  id: string;
  input: _bzzz_gateway_v1_RunInput__Output | null;
}
