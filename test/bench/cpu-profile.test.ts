/**
 * The CPU-profile summary the harness prints under `--cpu-prof` (`bench/cpu-profile.ts`), on a profile
 * whose self times are known: idle apart from busy time, functions named by place, and the time of
 * Node's internals and native code given to the package or file that asked for it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { newestProfile, summariseProfile } from '../../bench/cpu-profile.js';

const ROOT = 'file:///srv/bzzz';

function frame(functionName: string, url = '', lineNumber = 0) {
  return { functionName, url, lineNumber, scriptId: '0', columnNumber: 0 };
}

/** Self times in µs: idle 1,000; relay 4,000; undici 500 + its writev 1,500; GC 1,000; gRPC 300 + native 700. */
const PROFILE = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 5, 7] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('(garbage collector)') },
    { id: 4, callFrame: frame('relay', `${ROOT}/dist/src/app/run-service.js`, 310) },
    {
      id: 5,
      callFrame: frame('request', `${ROOT}/node_modules/undici/lib/api/api-request.js`, 11),
      children: [6],
    },
    { id: 6, callFrame: frame('writev', 'node:internal/stream_base_commons', 120) },
    {
      id: 7,
      callFrame: frame('handler', `${ROOT}/node_modules/@grpc/grpc-js/build/src/server.js`, 40),
      children: [8],
    },
    { id: 8, callFrame: frame('parse') },
  ],
  startTime: 0,
  endTime: 9000,
  // timeDeltas[i] is the time before sample i, which belongs to sample i - 1.
  samples: [2, 4, 4, 5, 6, 3, 7, 8, 2],
  timeDeltas: [0, 1000, 2000, 2000, 500, 1500, 1000, 300, 700],
};

describe('summariseProfile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bzzz-cpu-profile-'));
  const file = path.join(dir, 'CPU.20261124.233627.9101.0.001.cpuprofile');
  writeFileSync(file, JSON.stringify(PROFILE));
  const summary = summariseProfile(file);

  it('separates idle time from busy time', () => {
    expect(summary.totalMs).toBe(9);
    expect(summary.idleMs).toBe(1);
  });

  it('ranks functions by self time, with shares of the busy time', () => {
    expect(summary.topFunctions.map((f) => [f.name, f.selfMs, f.share])).toEqual([
      ['relay dist/src/app/run-service.js:311', 4, 0.5],
      ['writev node internals:121', 1.5, 0.1875],
      ['(garbage collector)', 1, 0.125],
      ['parse', 0.7, 0.0875],
      ['request undici:12', 0.5, 0.0625],
      ['handler @grpc/grpc-js:41', 0.3, 0.0375],
    ]);
  });

  it("gives Node's internals and native code to the nearest caller in a package or a file of ours", () => {
    expect(Object.fromEntries(summary.topPlaces.map((p) => [p.name, p.selfMs]))).toEqual({
      'dist/src/app/run-service.js': 4,
      'undici (via Node)': 1.5,
      '(garbage collector)': 1,
      '@grpc/grpc-js (via Node)': 0.7,
      undici: 0.5,
      '@grpc/grpc-js': 0.3,
    });
  });

  it('keeps the top entries only', () => {
    expect(summariseProfile(file, 2).topFunctions).toHaveLength(2);
  });
});

describe('newestProfile', () => {
  it("picks the newest main-thread profile, not a worker thread's", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bzzz-cpu-profiles-'));
    for (const name of [
      'CPU.20261124.233627.9101.0.001.cpuprofile',
      'CPU.20261124.233700.9230.0.003.cpuprofile',
      'CPU.20261124.233701.9230.1.004.cpuprofile', // the checkpoint worker's
      'notes.txt',
    ]) {
      writeFileSync(path.join(dir, name), '{}');
    }
    expect(newestProfile(dir)).toBe(path.join(dir, 'CPU.20261124.233700.9230.0.003.cpuprofile'));
    expect(newestProfile(mkdtempSync(path.join(tmpdir(), 'bzzz-no-profiles-')))).toBeUndefined();
  });
});
