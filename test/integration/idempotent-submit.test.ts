/**
 * Idempotent run submission through the run service of a real gateway, on each store (SQLite, in
 * memory, PostgreSQL), against a real echo agent: submissions with the same key that race each other
 * create one run and call the agent once, including two gateway replicas sharing one PostgreSQL schema.
 * A store wrapper holds every lookup by key until all racers have made theirs, so each racer misses
 * and goes on to insert: the race is forced, not left to timing.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEchoAgent } from '../../examples/echo-agent.js';
import type { RunningAgent } from '../../examples/serve-agent.js';
import type { GatewayServices, SubmitRunRequest, SubmitRunResult } from '../../src/app/services.js';
import { systemContext } from '../../src/domain/call-context.js';
import { isTerminalRunStatus } from '../../src/domain/run.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import { InMemoryStore } from '../../src/store/memory/in-memory-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { makeDataDir, startTestGateway, type TestGateway } from '../support/gateway.js';
import { dropSchema, postgresForTests, uniqueTestSchema } from '../support/postgres.js';

const postgres = await postgresForTests();
const ctx = systemContext();

/** Lets calls through only once `racers` of them are waiting; after that, lets every call through. */
class Barrier {
  #waiting: (() => void)[] = [];
  #racers: number;

  constructor(racers: number) {
    this.#racers = racers;
  }

