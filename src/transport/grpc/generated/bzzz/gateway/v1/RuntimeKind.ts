// Original file: proto/bzzz/gateway/v1/gateway.proto

export const RuntimeKind = {
  RUNTIME_KIND_UNSPECIFIED: 'RUNTIME_KIND_UNSPECIFIED',
  RUNTIME_KIND_LOCAL: 'RUNTIME_KIND_LOCAL',
  RUNTIME_KIND_DOCKER: 'RUNTIME_KIND_DOCKER',
  RUNTIME_KIND_HTTP: 'RUNTIME_KIND_HTTP',
  RUNTIME_KIND_CLOUD: 'RUNTIME_KIND_CLOUD',
} as const;

export type RuntimeKind =
  | 'RUNTIME_KIND_UNSPECIFIED'
  | 0
  | 'RUNTIME_KIND_LOCAL'
  | 1
  | 'RUNTIME_KIND_DOCKER'
  | 2
  | 'RUNTIME_KIND_HTTP'
  | 3
  | 'RUNTIME_KIND_CLOUD'
  | 4;

export type RuntimeKind__Output = (typeof RuntimeKind)[keyof typeof RuntimeKind];
