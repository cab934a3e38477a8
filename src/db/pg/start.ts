// Start-up against a PostgreSQL that may not be up yet (all services starting together, a database being
// restarted): reach it and migrate, retrying with backoff while it is unreachable, one clear line per try,
// and give up with a line naming LABELMUX_DB (password hidden) once the start timeout has passed, so the
// process exits non-zero and its supervisor takes over.
import type { StorageEventListener } from '../store/db.js';
import { isCanceled, isConnectionLoss, reason } from './health.js';

/** Default LABELMUX_PG_START_TIMEOUT: long enough for a database container starting alongside. */
export const PG_START_TIMEOUT_DEFAULT = 60_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

/** The URL with its password replaced, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    return 'postgres://… (not a valid URL)';
  }
}

export interface StartOptions {
  url: string;
  /** How long to keep retrying (ms); 0 = one attempt. */
  timeoutMs: number;
  onEvent: StorageEventListener;
  /** Aborted when the store closes during start-up. */
  signal: AbortSignal;
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Error('the store was closed during start-up'));
    const t = setTimeout(() => (signal.removeEventListener('abort', stop), resolve()), ms);
    const stop = () => (clearTimeout(t), reject(new Error('the store was closed during start-up')));
    signal.addEventListener('abort', stop, { once: true });
  });

/**
 * Runs `steps` (reach the database, migrate) until they succeed. An unreachable or too slow server is retried
 * (250 ms, doubling to 5 s) until `timeoutMs`; anything else (wrong password, unknown database) fails at once.
 * Steps that already succeeded are not repeated: `steps` decides that itself.
 */
export async function startWithRetry(steps: () => Promise<void>, o: StartOptions): Promise<void> {
  const where = `PostgreSQL at LABELMUX_DB=${redactUrl(o.url)}`;
  const started = Date.now();
  let delay = FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      await steps();
      if (attempt > 1) o.onEvent('info', `${where} is reachable: migrated, starting`);
      return;
    } catch (e) {
      if (o.signal.aborted) throw e;
      if (!isConnectionLoss(e) && !isCanceled(e)) throw new Error(`${where} refused to start labelmux: ${reason(e)}`, { cause: e });
      const left = started + o.timeoutMs - Date.now();
      if (left <= 0) {
        throw new Error(
          `${where} stayed unreachable for ${Math.round((Date.now() - started) / 1000)} s (${reason(e)}); giving up. ` +
            'Check that it runs and accepts connections at that address, or wait longer with LABELMUX_PG_START_TIMEOUT (milliseconds).',
          { cause: e },
        );
      }
      const next = Math.min(delay, left);
      o.onEvent('warn', `${where} is unreachable (${reason(e)}); retrying in ${(next / 1000).toFixed(2)} s (attempt ${attempt}; giving up after LABELMUX_PG_START_TIMEOUT=${o.timeoutMs} ms)`);
      await wait(next, o.signal);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}
