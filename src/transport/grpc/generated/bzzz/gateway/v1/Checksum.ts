// Original file: proto/bzzz/gateway/v1/gateway.proto

export interface Checksum {
  algorithm?: string;
  value?: string;
}

export interface Checksum__Output {
  algorithm: string;
  value: string;
}
