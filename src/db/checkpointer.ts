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

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next tick tries again */ }
}, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, intervalMs = CHECKPOINT_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, driver } });
  worker.unref(); // never what keeps a process alive
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => ((exited = true), resolve())));
  worker.on('error', () => undefined); // the backstop threshold still bounds the WAL
  return {
    async stop() {
      if (!exited) worker.postMessage('stop');
      await exit;
    },
  };
}
