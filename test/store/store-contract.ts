/**
 * The storage port's contract, as one vitest suite every adapter runs (in-memory, SQLite, PostgreSQL):
 * an adapter is finished when it passes this. It pins down tenant scoping, exact round-trips of every
 * record, optimistic run updates (with the step and artifact written in the same transaction), unique
 * idempotency keys per tenant, keyset paging and filtering, ordering, and the error codes the port
 * promises. Each test gets a fresh, empty store from `makeStore` and calls its `cleanup` afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentHealth, type RegisteredAgent } from '../../src/domain/agent.js';
import {
  newArtifact,
  sha256Checksum,
  type Artifact,
  type ArtifactLocation,
} from '../../src/domain/artifact.js';
import { systemContext, type CallContext } from '../../src/domain/call-context.js';
import { RunErrors, StepErrors, type RunError } from '../../src/domain/run-error.js';
import {
  RUN_STATUSES,
  RunStatus,
  isTerminalRunStatus,
  newRun,
  nextVersion,
  startRun,
  withRemote,
  type Run,
  type RunStatus as RunStatusType,
  type RunTarget,
  type TraceRef,
} from '../../src/domain/run.js';
import { SessionStatus, endSession, newSession, type Session } from '../../src/domain/session.js';
import { StepStatus, completeStep, newStep, startStep, type Step } from '../../src/domain/step.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import type { Page, Store } from '../../src/store/store.js';

export interface StoreUnderTest {
  readonly store: Store;
  /** Closes the store and removes whatever it created (files, schemas). */
  readonly cleanup: () => Promise<void>;
}

const A = systemContext(undefined, 'tenant-a');
const B = systemContext(undefined, 'tenant-b');

/** 2025-01-01T00:00:00.000Z plus `seconds`, as the domain writes timestamps. */
function at(seconds: number): string {
  return new Date(Date.UTC(2025, 0, 1) + seconds * 1000).toISOString();
}

/** A fixed-width id that sorts by `n`, for tests that need a known tie-break order. */
function sortableId(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(4, '0')}`;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to reject');
    },
    (error: unknown) => error,
  );
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await rejectionOf(promise);
  expect(GatewayError.is(error), `expected a GatewayError, got ${String(error)}`).toBe(true);
  expect((error as GatewayError).code).toBe(code);
}

function agentRun(
  name: string,
  options: { tenant?: string; at?: string; id?: string; sessionId?: string } = {},
): Run {
  return newRun({
    target: { kind: 'agent', name },
    tenant: options.tenant ?? A.tenant,
    ...(options.at !== undefined && { at: options.at }),
    ...(options.id !== undefined && { id: options.id }),
    ...(options.sessionId !== undefined && { sessionId: options.sessionId }),
  });
}

/** A sampled run span, and a step span in the same trace. */
const RUN_TRACE: TraceRef = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
};
const STEP_TRACE: TraceRef = { traceId: RUN_TRACE.traceId, spanId: 'b7ad6b7169203331', traceFlags: 1 };

/** A run with every optional field set, in a failed state, several versions in. */
function fullRun(tenant = A.tenant): Run {
  const base = newRun({
    target: { kind: 'agent', name: 'summariser' },
    tenant,
    runtimeKind: 'docker',
    sessionId: 'session-1',
    timeoutMs: 90_000,
    idempotencyKey: 'order-42 / attempt:1',
    at: at(10),
    input: {
      parts: [
        { text: 'hello', mediaType: 'text/plain', metadata: { lang: 'en', nested: { deep: [1, 2, 3] } } },
        {
          raw: Buffer.from([0, 1, 2, 255]).toString('base64'),
          mediaType: 'application/octet-stream',
          filename: 'a.bin',
        },
        { url: 'https://example.test/doc.pdf', mediaType: 'application/pdf' },
        { data: { numbers: [1.5, -2, 0], flag: true, nothing: null, text: 'ünïcödé ✓ 🐝' } },
      ],
      metadata: { source: 'contract-test', priority: 3 },
    },
  });
  return {
    ...base,
    status: RunStatus.Failed,
    startedAt: at(11),
    finishedAt: at(12),
    error: RunErrors.patternError('fan-out', 'step-2', 'worker crashed'),
    artifactIds: ['artifact-1', 'artifact-2'],
    remote: { taskId: 'task-9', contextId: 'ctx-9', state: 'TASK_STATE_FAILED' },
    trace: RUN_TRACE,
    version: 5,
    updatedAt: at(12),
  };
}

const RUN_ERRORS: readonly RunError[] = [
  RunErrors.startupFailed('no such binary'),
  RunErrors.executionFailed('exit 1'),
  RunErrors.cancelled('user asked'),
  RunErrors.timeout(30_000),
  RunErrors.workerTimeout('worker-3', 1500),
  RunErrors.invalidConfig('bad swarm'),
  RunErrors.runtimeError('oom'),
  RunErrors.artifactError('disk full'),
  RunErrors.notFound('agent', 'ghost'),
  RunErrors.patternError('pipeline', 'stage-1', 'boom'),
  RunErrors.validationError('missing field'),
];

const TARGETS: readonly RunTarget[] = [
  { kind: 'agent', name: 'echo' },
  { kind: 'swarm', swarmfilePath: 'swarms/review.yaml' },
  { kind: 'a2aAgent', url: 'https://agents.example.test/echo' },
];

function fullAgent(name: string, tenant = A.tenant): RegisteredAgent {
  return {
    tenant,
    name,
    url: `https://agents.example.test/${name}`,
    cardUrl: `https://agents.example.test/${name}/.well-known/agent-card.json`,
    card: {
      name,
      description: 'An agent with a nested card',
      skills: [{ id: 'echo', tags: ['a', 'b'], examples: [] }],
      capabilities: { streaming: true, pushNotifications: false },
      version: '1.0.0',
    },
    endpoint: {
      url: `https://agents.example.test/${name}/a2a`,
      protocolBinding: 'JSONRPC',
      protocolVersion: '0.3',
      tenant: 'remote-tenant',
    },
    labels: { team: 'bees', env: 'test' },
    credentials: { bearerToken: 'secret-token', headers: { 'x-api-key': 'k', 'x-other': 'v' } },
    health: AgentHealth.Unhealthy,
    healthReason: 'missed heartbeat',
    heartbeatTtlMs: 15_000,
    lastHeartbeatAt: at(100),
    lastCheckedAt: at(101),
    registeredAt: at(50),
    updatedAt: at(101),
  };
}

function minimalAgent(name: string, tenant = A.tenant): RegisteredAgent {
  return {
    tenant,
    name,
    url: `https://agents.example.test/${name}`,
    cardUrl: `https://agents.example.test/${name}/card`,
    card: { name },
    endpoint: {
      url: `https://agents.example.test/${name}`,
      protocolBinding: 'HTTP+JSON',
      protocolVersion: '1.0',
    },
    labels: {},
    health: AgentHealth.Unknown,
    registeredAt: at(1),
    updatedAt: at(1),
  };
}

/** Walks every page of a listing and returns the items in order, checking the tokens on the way. */
async function allPages<T>(list: (pageToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page = await list(token);
    items.push(...page.items);
    if (page.nextPageToken === '') return items;
    token = page.nextPageToken;
  }
  throw new Error('paging did not end');
}

/** Newest first: createdAt desc, then id desc. */
function newestFirst<T extends { createdAt: string; id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) =>
    a.createdAt !== b.createdAt
      ? a.createdAt < b.createdAt
        ? 1
        : -1
      : a.id < b.id
        ? 1
        : a.id > b.id
          ? -1
          : 0,
  );
}

