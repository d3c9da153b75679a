/**
 * When an exchange writes: what the events of one turn of the event loop changed is one write, a caller
 * that must see a change stored gets it stored at once, a deferred write's failure reaches whoever
 * waits on the exchange next, and closing the exchange leaves its last artifact to the caller.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';

import { Exchange, type ExchangeWriter } from '../../src/app/run-exchange.js';
import { systemContext } from '../../src/domain/call-context.js';
import { newRun, nextVersion, startRun, type Run } from '../../src/domain/run.js';
import { newStep, startStep, type Step } from '../../src/domain/step.js';
import { ErrorCode, GatewayError } from '../../src/errors/gateway-error.js';
import type { A2AStreamEvent } from '../../src/remote/a2a-types.js';
import type { RunChanges } from '../../src/store/store.js';

const ctx = systemContext();

interface Write {
  readonly run: Run;
  readonly step: Step | undefined;
  readonly artifact: string | undefined;
  readonly announceRun: boolean | undefined;
}

/** Records every write; `failNext` makes the next one fail. */
class RecordingWriter implements ExchangeWriter {
  readonly writes: Write[] = [];
  failNext: Error | undefined;

  async commit(run: Run, _ctx: unknown, changes: RunChanges = {}, announceRun?: boolean): Promise<Run> {
    await Promise.resolve();
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure !== undefined) throw failure;
    this.writes.push({ run, step: changes.step, artifact: undefined, announceRun });
    return nextVersion(run);
  }

  async saveArtifact(
    run: Run,
    step: Step,
    artifact: { artifactId: string },
    _ctx: unknown,
    announceRun?: boolean,
  ): Promise<{ run: Run; step: Step }> {
    await Promise.resolve();
    this.writes.push({ run, step, artifact: artifact.artifactId, announceRun });
    return { run: nextVersion(run), step };
  }

  observe(): void {}
}

function exchange(writer: RecordingWriter): Exchange {
  const run = startRun(
    newRun({ target: { kind: 'agent', name: 'echo' }, input: { parts: [{ text: 'hi' }] } }),
  );
  const step = startStep(newStep({ runId: run.id, index: 0, name: 'send-message', agent: 'echo' }));
  return new Exchange(writer, run, step, ctx);
}

const working: A2AStreamEvent = {
  task: { id: 't-1', contextId: 'c-1', status: { state: 'TASK_STATE_WORKING' } },
};
const artifact = (artifactId: string): A2AStreamEvent => ({
  artifactUpdate: {
    taskId: 't-1',
    contextId: 'c-1',
    artifact: { artifactId, parts: [{ text: 'x' }] },
    lastChunk: true,
  },
});

describe('an exchange', () => {
  it('writes what the events of one turn changed once, after the turn', async () => {
    const writer = new RecordingWriter();
    const ex = exchange(writer);
    await ex.apply(working);
    await ex.apply(artifact('a'));
    expect(writer.writes).toHaveLength(0);

    await nextTurn();
    await nextTurn();
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]).toMatchObject({ artifact: 'a', announceRun: true });
    expect(writer.writes[0]?.run.remote).toMatchObject({ taskId: 't-1', state: 'TASK_STATE_WORKING' });
    expect(writer.writes[0]?.step?.remote).toMatchObject({ taskId: 't-1', eventCount: 2 });
  });

  it('writes at once for a caller that waits for it, and not again after the turn', async () => {
    const writer = new RecordingWriter();
    const ex = exchange(writer);
    await ex.apply(working);
    await ex.written();
    expect(writer.writes).toHaveLength(1);
    expect(writer.writes[0]?.run.remote?.taskId).toBe('t-1');

    await nextTurn();
    await ex.written();
    expect(writer.writes).toHaveLength(1);
  });

  it('throws what a deferred write failed with to the next event', async () => {
    const writer = new RecordingWriter();
    writer.failNext = new GatewayError(ErrorCode.ILLEGAL_STATE_TRANSITION, 'changed concurrently');
    const ex = exchange(writer);
    await ex.apply(working);
    await nextTurn();
    await nextTurn();
    await expect(ex.apply(artifact('a'))).rejects.toMatchObject({ code: ErrorCode.ILLEGAL_STATE_TRANSITION });
  });

  it('on close, drops the write it had scheduled, stores the other artifacts and returns the last', async () => {
    const writer = new RecordingWriter();
    const ex = exchange(writer);
    await ex.apply(working);
    await ex.apply(artifact('a'));
    await ex.apply(artifact('b'));
    const last = await ex.close(true);
    expect(last?.artifactId).toBe('b');
    expect(writer.writes.map((w) => w.artifact)).toStrictEqual(['a']);
    // The dropped write's changes are in the exchange's run and step, for the caller's next commit.
    expect(ex.run.remote?.taskId).toBe('t-1');

    await nextTurn();
    await nextTurn();
    expect(writer.writes).toHaveLength(1);
  });
});
