// Entry point: config → database → core → app → listen; graceful shutdown on SIGTERM/SIGINT.
import { randomBytes } from 'node:crypto';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { banner } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { createCore } from './core/index.js';
import { createStore, type StorageEventListener } from './db/index.js';
import { tuneHeap } from './heap.js';

const SECRET_PATHS = ['req.headers.authorization', 'req.headers.apikey', 'req.query.apiKey', 'req.body.user_token', 'req.body.password'];

async function main(): Promise<void> {
  tuneHeap();
  const config = loadConfig();
  // Until the app (and its logger) exists, a failing checkpoint worker is reported on stderr.
  let checkpointError = (err: Error): void => void process.stderr.write(`labelmux: ${err.message}\n`);
  // Storage health (PostgreSQL start-up retries, outages, a full disk): plain lines until the logger exists.
  let storageEvent: StorageEventListener = (_level, message) => void process.stderr.write(`labelmux: ${message}\n`);
  const store = createStore(config.db, { backgroundCheckpoints: true, onCheckpointError: (err) => checkpointError(err), onEvent: (l, m) => storageEvent(l, m), pg: config.pg });
  const core = createCore({ store });
  const adminToken = config.adminToken ?? randomBytes(24).toString('hex');
  const app = await buildApp({
    config,
    core,
    adminToken,
    logger: { level: config.logLevel, redact: { paths: SECRET_PATHS, censor: '[redacted]' } },
  });
  checkpointError = (err) => app.log.error({ err }, 'background WAL checkpoints failed: commits checkpoint the WAL themselves past the backstop threshold');
  storageEvent = (level, message) => app.log[level](message);

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    await app.close(); // stops accepting, waits for in-flight requests
    await store.close(); // checkpoints the WAL and closes the database cleanly
  });

  // PostgreSQL may still be starting: wait (retrying, logged) or give up with one clear line, exit 1.
  if (store.kind === 'postgres') await store.ready.catch((e: Error) => Promise.reject(new ConfigError(`labelmux: ${e.message}`)));
  // The demo tenant exists before the first request can arrive; its banner needs the bound address.
  const demo = config.bootstrap === 'demo' ? await core.admin.bootstrapDemo() : null;
  const address = await app.listen({ port: config.port, host: config.host });
  const base = config.publicUrl ?? address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
  if (!config.adminToken) process.stdout.write(`labelmux: admin token for this run (set LABELMUX_ADMIN_TOKEN to fix it): ${adminToken}\n`);
  if (demo) process.stdout.write(banner(config, demo, base));
  process.stdout.write(`labelmux: listening on ${base}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
