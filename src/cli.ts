// `labelmux` CLI: the admin API's operations on the configured database (LABELMUX_DB).
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { ZodError, prettifyError } from 'zod';
import { loadConfig } from './config.js';
import * as map from './admin/mapper.js';
import { workspaceExport } from './admin/schemas.js';
import { isCoreError } from './core/errors.js';
import { createCore, type Core } from './core/index.js';
import { ROLES, type Role } from './core/types.js';
import { createStore } from './db/index.js';

const id = (v: string): number => {
  if (!/^[1-9][0-9]{0,15}$/.test(v)) throw new InvalidArgumentError('must be a positive integer id');
  return Number(v);
};
const role = (v: string): Role => {
  if (!(ROLES as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return v as Role;
};

export function buildCli(run: (fn: (core: Core) => Promise<unknown>) => Promise<void>): Command {
  const program = new Command('labelmux').description('labelmux administration on the configured database (LABELMUX_DB)');
  const out = (fn: (core: Core) => Promise<unknown>) => () => run(fn);

  const ws = program.command('workspace').description('workspaces');
  ws.command('create <name>').action((name: string) => run(async (c) => ({ workspace: map.workspace(await c.admin.createWorkspace(name)) })));
  ws.command('list').action(out(async (c) => ({ workspaces: (await c.admin.listWorkspaces()).map(map.workspace) })));
  ws.command('export <workspaceId>').description('print the workspace as one JSON document').action((w: string) => run(async (c) => c.admin.exportWorkspace(id(w))));
  ws.command('import <workspaceId> <file>').description('import an export document into an empty workspace').action((w: string, file: string) =>
    run(async (c) => {
      const doc = workspaceExport.parse(JSON.parse(readFileSync(file, 'utf8')));
      await c.admin.importWorkspace(id(w), doc);
      return { imported: { labels: doc.labels.length, resources: doc.resources.length } };
    }));

  const user = program.command('user').description('users');
  user
    .command('create')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .option('--password <password>', 'for limbo /oauth/token logins')
    .action((o: { email: string; name: string; password?: string }) => run(async (c) => ({ user: map.user(await c.admin.createUser(o)) })));
  user.command('delete <userId>').action((u: string) => run(async (c) => (await c.admin.deleteUser(id(u)), { deleted: Number(u) })));

  program
    .command('member')
    .description('memberships')
    .command('set <workspaceId> <userId> <role>')
    .description(`role: ${ROLES.join(' | ')}`)
    .action((w: string, u: string, r: string) => run(async (c) => ({ member: map.member(await c.admin.setMember(id(w), id(u), role(r))) })));

  const key = program.command('key').description('API keys');
  key
    .command('create')
    .requiredOption('--user <userId>', 'owner of the key', id)
    .option('--workspace <workspaceId>', 'omit for a user-wide key', id)
    .option('--name <name>')
    .action((o: { user: number; workspace?: number; name?: string }) =>
      run(async (c) => {
        const { info, key: secret } = await c.admin.createApiKey({ userId: o.user, workspaceId: o.workspace ?? null, ...(o.name !== undefined && { name: o.name }) });
        return { api_key: map.apiKey(info, secret) };
      }));
  key.command('revoke <keyId>').action((k: string) => run(async (c) => (await c.admin.revokeApiKey(id(k)), { revoked: Number(k) })));
  return program;
}

/** Runs one command against the configured database and prints its JSON result. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code = 0;
  const program = buildCli(async (fn) => {
    const store = createStore(loadConfig(env).db);
    try {
      process.stdout.write(`${JSON.stringify(await fn(createCore({ store })), null, 2)}\n`);
    } catch (e) {
      if (!isCoreError(e) && !(e instanceof InvalidArgumentError) && !(e instanceof ZodError)) throw e;
      process.stderr.write(`labelmux: ${e instanceof ZodError ? prettifyError(e) : e.message}\n`);
      code = 1;
    } finally {
      await store.close();
    }
  });
  program.exitOverride();
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
