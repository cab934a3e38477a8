// Entry point: config → database → core → app → listen; graceful shutdown on SIGTERM/SIGINT.
import { randomBytes } from 'node:crypto';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { banner } from './bootstrap.js';
import { ConfigError, loadConfig, serverFlags, unknownSettings, type Config } from './config.js';
import { createCore } from './core/index.js';
import { createStore, DatabaseFileError, type PgStore, type SqliteStore, type StorageEventListener } from './db/index.js';
import { tuneHeap } from './heap.js';
import { trackConnections } from './http/connections.js';
import { createSandbox } from './sandbox/index.js';
import { describeStartupError } from './startup.js';

const SECRET_PATHS = ['req.headers.authorization', 'req.headers.apikey', 'req.query.apiKey', 'req.body.user_token', 'req.body.password'];
/**
 * Signals that mean the process itself is broken (a bad memory access, an illegal instruction, abort()).
 * They keep their default action, death by the signal, so a supervisor sees the crash and restarts the
 * process: handled, SIGSEGV and SIGBUS return to the faulting instruction and the process spins forever.
 */
const FATAL_SIGNALS: closeWithGrace.AllEvents[] = ['SIGBUS', 'SIGSEGV', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGTRAP'];
/** How long shutdown waits at most (then it exits 1), and how long a request still sending its body at SIGTERM gets to finish it. */
const GRACE_MS = 10_000;
const BODY_GRACE_MS = 5_000;

/** Known once the configuration is read: start-up errors name the settings at fault. */
let config: Readonly<Config> | undefined;

async function main(): Promise<void> {
  tuneHeap();
  config = Object.freeze({ ...loadConfig(), ...serverFlags(process.argv.slice(2)) });
  for (const warning of unknownSettings()) process.stderr.write(`labelmux: warning: ${warning}\n`);
  // Until the app (and its logger) exists, a failing checkpoint worker is reported on stderr.
  let checkpointError = (err: Error): void => void process.stderr.write(`labelmux: ${err.message}\n`);
  // Storage health (PostgreSQL start-up retries, outages, a full disk): plain lines until the logger exists.
  let storageEvent: StorageEventListener = (_level, message) => void process.stderr.write(`labelmux: ${message}\n`);
  const store = createStore(config.db, { backgroundCheckpoints: true, onCheckpointError: (err) => checkpointError(err), onEvent: (l, m) => storageEvent(l, m), pg: config.pg });
  const sandbox = createSandbox(config.sandbox);
  const core = createCore({ store, now: sandbox.clock.now });
  const adminToken = config.adminToken ?? randomBytes(24).toString('hex');
  const app = await buildApp({
    config,
    core,
    adminToken,
    sandbox,
    logger: { level: config.logLevel, redact: { paths: SECRET_PATHS, censor: '[redacted]' } },
  });
  checkpointError = (err) => app.log.error({ err }, 'background WAL checkpoints failed: commits checkpoint the WAL themselves past the backstop threshold');
  storageEvent = (level, message) => app.log[level](message);
  const connections = trackConnections(app.server);

  closeWithGrace({ delay: GRACE_MS, skip: FATAL_SIGNALS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    connections.closeStragglers(BODY_GRACE_MS);
    await app.close(); // stops accepting, waits for in-flight requests
    await store.close(); // checkpoints the WAL and closes the database cleanly
  });

  // PostgreSQL may still be starting: wait (retrying, logged) or give up with one clear line, exit 1.
  if (store.kind === 'postgres') await store.ready.catch((e: Error) => Promise.reject(new ConfigError(e.message)));
  await checkAtStart(store, config.checkAtStart);
  // The demo tenant exists before the first request can arrive; its banner needs the bound address.
  const demo = config.bootstrap === 'demo' ? await core.admin.bootstrapDemo() : null;
  const address = await app.listen({ port: config.port, host: config.host });
  const base = config.publicUrl ?? address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
  if (!config.adminToken) process.stdout.write(`labelmux: admin token for this run (set LABELMUX_ADMIN_TOKEN to fix it): ${adminToken}\n`);
  if (demo) process.stdout.write(banner(config, demo, base));
  process.stdout.write(`labelmux: listening on ${base}\n`);
}

/** LABELMUX_CHECK_AT_START / --check-at-start: SQLite's integrity check before serving; a damaged file is not served. */
async function checkAtStart(store: SqliteStore | PgStore, mode: Config['checkAtStart']): Promise<void> {
  if (mode === 'off') return;
  if (store.kind === 'postgres') {
    process.stderr.write('labelmux: warning: LABELMUX_CHECK_AT_START checks SQLite files; PostgreSQL checks its own pages (data checksums, pg_amcheck)\n');
    return;
  }
  const started = Date.now();
  const problems = await store.checkIntegrity(mode);
  if (problems.length > 0) {
    // The process exits without closing the store: closing checkpoints the WAL into the damaged file.
    throw new DatabaseFileError(`the ${mode} integrity check found ${problems.length} problem(s), first: ${problems[0]}; restore the file from a backup, or run "labelmux check" for the list`);
  }
  process.stdout.write(`labelmux: ${mode} integrity check of the database passed in ${Date.now() - started} ms\n`);
}

main().catch((err: unknown) => {
  for (const line of describeStartupError(err, config).split('\n')) process.stderr.write(`labelmux: ${line}\n`);
  process.exit(1);
});
