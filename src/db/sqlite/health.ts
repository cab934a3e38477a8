// Storage faults at run time on SQLite: a full disk, a file or file system that became read-only, I/O
// errors, a corrupt page, the write queue full or the file locked by another process. Each is answered as
// "storage unavailable" (503 + Retry-After in the dialect's shape), never a generic 500. Faults that last
// (disk, writability, I/O) make /readyz fail until a write succeeds again — the next request's or a probe's
// (readiness checks run one, at most every PROBE_EVERY_MS); corruption makes it fail until a restart.
import { unavailable } from '../../core/errors.js';
import { errorCode, type StorageEventListener } from '../store/db.js';

interface Kind {
  /** Said to clients (the dialect renders it). */
  message: string;
  retryAfter: number;
  /** Lasts beyond the request: /readyz fails until a write succeeds (or, for corruption, until a restart). */
  lasting?: 'until-write' | 'until-restart';
}

const KINDS: [RegExp, Kind][] = [
  [/^SQLITE_FULL$/, { message: 'Storage unavailable: the disk holding the database is full; writes are refused until space is freed (reads still work).', retryAfter: 30, lasting: 'until-write' }],
  [/^SQLITE_READONLY/, { message: 'Storage unavailable: the database file cannot be written (read-only file or file system); reads still work.', retryAfter: 30, lasting: 'until-write' }],
  [/^SQLITE_(IOERR|CANTOPEN)/, { message: 'Storage unavailable: the database file could not be read or written (I/O error); try again later.', retryAfter: 30, lasting: 'until-write' }],
  [/^SQLITE_(CORRUPT|NOTADB)/, { message: 'Storage unavailable: the database file is damaged; the operator has to restore it.', retryAfter: 300, lasting: 'until-restart' }],
  [/^SQLITE_BUSY/, { message: 'Storage unavailable: the database is locked by another process; try again in a second.', retryAfter: 1 }],
  // The bounded write queue of driver.ts is full (MAX_WAITING operations wait already).
  [/^EBUSY$/, { message: 'Storage unavailable: too many operations are waiting for the database; try again in a second.', retryAfter: 1 }],
];

const PROBE_EVERY_MS = 2000;

export class StorageHealth {
  /** The lasting fault now in force, if any. */
  private fault: { code: string; kind: Kind } | null = null;
  private lastProbe = 0;

  constructor(private readonly onEvent: StorageEventListener = () => {}) {}

  /** Nothing known keeps the database from serving. */
  get ok(): boolean {
    return this.fault === null;
  }

  /** The error for the caller: UNAVAILABLE for a storage fault (remembered when it lasts), else e itself. */
  failed(e: unknown): unknown {
    const code = errorCode(e);
    const kind = KINDS.find(([re]) => re.test(code))?.[1];
    if (!kind) return e;
    if (kind.lasting && this.fault?.kind.lasting !== 'until-restart' && this.fault?.code !== code) {
      this.fault = { code, kind };
      const message = e instanceof Error ? e.message : String(e);
      const until = kind.lasting === 'until-restart' ? 'until a restart: check the file (PRAGMA integrity_check) and restore a backup' : 'until a write succeeds again';
      this.onEvent('error', `SQLite ${code} (${message}): answering 503, /readyz not ready ${until}`);
    }
    return unavailable(kind.message, kind.retryAfter);
  }

  /** A write committed: a fault that lasts until then is over. */
  succeeded(): void {
    if (this.fault?.kind.lasting !== 'until-write') return;
    this.onEvent('info', `SQLite writes succeed again (after ${this.fault.code}): ready`);
    this.fault = null;
  }

  /** During a fault that a write can end: runs `write` (at most every PROBE_EVERY_MS) to learn whether it is over. */
  async probe(write: () => Promise<unknown>): Promise<void> {
    if (this.fault?.kind.lasting !== 'until-write' || Date.now() - this.lastProbe < PROBE_EVERY_MS) return;
    this.lastProbe = Date.now();
    await write().catch(() => {});
  }
}