/** Registers the contract suite for one adapter. `makeStore` must return a started, empty store. */
export function describeStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });

    afterEach(async () => {
      await cleanup();
    });

    async function createRuns(runs: readonly Run[], ctx: CallContext = A): Promise<void> {
      for (const run of runs) await store.createRun(run, ctx);
    }

    describe('lifecycle', () => {
      it('close() is idempotent and later calls fail with UNAVAILABLE', async () => {
        const first = store.close();
        expect(store.close()).toBe(first);
        await first;
        await expectCode(store.getRun('x', A), ErrorCode.UNAVAILABLE);
        await expectCode(store.createRun(agentRun('echo'), A), ErrorCode.UNAVAILABLE);
        await expectCode(store.listAllAgents(), ErrorCode.UNAVAILABLE);
      });
    });

    describe('runs', () => {
      it('round-trips a run with every optional field set', async () => {
        const run = fullRun();
        await store.createRun(run, A);
        expect(await store.getRun(run.id, A)).toStrictEqual(run);
      });

      it('creates a run with its first step in one write, or neither', async () => {
        const run = startRun(agentRun('echo'));
        const step = newStep({ runId: run.id, name: 'send-message', agent: 'echo' });
        await store.createRun(run, A, { step });
        expect(await store.getRun(run.id, A)).toStrictEqual(run);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
        // A duplicate run id stores neither the run nor its step.
        const again = newStep({ runId: run.id, name: 'other', agent: 'echo' });
        await expectCode(store.createRun(run, A, { step: again }), ErrorCode.INTERNAL);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
      });

      it('round-trips a minimal run without inventing optional fields', async () => {
        const run = newRun({ target: { kind: 'agent', name: 'echo' }, tenant: A.tenant });
        await store.createRun(run, A);
        const stored = await store.getRun(run.id, A);
        expect(stored).toStrictEqual(run);
        expect(stored && Object.keys(stored).sort()).toEqual(Object.keys(run).sort());
      });

      it.each(TARGETS.map((target) => [target.kind, target] as const))(
        'round-trips a %s target',
        async (_, target) => {
          const run = newRun({ target, tenant: A.tenant });
          await store.createRun(run, A);
          expect((await store.getRun(run.id, A))?.target).toStrictEqual(target);
        },
      );

      it.each(RUN_ERRORS.map((error) => [error.kind, error] as const))(
        'round-trips a %s error',
        async (_, error) => {
          const run: Run = { ...agentRun('echo'), status: RunStatus.Failed, error, finishedAt: at(5) };
          await store.createRun(run, A);
          expect(await store.getRun(run.id, A)).toStrictEqual(run);
        },
      );

      it('hands out copies: mutating an input or a result does not change what is stored', async () => {
        const run = fullRun();
        const input = structuredClone(run) as unknown as {
          artifactIds: string[];
          remote: { taskId?: string };
        };
        await store.createRun(input as unknown as Run, A);
        input.artifactIds.push('mutated-after-create');
        input.remote.taskId = 'mutated';
        const first = (await store.getRun(run.id, A)) as unknown as { artifactIds: string[]; status: string };
        first.artifactIds.push('mutated-after-get');
        first.status = 'completed';
        expect(await store.getRun(run.id, A)).toStrictEqual(run);
      });

      it('refuses a second run with the same id (INTERNAL), even from another tenant', async () => {
        const run = agentRun('echo');
        await store.createRun(run, A);
        await expectCode(store.createRun({ ...run, status: RunStatus.Running }, A), ErrorCode.INTERNAL);
        await expectCode(store.createRun({ ...run, tenant: B.tenant }, B), ErrorCode.INTERNAL);
        expect((await store.getRun(run.id, A))?.status).toBe(RunStatus.Pending);
        expect(await store.getRun(run.id, B)).toBeUndefined();
      });

      it("refuses to write a run whose tenant is not the caller's (INVALID_ARGUMENT)", async () => {
        const run = agentRun('echo', { tenant: A.tenant });
        await expectCode(store.createRun(run, B), ErrorCode.INVALID_ARGUMENT);
        expect(await store.getRun(run.id, A)).toBeUndefined();
        await store.createRun(run, A);
        await expectCode(store.updateRun({ ...run, version: 2 }, B), ErrorCode.INVALID_ARGUMENT);
        expect((await store.getRun(run.id, A))?.version).toBe(1);
      });

      it('returns undefined for an unknown id', async () => {
        expect(await store.getRun('no-such-run', A)).toBeUndefined();
      });

      it("hides a tenant's runs from every other tenant", async () => {
        const run = agentRun('echo', { tenant: A.tenant });
        await store.createRun(run, A);
        expect(await store.getRun(run.id, B)).toBeUndefined();
        expect((await store.listRuns({}, {}, B)).items).toEqual([]);
        expect((await store.listRuns({}, {}, A)).items.map((r) => r.id)).toEqual([run.id]);
      });
    });

    describe('updateRun (optimistic concurrency)', () => {
      it('replaces the run when the stored version is run.version - 1', async () => {
        const run = fullRun();
        await store.createRun(run, A);
        const next: Run = {
          ...run,
          status: RunStatus.Completed,
          error: RunErrors.timeout(1000),
          artifactIds: [...run.artifactIds, 'artifact-3'],
          remote: { taskId: 'task-10' },
          finishedAt: at(20),
          updatedAt: at(20),
          version: run.version + 1,
        };
        expect(await store.updateRun(next, A)).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual(next);
      });

      it('clears optional fields the new version no longer has', async () => {
        const run = fullRun();
        await store.createRun(run, A);
        const { error: _e, remote: _r, finishedAt: _f, trace: _tr, ...rest } = run;
        const next: Run = { ...rest, status: RunStatus.Running, version: run.version + 1 };
        expect(await store.updateRun(next, A)).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual(next);
      });

      it('keeps what was fixed at creation (target, input, session, time limit, key) as stored', async () => {
        const run = { ...fullRun(), idempotencyKey: 'fixed-key' };
        await store.createRun(run, A);
        const { input: _i, sessionId: _s, timeoutMs: _t, idempotencyKey: _k, ...rest } = run;
        const next: Run = {
          ...rest,
          target: { kind: 'agent', name: 'someone-else' },
          createdAt: at(99),
          status: RunStatus.Running,
          version: run.version + 1,
        };
        expect(await store.updateRun(next, A)).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual({
          ...run,
          status: RunStatus.Running,
          version: run.version + 1,
        });
      });

      it('keeps a large input as it was through updates', async () => {
        const run: Run = { ...agentRun('echo'), input: { parts: [{ text: 'ü✓🐝'.repeat(30_000) }] } };
        await store.createRun(run, A);
        const next: Run = { ...nextVersion(startRun(run)), remote: { taskId: 'task-1' } };
        expect(await store.updateRun(next, A)).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual(next);
        expect((await store.listRuns({}, {}, A)).items).toStrictEqual([next]);
      });

      it('writes nothing and returns false when the stored version is not run.version - 1', async () => {
        const run = agentRun('echo');
        await store.createRun(run, A);
        const v2: Run = { ...run, status: RunStatus.Running, startedAt: at(1), version: 2 };
        expect(await store.updateRun(v2, A)).toBe(true);
        // A second writer that also read version 1.
        const stale: Run = { ...run, status: RunStatus.Cancelled, version: 2 };
        expect(await store.updateRun(stale, A)).toBe(false);
        // Skipping a version, or repeating the stored one.
        expect(await store.updateRun({ ...v2, status: RunStatus.Completed, version: 4 }, A)).toBe(false);
        expect(await store.updateRun({ ...v2, status: RunStatus.Completed, version: 2 }, A)).toBe(false);
        expect(await store.getRun(run.id, A)).toStrictEqual(v2);
      });

      it('returns false for an unknown run and for a run of another tenant', async () => {
        expect(await store.updateRun({ ...agentRun('echo'), version: 2 }, A)).toBe(false);
        const run = agentRun('echo', { tenant: A.tenant });
        await store.createRun(run, A);
        expect(
          await store.updateRun({ ...run, tenant: B.tenant, status: RunStatus.Running, version: 2 }, B),
        ).toBe(false);
        expect(await store.getRun(run.id, A)).toStrictEqual(run);
      });

      it('keeps lookups by status and by task id right whichever of the two an update changes', async () => {
        const run = agentRun('echo');
        await store.createRun(run, A);
        const lookups = async () => ({
          stored: await store.getRun(run.id, A),
          byStatus: Object.fromEntries(
            await Promise.all(
              [RunStatus.Pending, RunStatus.Running, RunStatus.Completed].map(async (status) => [
                status,
                (await store.listRuns({ statuses: [status] }, {}, A)).items.map((r) => r.id),
              ]),
            ),
          ),
          unfinished: (await store.listUnfinishedRuns()).map((r) => r.id),
          task1: (await store.getRunByRemoteTask('echo', 'task-1', A))?.id,
          task2: (await store.getRunByRemoteTask('echo', 'task-2', A))?.id,
        });
        const expectLookups = async (
          expected: Run,
          status: RunStatusType,
          task: 'task1' | 'task2' | undefined,
        ): Promise<void> => {
          expect(await lookups()).toStrictEqual({
            stored: expected,
            byStatus: {
              [RunStatus.Pending]: status === RunStatus.Pending ? [run.id] : [],
              [RunStatus.Running]: status === RunStatus.Running ? [run.id] : [],
              [RunStatus.Completed]: status === RunStatus.Completed ? [run.id] : [],
            },
            unfinished: isTerminalRunStatus(status) ? [] : [run.id],
            task1: task === 'task1' ? run.id : undefined,
            task2: task === 'task2' ? run.id : undefined,
          });
        };
        // The status alone, the task id alone, neither, then both.
        const started = nextVersion(startRun(run));
        expect(await store.updateRun(started, A)).toBe(true);
        await expectLookups(started, RunStatus.Running, undefined);
        const tracked = nextVersion(withRemote(started, { taskId: 'task-1' }));
        expect(await store.updateRun(tracked, A)).toBe(true);
        await expectLookups(tracked, RunStatus.Running, 'task1');
        const touched = nextVersion({ ...tracked, updatedAt: at(30) });
        expect(await store.updateRun(touched, A)).toBe(true);
        await expectLookups(touched, RunStatus.Running, 'task1');
        const finished = nextVersion(
          withRemote({ ...touched, status: RunStatus.Completed, finishedAt: at(40) }, { taskId: 'task-2' }),
        );
        expect(await store.updateRun(finished, A)).toBe(true);
        await expectLookups(finished, RunStatus.Completed, 'task2');
      });

      it('lets exactly one of several concurrent writers of the same version win', async () => {
        const run = agentRun('echo');
        await store.createRun(run, A);
        const attempts = Array.from({ length: 5 }, (_, i) =>
          store.updateRun({ ...run, status: RunStatus.Running, remote: { taskId: `t${i}` }, version: 2 }, A),
        );
        const results = await Promise.all(attempts);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect((await store.getRun(run.id, A))?.remote).toStrictEqual({ taskId: `t${winner}` });
      });
    });

    describe('updateRun with changes (one transaction)', () => {
      let run: Run;
      beforeEach(async () => {
        run = agentRun('echo', { at: at(1) });
        await store.createRun(run, A);
      });

      function next(from: Run, changes: Partial<Run> = {}): Run {
        return {
          ...from,
          status: RunStatus.Running,
          updatedAt: at(2),
          ...changes,
          version: from.version + 1,
        };
      }

      function inlineArtifact(content: Uint8Array, options: { tenant?: string; id?: string } = {}): Artifact {
        return newArtifact({
          name: 'reply.txt',
          contentType: 'text/plain',
          size: content.length,
          location: { kind: 'inline', content },
          checksum: sha256Checksum('cd'.repeat(32)),
          tenant: options.tenant ?? A.tenant,
          sourceRunId: run.id,
          at: at(2),
          ...(options.id !== undefined && { id: options.id }),
        });
      }

      it('stores the run and its step together', async () => {
        const step: Step = {
          ...newStep({ runId: run.id, name: 'call echo', agent: 'echo', at: at(2) }),
          status: StepStatus.Running,
          startedAt: at(2),
          remote: { method: 'SendMessage', eventCount: 0 },
        };
        const v2 = next(run, { startedAt: at(2) });
        expect(await store.updateRun(v2, A, { step })).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual(v2);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
        // The step is upserted: the next version replaces it.
        const done: Step = { ...step, status: StepStatus.Completed, finishedAt: at(3) };
        const v3 = next(v2, { status: RunStatus.Completed, finishedAt: at(3) });
        expect(await store.updateRun(v3, A, { step: done })).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual(v3);
        expect(await store.listSteps(run.id, A)).toStrictEqual([done]);
      });

      it('stores the run and its artifact together, inline content byte for byte', async () => {
        const content = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
        const artifact = inlineArtifact(content);
        const v2 = next(run, { artifactIds: [artifact.id] });
        expect(await store.updateRun(v2, A, { artifact })).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual(v2);
        const got = await store.getArtifact(artifact.id, A);
        expect(got).toStrictEqual({
          ...artifact,
          location: { kind: 'inline', content: new Uint8Array(content) },
        });
        expect(await store.listArtifacts(run.id, A)).toHaveLength(1);
      });

      it('stores the run, its step and its artifact together', async () => {
        const artifact = inlineArtifact(new TextEncoder().encode('hello'));
        const step: Step = {
          ...newStep({ runId: run.id, name: 'call echo', agent: 'echo', at: at(2) }),
          status: StepStatus.Completed,
          finishedAt: at(3),
          outputArtifactIds: [artifact.id],
        };
        const v2 = next(run, { status: RunStatus.Completed, finishedAt: at(3), artifactIds: [artifact.id] });
        expect(await store.updateRun(v2, A, { step, artifact })).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual(v2);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
        expect(await store.getArtifact(artifact.id, A)).toStrictEqual({
          ...artifact,
          location: { kind: 'inline', content: new TextEncoder().encode('hello') },
        });
      });

      it('writes neither the run nor the step nor the artifact on a version conflict', async () => {
        const step = newStep({ runId: run.id, name: 'call echo', agent: 'echo', at: at(2) });
        const v2 = next(run);
        expect(await store.updateRun(v2, A, { step })).toBe(true);
        // A second writer that also read version 1, with a step update and an artifact of its own.
        const artifact = inlineArtifact(Uint8Array.from([1, 2, 3]));
        const staleStep: Step = { ...step, status: StepStatus.Failed, error: StepErrors.timeout(10) };
        const stale = next(run, { status: RunStatus.Cancelled, artifactIds: [artifact.id] });
        expect(await store.updateRun(stale, A, { step: staleStep, artifact })).toBe(false);
        expect(await store.getRun(run.id, A)).toStrictEqual(v2);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
        expect(await store.getArtifact(artifact.id, A)).toBeUndefined();
        // A step of a run that does not exist is not even looked at: the conflict comes first.
        const orphan = newStep({ runId: 'no-such-run', name: 'x', agent: 'echo' });
        expect(await store.updateRun(stale, A, { step: orphan })).toBe(false);
        expect(await store.updateRun({ ...next(run), id: 'no-such-run' }, A, { artifact })).toBe(false);
        expect(await store.getArtifact(artifact.id, A)).toBeUndefined();
      });

      it('rolls the run back when the artifact insert fails, with the error putArtifact gives', async () => {
        const existing = inlineArtifact(Uint8Array.from([9]));
        await store.putArtifact(existing, A);
        const duplicate = { ...existing, name: 'again.txt' };
        const putError = await rejectionOf(store.putArtifact(duplicate, A));
        expect(GatewayError.is(putError) && putError.code).toBe(ErrorCode.INTERNAL);

        const step = newStep({ runId: run.id, name: 'call echo', agent: 'echo', at: at(2) });
        await expectCode(
          store.updateRun(next(run, { artifactIds: [existing.id] }), A, { step, artifact: duplicate }),
          (putError as GatewayError).code,
        );
        expect(await store.getRun(run.id, A)).toStrictEqual(run);
        expect(await store.listSteps(run.id, A)).toEqual([]);
        expect((await store.getArtifact(existing.id, A))?.name).toBe('reply.txt');
        // Nothing was left half-done: the same version can still be written.
        const v2 = next(run);
        expect(await store.updateRun(v2, A, { step })).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual(v2);
      });

      it('refuses a step of a run of another tenant as putStep does, and rolls the run back', async () => {
        const runOfB = agentRun('echo', { tenant: B.tenant, at: at(1) });
        await store.createRun(runOfB, B);
        const intoA = newStep({ runId: run.id, name: 'x', agent: 'echo' });
        const putError = await rejectionOf(store.putStep(intoA, B));
        expect(GatewayError.is(putError) && putError.code).toBe(ErrorCode.RUN_NOT_FOUND);
        await expectCode(store.updateRun(next(runOfB), B, { step: intoA }), (putError as GatewayError).code);
        expect(await store.getRun(runOfB.id, B)).toStrictEqual(runOfB);
        expect(await store.listSteps(run.id, A)).toEqual([]);

        // Nor may B take over a step id that A holds (INTERNAL, as putStep).
        const stepOfA = newStep({ runId: run.id, name: 'call', agent: 'echo' });
        await store.putStep(stepOfA, A);
        const hijack: Step = { ...stepOfA, runId: runOfB.id, name: 'hijack' };
        await expectCode(store.updateRun(next(runOfB), B, { step: hijack }), ErrorCode.INTERNAL);
        expect(await store.getRun(runOfB.id, B)).toStrictEqual(runOfB);
        expect(await store.listSteps(run.id, A)).toStrictEqual([stepOfA]);
        expect(await store.listSteps(runOfB.id, B)).toEqual([]);
      });

      it("refuses an artifact whose tenant is not the caller's (INVALID_ARGUMENT), writing nothing", async () => {
        const foreign = inlineArtifact(Uint8Array.from([1]), { tenant: B.tenant });
        await expectCode(store.updateRun(next(run), A, { artifact: foreign }), ErrorCode.INVALID_ARGUMENT);
        expect(await store.getRun(run.id, A)).toStrictEqual(run);
        expect(await store.getArtifact(foreign.id, B)).toBeUndefined();
      });

      it("lets exactly one of several concurrent writers win, and stores only the winner's changes", async () => {
        const attempts = Array.from({ length: 5 }, (_, i) => {
          const artifact = inlineArtifact(Uint8Array.from([i]), { id: `artifact-${i}` });
          const step = newStep({ runId: run.id, name: `writer ${i}`, agent: 'echo', id: 'step-1' });
          return store.updateRun(next(run, { artifactIds: [artifact.id] }), A, { step, artifact });
        });
        const results = await Promise.all(attempts);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect((await store.getRun(run.id, A))?.artifactIds).toEqual([`artifact-${winner}`]);
        expect((await store.listSteps(run.id, A)).map((s) => s.name)).toEqual([`writer ${winner}`]);
        expect((await store.listArtifacts(run.id, A)).map((a) => a.id)).toEqual([`artifact-${winner}`]);
      });
    });

    describe('listRuns', () => {
      it('lists newest first, breaking createdAt ties by id descending', async () => {
        const runs = [
          agentRun('echo', { at: at(1), id: sortableId('run', 1) }),
          agentRun('echo', { at: at(3), id: sortableId('run', 2) }),
          agentRun('echo', { at: at(2), id: sortableId('run', 3) }),
          agentRun('echo', { at: at(2), id: sortableId('run', 4) }),
          agentRun('echo', { at: at(2), id: sortableId('run', 5) }),
        ];
        await createRuns(runs);
        const page = await store.listRuns({}, {}, A);
        expect(page.items.map((r) => r.id)).toEqual([
          'run-0002',
          'run-0005',
          'run-0004',
          'run-0003',
          'run-0001',
        ]);
        expect(page.nextPageToken).toBe('');
        expect(page.items[0]).toStrictEqual(runs[1]);
      });

      it('filters by any of several statuses; an empty list does not filter', async () => {
        const runs = RUN_STATUSES.map((status, i): Run => ({ ...agentRun('echo', { at: at(i) }), status }));
        await createRuns(runs);
        const page = await store.listRuns({ statuses: [RunStatus.Running, RunStatus.Failed] }, {}, A);
        expect(page.items.map((r) => r.status).sort()).toEqual([RunStatus.Failed, RunStatus.Running]);
        expect(
          (await store.listRuns({ statuses: [RunStatus.Timeout] }, {}, A)).items.map((r) => r.status),
        ).toEqual([RunStatus.Timeout]);
        expect((await store.listRuns({ statuses: [] }, {}, A)).items).toHaveLength(RUN_STATUSES.length);
        const repeated = await store.listRuns({ statuses: [RunStatus.Pending, RunStatus.Pending] }, {}, A);
        expect(repeated.items.map((r) => r.status)).toEqual([RunStatus.Pending]);
        const unknown = await store.listRuns({ statuses: ['no-such-status' as RunStatusType] }, {}, A);
        expect(unknown).toEqual({ items: [], nextPageToken: '' });
      });

      it('filters by agent name, matching only targets of kind agent', async () => {
        const echo = agentRun('echo', { at: at(1) });
        const other = agentRun('other', { at: at(2) });
        const byUrl = newRun({ target: { kind: 'a2aAgent', url: 'echo' }, tenant: A.tenant, at: at(3) });
        const swarm = newRun({
          target: { kind: 'swarm', swarmfilePath: 'echo' },
          tenant: A.tenant,
          at: at(4),
        });
        await createRuns([echo, other, byUrl, swarm]);
        expect((await store.listRuns({ agent: 'echo' }, {}, A)).items).toStrictEqual([echo]);
        expect((await store.listRuns({ agent: 'nobody' }, {}, A)).items).toEqual([]);
      });

      it('filters by session', async () => {
        const inSession = agentRun('echo', { at: at(1), sessionId: 's-1' });
        const inOther = agentRun('echo', { at: at(2), sessionId: 's-2' });
        const none = agentRun('echo', { at: at(3) });
        await createRuns([inSession, inOther, none]);
        expect((await store.listRuns({ sessionId: 's-1' }, {}, A)).items).toStrictEqual([inSession]);
      });

      it('filters by createdAfter (inclusive) and createdBefore (exclusive)', async () => {
        const runs = [1, 2, 3, 4, 5].map((s) => agentRun('echo', { at: at(s) }));
        await createRuns(runs);
        const createdAts = async (filter: {
          createdAfter?: string;
          createdBefore?: string;
        }): Promise<string[]> => (await store.listRuns(filter, {}, A)).items.map((r) => r.createdAt);
        expect(await createdAts({ createdAfter: at(3) })).toEqual([at(5), at(4), at(3)]);
        expect(await createdAts({ createdBefore: at(3) })).toEqual([at(2), at(1)]);
        expect(await createdAts({ createdAfter: at(2), createdBefore: at(4) })).toEqual([at(3), at(2)]);
        expect(await createdAts({ createdAfter: at(3), createdBefore: at(3) })).toEqual([]);
      });

      it('combines filters', async () => {
        const match: Run = { ...agentRun('echo', { at: at(5), sessionId: 's' }), status: RunStatus.Running };
        const runs: Run[] = [
          match,
          { ...agentRun('echo', { at: at(6), sessionId: 's' }), status: RunStatus.Completed },
          { ...agentRun('other', { at: at(7), sessionId: 's' }), status: RunStatus.Running },
          { ...agentRun('echo', { at: at(8) }), status: RunStatus.Running },
          { ...agentRun('echo', { at: at(1), sessionId: 's' }), status: RunStatus.Running },
        ];
        await createRuns(runs);
        const page = await store.listRuns(
          {
            statuses: [RunStatus.Running],
            agent: 'echo',
            sessionId: 's',
            createdAfter: at(2),
            createdBefore: at(9),
          },
          {},
          A,
        );
        expect(page.items).toStrictEqual([match]);
      });

      it('pages with opaque tokens that never overlap or skip, even across createdAt ties', async () => {
        // 23 runs over 6 distinct timestamps, inserted in a scrambled order.
        const runs = Array.from({ length: 23 }, (_, i) =>
          agentRun('echo', { at: at(i % 6), id: sortableId('run', (i * 7) % 23) }),
        );
        await createRuns(runs);
        for (const pageSize of [1, 4, 6, 22, 23, 50]) {
          const pageSizes: number[] = [];
          const listed = await allPages(async (pageToken) => {
            const page = await store.listRuns(
              {},
              { pageSize, ...(pageToken !== undefined && { pageToken }) },
              A,
            );
            pageSizes.push(page.items.length);
            return page;
          });
          expect(listed.map((r) => r.id)).toEqual(newestFirst(runs).map((r) => r.id));
          expect(pageSizes.every((n) => n <= pageSize)).toBe(true);
          expect(pageSizes.slice(0, -1).every((n) => n === pageSize)).toBe(true);
        }
      });

      it('keeps its place when newer runs arrive between pages', async () => {
        const runs = Array.from({ length: 6 }, (_, i) => agentRun('echo', { at: at(10 + i) }));
        await createRuns(runs);
        const first = await store.listRuns({}, { pageSize: 3 }, A);
        await store.createRun(agentRun('echo', { at: at(100) }), A);
        const second = await store.listRuns({}, { pageSize: 3, pageToken: first.nextPageToken }, A);
        expect([...first.items, ...second.items].map((r) => r.id)).toEqual(
          newestFirst(runs).map((r) => r.id),
        );
      });

      it('pages within a filter', async () => {
        const running = Array.from({ length: 7 }, (_, i): Run => ({
          ...agentRun('echo', { at: at(i % 2) }),
          status: RunStatus.Running,
        }));
        const done = Array.from({ length: 5 }, (_, i): Run => ({
          ...agentRun('echo', { at: at(i % 2) }),
          status: RunStatus.Completed,
        }));
        await createRuns([...running, ...done]);
        const listed = await allPages((pageToken) =>
          store.listRuns(
            { statuses: [RunStatus.Running] },
            { pageSize: 2, ...(pageToken !== undefined && { pageToken }) },
            A,
          ),
        );
        expect(listed.map((r) => r.id)).toEqual(newestFirst(running).map((r) => r.id));
      });

      it('clamps the page size: below 1 means the default of 50', async () => {
        const runs = Array.from({ length: 52 }, (_, i) => agentRun('echo', { at: at(i) }));
        await createRuns(runs);
        for (const pageSize of [0, -3]) {
          const page = await store.listRuns({}, { pageSize }, A);
          expect(page.items).toHaveLength(50);
          expect(page.nextPageToken).not.toBe('');
        }
        expect((await store.listRuns({}, {}, A)).items).toHaveLength(50);
        expect((await store.listRuns({}, { pageSize: 1_000_000 }, A)).items).toHaveLength(52);
      });

      it('rejects a malformed page token with INVALID_ARGUMENT', async () => {
        await store.createRun(agentRun('echo'), A);
        const tokens = [
          'not a token!',
          Buffer.from('{"createdAt":"x","id":"y"}').toString('base64url'),
          Buffer.from('[1,2]').toString('base64url'),
          Buffer.from('["only-one"]').toString('base64url'),
        ];
        for (const pageToken of tokens) {
          await expectCode(store.listRuns({}, { pageToken }, A), ErrorCode.INVALID_ARGUMENT);
        }
      });
    });

    describe('listUnfinishedRuns', () => {
      it('returns every non-terminal run of every tenant', async () => {
        const runs = RUN_STATUSES.flatMap((status, i): Run[] => [
          { ...agentRun('echo', { tenant: A.tenant, at: at(i) }), status },
          { ...agentRun('echo', { tenant: B.tenant, at: at(i) }), status },
        ]);
        for (const run of runs) await store.createRun(run, run.tenant === A.tenant ? A : B);
        const unfinished = await store.listUnfinishedRuns();
        const expected = runs.filter((r) => !isTerminalRunStatus(r.status));
        expect(expected).toHaveLength(8);
        expect(unfinished.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
        const byId = new Map(runs.map((r) => [r.id, r]));
        for (const run of unfinished) expect(run).toStrictEqual(byId.get(run.id));
      });

      it('is empty when every run has finished', async () => {
        const statuses: RunStatusType[] = [
          RunStatus.Completed,
          RunStatus.Failed,
          RunStatus.Cancelled,
          RunStatus.Timeout,
        ];
        await createRuns(statuses.map((status): Run => ({ ...agentRun('echo'), status })));
        expect(await store.listUnfinishedRuns()).toEqual([]);
      });
    });

    describe('steps', () => {
      let run: Run;
      beforeEach(async () => {
        run = agentRun('echo');
        await store.createRun(run, A);
      });

      it('round-trips a step with every optional field set', async () => {
        const step: Step = {
          ...newStep({ runId: run.id, name: 'call echo', agent: 'echo', index: 2, at: at(1) }),
          status: StepStatus.Failed,
          startedAt: at(2),
          finishedAt: at(3),
          error: StepErrors.patternError('fan-out', 'worker 2 failed'),
          outputArtifactIds: ['a-1', 'a-2'],
          remote: {
            method: 'SendStreamingMessage',
            taskId: 't-1',
            state: 'TASK_STATE_FAILED',
            statusMessage: 'no',
            eventCount: 7,
          },
          trace: STEP_TRACE,
        };
        await store.putStep(step, A);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
      });

      it('round-trips a new step without inventing optional fields', async () => {
        const step = newStep({ runId: run.id, name: 'call echo', agent: 'echo' });
        await store.putStep(step, A);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
      });

      it('upserts by id', async () => {
        const step = newStep({ runId: run.id, name: 'call echo', agent: 'echo', at: at(1) });
        await store.putStep(step, A);
        const updated: Step = {
          ...step,
          status: StepStatus.Completed,
          startedAt: at(2),
          finishedAt: at(3),
          outputArtifactIds: ['a-9'],
          remote: { method: 'SendMessage', eventCount: 2 },
        };
        await store.putStep(updated, A);
        expect(await store.listSteps(run.id, A)).toStrictEqual([updated]);
        const failed: Step = { ...updated, status: StepStatus.Failed, error: StepErrors.timeout(500) };
        await store.putStep(failed, A);
        expect(await store.listSteps(run.id, A)).toStrictEqual([failed]);
      });

      it("lists a run's steps ordered by index, and only that run's", async () => {
        const other = agentRun('echo');
        await store.createRun(other, A);
        const steps = [3, 0, 2, 1].map((index) =>
          newStep({ runId: run.id, name: `step ${index}`, agent: 'echo', index, at: at(10 - index) }),
        );
        for (const step of steps) await store.putStep(step, A);
        await store.putStep(newStep({ runId: other.id, name: 'other', agent: 'echo' }), A);
        expect((await store.listSteps(run.id, A)).map((s) => s.index)).toEqual([0, 1, 2, 3]);
        expect(await store.listSteps('no-such-run', A)).toEqual([]);
      });

      it("keeps steps within the run's tenant", async () => {
        const step = newStep({ runId: run.id, name: 'call', agent: 'echo' });
        await store.putStep(step, A);
        expect(await store.listSteps(run.id, B)).toEqual([]);
        // B cannot attach steps to A's run, nor overwrite A's step.
        await expectCode(
          store.putStep(newStep({ runId: run.id, name: 'x', agent: 'echo' }), B),
          ErrorCode.RUN_NOT_FOUND,
        );
        const runOfB = agentRun('echo', { tenant: B.tenant });
        await store.createRun(runOfB, B);
        await expectCode(store.putStep({ ...step, runId: runOfB.id, name: 'hijack' }, B), ErrorCode.INTERNAL);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
        expect(await store.listSteps(runOfB.id, B)).toEqual([]);
      });

      it('keeps a step in its run at its index: writing it to another run or index is refused', async () => {
        const step = newStep({ runId: run.id, name: 'call', agent: 'echo' });
        await store.putStep(step, A);
        const other = agentRun('echo');
        await store.createRun(other, A);
        await expectCode(store.putStep({ ...step, runId: other.id, name: 'moved' }, A), ErrorCode.INTERNAL);
        await expectCode(store.putStep({ ...step, index: 3, name: 'moved' }, A), ErrorCode.INTERNAL);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
        expect(await store.listSteps(other.id, A)).toEqual([]);
        // Everything else about the step can change.
        const finished = completeStep(startStep(step));
        await store.putStep(finished, A);
        expect(await store.listSteps(run.id, A)).toStrictEqual([finished]);
      });

      it('refuses a step of an unknown run (RUN_NOT_FOUND)', async () => {
        await expectCode(
          store.putStep(newStep({ runId: 'no-such-run', name: 'x', agent: 'echo' }), A),
          ErrorCode.RUN_NOT_FOUND,
        );
      });
    });

    describe("runs by the agent's task id", () => {
      it('finds the newest run of the agent that tracks the task, only in its tenant, after updates', async () => {
        const older = withRemote(startRun(agentRun('echo')), { taskId: 'task-1', contextId: 'ctx' });
        await store.createRun(older, A);
        const newer = { ...agentRun('echo'), createdAt: '2999-01-01T00:00:00.000Z' };
        await store.createRun(newer, A);
        expect(await store.getRunByRemoteTask('echo', 'task-1', A)).toStrictEqual(older);
        // The task id is learnt by an update, as the engine does.
        const tracked = nextVersion(withRemote(startRun(newer), { taskId: 'task-1' }));
        expect(await store.updateRun(tracked, A)).toBe(true);
        expect(await store.getRunByRemoteTask('echo', 'task-1', A)).toStrictEqual(tracked);
        expect(await store.getRunByRemoteTask('other-agent', 'task-1', A)).toBeUndefined();
        expect(await store.getRunByRemoteTask('echo', 'task-2', A)).toBeUndefined();
        expect(await store.getRunByRemoteTask('echo', 'task-1', B)).toBeUndefined();
      });
    });

    describe('idempotency keys', () => {
      const keyed = (key: string, tenant = A.tenant): Run =>
        newRun({ target: { kind: 'agent', name: 'echo' }, tenant, idempotencyKey: key });

      it("finds a run by its key, only in the run's own tenant", async () => {
        const run = keyed('key-1');
        await store.createRun(run, A);
        expect(await store.getRunByIdempotencyKey('key-1', A)).toStrictEqual(run);
        expect(await store.getRunByIdempotencyKey('key-1', B)).toBeUndefined();
        expect(await store.getRunByIdempotencyKey('key-2', A)).toBeUndefined();
        expect(await store.getRunByIdempotencyKey('KEY-1', A)).toBeUndefined();
      });

      it('refuses a second run with a taken key (RUN_ALREADY_EXISTS naming the first), storing nothing', async () => {
        const first = keyed('retry-me');
        await store.createRun(first, A);
        const second = keyed('retry-me');
        const error = await rejectionOf(store.createRun(second, A));
        expect(GatewayError.is(error) && error.code).toBe(ErrorCode.RUN_ALREADY_EXISTS);
        expect((error as GatewayError).details).toEqual({ runId: first.id });
        expect(await store.getRun(second.id, A)).toBeUndefined();
        expect((await store.listRuns({}, {}, A)).items.map((r) => r.id)).toEqual([first.id]);
      });

      it('lets every tenant use the same key, and any number of runs have no key', async () => {
        const [a, b] = [keyed('shared'), keyed('shared', B.tenant)];
        await store.createRun(a, A);
        await store.createRun(b, B);
        expect(await store.getRunByIdempotencyKey('shared', A)).toStrictEqual(a);
        expect(await store.getRunByIdempotencyKey('shared', B)).toStrictEqual(b);
        const unkeyed = [agentRun('echo'), agentRun('echo'), agentRun('echo')];
        await createRuns(unkeyed);
        expect((await store.listRuns({}, {}, A)).items).toHaveLength(4);
      });

      it('lets exactly one of several concurrent creates with one key succeed', async () => {
        const runs = Array.from({ length: 5 }, () => keyed('racing'));
        const results = await Promise.allSettled(runs.map((run) => store.createRun(run, A)));
        const winners = runs.filter((_, i) => results[i]?.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'fulfilled') continue;
          const reason = result.reason as unknown;
          expect(GatewayError.is(reason) && reason.code).toBe(ErrorCode.RUN_ALREADY_EXISTS);
          expect((reason as GatewayError).details).toEqual({ runId: winners[0]!.id });
        }
        expect(await store.getRunByIdempotencyKey('racing', A)).toStrictEqual(winners[0]);
        expect((await store.listRuns({}, {}, A)).items).toHaveLength(1);
      });

      it('keeps the key a run was created with across updates that drop or change it', async () => {
        const run = keyed('stays');
        await store.createRun(run, A);
        const { idempotencyKey: _k, ...unkeyed } = run;
        const v2: Run = { ...unkeyed, status: RunStatus.Running, startedAt: at(1), version: 2 };
        expect(await store.updateRun(v2, A)).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual({ ...v2, idempotencyKey: 'stays' });
        const v3: Run = { ...v2, idempotencyKey: 'moved', version: 3 };
        expect(await store.updateRun(v3, A)).toBe(true);
        expect((await store.getRun(run.id, A))?.idempotencyKey).toBe('stays');
        expect(await store.getRunByIdempotencyKey('moved', A)).toBeUndefined();
        expect((await store.getRunByIdempotencyKey('stays', A))?.version).toBe(3);
      });
    });

    describe('trace context', () => {
      it('stores the trace a run gets with a later version, with its step, and lists it back', async () => {
        const run = agentRun('echo', { at: at(1) });
        await store.createRun(run, A);
        expect(await store.getRun(run.id, A)).not.toHaveProperty('trace');
        const traced: Run = { ...run, status: RunStatus.Running, trace: RUN_TRACE, version: 2 };
        const step: Step = {
          ...newStep({ runId: run.id, name: 'call echo', agent: 'echo', at: at(2) }),
          trace: STEP_TRACE,
        };
        expect(await store.updateRun(traced, A, { step })).toBe(true);
        expect(await store.getRun(run.id, A)).toStrictEqual(traced);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
        expect((await store.listRuns({}, {}, A)).items).toStrictEqual([traced]);
        expect(await store.listUnfinishedRuns()).toStrictEqual([traced]);
      });

      it('round-trips an unsampled trace (flags 0) on a run and on a step', async () => {
        const unsampled: TraceRef = { ...RUN_TRACE, traceFlags: 0 };
        const run: Run = { ...agentRun('echo'), trace: unsampled };
        await store.createRun(run, A);
        expect((await store.getRun(run.id, A))?.trace).toStrictEqual(unsampled);
        const step: Step = {
          ...newStep({ runId: run.id, name: 'call echo', agent: 'echo' }),
          trace: { ...STEP_TRACE, traceFlags: 0 },
        };
        await store.putStep(step, A);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
      });

      it('round-trips a trace whose ids are not hex, characters JSON must escape included', async () => {
        const odd: TraceRef = { traceId: 'Trace "one" \\ \u2028', spanId: 'SPAN-1', traceFlags: 3 };
        const run: Run = { ...agentRun('echo'), trace: odd };
        await store.createRun(run, A);
        expect((await store.getRun(run.id, A))?.trace).toStrictEqual(odd);
        const step: Step = { ...newStep({ runId: run.id, name: 'call echo', agent: 'echo' }), trace: odd };
        await store.putStep(step, A);
        expect(await store.listSteps(run.id, A)).toStrictEqual([step]);
      });

      it("replaces and clears a step's trace when the step is written again", async () => {
        const run = agentRun('echo');
        await store.createRun(run, A);
        const step: Step = { ...newStep({ runId: run.id, name: 'call', agent: 'echo' }), trace: STEP_TRACE };
        await store.putStep(step, A);
        const moved: Step = { ...step, trace: { ...STEP_TRACE, spanId: '53995c3f42cd8ad8' } };
        await store.putStep(moved, A);
        expect(await store.listSteps(run.id, A)).toStrictEqual([moved]);
        const { trace: _t, ...untraced } = moved;
        await store.putStep(untraced, A);
        const [stored] = await store.listSteps(run.id, A);
        expect(stored).toStrictEqual(untraced);
        expect(stored).not.toHaveProperty('trace');
      });
    });

    describe('sessions', () => {
      it('round-trips new and ended sessions', async () => {
        const active = newSession({ name: 'chat', tenant: A.tenant, at: at(1) });
        const ended = endSession(newSession({ name: 'old chat', tenant: A.tenant, at: at(2) }), at(3));
        await store.createSession(active, A);
        await store.createSession(ended, A);
        expect(await store.getSession(active.id, A)).toStrictEqual(active);
        expect(await store.getSession(ended.id, A)).toStrictEqual(ended);
        expect(await store.getSession('no-such-session', A)).toBeUndefined();
      });

      it('updates a session', async () => {
        const session = newSession({ name: 'chat', tenant: A.tenant, at: at(1) });
        await store.createSession(session, A);
        const ended = endSession(session, at(9));
        await store.updateSession(ended, A);
        expect(await store.getSession(session.id, A)).toStrictEqual(ended);
      });

      it('refuses to update an unknown session or one of another tenant (SESSION_NOT_FOUND)', async () => {
        const session = newSession({ name: 'chat', tenant: A.tenant });
        await expectCode(store.updateSession(session, A), ErrorCode.SESSION_NOT_FOUND);
        await store.createSession(session, A);
        await expectCode(
          store.updateSession({ ...endSession(session), tenant: B.tenant }, B),
          ErrorCode.SESSION_NOT_FOUND,
        );
        expect(await store.getSession(session.id, A)).toStrictEqual(session);
      });

      it('refuses a duplicate id (INTERNAL) and a foreign tenant (INVALID_ARGUMENT)', async () => {
        const session = newSession({ name: 'chat', tenant: A.tenant });
        await store.createSession(session, A);
        await expectCode(store.createSession(session, A), ErrorCode.INTERNAL);
        await expectCode(
          store.createSession(newSession({ name: 'x', tenant: A.tenant }), B),
          ErrorCode.INVALID_ARGUMENT,
        );
      });

      it("hides a tenant's sessions from every other tenant", async () => {
        const session = newSession({ name: 'chat', tenant: A.tenant });
        await store.createSession(session, A);
        expect(await store.getSession(session.id, B)).toBeUndefined();
        expect((await store.listSessions({}, {}, B)).items).toEqual([]);
      });

      it('lists newest first, filters by status, and pages across ties', async () => {
        const sessions: Session[] = Array.from({ length: 11 }, (_, i) => {
          const session = newSession({
            name: `s${i}`,
            tenant: A.tenant,
            at: at(i % 3),
            id: sortableId('ses', i),
          });
          return i % 4 === 0 ? endSession(session, at(50)) : session;
        });
        for (const session of sessions) await store.createSession(session, A);
        const listed = await allPages((pageToken) =>
          store.listSessions({}, { pageSize: 3, ...(pageToken !== undefined && { pageToken }) }, A),
        );
        expect(listed).toStrictEqual(newestFirst(sessions));
        const ended = await store.listSessions({ statuses: [SessionStatus.Ended] }, {}, A);
        expect(ended.items.map((s) => s.id)).toEqual(
          newestFirst(sessions.filter((s) => s.status === SessionStatus.Ended)).map((s) => s.id),
        );
        const activeOrCancelled = await store.listSessions(
          { statuses: [SessionStatus.Active, SessionStatus.Cancelled] },
          { pageSize: 100 },
          A,
        );
        expect(activeOrCancelled.items).toHaveLength(
          sessions.filter((s) => s.status === SessionStatus.Active).length,
        );
        await expectCode(store.listSessions({}, { pageToken: 'bogus' }, A), ErrorCode.INVALID_ARGUMENT);
      });
    });

    describe('artifacts', () => {
      const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);

      function artifact(
        location: ArtifactLocation,
        options: { runId?: string; at?: string; tenant?: string } = {},
      ): Artifact {
        return newArtifact({
          name: 'out.bin',
          contentType: 'application/octet-stream',
          location,
          tenant: options.tenant ?? A.tenant,
          ...(options.runId !== undefined && { sourceRunId: options.runId }),
          ...(options.at !== undefined && { at: options.at }),
        });
      }

      it('round-trips inline content byte for byte, as a Uint8Array', async () => {
        const stored = newArtifact({
          name: 'bytes.bin',
          contentType: 'application/octet-stream',
          size: everyByte.length,
          location: { kind: 'inline', content: everyByte },
          checksum: sha256Checksum('ab'.repeat(32)),
          tenant: A.tenant,
          sourceRunId: 'run-1',
          sourceStepId: 'step-1',
          remoteArtifactId: 'remote-artifact-1',
          at: at(1),
        });
        await store.putArtifact(stored, A);
        const got = await store.getArtifact(stored.id, A);
        expect(got).toStrictEqual({
          ...stored,
          location: { kind: 'inline', content: new Uint8Array(everyByte) },
        });
        const content = got?.location.kind === 'inline' ? got.location.content : undefined;
        expect(content).toBeInstanceOf(Uint8Array);
        expect(Array.from(content ?? [])).toEqual(Array.from(everyByte));
      });

      it('round-trips empty inline content', async () => {
        const stored = artifact({ kind: 'inline', content: new Uint8Array(0) });
        await store.putArtifact(stored, A);
        const got = await store.getArtifact(stored.id, A);
        expect(got?.location).toStrictEqual({ kind: 'inline', content: new Uint8Array(0) });
      });

      it.each([
        { kind: 'local', path: 'artifacts/ab/cd/out.bin' },
        { kind: 'http', url: 'https://files.example.test/out.bin' },
        { kind: 'cloudStorage', uri: 's3://bucket/key/out.bin' },
      ] satisfies ArtifactLocation[])('round-trips a $kind location', async (location) => {
        const stored = artifact(location);
        await store.putArtifact(stored, A);
        expect(await store.getArtifact(stored.id, A)).toStrictEqual(stored);
      });

      it('does not share content with the caller', async () => {
        const bytes = Uint8Array.from([1, 2, 3]);
        const stored = artifact({ kind: 'inline', content: bytes });
        await store.putArtifact(stored, A);
        bytes[0] = 99;
        const got = await store.getArtifact(stored.id, A);
        if (got?.location.kind !== 'inline') throw new Error('expected inline content');
        got.location.content[1] = 99;
        const again = await store.getArtifact(stored.id, A);
        expect(again?.location).toStrictEqual({ kind: 'inline', content: Uint8Array.from([1, 2, 3]) });
      });

      it("lists a run's artifacts in creation order, ties in insertion order", async () => {
        const third = artifact({ kind: 'local', path: 'c' }, { runId: 'run-1', at: at(3) });
        const first = artifact({ kind: 'local', path: 'a' }, { runId: 'run-1', at: at(1) });
        const tieA = artifact({ kind: 'local', path: 'b1' }, { runId: 'run-1', at: at(2) });
        const tieB = artifact(
          { kind: 'inline', content: Uint8Array.from([7]) },
          { runId: 'run-1', at: at(2) },
        );
        const otherRun = artifact({ kind: 'local', path: 'x' }, { runId: 'run-2', at: at(0) });
        for (const a of [third, first, tieA, tieB, otherRun]) await store.putArtifact(a, A);
        // Insertion order of the tie decides, whatever the ids.
        const listed = await store.listArtifacts('run-1', A);
        expect(listed).toStrictEqual([first, tieA, tieB, third]);
        expect(await store.listArtifacts('run-3', A)).toEqual([]);
      });

      it("hides a tenant's artifacts from every other tenant", async () => {
        const stored = artifact({ kind: 'local', path: 'a' }, { runId: 'run-1' });
        await store.putArtifact(stored, A);
        expect(await store.getArtifact(stored.id, B)).toBeUndefined();
        expect(await store.listArtifacts('run-1', B)).toEqual([]);
        await expectCode(
          store.putArtifact(artifact({ kind: 'local', path: 'b' }), B),
          ErrorCode.INVALID_ARGUMENT,
        );
      });

      it('refuses a duplicate id (INTERNAL)', async () => {
        const stored = artifact({ kind: 'local', path: 'a' });
        await store.putArtifact(stored, A);
        await expectCode(store.putArtifact({ ...stored, name: 'again' }, A), ErrorCode.INTERNAL);
        expect((await store.getArtifact(stored.id, A))?.name).toBe('out.bin');
      });
    });

    describe('agents', () => {
      it('round-trips an agent with card, endpoint, labels and credentials', async () => {
        const agent = fullAgent('summariser');
        await store.putAgent(agent, A);
        expect(await store.getAgent('summariser', A)).toStrictEqual(agent);
      });

      it('round-trips a minimal agent without inventing optional fields', async () => {
        const agent = minimalAgent('echo');
        await store.putAgent(agent, A);
        expect(await store.getAgent('echo', A)).toStrictEqual(agent);
        expect(await store.getAgent('nobody', A)).toBeUndefined();
      });

      it('replaces an agent registered again under the same name', async () => {
        await store.putAgent(fullAgent('echo'), A);
        const replacement = { ...minimalAgent('echo'), health: AgentHealth.Healthy, updatedAt: at(500) };
        await store.putAgent(replacement, A);
        expect(await store.getAgent('echo', A)).toStrictEqual(replacement);
        expect(await store.listAgents(A)).toHaveLength(1);
      });

      it('lists by name within a tenant, and all agents across tenants', async () => {
        for (const name of ['zeta', 'alpha', 'mid']) await store.putAgent(minimalAgent(name), A);
        await store.putAgent(minimalAgent('beta', B.tenant), B);
        await store.putAgent(fullAgent('alpha', B.tenant), B);
        expect((await store.listAgents(A)).map((a) => a.name)).toEqual(['alpha', 'mid', 'zeta']);
        expect((await store.listAgents(B)).map((a) => a.name)).toEqual(['alpha', 'beta']);
        expect((await store.listAllAgents()).map((a) => `${a.tenant}/${a.name}`)).toEqual([
          'tenant-a/alpha',
          'tenant-a/mid',
          'tenant-a/zeta',
          'tenant-b/alpha',
          'tenant-b/beta',
        ]);
        expect(
          (await store.listAllAgents()).find((a) => a.tenant === B.tenant && a.name === 'alpha'),
        ).toStrictEqual(fullAgent('alpha', B.tenant));
      });

      it('keeps same-named agents of different tenants apart', async () => {
        await store.putAgent(minimalAgent('echo', A.tenant), A);
        expect(await store.getAgent('echo', B)).toBeUndefined();
        expect(await store.deleteAgent('echo', B)).toBe(false);
        expect(await store.getAgent('echo', A)).toStrictEqual(minimalAgent('echo', A.tenant));
        await expectCode(store.putAgent(minimalAgent('echo', A.tenant), B), ErrorCode.INVALID_ARGUMENT);
      });

      it('deletes an agent once', async () => {
        await store.putAgent(minimalAgent('echo'), A);
        await store.putAgent(minimalAgent('keep'), A);
        expect(await store.deleteAgent('echo', A)).toBe(true);
        expect(await store.deleteAgent('echo', A)).toBe(false);
        expect(await store.getAgent('echo', A)).toBeUndefined();
        expect((await store.listAgents(A)).map((a) => a.name)).toEqual(['keep']);
      });
    });
  });
}
