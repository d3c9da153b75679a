// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  Session as _bzzz_gateway_v1_Session,
  Session__Output as _bzzz_gateway_v1_Session__Output,
} from '../../../bzzz/gateway/v1/Session.js';

export interface SessionDetails {
  session?: _bzzz_gateway_v1_Session | null;
  runIds?: string[];
}

export interface SessionDetails__Output {
  session: _bzzz_gateway_v1_Session__Output | null;
  runIds: string[];
}
