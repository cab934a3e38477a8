// One labelmux instance from a configuration: the store, the core and the app, then listening. The server
// process (src/serve.ts: `npm start`, `labelmux serve`) and startLabelmux (src/sandbox/start.ts) both start
// here, so a test runner's in-process labelmux is the same server, assembled the same way.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import pino from 'pino';
import pretty from 'pino-pretty';
import { FixturesError, loadFixtures, readFixturesFile } from './admin/fixtures.js';
import { buildApp } from './app.js';
import { ConfigError, type Config } from './config.js';
import { createCore, type Core, type ResetSummary } from './core/index.js';
import { createStore, DatabaseFileError, type PgStore, type SqliteStore, type StorageEventListener } from './db/index.js';
import { createSandbox } from './sandbox/index.js';

/** The demo workspace, user and key created on an empty database (LABELMUX_BOOTSTRAP=demo). */
export type DemoTenant = Awaited<ReturnType<Core['admin']['bootstrapDemo']>>;

/** Request fields that carry credentials: never written to the log. */
const SECRET_PATHS = ['req.headers.authorization', 'req.headers.apikey', 'req.query.apiKey', 'req.body.user_token', 'req.body.password'];

/** LOG_FORMAT: pretty lines for a person at a terminal (`auto` when stdout is one), JSON lines for log collectors. */
export const prettyLogs = (format: Config['logFormat'], stdoutIsTTY: boolean): boolean => format === 'pretty' || (format === 'auto' && stdoutIsTTY);

/** pino options at the configured level and format, ISO timestamps, credentials redacted. */
export const loggerOptions = (config: Readonly<Config>, stdoutIsTTY = process.stdout.isTTY === true): FastifyServerOptions['logger'] => {
  const options = { level: config.logLevel, redact: { paths: SECRET_PATHS, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (!prettyLogs(config.logFormat, stdoutIsTTY)) return options;
  // Written synchronously like pino's JSON, so the last lines before an exit are not lost; colours only on a terminal.
  // The time is already ISO (translateTime would reformat it); pid and hostname say nothing to a person at a terminal.
  const stream = pretty({ sync: true, colorize: stdoutIsTTY, singleLine: true, translateTime: false, ignore: 'pid,hostname' });
  return { ...options, stream };
};

export interface LaunchOptions {
  /** Fastify's logger; false (the default) logs nothing. */
  logger?: FastifyServerOptions['logger'];
  /** SQLite WAL checkpoints from a worker thread: for a long-running server (src/db/sqlite/checkpointer.ts). */
  backgroundCheckpoints?: boolean;
  onCheckpointError?: (err: Error) => void;
  /** Storage health: PostgreSQL start-up retries, outages, a full disk. */
  onStorageEvent?: StorageEventListener;
  /** Start-up lines for the operator (the integrity check's result); ignored when absent. */
  say?: (line: string) => void;
}

export interface Instance {
  readonly config: Readonly<Config>;
  readonly app: FastifyInstance;
  readonly core: Core;
  readonly store: SqliteStore | PgStore;
  /** The admin token in force: the configured one, else one generated for this instance. */
  readonly adminToken: string;
  /**
   * Waits for the database, runs the start-up checks, then resets the database to the fixtures
   * (LABELMUX_FIXTURES) or bootstraps the demo tenant, then listens. Resolves with the base URL clients use,
   * the demo tenant when one was created and what the fixtures wrote.
   */
  listen(): Promise<{ url: string; demo: DemoTenant | null; fixtures: ResetSummary | null }>;
  /** Stops accepting, waits for in-flight requests, then closes the database. */
  close(): Promise<void>;
}

/** Builds the store, the core and the app; nothing listens yet, so the caller can arm its shutdown first. */
export async function assemble(config: Readonly<Config>, options: LaunchOptions = {}): Promise<Instance> {
  const say = options.say ?? (() => undefined);
  // A bad fixtures file stops the start before the database is touched, with one line naming the element.
  const fixtures = config.fixtures === undefined ? null : await readFixturesFile(config.fixtures).catch((e: unknown) => {
    throw e instanceof FixturesError ? new ConfigError(`LABELMUX_FIXTURES=${config.fixtures}: ${e.message}`) : e;
  });
  const store = createStore(config.db, { backgroundCheckpoints: options.backgroundCheckpoints, onCheckpointError: options.onCheckpointError, onEvent: options.onStorageEvent, pg: config.pg });
  let app: FastifyInstance;
  // The sandbox (request journal, fault rules, clock) exists first: the core reads the time from its clock.
  const sandbox = createSandbox(config.sandbox);
  const core = createCore({ store, now: sandbox.clock.now });
  const adminToken = config.adminToken ?? randomBytes(24).toString('hex');
  try {
    app = await buildApp({ config, core, adminToken, sandbox, logger: options.logger ?? false });
  } catch (e) {
    await store.close();
    throw e;
  }
  return {
    config,
    app,
    core,
    store,
    adminToken,
    async listen() {
      // PostgreSQL may still be starting: wait (retrying, logged) or give up with one clear line.
      if (store.kind === 'postgres') await store.ready.catch((e: Error) => Promise.reject(new ConfigError(e.message)));
      await checkAtStart(store, config.checkAtStart, say);
      // The fixtures (or the demo tenant) exist before the first request can arrive; the banner needs the bound address.
      const loaded = fixtures === null ? null : await loadFixtures(core, fixtures);
      const demo = config.bootstrap === 'demo' && fixtures === null ? await core.admin.bootstrapDemo() : null;
      const address = await app.listen({ port: config.port, host: config.host });
      const url = config.publicUrl ?? address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
      return { url, demo, fixtures: loaded };
    },
    async close() {
      await app.close(); // stops accepting, waits for in-flight requests
      await store.close(); // checkpoints the WAL and closes the database cleanly
    },
  };
}

/** LABELMUX_CHECK_AT_START / --check-at-start: SQLite's integrity check before serving; a damaged file is not served. */
async function checkAtStart(store: SqliteStore | PgStore, mode: Config['checkAtStart'], say: (line: string) => void): Promise<void> {
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
  say(`labelmux: ${mode} integrity check of the database passed in ${Date.now() - started} ms`);
}
