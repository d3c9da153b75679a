/** Tests of Session: the seed's session test, end and cancel, and that only an active session takes runs. */
import { describe, expect, it } from 'vitest';

import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
import { DEFAULT_TENANT, isId, newId } from './ids.js';
import { newRun } from './run.js';
import {
  assertSessionAcceptsRuns,
  cancelSession,
  endSession,
  newSession,
  SESSION_STATUSES,
  SessionStatus,
  type Session,
} from './session.js';

const T0 = '2025-03-01T10:00:00.000Z';
const T1 = '2025-03-01T11:00:00.000Z';

function thrownBy(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (GatewayError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a GatewayError, nothing was thrown');
}

describe('seed tests', () => {
  it('test_session (run ids are derived from the runs that name the session)', () => {
    let session = newSession({ name: 'test' });
    assertSessionAcceptsRuns(session);
    const run = newRun({ target: { kind: 'agent', name: 'echo' }, sessionId: session.id });
    expect([run].filter((r) => r.sessionId === session.id)).toHaveLength(1);
    session = endSession(session);
    expect(session.status).toBe(SessionStatus.Ended);
  });
});

describe('newSession', () => {
  it('starts active with defaults filled in', () => {
    const session = newSession({ name: 'chat', at: T0 });
    expect(session).toEqual({
      id: session.id,
      tenant: DEFAULT_TENANT,
      status: SessionStatus.Active,
      name: 'chat',
      createdAt: T0,
    });
    expect(isId(session.id)).toBe(true);
  });

  it('keeps a given id and tenant', () => {
    const id = newId();
    expect(newSession({ name: 'n', id, tenant: 'acme' })).toMatchObject({ id, tenant: 'acme' });
  });
});

describe('end and cancel', () => {
  it('end records endedAt', () => {
    const ended = endSession(newSession({ name: 's', at: T0 }), T1);
    expect(ended).toMatchObject({ status: SessionStatus.Ended, endedAt: T1, createdAt: T0 });
  });

  it('cancel records endedAt', () => {
    const cancelled = cancelSession(newSession({ name: 's', at: T0 }), T1);
    expect(cancelled).toMatchObject({ status: SessionStatus.Cancelled, endedAt: T1 });
  });

  it('does not change the session it was given', () => {
    const session = newSession({ name: 's' });
    endSession(session);
    expect(session.status).toBe(SessionStatus.Active);
    expect(session.endedAt).toBeUndefined();
  });

  it('a session cannot end twice', () => {
    const ended = endSession(newSession({ name: 's' }), T1);
    const error = thrownBy(() => endSession(ended));
    expect(error.code).toBe(ErrorCode.ILLEGAL_STATE_TRANSITION);
    expect(error.message).toBe(`cannot end session ${ended.id}: it is ended`);
    expect(error.details).toEqual({ sessionId: ended.id, status: 'ended', action: 'end' });
  });

  const finished: [SessionStatus, (s: Session) => Session][] = [
    [SessionStatus.Ended, (s) => endSession(s)],
    [SessionStatus.Cancelled, (s) => cancelSession(s)],
  ];

  it.each(finished)('a %s session cannot end or be cancelled', (status, finish) => {
    const session = finish(newSession({ name: 's' }));
    expect(session.status).toBe(status);
    expect(thrownBy(() => endSession(session)).code).toBe(ErrorCode.ILLEGAL_STATE_TRANSITION);
    const error = thrownBy(() => cancelSession(session));
    expect(error.code).toBe(ErrorCode.ILLEGAL_STATE_TRANSITION);
    expect(error.message).toBe(`cannot cancel session ${session.id}: it is ${status}`);
  });
});

describe('assertSessionAcceptsRuns', () => {
  it.each(SESSION_STATUSES)('%s session', (status) => {
    const session: Session = { ...newSession({ name: 's' }), status };
    if (status === SessionStatus.Active) {
      expect(() => assertSessionAcceptsRuns(session)).not.toThrow();
      return;
    }
    const error = thrownBy(() => assertSessionAcceptsRuns(session));
    expect(error.code).toBe(ErrorCode.ILLEGAL_STATE_TRANSITION);
    expect(error.message).toBe(`cannot add a run to session ${session.id}: it is ${status}`);
  });

  it('lists the three statuses', () => {
    expect([...SESSION_STATUSES].sort()).toEqual(['active', 'cancelled', 'ended']);
  });
});
