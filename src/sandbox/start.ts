// startLabelmux: labelmux inside a test runner's own process, on a free port over an in-memory database,
// with a typed client of its admin API. It assembles and listens exactly as the server does
// (src/launch.ts); only the defaults differ (port 0, `:memory:`, no demo tenant, silent, the sandbox settings).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createClient, { type Client } from 'openapi-fetch';
import { DIALECT_NAMES, loadConfig, type DialectName } from '../config.js';
import { assemble, loggerOptions } from '../launch.js';
import type { paths } from './admin-api.js';
import { requireSettings, sandboxDefaults } from './settings.js';

/** A typed client of the admin API (openapi-fetch over the admin OpenAPI document), already authenticated. */
export type AdminClient = Client<paths>;

export interface StartOptions {
  /**
   * A fixtures document loaded at start and restored by `reset()`: a file path (JSON or YAML) or the
   * document itself. The same as LABELMUX_FIXTURES (docs/fixtures.md).
   */
  fixtures?: string | object;
  /** The dialects to serve (default: all five); the others answer 404. */
  dialects?: readonly DialectName[];
  /** 0 (the default) picks a free port; read the result from `url`. */
  port?: number;
  /** Default 127.0.0.1 (this machine only). */
  host?: string;
  /** SQLite path, `:memory:` (the default: gone at stop) or a postgres:// URL. */
  db?: string;
  /** The admin token (16 characters or more); default: a random one, in the result. */
  adminToken?: string;
  /**
   * Any other setting by its environment name (docs/operations.md, "Settings"), e.g.
   * `{ LABELMUX_JOTFORM_DAILY_LIMIT: '10' }`. The test process's own environment is not read, so a test
   * runs the same on every machine. A name that is no setting is refused. `LOG_LEVEL` turns logging on.
   */
  settings?: Readonly<Record<string, string>>;
}

export interface Labelmux {
  /** Base URL, e.g. `http://127.0.0.1:41234`; each dialect lives at its vendor's paths under it. */
  readonly url: string;
  readonly adminToken: string;
  /** Typed admin API client: `await admin.POST('/_admin/workspaces', { body: { name: 'Acme' } })`. */
  readonly admin: AdminClient;
  /** Puts the database back to the fixtures, or empty (`POST /_admin/reset`). */
  reset(): Promise<void>;
  /** Closes the server and the database; the port is free once it resolves. Calling it again does nothing. */
  stop(): Promise<void>;
}

export async function startLabelmux(options: StartOptions = {}): Promise<Labelmux> {
  const temp = typeof options.fixtures === 'object' ? mkdtempSync(join(tmpdir(), 'labelmux-')) : undefined;
  const removeTemp = () => temp && rmSync(temp, { recursive: true, force: true });
  try {
    const config = loadConfig(environment(options, temp));
    const instance = await assemble(config, { logger: options.settings?.LOG_LEVEL ? loggerOptions(config) : false });
    let url: string;
    try {
      ({ url } = await instance.listen());
    } catch (e) {
      await instance.close();
      throw e;
    }
    const adminToken = instance.adminToken;
    const auth = { authorization: `Bearer ${adminToken}` };
    let stopped: Promise<void> | undefined;
    return {
      url,
      adminToken,
      admin: createClient<paths>({ baseUrl: url, headers: auth }),
      async reset() {
        const res = await fetch(`${url}/_admin/reset`, { method: 'POST', headers: auth });
        if (!res.ok) throw new Error(`labelmux: POST /_admin/reset answered ${res.status}: ${await res.text()}`);
      },
      stop: () => (stopped ??= instance.close().finally(removeTemp)),
    };
  } catch (e) {
    removeTemp();
    throw e;
  }
}

/** The settings, by environment name, for loadConfig: the options, then the sandbox defaults. */
function environment(options: StartOptions, temp: string | undefined): Record<string, string> {
  const settings = { ...options.settings };
  requireSettings(Object.keys(settings), 'startLabelmux settings');
  const env: Record<string, string> = {
    PORT: String(options.port ?? 0),
    HOST: options.host ?? '127.0.0.1',
    LABELMUX_DB: options.db ?? ':memory:',
    LABELMUX_BOOTSTRAP: 'none',
    LOG_LEVEL: 'silent',
    ...(options.adminToken !== undefined && { LABELMUX_ADMIN_TOKEN: options.adminToken }),
    ...settings,
  };
  if (options.dialects) {
    for (const d of options.dialects) if (!(DIALECT_NAMES as readonly string[]).includes(d)) throw new Error(`startLabelmux: dialects: unknown dialect "${d}"; one of ${DIALECT_NAMES.join(', ')}`);
    for (const d of DIALECT_NAMES) env[`LABELMUX_${d.toUpperCase()}_ENABLED`] = String(options.dialects.includes(d));
  }
  if (typeof options.fixtures === 'string') env.LABELMUX_FIXTURES = options.fixtures;
  else if (options.fixtures !== undefined) {
    env.LABELMUX_FIXTURES = join(temp!, 'fixtures.json');
    writeFileSync(env.LABELMUX_FIXTURES, JSON.stringify(options.fixtures));
  }
  return { ...env, ...sandboxDefaults(env) };
}
