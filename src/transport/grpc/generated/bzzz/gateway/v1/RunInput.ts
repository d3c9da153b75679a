// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  Part as _bzzz_gateway_v1_Part,
  Part__Output as _bzzz_gateway_v1_Part__Output,
} from '../../../bzzz/gateway/v1/Part.js';
import type {
  Struct as _google_protobuf_Struct,
  Struct__Output as _google_protobuf_Struct__Output,
} from '../../../google/protobuf/Struct.js';

export interface RunInput {
  parts?: _bzzz_gateway_v1_Part[];
  metadata?: _google_protobuf_Struct | null;
}

export interface RunInput__Output {
  parts: _bzzz_gateway_v1_Part__Output[];
  metadata: _google_protobuf_Struct__Output | null;
}
