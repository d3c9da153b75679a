// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  Run as _bzzz_gateway_v1_Run,
  Run__Output as _bzzz_gateway_v1_Run__Output,
} from '../../../bzzz/gateway/v1/Run.js';

export interface ListRunsResponse {
  runs?: _bzzz_gateway_v1_Run[];
  nextPageToken?: string;
}

export interface ListRunsResponse__Output {
  runs: _bzzz_gateway_v1_Run__Output[];
  nextPageToken: string;
}
