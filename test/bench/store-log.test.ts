/**
 * The harness's sampler of a gateway's write-ahead log (`bench/store-log.ts`): it keeps the largest size
 * the file reached, through a checkpoint that shrinks it again, and counts a file that does not exist
 * (yet, or any more) as empty.
 */
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { StoreLogSampler } from '../../bench/store-log.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bzzz-store-log-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('StoreLogSampler', () => {
  it('keeps the largest size of a log that grows after sampling began, then shrinks', async () => {
    const file = path.join(dir, 'bzzz.sqlite-wal');
    const sampler = new StoreLogSampler(file, 5);
    await sleep(20); // sampled while absent
    await writeFile(file, Buffer.alloc(3 * 1024 * 1024));
    await sleep(50);
    await truncate(file, 4096); // what a checkpoint that starts the log over leaves
    await sleep(20);
    expect(sampler.stop()).toBe(3 * 1024 * 1024);
  });

  it('takes one last sample when stopped, and counts a log never written as empty', async () => {
    const file = path.join(dir, 'bzzz.sqlite-wal');
    const never = new StoreLogSampler(path.join(dir, 'absent-wal'), 60_000);
    const late = new StoreLogSampler(file, 60_000);
    await writeFile(file, Buffer.alloc(8192));
    expect(late.stop()).toBe(8192);
    expect(never.stop()).toBe(0);
  });
});
