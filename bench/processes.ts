/**
 * The child processes of the benchmark harness: spawning Node scripts (pinned to a CPU core with
 * `taskset` when the machine allows), waiting for them to be ready, reading their RSS and CPU time from
 * `/proc`, keeping what they print, and stopping every one of them, also when the harness itself fails or
 * is interrupted.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import { median } from './stats.js';

/** How many lines of a child's output are kept (the first ones, where failures show first). */
const KEPT_OUTPUT_LINES = 40;
/** How long a child gets to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 15_000;
/** Clock ticks per second of `/proc/PID/stat` times (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS_PER_S = readClockTicks();

function readClockTicks(): number {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(result.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
}

/** How children are placed on CPU cores. */
export interface Pinning {
  /** Whether `taskset` is used (it exists and the machine has at least two cores). */
  readonly applied: boolean;
  /** Why not, when it is not. */
  readonly reason: string;
}

/** Decides whether to pin: `taskset` must run and there must be two cores at least. */
export function detectPinning(): Pinning {
  const cores = availableParallelism();
  if (cores < 2) return { applied: false, reason: `only ${cores} core` };
  const probe = spawnSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0)
    return { applied: false, reason: 'taskset unavailable' };
  return { applied: true, reason: `taskset (${cores} cores)` };
}

