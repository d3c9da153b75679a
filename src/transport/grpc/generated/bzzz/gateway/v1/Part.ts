// Original file: proto/bzzz/gateway/v1/gateway.proto

import type {
  Value as _google_protobuf_Value,
  Value__Output as _google_protobuf_Value__Output,
} from '../../../google/protobuf/Value.js';
import type {
  Struct as _google_protobuf_Struct,
  Struct__Output as _google_protobuf_Struct__Output,
} from '../../../google/protobuf/Struct.js';

export interface Part {
  text?: string;
  raw?: Buffer | Uint8Array | string;
  url?: string;
  data?: _google_protobuf_Value | null;
  mediaType?: string;
  filename?: string;
  metadata?: _google_protobuf_Struct | null;
  content?: 'text' | 'raw' | 'url' | 'data';
}

export interface Part__Output {
  text?: string;
  raw?: Buffer;
  url?: string;
  data?: _google_protobuf_Value__Output | null;
  mediaType: string;
  filename: string;
  metadata: _google_protobuf_Struct__Output | null;
  content?: 'text' | 'raw' | 'url' | 'data';
}
