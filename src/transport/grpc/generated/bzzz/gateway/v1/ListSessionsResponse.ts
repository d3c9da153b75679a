// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  Session as _bzzz_gateway_v1_Session,
  Session__Output as _bzzz_gateway_v1_Session__Output,
} from '../../../bzzz/gateway/v1/Session.js';

export interface ListSessionsResponse {
  sessions?: _bzzz_gateway_v1_Session[];
  nextPageToken?: string;
}

export interface ListSessionsResponse__Output {
  sessions: _bzzz_gateway_v1_Session__Output[];
  nextPageToken: string;
}