/** Pins the current process (the load generator) to `core`; a no-op without pinning. */
export function pinSelf(pinning: Pinning, core: number): void {
  if (!pinning.applied) return;
  spawnSync('taskset', ['-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

/**
 * The Node options of a package.json script of the form `node [OPTIONS…] ENTRY …`: what the harness gives
 * the gateway, so that it runs as `npm start` runs it. Throws on any other form, where it would measure
 * a gateway started otherwise.
 */
export function nodeOptionsOf(script: string, entry: string): string[] {
  const words = script.trim().split(/\s+/);
  const entryAt = words.indexOf(entry);
  if (words[0] !== 'node' || entryAt < 1)
    throw new Error(`expected "node [options] ${entry} …", got "${script}"`);
  return words.slice(1, entryAt);
}

/** A free TCP port on 127.0.0.1 (bound and released at once; the child binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** CPU time a process has used so far, user plus system, in milliseconds (from `/proc/PID/stat`). */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime: fields 14 and 15
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

/** System calls a process has made so far: `syscr` and `syscw` of `/proc/PID/io`. */
export interface IoCalls {
  readonly reads: number;
  readonly writes: number;
}

/**
 * The read and write calls of a process so far, or undefined where `/proc/PID/io` cannot be read (or no
 * process is given). Unlike CPU time, their count per request does not change with the machine's speed
 * of the hour.
 */
export function ioCalls(pid: number | undefined): IoCalls | undefined {
  if (pid === undefined) return undefined;
  let io: string;
  try {
    io = readFileSync(`/proc/${pid}/io`, 'utf8');
  } catch {
    return undefined;
  }
  const count = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1]);
  return { reads: count('syscr'), writes: count('syscw') };
}

/** The calls per unit of work between two samples of `ioCalls`, or undefined if either is missing. */
export function ioCallsPer(units: number, before?: IoCalls, after?: IoCalls): IoCalls | undefined {
  if (before === undefined || after === undefined || units === 0) return undefined;
  return { reads: (after.reads - before.reads) / units, writes: (after.writes - before.writes) / units };
}

/** The median of each count over rounds, or undefined if a round lacks them. */
export function medianIoCalls(rounds: readonly (IoCalls | undefined)[]): IoCalls | undefined {
  const known = rounds.filter((r): r is IoCalls => r !== undefined);
  if (known.length === 0 || known.length !== rounds.length) return undefined;
  return { reads: median(known.map((r) => r.reads)), writes: median(known.map((r) => r.writes)) };
}

/** `writes / reads` per unit, or a dash where they could not be read. */
export function formatIoCalls(calls: IoCalls | undefined): string {
  return calls === undefined ? '—' : `${calls.writes.toFixed(1)} / ${calls.reads.toFixed(1)}`;
}

/** The resident set size of a process in bytes (`VmRSS` of `/proc/PID/status`). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** What to start. */
export interface ChildSpec {
  /** A short name for output and errors. */
  readonly name: string;
  /** Arguments after `node` (Node options first, then the script and its arguments). */
  readonly args: readonly string[];
  /** Added to the harness's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The core to pin to, when pinning applies. */
  readonly core: number;
}

/** A running child Node process. */
export class BenchChild {
  readonly #process: ChildProcess;
  readonly #output: string[] = [];
  #outputLineCount = 0;
  readonly #lineListeners = new Set<(line: string) => void>();
  /** Resolves when the process ended, with its exit code or the signal that ended it. */
  readonly exited: Promise<string>;

  constructor(
    readonly name: string,
    child: ChildProcess,
  ) {
    this.#process = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve(code === null ? String(signal) : String(code))),
    );
    let pending = '';
    const onChunk = (chunk: Buffer): void => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.#onLine(line);
    };
    child.stdout?.on('data', onChunk);
    child.stderr?.on('data', onChunk);
  }

  #onLine(line: string): void {
    if (line.trim() === '') return;
    this.#outputLineCount += 1;
    if (this.#output.length < KEPT_OUTPUT_LINES) this.#output.push(line);
    for (const listener of this.#lineListeners) listener(line);
  }

  /** The process id (that of `node` itself: `taskset` execs it). */
  get pid(): number {
    const { pid } = this.#process;
    if (pid === undefined) throw new Error(`${this.name} has no pid`);
    return pid;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.#process.exitCode === null && this.#process.signalCode === null;
  }

  /** How many non-blank lines the child printed (stdout and stderr), and the first ones. */
  output(): { readonly lineCount: number; readonly firstLines: readonly string[] } {
    return { lineCount: this.#outputLineCount, firstLines: [...this.#output] };
  }

  /** Resolves with the first match of `pattern` in a line printed from now on. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#lineListeners.delete(listener);
        reject(new Error(`${this.name}: no line matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (line: string): void => {
        const match = pattern.exec(line);
        if (match === null) return;
        clearTimeout(timer);
        this.#lineListeners.delete(listener);
        resolve(match);
      };
      this.#lineListeners.add(listener);
      void this.exited.then((code) => {
        clearTimeout(timer);
        this.#lineListeners.delete(listener);
        reject(new Error(`${this.name} exited (${code}) before printing ${pattern}`));
      });
    });
  }

  /** Sends `signal` (e.g. SIGUSR2) without waiting for anything. */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.#process.kill(signal);
  }

  /** SIGTERM, then SIGKILL after {@link STOP_GRACE_MS}; resolves with the exit code or signal. */
  async stop(): Promise<string> {
    if (!this.running) return this.exited;
    this.#process.kill('SIGTERM');
    const timer = setTimeout(() => this.#process.kill('SIGKILL'), STOP_GRACE_MS);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** Kills at once (for the harness's own exit path). */
  kill(): void {
    if (this.running) this.#process.kill('SIGKILL');
  }
}

/** Every child the harness started, so that all of them stop whatever happens. */
export class ProcessGroup {
  readonly #children = new Set<BenchChild>();

  constructor(readonly pinning: Pinning) {
    // A harness that dies anyway (an exception, process.exit) leaves nothing behind.
    process.once('exit', () => {
      for (const child of this.#children) child.kill();
    });
  }

  /** Starts `node ARGS…`, pinned to `spec.core` when pinning applies. */
  spawn(spec: ChildSpec): BenchChild {
    const [command, args] = this.pinning.applied
      ? ['taskset', ['-c', String(spec.core), process.execPath, ...spec.args]]
      : [process.execPath, [...spec.args]];
    const child = spawn(command, args, {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const benchChild = new BenchChild(spec.name, child);
    this.#children.add(benchChild);
    void benchChild.exited.then(() => this.#children.delete(benchChild));
    return benchChild;
  }

  /** Stops every child still running. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#children].map((child) => child.stop()));
  }
}

/** Polls `url` until it answers 200; throws after `timeoutMs` or when `child` exits. */
export async function waitForHttpOk(url: string, child: BenchChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!child.running) throw new Error(`${child.name} exited while starting: ${describeOutput(child)}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(50);
  }
  throw new Error(`${child.name} not ready at ${url} within ${timeoutMs} ms: ${describeOutput(child)}`);
}

function describeOutput(child: BenchChild): string {
  return child.output().firstLines.join('\n') || '(no output)';
}
