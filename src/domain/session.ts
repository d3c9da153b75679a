/**
 * Session: a conversation, a logical grouping of runs (the seed's `Session`). Its id is sent to agents
 * as the A2A `contextId`, so a session's runs form one conversation on the agent's side.
 *
 * The seed keeps `run_ids` inside the session; the gateway derives them from the runs that name the
 * session (a store query), so concurrent submissions never contend on the session record.
 */
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { DEFAULT_TENANT, newId, type SessionId } from './ids.js';
import { now, type Timestamp } from './time.js';

export const SessionStatus = {
  Active: 'active',
  Ended: 'ended',
  Cancelled: 'cancelled',
} as const;
export type SessionStatus = (typeof SessionStatus)[keyof typeof SessionStatus];
export const SESSION_STATUSES: readonly SessionStatus[] = Object.values(SessionStatus);

export interface Session {
  readonly id: SessionId;
  readonly tenant: string;
  readonly status: SessionStatus;
  readonly name: string;
  readonly createdAt: Timestamp;
  readonly endedAt?: Timestamp;
}

export function newSession(options: {
  name: string;
  tenant?: string;
  id?: SessionId;
  at?: Timestamp;
}): Session {
  return {
    id: options.id ?? newId(),
    tenant: options.tenant ?? DEFAULT_TENANT,
    status: SessionStatus.Active,
    name: options.name,
    createdAt: options.at ?? now(),
  };
}

function requireActive(session: Session, action: string): void {
  if (session.status !== SessionStatus.Active) {
    throw new GatewayError(
      ErrorCode.ILLEGAL_STATE_TRANSITION,
      `cannot ${action} session ${session.id}: it is ${session.status}`,
      { details: { sessionId: session.id, status: session.status, action } },
    );
  }
}

/** Throws unless the session still accepts runs. */
export function assertSessionAcceptsRuns(session: Session): void {
  requireActive(session, 'add a run to');
}

export function endSession(session: Session, at: Timestamp = now()): Session {
  requireActive(session, 'end');
  return { ...session, status: SessionStatus.Ended, endedAt: at };
}

export function cancelSession(session: Session, at: Timestamp = now()): Session {
  requireActive(session, 'cancel');
  return { ...session, status: SessionStatus.Cancelled, endedAt: at };
}
