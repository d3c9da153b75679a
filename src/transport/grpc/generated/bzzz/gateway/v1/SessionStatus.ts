// Original file: proto/bzzz/gateway/v1/gateway.proto

export const SessionStatus = {
  SESSION_STATUS_UNSPECIFIED: 'SESSION_STATUS_UNSPECIFIED',
  SESSION_STATUS_ACTIVE: 'SESSION_STATUS_ACTIVE',
  SESSION_STATUS_ENDED: 'SESSION_STATUS_ENDED',
  SESSION_STATUS_CANCELLED: 'SESSION_STATUS_CANCELLED',
} as const;

export type SessionStatus =
  | 'SESSION_STATUS_UNSPECIFIED'
  | 0
  | 'SESSION_STATUS_ACTIVE'
  | 1
  | 'SESSION_STATUS_ENDED'
  | 2
  | 'SESSION_STATUS_CANCELLED'
  | 3;

export type SessionStatus__Output = (typeof SessionStatus)[keyof typeof SessionStatus];
