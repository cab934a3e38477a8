// `labelmux` CLI: the admin API's operations on the configured database (LABELMUX_DB), and `labelmux serve`,
// the server itself for a test suite.
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { ZodError, prettifyError } from 'zod';
import { BUILD_INFO } from './build-info.js';
import { ConfigError, loadConfig, unknownSettings } from './config.js';
import * as map from './admin/mapper.js';
import { upsertResourcesBody, workspaceExport } from './admin/schemas.js';
import { createCore, isCoreError, ROLES, type Core, type Role } from './core/index.js';
import { createStore, type IntegrityMode, type PgStore, type SqliteStore } from './db/index.js';
import { sandboxDefaults } from './sandbox/settings.js';
import { runServer } from './serve.js';

const id = (v: string): number => {
  if (!/^[1-9][0-9]{0,15}$/.test(v)) throw new InvalidArgumentError('must be a positive integer id');
  return Number(v);
};
/** An option value that must be a whole number in [min, max]. */
const count = (min: number, max: number) => (v: string): number => {
  if (!/^[0-9]{1,16}$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
  return Number(v);
};
/** Reads and parses a JSON document; unreadable files and bad JSON are argument errors, not crashes. */
const readDocument = (file: string): unknown => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidArgumentError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
};
const role = (v: string): Role => {
  if (!(ROLES as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return v as Role;
};

/** Runs one command: `core` for the admin operations; `store` for what is storage's own (the CLI is a composition root). */
type Run = (fn: (core: Core, store: SqliteStore | PgStore) => Promise<unknown>) => Promise<void>;
/** `labelmux serve`'s options, each the setting it overrides. */
export interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
  fixtures?: string;
}

export function buildCli(run: Run, serve: (flags: ServeFlags) => Promise<void> = async () => undefined): Command {
  const program = new Command('labelmux')
    .description('labelmux: `serve` runs the server; the other commands administer the configured database (LABELMUX_DB)')
    .version(BUILD_INFO.version, '-V, --version', 'print the version (GET /_admin/info also names the commit it was built from)');
  const out = (fn: (core: Core) => Promise<unknown>) => () => run(fn);

  program
    .command('serve')
    .description('run the server as `npm start` does, for a test suite: the request journal on (LABELMUX_JOURNAL=on unless set); settings from the environment, the options below override them; stops on SIGTERM/SIGINT')
    .option('--port <port>', 'PORT: 0 picks a free port, printed as "listening on <url>" (default 8080)')
    .option('--host <host>', 'HOST: 0.0.0.0 for every interface, e.g. in a container (default 127.0.0.1)')
    .option('--db <database>', 'LABELMUX_DB: a SQLite file, :memory: (gone at exit) or a postgres:// URL (default ./data/labelmux.db)')
    .option('--fixtures <file>', 'LABELMUX_FIXTURES: a fixtures document (JSON or YAML) loaded at start and restored by POST /_admin/reset')
    .action((flags: ServeFlags) => serve(flags));
  program
    .command('backup <file>')
    .description('copy the live database into a new file (online and consistent: the server may keep writing)')
    .action((file: string) => run(async (_c, store) => ({ backup: await backup(store, file) })));

  program
    .command('check')
    .description('check the SQLite file page by page (PRAGMA integrity_check); exit code 1 when it finds problems')
    .option('--quick', 'PRAGMA quick_check: faster, does not compare indexes with their tables')
    .action((o: { quick?: boolean }) => run(async (_c, store) => ({ check: await check(store, o.quick ? 'quick' : 'full') })));

  const ws = program.command('workspace').description('workspaces');
  ws.command('create <name>').action((name: string) => run(async (c) => ({ workspace: map.workspace(await c.admin.createWorkspace(name)) })));
  ws.command('list').action(out(async (c) => ({ workspaces: (await c.admin.listWorkspaces()).map(map.workspace) })));
  ws.command('delete <workspaceId>')
    .description('delete the workspace with everything in it (labels, resources, members, its keys, events); users stay')
    .action((w: string) => run(async (c) => (await c.sandbox.deleteWorkspace(id(w)), { deleted: Number(w) })));
  ws.command('export <workspaceId>').description('print the workspace as one JSON document').action((w: string) => run(async (c) => c.admin.exportWorkspace(id(w))));
  ws.command('import <workspaceId> <file>').description('import an export document into an empty workspace (new label ids when its ids are taken: a clone)').action((w: string, file: string) =>
    run(async (c) => {
      const workspaceId = id(w);
      const doc = workspaceExport.parse(readDocument(file));
      const ids = await c.admin.importWorkspace(workspaceId, doc);
      return { imported: { labels: doc.labels.length, resources: doc.resources.length, label_ids: Object.fromEntries(ids) } };
    }));
  ws.command('resources <workspaceId> <file>')
    .description('register resources from a JSON file {"resources":[{type,id,name?,status?,attributes?}]}')
    .action((w: string, file: string) =>
      run(async (c) => {
        const workspaceId = id(w);
        const body = upsertResourcesBody.parse(readDocument(file));
        return { upserted: await c.admin.upsertResources(workspaceId, body.resources.map(({ id: externalId, ...r }) => ({ ...r, externalId }))) };
      }));
  ws.command('events <workspaceId>')
    .description('print the audit events of a workspace')
    .option('--after <eventId>', 'only events after this id', count(0, Number.MAX_SAFE_INTEGER), 0)
    .option('--limit <n>', '1-1000', count(1, 1000), 100)
    .action((w: string, o: { after: number; limit: number }) =>
      run(async (c) => ({ events: (await c.admin.listEvents(id(w), o.after, o.limit)).map(map.event) })));

  const user = program.command('user').description('users');
  user
    .command('create')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .option('--password <password>', 'for limbo /oauth/token logins')
    .action((o: { email: string; name: string; password?: string }) => run(async (c) => ({ user: map.user(await c.admin.createUser(o)) })));
  user.command('delete <userId>').action((u: string) => run(async (c) => (await c.admin.deleteUser(id(u)), { deleted: Number(u) })));

  const member = program.command('member').description('memberships');
  member
    .command('set <workspaceId> <userId> <role>')
    .description(`role: ${ROLES.join(' | ')}`)
    .action((w: string, u: string, r: string) => run(async (c) => ({ member: map.member(await c.admin.setMember(id(w), id(u), role(r))) })));
  member
    .command('remove <workspaceId> <userId>')
    .description("end the membership; the user's keys for the workspace are revoked at once")
    .action((w: string, u: string) =>
      run(async (c) => (await c.admin.removeMember(id(w), id(u)), { removed: { workspace_id: Number(w), user_id: Number(u) } })));

  const key = program.command('key').description('API keys');
  key
    .command('create')
    .requiredOption('--user <userId>', 'owner of the key', id)
    .option('--workspace <workspaceId>', 'omit for a user-wide key', id)
    .option('--name <name>')
    .option('--key <key>', 'choose the key (32 lowercase hex) instead of a random one')
    .action((o: { user: number; workspace?: number; name?: string; key?: string }) =>
      run(async (c) => {
        const { info, key: secret } = await c.admin.createApiKey({ userId: o.user, workspaceId: o.workspace ?? null, ...(o.name !== undefined && { name: o.name }), key: o.key });
        return { api_key: map.apiKey(info, secret) };
      }));
  key.command('revoke <keyId>').action((k: string) => run(async (c) => (await c.admin.revokeApiKey(id(k)), { revoked: Number(k) })));
  return program;
}

/** What the operator sees for a failed command: the message for expected failures, the stack for bugs. */
function describeError(e: unknown): string {
  if (e instanceof ZodError) return prettifyError(e);
  if (isCoreError(e) || e instanceof InvalidArgumentError || e instanceof ConfigError) return e.message;
  // Database and file-system failures (SqliteError, ENOENT, EACCES…) carry a string code and a clear message.
  if (e instanceof Error && typeof (e as { code?: unknown }).code === 'string') return e.message;
  return e instanceof Error ? `unexpected error: ${e.stack ?? e.message}` : `unexpected error: ${String(e)}`;
}

/** exitOverride() is not inherited by commands created before it is called: apply it to the whole tree. */
function overrideExit(cmd: Command): void {
  cmd.exitOverride();
  for (const sub of cmd.commands) overrideExit(sub);
}

/** The CLI's backup copies a SQLite file; a PostgreSQL database is backed up with its own tools. */
async function backup(store: SqliteStore | PgStore, file: string) {
  if (store.kind === 'sqlite') return store.backup(file);
  throw Object.assign(new Error('backup copies SQLite files; back up a PostgreSQL database with pg_dump'), { code: 'ENOTSUP' });
}

/** The CLI's check: SQLite's own integrity check; PostgreSQL checks its pages itself (data checksums, pg_amcheck). */
async function check(store: SqliteStore | PgStore, mode: IntegrityMode) {
  if (store.kind === 'postgres') {
    throw Object.assign(new Error('check reads SQLite files; on PostgreSQL use its own checks: data checksums (initdb --data-checksums, pg_checksums) and pg_amcheck for tables and indexes'), { code: 'ENOTSUP' });
  }
  const problems = await store.checkIntegrity(mode);
  if (problems.length === 0) return { mode, ok: true };
  const shown = problems.slice(0, 20).map((p) => `\n  ${p}`).join('');
  throw Object.assign(new Error(`the ${mode} integrity check found ${problems.length} problem(s); restore the database from a backup:${shown}`), { code: 'ECORRUPT' });
}

/** The environment `labelmux serve` starts the server with: the caller's, the flags, the sandbox defaults. */
export function serveEnvironment(env: NodeJS.ProcessEnv, flags: ServeFlags): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  if (flags.port !== undefined) out.PORT = flags.port;
  if (flags.host !== undefined) out.HOST = flags.host;
  if (flags.db !== undefined) out.LABELMUX_DB = flags.db;
  if (flags.fixtures !== undefined) out.LABELMUX_FIXTURES = flags.fixtures;
  return { ...out, ...sandboxDefaults(out) };
}

/**
 * Runs one command against the configured database and prints its JSON result; never exits the process,
 * except `serve`, which runs the server until a signal stops it (and exits 1 when it cannot start).
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code = 0;
  for (const warning of unknownSettings(env)) process.stderr.write(`labelmux: warning: ${warning}\n`);
  const program = buildCli(async (fn) => {
    let store: SqliteStore | PgStore | undefined;
    try {
      const config = loadConfig(env);
      // A PostgreSQL not up yet is waited for (LABELMUX_PG_START_TIMEOUT), each retry said on stderr.
      store = createStore(config.db, { pg: config.pg, onEvent: (_level, message) => void process.stderr.write(`labelmux: ${message}\n`) });
      const result = await fn(createCore({ store }), store);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } catch (e) {
      process.stderr.write(`labelmux: ${describeError(e)}\n`);
      code = 1;
    } finally {
      await store?.close();
    }
  }, (flags) => runServer(() => loadConfig(serveEnvironment(env, flags))));
  overrideExit(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const ce = e as { exitCode?: number; code?: string };
    if (ce.code === 'commander.helpDisplayed' || ce.code === 'commander.version') return 0;
    if (ce.exitCode !== undefined) return ce.exitCode;
    throw e;
  }
  return code;
}
