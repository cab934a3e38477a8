// The server process: configuration → instance (src/launch.ts) → listening, with graceful shutdown on
// SIGTERM/SIGINT and one clear line when start-up fails. `npm start` (src/server.ts) and `labelmux serve`
// (src/cli.ts) both run it.
import closeWithGrace from 'close-with-grace';
import { banner } from './bootstrap.js';
import type { Config } from './config.js';
import { tuneHeap } from './heap.js';
import { trackConnections } from './http/connections.js';
import { assemble, loggerOptions } from './launch.js';
import { describeStartupError } from './startup.js';

/**
 * Signals that mean the process itself is broken (a bad memory access, an illegal instruction, abort()).
 * They keep their default action, death by the signal, so a supervisor sees the crash and restarts the
 * process: handled, SIGSEGV and SIGBUS return to the faulting instruction and the process spins forever.
 */
const FATAL_SIGNALS: closeWithGrace.AllEvents[] = ['SIGBUS', 'SIGSEGV', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGTRAP'];
/** How long shutdown waits at most (then it exits 1), and how long a request still sending its body at SIGTERM gets to finish it. */
const GRACE_MS = 10_000;
const BODY_GRACE_MS = 5_000;

/**
 * Runs the server until a signal stops it. `readConfig` may throw (a bad setting): like every start-up
 * failure that is one `labelmux: …` line on stderr and exit code 1.
 */
export async function runServer(readConfig: () => Readonly<Config>): Promise<void> {
  /** Known once the configuration is read: start-up errors name the settings at fault. */
  let config: Readonly<Config> | undefined;
  try {
    tuneHeap();
    config = Object.freeze(readConfig());
    await serve(config);
  } catch (err) {
    for (const line of describeStartupError(err, config).split('\n')) process.stderr.write(`labelmux: ${line}\n`);
    process.exit(1);
  }
}

async function serve(config: Readonly<Config>): Promise<void> {
  // Until the app (and its logger) exists, a failing checkpoint worker is reported on stderr.
  let checkpointError = (err: Error): void => void process.stderr.write(`labelmux: ${err.message}\n`);
  // Storage health (PostgreSQL start-up retries, outages, a full disk): plain lines until the logger exists.
  let storageEvent = (_level: 'info' | 'warn' | 'error', message: string): void => void process.stderr.write(`labelmux: ${message}\n`);
  const instance = await assemble(config, {
    logger: loggerOptions(config),
    backgroundCheckpoints: true,
    onCheckpointError: (err) => checkpointError(err),
    onStorageEvent: (level, message) => storageEvent(level, message),
    say: (line) => void process.stderr.write(`${line}\n`),
  });
  const { app, store } = instance;
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

  const { url, demo, fixtures } = await instance.listen();
  // The banner is for the operator, on stderr: stdout carries only the log, so it stays JSON lines for a collector.
  const say = (text: string) => void process.stderr.write(text);
  if (!config.adminToken) say(`labelmux: admin token for this run (set LABELMUX_ADMIN_TOKEN to fix it): ${instance.adminToken}\n`);
  if (demo) say(banner(config, demo, url));
  if (fixtures) say(`labelmux: database reset to the fixtures in ${config.fixtures} (${fixtures.workspaces} workspaces, ${fixtures.users} users, ${fixtures.api_keys} keys, ${fixtures.labels} labels, ${fixtures.resources} resources)\n`);
  say(`labelmux: listening on ${url}\n`);
}
