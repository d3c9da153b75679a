/**
 * Sessions: conversations grouping runs. A session's run ids are derived from the runs that name it
 * (newest first, at most `MAX_LISTED_RUNS`), not kept on the session record.
 */
import type { CallContext } from '../domain/call-context.js';
import { isId } from '../domain/ids.js';
import { endSession, newSession, type Session } from '../domain/session.js';
import { ErrorCode, invalidArgument, notFound } from '../errors/gateway-error.js';
import type { Page, PageRequest, SessionFilter, Store } from '../store/store.js';
import type { SessionDetails, SessionService } from './services.js';

const MAX_LISTED_RUNS = 1000;
const MAX_NAME_LENGTH = 200;

export class DefaultSessionService implements SessionService {
  constructor(private readonly store: Store) {}

  async create(request: { name: string }, ctx: CallContext): Promise<SessionDetails> {
    if (request.name.length > MAX_NAME_LENGTH) {
      throw invalidArgument('name', `must be at most ${MAX_NAME_LENGTH} characters`);
    }
    const session = newSession({ name: request.name, tenant: ctx.tenant });
    await this.store.createSession(session, ctx);
    return { session, runIds: [] };
  }

  async get(id: string, ctx: CallContext): Promise<SessionDetails> {
    return this.#details(await this.#require(id, ctx), ctx);
  }

  list(filter: SessionFilter, page: PageRequest, ctx: CallContext): Promise<Page<Session>> {
    return this.store.listSessions(filter, page, ctx);
  }

  async end(id: string, ctx: CallContext): Promise<SessionDetails> {
    const ended = endSession(await this.#require(id, ctx));
    await this.store.updateSession(ended, ctx);
    return this.#details(ended, ctx);
  }

  async #details(session: Session, ctx: CallContext): Promise<SessionDetails> {
    const runs = await this.store.listRuns({ sessionId: session.id }, { pageSize: MAX_LISTED_RUNS }, ctx);
    return { session, runIds: runs.items.map((run) => run.id) };
  }

  async #require(id: string, ctx: CallContext): Promise<Session> {
    // Ids are UUIDs: anything else cannot exist, and must not reach a store with typed id columns.
    const session = !isId(id) ? undefined : await this.store.getSession(id, ctx);
    if (session === undefined) throw notFound(ErrorCode.SESSION_NOT_FOUND, 'session', id);
    return session;
  }
}