  async pass(): Promise<void> {
    if (this.#waiting.length + 1 < this.#racers) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      return;
    }
    for (const release of this.#waiting.splice(0)) release();
    this.#racers = 0;
  }
}

/**
 * `store`, whose `getRunByIdempotencyKey` answers only when `barrier` lets it, after its read has
 * finished: each racer has seen the store as it was before any of them inserted.
 */
function holdKeyLookups(store: Store, barrier: Barrier): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'getRunByIdempotencyKey') {
        return async (...args: Parameters<Store['getRunByIdempotencyKey']>) => {
          const found = await target.getRunByIdempotencyKey(...args);
          await barrier.pass();
          return found;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function settled(services: GatewayServices, id: string): Promise<void> {
  for await (const event of services.runs.watch(id, ctx)) {
    const status =
      event.type === 'snapshot' ? event.details.run.status : event.type === 'run' && event.run.status;
    if (status !== false && isTerminalRunStatus(status)) return;
  }
}

const postCount = (agent: RunningAgent): number => agent.requests.filter((r) => r.method === 'POST').length;

interface StoreCase {
  readonly name: string;
  readonly available: boolean;
  /** A fresh store, and how to remove what it leaves behind once closed. */
  readonly make: () => Promise<{ store: Store; cleanup: () => Promise<void> }>;
}

const STORES: readonly StoreCase[] = [
  {
    name: 'SQLite',
    available: true,
    make: async () => {
      const dir = await makeDataDir();
      return {
        store: new SqliteStore({ file: path.join(dir, 'store.sqlite') }),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'in-memory',
    available: true,
    make: async () => ({ store: new InMemoryStore(), cleanup: async () => {} }),
  },
  {
    name: 'PostgreSQL',
    available: postgres.available,
    make: async () => {
      const schema = uniqueTestSchema();
      return {
        store: new PostgresStore({ url: postgres.url, schema, maxConnections: 4 }),
        cleanup: () => dropSchema(postgres.url, schema),
      };
    },
  },
];

const RACERS = 4;

describe.each(STORES.map((c) => [c.name, c] as const))('idempotent submit on %s', (_name, storeCase) => {
  let echo: RunningAgent;
  let gw: TestGateway;
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    if (!storeCase.available) return;
    echo = await startEchoAgent();
    const made = await storeCase.make();
    cleanup = made.cleanup;
    gw = await startTestGateway({ overrides: { store: holdKeyLookups(made.store, new Barrier(RACERS)) } });
    await gw.gateway.services.agents.register({ name: 'echo', url: echo.url }, ctx);
  });

  afterAll(async () => {
    await gw?.close({ removeData: true });
    await cleanup();
    await echo?.close();
  });

  const request = (key: string, target: SubmitRunRequest['target'] = { kind: 'agent', name: 'echo' }) => ({
    target,
    input: { parts: [{ text: 'once' }] },
    idempotencyKey: key,
  });

  it.skipIf(!storeCase.available)(
    `${RACERS} concurrent submissions with one key create one run and call the agent once`,
    async () => {
      const { runs } = gw.gateway.services;
      const results: SubmitRunResult[] = await Promise.all(
        Array.from({ length: RACERS }, () => runs.submit(request('race-1'), ctx)),
      );
      const ids = new Set(results.map((r) => r.run.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const [id] = [...ids];
      await settled(gw.gateway.services, id!);
      expect((await runs.list({ agent: 'echo' }, {}, ctx)).items.map((r) => r.id)).toEqual([id]);
      expect(postCount(echo)).toBe(1);

      // Afterwards a retry is answered from the lookup: the finished run, not created again.
      const retry = await runs.submit(request('race-1'), ctx);
      expect(retry.created).toBe(false);
      expect(retry.run.status).toBe('completed');
      expect(retry.steps).toHaveLength(1);
      expect(postCount(echo)).toBe(1);
    },
  );

  it.skipIf(!storeCase.available)(
    'refuses the key for another target, and answers a retry even after its agent is gone',
    async () => {
      const { runs, agents } = gw.gateway.services;
      const first = await runs.submit(request('k-2'), ctx);
      await settled(gw.gateway.services, first.run.id);
      const error = await runs
        .submit(request('k-2', { kind: 'a2aAgent', url: echo.url }), ctx)
        .catch((caught: unknown) => caught);
      expect(GatewayError.is(error) && error.code).toBe(ErrorCode.RUN_ALREADY_EXISTS);
      expect((error as GatewayError).details).toEqual({ runId: first.run.id });

      await agents.deregister('echo', ctx);
      try {
        const retry = await runs.submit(request('k-2'), ctx);
        expect(retry).toMatchObject({ created: false, run: { id: first.run.id, status: 'completed' } });
      } finally {
        await agents.register({ name: 'echo', url: echo.url }, ctx);
      }
    },
  );

  it.skipIf(!storeCase.available)('refuses a malformed key with INVALID_ARGUMENT', async () => {
    for (const key of ['', 'k'.repeat(201), 'tab\there', 'naïve']) {
      const error = await gw.gateway.services.runs
        .submit(request(key), ctx)
        .catch((caught: unknown) => caught);
      expect(GatewayError.is(error) && error.details).toMatchObject({ field: 'idempotencyKey' });
    }
  });
});

describe.skipIf(!postgres.available)('idempotent submit across two replicas on one PostgreSQL schema', () => {
  const schema = uniqueTestSchema();
  let echo: RunningAgent;
  let replicas: TestGateway[] = [];
  const barrier = new Barrier(2);

  beforeAll(async () => {
    echo = await startEchoAgent();
    // Migrate once, so the replicas do not also race on the schema.
    const setup = new PostgresStore({ url: postgres.url, schema, maxConnections: 1 });
    await setup.start();
    await setup.close();
    replicas = await Promise.all(
      [0, 1].map(() =>
        startTestGateway({
          overrides: {
            store: holdKeyLookups(
              new PostgresStore({ url: postgres.url, schema, maxConnections: 4 }),
              barrier,
            ),
          },
        }),
      ),
    );
    for (const replica of replicas) {
      await replica.gateway.services.agents.register({ name: 'echo', url: echo.url }, ctx);
    }
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close({ removeData: true })));
    await dropSchema(postgres.url, schema);
    await echo?.close();
  });

  it('creates one run when the same submission reaches both replicas at once', async () => {
    const submit = (replica: TestGateway): Promise<SubmitRunResult> =>
      replica.gateway.services.runs.submit(
        {
          target: { kind: 'agent', name: 'echo' },
          input: { parts: [{ text: 'x' }] },
          idempotencyKey: 'both',
        },
        ctx,
      );
    const results = await Promise.all(replicas.map(submit));
    expect(results[0]?.run.id).toBe(results[1]?.run.id);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const owner = replicas[results.findIndex((r) => r.created)]!;
    await settled(owner.gateway.services, results[0]!.run.id);
    const listed = await replicas[0]!.gateway.services.runs.list({}, {}, ctx);
    expect(listed.items.map((r) => r.id)).toEqual([results[0]!.run.id]);
    expect(postCount(echo)).toBe(1);
  });
});
