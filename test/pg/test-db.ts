// Fresh PostgreSQL databases for tests: each store gets its own database, cloned from a migrated template
// (CREATE DATABASE … TEMPLATE) or reused, emptied, after an earlier store of the process closed.
// The server comes from global-setup.ts.
import pg from 'pg';
import { createPgStore, type PgStore } from '../../src/db/pg/index.js';

export const TEMPLATE_DB = 'labelmux_template';

/** The server's URL (set by global-setup.ts, or by CI through the environment). */
export function serverUrl(): string {
  const url = process.env.LABELMUX_TEST_PG_URL;
  if (!url) throw new Error('LABELMUX_TEST_PG_URL is not set: run the PostgreSQL suites with `npm run test:pg`');
  return url;
}

const withDb = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

let admin: pg.Pool | undefined;
const adminPool = () => (admin ??= new pg.Pool({ connectionString: serverUrl(), max: 2 }));

let seq = 0;
/** Databases of closed stores, emptied and ready for the next store of this process. */
const idle: string[] = [];
/** Every table, emptied with its sequences restarted: a reused database is as good as a fresh clone. */
const EMPTY = `TRUNCATE workspaces, users, memberships, api_keys, labels, resources, assignments, events, counters, oauth_tokens, oauth_login_failures RESTART IDENTITY CASCADE`;

/**
 * A store over its own database: a clone of the template (created lazily: the store is usable at once), or
 * one a closed store of this process left behind, emptied (cloning and dropping cost a checkpoint each).
 */
export function createTestPgStore(): PgStore & { url: string } {
  const reused = idle.pop();
  const name = reused ?? `t_${process.pid}_${++seq}_${Date.now().toString(36)}`;
  const url = withDb(serverUrl(), name);
  const store = createPgStore(url, {
    poolSize: 4,
    prepare: reused ? undefined : async () => void (await adminPool().query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`)),
  });
  const close = store.close;
  let closed: Promise<void> | undefined;
  const release = async () => {
    await close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(EMPTY);
    } finally {
      await client.end();
    }
    idle.push(name);
  };
  return Object.assign(store, {
    url,
    async close() {
      closed ??= release();
      await closed;
    },
  });
}

const byKey = new Map<string, Promise<string>>();
/**
 * The URL of a new database cloned from the migrated template, one per `key` (the same key gives the same
 * database), for server processes and the CLI that open LABELMUX_DB themselves.
 */
export function freshDatabaseUrl(key: string): Promise<string> {
  let url = byKey.get(key);
  if (!url) {
    const name = `p_${process.pid}_${++seq}_${Date.now().toString(36)}`;
    url = adminPool()
      .query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`)
      .then(() => withDb(serverUrl(), name));
    byKey.set(key, url);
  }
  return url;
}

/** Creates the migrated template database (once per server). */
export async function createTemplate(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await pool.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await pool.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await pool.end();
  }
  const store = createPgStore(withDb(url, TEMPLATE_DB), { poolSize: 1 });
  await store.ready;
  await store.close();
}
