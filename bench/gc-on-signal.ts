/**
 * Preloaded into the memory benchmark's gateway (`node --expose-gc --import …/gc-on-signal.js`): a
 * SIGUSR2 runs a full garbage collection, so the harness can read the heap that is really retained (by
 * runs, by watches, or by a leak) rather than whatever garbage the last collection left. The gateway's
 * own code is untouched; without `--expose-gc` this does nothing.
 */
const collect = (globalThis as { gc?: () => void }).gc;
if (collect !== undefined) process.on('SIGUSR2', () => collect());
