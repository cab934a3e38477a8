// vitest globalSetup for the PostgreSQL suites: starts a throwaway server (unless LABELMUX_TEST_PG_URL
// already names one, e.g. the one .ci/run started), creates the migrated template database, and stops the
// server it started at the end.
import { startPg, type PgServer } from './pg-server.js';
import { createTemplate } from './test-db.js';

let server: PgServer | undefined;

export async function setup(): Promise<void> {
  if (!process.env.LABELMUX_TEST_PG_URL) {
    server = await startPg();
    process.env.LABELMUX_TEST_PG_URL = server.url;
  }
  await createTemplate(process.env.LABELMUX_TEST_PG_URL);
}

export async function teardown(): Promise<void> {
  server?.stop();
}
