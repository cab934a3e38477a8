// A throwaway PostgreSQL for tests and CI: initdb + pg_ctl on a temporary directory, a free port on
// 127.0.0.1, trust authentication, fsync off (the data is thrown away). Run as root, the server runs as the
// `postgres` (or `nobody`) user, since PostgreSQL refuses to run as root.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgServer {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dir: string;
  /** A URL for another database on the same server. */
  urlFor(database: string): string;
  stop(): void;
  /** Stops the server, keeping its data and port: `fast` ends sessions cleanly, `immediate` is a crash. */
  halt(mode: 'fast' | 'immediate'): void;
  /** Starts a halted server again (same data, same port). */
  resume(): void;
  /** The postmaster's pid and its children's (backends, background processes). */
  pids(): number[];
}

const BIN_DIRS = ['/usr/local/bin', '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

export function pgBin(name: string): string {
  for (const d of BIN_DIRS) if (existsSync(join(d, name))) return join(d, name);
  throw new Error(`${name} not found (looked in ${BIN_DIRS.join(', ')}); install the Debian "postgresql" package`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function runAsUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
      const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
      return { uid, gid, name };
    } catch {
      // try the next one
    }
  }
  throw new Error('running as root and neither a "postgres" nor a "nobody" user exists to run PostgreSQL as');
}

/** Children of `pid` (from /proc, no ps needed). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** `extraOptions` are more `-c name=value` settings (later ones win over the defaults). */
export async function startPg(extraOptions: string[] = []): Promise<PgServer> {
  const dir = mkdtempSync(join(tmpdir(), 'labelmux-pg-'));
  const data = join(dir, 'data');
  const user = runAsUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (file: string, args: string[]) =>
    user
      ? execFileSync('runuser', ['-u', user.name, '--', file, ...args], { stdio: 'pipe', cwd: dir })
      : execFileSync(file, args, { stdio: 'pipe', cwd: dir });
  run(pgBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=127.0.0.1`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
    '-c shared_buffers=64MB',
    ...extraOptions,
  ].join(' ');
  const start = () => run(pgBin('pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  start();
  const urlFor = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  let stopped = false;
  return {
    url: urlFor('postgres'),
    port,
    dir,
    urlFor,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(pgBin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    halt(mode) {
      run(pgBin('pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']);
    },
    resume: start,
    pids() {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return [postmaster, ...childrenOf(postmaster)];
    },
  };
}
