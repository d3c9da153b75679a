/**
 * The harness's readings of a process (`bench/processes.ts`): CPU time and system calls from `/proc`,
 * and their per-unit and per-round arithmetic. The readings are taken of this test process itself. Also
 * the Node options the harness takes from the start script.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  cpuTimeMs,
  formatIoCalls,
  ioCalls,
  ioCallsPer,
  medianIoCalls,
  nodeOptionsOf,
  rssBytes,
} from '../../bench/processes.js';

const onLinux = process.platform === 'linux';

describe.runIf(onLinux)('readings of a running process', () => {
  it('counts CPU time that grows while the process computes', () => {
    const before = cpuTimeMs(process.pid);
    const until = Date.now() + 60;
    let spin = 0;
    while (Date.now() < until) spin += 1;
    expect(spin).toBeGreaterThan(0);
    expect(cpuTimeMs(process.pid)).toBeGreaterThan(before);
  });

  it('counts each write call the process makes', () => {
    const before = ioCalls(process.pid);
    const file = path.join(tmpdir(), `bzzz-io-calls-${process.pid}.txt`);
    for (let i = 0; i < 50; i += 1) writeFileSync(file, String(i));
    const after = ioCalls(process.pid);
    expect(before).toBeDefined();
    expect(after!.writes - before!.writes).toBeGreaterThanOrEqual(50);
  });

  it('reads the resident set size', () => {
    expect(rssBytes(process.pid)).toBeGreaterThan(10 * 1024 * 1024);
  });
});

describe('system-call arithmetic', () => {
  it('divides the calls between two readings by the units of work', () => {
    expect(ioCallsPer(4, { reads: 10, writes: 100 }, { reads: 30, writes: 172 })).toEqual({
      reads: 5,
      writes: 18,
    });
  });

  it('has no figure when a reading or the work is missing', () => {
    expect(ioCallsPer(4, undefined, { reads: 1, writes: 1 })).toBeUndefined();
    expect(ioCallsPer(0, { reads: 1, writes: 1 }, { reads: 2, writes: 2 })).toBeUndefined();
    expect(ioCalls(2 ** 22 + 12_345)).toBeUndefined(); // no such process
    expect(ioCalls(undefined)).toBeUndefined(); // no process to read
  });

  it('takes the median of each count over rounds, only when every round has one', () => {
    const rounds = [
      { reads: 3, writes: 20 },
      { reads: 5, writes: 18 },
      { reads: 4, writes: 25 },
    ];
    expect(medianIoCalls(rounds)).toEqual({ reads: 4, writes: 20 });
    expect(medianIoCalls([...rounds, undefined])).toBeUndefined();
    expect(medianIoCalls([])).toBeUndefined();
  });

  it('formats writes / reads, or a dash', () => {
    expect(formatIoCalls({ reads: 3.61, writes: 17.24 })).toBe('17.2 / 3.6');
    expect(formatIoCalls(undefined)).toBe('—');
  });
});

describe('the Node options of the gateway as npm start runs it', () => {
  const entry = 'dist/src/cli/main.js';

  it('takes the words between node and the entry point', () => {
    expect(nodeOptionsOf(`node --no-memory-reducer --max-old-space-size=512 ${entry} serve`, entry)).toEqual([
      '--no-memory-reducer',
      '--max-old-space-size=512',
    ]);
    expect(nodeOptionsOf(`  node ${entry} serve `, entry)).toEqual([]);
  });

  it('refuses a script that does not run the entry point with node', () => {
    expect(() => nodeOptionsOf(`tsx src/cli/main.ts serve`, entry)).toThrow(/expected "node \[options\]/);
    expect(() => nodeOptionsOf(`node --inspect other.js serve`, entry)).toThrow(/got "node --inspect/);
    expect(() => nodeOptionsOf(`${entry} serve`, entry)).toThrow();
  });

  it("reads this package's start script: V8's memory reducer off, a young generation of 64 MiB semi-spaces", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    expect(nodeOptionsOf(pkg.scripts.start, entry)).toEqual([
      '--no-memory-reducer',
      '--max-semi-space-size=64',
    ]);
  });
});
