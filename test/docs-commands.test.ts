// Every shell block of README.md and docs/**/*.md, run with bash against a real labelmux server process.
//
// The convention the documents follow:
// - ```sh, ```bash and ```shell blocks are run; other fences (text, console, json, js, python …) are not.
//   A block whose nearest non-blank line before it is `<!-- not run -->` is shown, not run (commands that
//   start a server, install packages or need a machine of their own); the mark says which test covers the
//   same steps instead, or why none can: `<!-- not run: test/docs-newcomer.test.ts runs it on a fresh clone -->`.
// - The variables a reader sets from the start banner are set: `B` (base URL, no trailing slash), `KEY` (the
//   demo workspace's API key, 32 lowercase hex), `ADMIN` (the admin token), `WS` (the workspace id, 1) and
//   `UUID` (the workspace uuid: devtodev's app_id). The server starts like `npm start` on an empty
//   database: the demo workspace (from a fixtures document giving the same workspace, owner, key and
//   resources as the demo), plus the request journal (as `labelmux serve` has it).
// - Each block runs under `set -euo pipefail` in a fresh bash, in a scratch directory of its own file; the
//   variables, functions and directory a block leaves are there for the file's next block, as in one
//   terminal. Each file starts from a fresh database (POST /_admin/reset), so files do not depend on each
//   other; the blocks of a file run in order. The scratch directory has a `node_modules` link to the
//   repository's: the reader's project with the packages the documents tell them to install (so
//   `npx openapi-typescript …` runs offline).
// - `curl` is checked: every answer must be below 400, unless the next line of the block is an expected
//   answer, `# → 404 {"error":"Label not found"}` (or `# -> …`): then the status is the leading three
//   digits, and each JSON key the comment shows (`"error":`) must be a key of the answer; values are not
//   compared (write `…` for what varies). `# → {"ok":true}` without a status means below 400.
// - A block passes when bash exits 0 within 60 s (the code generators' command lines take ten on a busy machine). A failure names the file and line of the block and of the
//   command, with the block's output.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownFiles, openTerminal, runBlocks, shellBlocks } from './doc-blocks.js';
import { ADMIN, kill, ROOT, startServer, type Server } from './process-helper.js';

const UUID = 'fa33eea7-14b7-4440-a1b3-caef13936443';
const KEY = randomBytes(16).toString('hex');

/** The demo tenant (src/core/admin.ts bootstrapDemo) as a fixtures document, so a reset brings it back. */
const DEMO = {
  users: [{ email: 'owner@demo.labelmux.local', name: 'Demo Owner' }],
  workspaces: [
    {
      uuid: UUID,
      name: 'Demo workspace',
      members: [{ user: 'owner@demo.labelmux.local', role: 'owner' }],
      api_keys: [{ key: KEY, user: 'owner@demo.labelmux.local', name: 'demo' }],
      resources: [
        { type: 'library_item', id: '1', name: 'Welcome video', attributes: { mime_type: 'video/mp4', size: 1048576, duration: 90 } },
        { type: 'form', id: '232143945675058', name: 'Contact form', status: 'ENABLED' },
        { type: 'img', id: '1', name: 'logo.png', attributes: { ext: 'png' } },
        { type: 'product', id: '1', name: 'First release', status: 'draft' },
      ],
    },
  ],
};

let dir: string;
let server: Server;
let base: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labelmux-docs-'));
  writeFileSync(join(dir, 'demo.json'), JSON.stringify(DEMO));
  server = await startServer(join(dir, 'docs.db'), { LABELMUX_FIXTURES: join(dir, 'demo.json'), LABELMUX_JOURNAL: 'on' });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await kill(server);
  rmSync(dir, { recursive: true, force: true });
});

describe('the shell blocks of README.md and docs/, run against a labelmux process', () => {
  for (const file of markdownFiles(ROOT)) {
    const blocks = shellBlocks(ROOT, file);
    it.skipIf(blocks.length === 0)(`${file} (${blocks.length} blocks)`, { timeout: 240_000 }, async () => {
      const reset = await fetch(`${base}/_admin/reset`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
      expect(reset.status, await reset.text()).toBe(200);
      const env = { B: base, KEY, ADMIN, WS: '1', UUID, PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` };
      const failures = await runBlocks(blocks, openTerminal(join(dir, file.replace(/[/.]/g, '_')), env), 60_000);
      if (failures.length > 0) throw new Error(`${failures.length} of ${blocks.length} blocks failed:\n\n${failures.join('\n\n')}`);
    });
  }
});
