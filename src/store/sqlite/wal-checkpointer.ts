/**
 * Checkpoints a SQLite file's write-ahead log from a worker thread, so that the gateway's event loop never
 * does. SQLite's default is an automatic checkpoint inside the COMMIT that takes the WAL past 1,000 pages:
 * that commit copies every page back into the database file and waits for an fsync, on the one thread
 * that also serves every request. Measured on the façade path, checkpoints were about 40 % of the
 * store's write time (docs/benchmarks.md). The store turns them off on its connection
 * (`wal_autocheckpoint = 0`) and starts this instead: a worker with its own connection to the file that,
 * every `intervalMs` during which something was committed, runs a PASSIVE checkpoint. A passive checkpoint
 * takes no lock that the writer waits for; it copies what no reader still needs, and the writer starts
 * the log over once everything is copied. If the worker cannot run (it fails to open the file, or dies),
 * the store's connection goes back to checkpointing automatically, so the log stays bounded either way.
 *
 * A writer that never pauses never finds everything copied: each passive checkpoint ends with frames
 * committed after it began, and the log grows by every commit (at the façade's saturation, 1 GiB in
 * 25 s: docs/benchmarks.md). So when a passive checkpoint leaves a log longer than `logLimitBytes`, the
 * worker says so (`takeLogOverLimit()`), and the writer, between two of its commits, runs a passive
 * checkpoint of its own: with no commit in between, it copies the frames committed since the worker's
 * checkpoint, all of them, and the writer's next commit starts the log over (truncating the file to the
 * store's `journal_size_limit`). That costs the event loop a short copy and two syncs, once per
 * `logLimitBytes` written, and only while the writer never pauses. A checkpoint from the worker that
 * waited for the write lock instead (RESTART) waited in SQLite's busy handler, sleeping 1, 2, 5, 10 ms…
 * between tries, while the writer went on committing: with a 256 KiB limit and 8 MiB of runs written,
 * the log still grew to 14–38 MiB (4–7 MiB this way).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often, at most, the worker checkpoints while commits keep coming. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 100;

/** Slots of the shared counter array. */
const COMMITS = 0;
const STOP = 1;
const LOG_OVER_LIMIT = 2;

/**
 * The worker's code, evaluated as CommonJS. It is a string rather than a module of its own because
 * the worker must run the same way from `dist/` and from the TypeScript sources the tests import, where
 * no compiled worker file exists; the driver is passed in as a resolved path for the same reason.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const signals = new Int32Array(workerData.signals);
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = NORMAL');
const pageSize = db.pragma('page_size', { simple: true });
parentPort.postMessage('ready');
let checkpointedAt = 0;
while (Atomics.load(signals, ${STOP}) === 0) {
  const commits = Atomics.load(signals, ${COMMITS});
  if (commits !== checkpointedAt) {
    checkpointedAt = commits;
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (log * pageSize > workerData.logLimitBytes) Atomics.store(signals, ${LOG_OVER_LIMIT}, 1);
  }
  Atomics.wait(signals, ${STOP}, 0, workerData.intervalMs);
}
db.close();
`;

export interface WalCheckpointerOptions {
  readonly file: string;
  readonly busyTimeoutMs: number;
  /** How long the log may grow before the writer is made to start it over (see the module comment). */
  readonly logLimitBytes: number;
  /** @default DEFAULT_CHECKPOINT_INTERVAL_MS */
  readonly intervalMs?: number;
  /** Called once if the worker fails or exits before `close()`: the store's connection must checkpoint again. */
  readonly onFailure: (error: Error) => void;
}

export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #signals: Int32Array;
  #stopping = false;
  #failed = false;
  readonly #exited: Promise<void>;

  /** Starts the worker and resolves once its connection is open; rejects if it could not open it. */
  static async start(options: WalCheckpointerOptions): Promise<WalCheckpointer> {
    const checkpointer = new WalCheckpointer(options);
    await checkpointer.#ready(options);
    return checkpointer;
  }

  private constructor(options: WalCheckpointerOptions) {
    const signals = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    this.#signals = new Int32Array(signals);
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file: options.file,
        busyTimeoutMs: options.busyTimeoutMs,
        logLimitBytes: options.logLimitBytes,
        intervalMs: options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
        signals,
      },
    });
    // A checkpointer must never keep the process alive on its own.
    this.#worker.unref();
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
  }

  #ready(options: WalCheckpointerOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => {
        if (this.#failed || this.#stopping) return;
        this.#failed = true;
        reject(error);
        options.onFailure(error);
      };
      this.#worker.once('message', () => resolve());
      // A SqliteError thrown in the worker arrives as a plain object holding only its `code`.
      this.#worker.on('error', (error: unknown) => fail(workerError(error)));
      this.#worker.once('exit', (code) => fail(new Error(`WAL checkpointer exited with code ${code}`)));
    });
  }

  /** Tells the worker that the writer committed: one atomic add, nothing waits. */
  committed(): void {
    Atomics.add(this.#signals, COMMITS, 1);
  }

  /**
   * Whether the worker found the log over its limit since the last call: the writer should then
   * checkpoint between two commits (see the module comment).
   */
  takeLogOverLimit(): boolean {
    return Atomics.exchange(this.#signals, LOG_OVER_LIMIT, 0) === 1;
  }

  /** Stops the worker after the checkpoint it may be running, and closes its connection. Idempotent. */
  async close(): Promise<void> {
    this.#stopping = true;
    // Unreferenced, the worker's exit would not keep the event loop alive: a process with nothing else
    // left would end with this promise unsettled (exit code 13 under a top-level await).
    this.#worker.ref();
    Atomics.store(this.#signals, STOP, 1);
    Atomics.notify(this.#signals, STOP);
    await this.#exited;
  }
}

function workerError(error: unknown): Error {
  if (error instanceof Error) return error;
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);
  return new Error(`WAL checkpointer failed: ${code}`);
}
