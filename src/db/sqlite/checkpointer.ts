// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that crosses
// `wal_autocheckpoint` pages: it copies the WAL into the database file and fsyncs, and with better-sqlite3 that
// stalls the event loop, and every request waiting on it, for milliseconds. Here a worker thread with its own
// connection runs `PRAGMA wal_checkpoint(PASSIVE)` every CHECKPOINT_MS: in WAL mode a checkpoint by another
// connection waits for nobody and blocks nobody. The main connection keeps a large automatic threshold as a
// backstop, should the worker fall behind or fail.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const CHECKPOINT_MS = 100;
/** The main connection's own checkpoint threshold, in pages (40 MB of WAL): reached only if the worker lags. */
export const BACKSTOP_PAGES = 10_000;

// The worker reports its first failure (and nothing more: it keeps trying every tick); a PASSIVE checkpoint
// never waits, so SQLITE_BUSY is not one. A checkpoint reads and writes pages directly: a small page cache.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('cache_size = -256');
let reported = false;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    if (reported || e.code === 'SQLITE_BUSY') return;
    reported = true;
    parentPort.postMessage({ error: String(e && e.message) });
  }
}, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * Its own V8 isolate, bounded: it holds one connection and a timer. Node's defaults would let a worker's heap
 * grow like the main thread's; these limits cap what it may take (at rest it uses too little to measure).
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1, codeRangeSizeMb: 4, stackSizeMb: 1 };

export interface Checkpointer {
  stop(): Promise<void>;
}

/** `onError` hears why the worker failed (it could not open the database, a checkpoint failed, it died). */
export function startCheckpointer(path: string, onError: (err: Error) => void = () => undefined, intervalMs = CHECKPOINT_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, driver }, resourceLimits: RESOURCE_LIMITS });
  worker.unref(); // never what keeps a process alive
  let exited = false;
  let stopping = false;
  let failed = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  // Either way the backstop threshold still bounds the WAL: commits checkpoint past BACKSTOP_PAGES.
  worker.on('error', (err) => {
    failed = true;
    onError(new Error(`the WAL checkpoint worker stopped: ${err.message}`));
  });
  worker.on('message', (m: { error?: string }) => {
    if (m.error !== undefined) onError(new Error(`a background WAL checkpoint failed: ${m.error}`));
  });
  worker.on('exit', (code) => {
    if (!stopping && !failed && code !== 0) onError(new Error(`the WAL checkpoint worker exited with code ${code}`));
  });
  return {
    async stop() {
      stopping = true;
      if (!exited) worker.postMessage('stop');
      await exit;
    },
  };
}
