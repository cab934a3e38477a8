// What the operator reads when the server cannot start: one line naming the setting at fault and the fix,
// instead of a stack trace. Whatever error ends start-up (configuration, database, listening) passes here.
import type { Config } from './config.js';
import { ConfigError } from './config.js';
import { DatabaseFileError, redactUrl } from './db/index.js';

type ErrorLike = Error & { code?: unknown; syscall?: string; hostname?: string; address?: string; port?: number; errors?: unknown[] };

/** The error's code; a connection refused on every address of a name is an AggregateError of them. */
const codeOf = (e: ErrorLike): string => String(e.code ?? (e.errors?.[0] as ErrorLike | undefined)?.code ?? '');

/** The one line printed for a failed start (without the `labelmux: ` prefix). */
export function describeStartupError(err: unknown, config: Readonly<Config> | undefined): string {
  if (err instanceof ConfigError) return err.message;
  if (!(err instanceof Error)) return `could not start: ${String(err)}`;
  const e = err as ErrorLike;
  const code = codeOf(e);
  if (config) {
    const listen = listenProblem(e, code, config);
    if (listen) return listen;
    if (err instanceof DatabaseFileError) return `LABELMUX_DB=${config.db}: ${err.message}`;
    if (/^postgres(ql)?:\/\//.test(config.db)) {
      const pg = postgresProblem(e, code, config.db);
      if (pg) return pg;
    } else if (code.startsWith('SQLITE_')) {
      return `LABELMUX_DB=${config.db}: the SQLite database failed (${err.message}); check the file, or run "labelmux check"`;
    }
  }
  return `could not start: ${err.stack ?? err.message}`;
}

function listenProblem(e: ErrorLike, code: string, config: Readonly<Config>): string | null {
  const at = `${config.host}:${config.port}`;
  if (e.syscall === 'listen' || e.syscall === 'bind') {
    if (code === 'EADDRINUSE') return `PORT=${config.port}: ${at} is already in use by another process; stop it or set PORT to a free port (0 picks any)`;
    if (code === 'EACCES' || code === 'EPERM') return `PORT=${config.port}: not allowed to listen on ${at} (ports below 1024 need privileges); set PORT to 1024 or above`;
    if (code === 'EADDRNOTAVAIL') return `HOST=${config.host}: not an address of this machine; set HOST to one of its addresses, 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`;
    if (code === 'EAFNOSUPPORT') return `HOST=${config.host}: this machine has no such address family; set HOST to 127.0.0.1 or 0.0.0.0`;
  }
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') && e.hostname === config.host) {
    return `HOST=${config.host}: no such host name or address; set HOST to an address of this machine, 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`;
  }
  return null;
}

function postgresProblem(e: ErrorLike, code: string, url: string): string | null {
  const where = `LABELMUX_DB=${redactUrl(url)}`;
  let host = '';
  try {
    const u = new URL(url);
    host = `${u.hostname}:${u.port || 5432}`;
  } catch {
    /* the message still names the setting */
  }
  const fix = 'start PostgreSQL or correct the URL in LABELMUX_DB';
  if (code === 'ECONNREFUSED') return `${where}: PostgreSQL refused the connection at ${host}; ${fix}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${where}: no such PostgreSQL host (${e.hostname ?? host}); ${fix}`;
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timeout/i.test(e.message)) {
    return `${where}: PostgreSQL at ${host} did not answer (${e.message}); ${fix}`;
  }
  if (code === '28P01' || code === '28000') return `${where}: PostgreSQL refused the login (${e.message}); fix the user name and password in LABELMUX_DB`;
  if (code === '3D000') return `${where}: ${e.message}; create the database (createdb) or name an existing one in LABELMUX_DB`;
  if (code === 'ECONNRESET' || /terminated|closed/i.test(e.message)) return `${where}: the connection to PostgreSQL at ${host} was lost (${e.message}); ${fix}`;
  return null;
}
