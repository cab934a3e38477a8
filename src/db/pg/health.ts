// What a lost or hung PostgreSQL looks like to the pg driver, and the breaker that answers "storage
// unavailable" at once while it lasts: a request during an outage fails in milliseconds (503), not after a
// connect or statement timeout, and the first successful probe (once a second) brings service back without
// a restart.
import { isCoreError, unavailable } from '../../core/errors.js';
import { errorCode, type StorageEventListener } from '../store/db.js';

/** Seconds a client is told to wait (Retry-After) before trying again during an outage. */
export const OUTAGE_RETRY_AFTER = 5;
const PROBE_EVERY_MS = 1000;

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLSTATE class 08 (connection exception), admin or crash shutdown, cannot connect now, too many connections. */
const SQLSTATE_DOWN = /^(08...|57P0[123]|53300)$/;
/** pg and pg-pool report a dead or silent connection with these texts (no code). */
const DRIVER_TEXTS = /Connection terminated|connection timeout|Query read timeout|not queryable|timeout exceeded when trying to connect|Connection ended|Client was closed/i;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The connection is gone, could not be made, or the server stopped answering: an outage, not a bad query. */
export function isConnectionLoss(e: unknown): boolean {
  if (isCoreError(e)) return false;
  const c = errorCode(e);
  return NETWORK.has(c) || SQLSTATE_DOWN.test(c) || DRIVER_TEXTS.test(message(e)) || (e instanceof AggregateError && e.errors.some(isConnectionLoss));
}

/** statement_timeout (or a cancel) stopped the statement: the server is alive but too slow. */
export const isCanceled = (e: unknown): boolean => errorCode(e) === '57014';

/** A short reason for logs: the driver's code and text, never the URL. */
export const reason = (e: unknown): string => {
  const c = errorCode(e);
  const m = message(e) || (e instanceof AggregateError ? e.errors.map(message).join('; ') : '');
  return c && !m.includes(c) ? `${c}: ${m}` : m;
};

export const lostMessage = 'Storage unavailable: the database cannot be reached; try again in a few seconds.';
const slowMessage = 'Storage unavailable: the database did not answer in time; try again in a few seconds.';

/**
 * Up, or down since a connection loss that a probe confirmed. While down every query is refused at once and
 * the database is probed every second; one answered probe ends the outage.
 */
export class Availability {
  private down: string | null = null;
  private probing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly probe: () => Promise<unknown>,
    private readonly onEvent: StorageEventListener = () => {},
  ) {}

  get up(): boolean {
    return this.down === null;
  }

  /** Before a query: refuses at once while the database is known to be down. */
  check(): void {
    if (this.down !== null) throw unavailable(lostMessage, OUTAGE_RETRY_AFTER);
  }

  /** The error a failed query gives its caller: UNAVAILABLE for an outage or a timeout, else the error itself. */
  failed(e: unknown): unknown {
    if (isConnectionLoss(e)) {
      this.suspect(e);
      return unavailable(lostMessage, OUTAGE_RETRY_AFTER);
    }
    return isCanceled(e) ? unavailable(slowMessage, 1) : e;
  }

  /** A connection failed (a query's, or an idle one's): probe now; a failed probe starts the outage. */
  suspect(e: unknown): void {
    if (this.closed || this.down !== null || this.probing) return;
    this.probing = this.probe().then(
      () => void (this.probing = null),
      (err: unknown) => {
        this.probing = null;
        this.markDown(isConnectionLoss(err) || isCanceled(err) ? err : e);
      },
    );
  }

  private markDown(e: unknown): void {
    if (this.closed || this.down !== null) return;
    this.down = reason(e);
    this.onEvent('error', `PostgreSQL unreachable (${this.down}): answering 503 until it answers again, probing every ${PROBE_EVERY_MS / 1000} s`);
    this.timer = setInterval(() => this.retry(), PROBE_EVERY_MS);
    this.timer.unref();
  }

  private retry(): void {
    if (this.probing) return;
    this.probing = this.probe().then(
      () => {
        this.probing = null;
        if (this.timer) clearInterval(this.timer);
        this.timer = null;
        const was = this.down;
        this.down = null;
        if (was !== null && !this.closed) this.onEvent('info', 'PostgreSQL answers again: serving requests');
      },
      () => void (this.probing = null),
    );
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
