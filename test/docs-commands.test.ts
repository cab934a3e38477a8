// Every shell block of README.md and docs/**/*.md, run with bash against a real labelmux server process.
//
// The convention the documents follow:
// - ```sh, ```bash and ```shell blocks are run; other fences (text, console, json, js, python …) are not.
//   A block whose nearest non-blank line before it is `<!-- not run -->` is shown, not run (commands that
//   start a server, install packages or need a machine of their own).
// - The variables a reader sets from the start banner are set: `B` (base URL, no trailing slash), `KEY` (the
//   demo workspace's API key, 32 lowercase hex), `ADMIN` (the admin token), `WS` (the workspace id, 1) and
//   `UUID` (the workspace uuid: devtodev's app_id). The server starts like `npm start` on an empty
//   database: the demo workspace (from a fixtures document giving the same workspace, owner, key and
//   resources as the demo), plus the request journal (as `labelmux serve` has it).
// - Each block runs under `set -euo pipefail` in a fresh bash, in a scratch directory of its own file; the
//   variables, functions and directory a block leaves are there for the file's next block, as in one
//   terminal. Each file starts from a fresh database (POST /_admin/reset), so files do not depend on each
//   other; the blocks of a file run in order.
// - `curl` is checked: every answer must be below 400, unless the next line of the block is an expected
//   answer, `# → 404 {"error":"Label not found"}` (or `# -> …`): then the status is the leading three
//   digits, and each JSON key the comment shows (`"error":`) must be a key of the answer; values are not
//   compared (write `…` for what varies). `# → {"ok":true}` without a status means below 400.
// - A block passes when bash exits 0 within 20 s. A failure names the file and line of the block and of the
//   command, with the block's output.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownFiles, script, shellBlocks, type ShellBlock } from './doc-blocks.js';
import { ADMIN, cleanEnv, kill, ROOT, startServer, type Server } from './process-helper.js';

const LIB = join(ROOT, 'test', 'doc-blocks.sh');
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

interface Outcome {
  code: number | null;
  output: string;
}

/** Runs one block with bash in its file's scratch directory; a block still running after 20 s is killed (its whole process group). */
function runBlock(block: ShellBlock, scratch: string): Promise<Outcome> {
  const env = cleanEnv({ B: base, KEY, ADMIN, WS: '1', UUID, __DIR: scratch, __LIB: LIB, PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` });
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script(block.code)], { cwd: scratch, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const timer = setTimeout(() => {
      output += '\n[docs-commands] still running after 20 s: killed';
      process.kill(-child.pid!, 'SIGKILL');
    }, 20_000);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

/** "block line N" in the bash library's messages, and bash's own "line N", as the file's line. */
const located = (block: ShellBlock, output: string) =>
  output
    .replace(/block line (\d+)/g, (_, n: string) => `${block.file}:${block.line + Number(n)}`)
    .replace(/bash: line (\d+):/g, (_, n: string) => `${block.file}:${block.line + Number(n) - 1}:`);

const tail = (s: string, n = 3000) => (s.length > n ? `…${s.slice(-n)}` : s);

describe('the shell blocks of README.md and docs/, run against a labelmux process', () => {
  for (const file of markdownFiles(ROOT)) {
    const blocks = shellBlocks(ROOT, file);
    it.skipIf(blocks.length === 0)(`${file} (${blocks.length} blocks)`, { timeout: 120_000 }, async () => {
      const reset = await fetch(`${base}/_admin/reset`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
      expect(reset.status, await reset.text()).toBe(200);
      const scratch = join(dir, file.replace(/[/.]/g, '_'));
      mkdirSync(scratch);
      writeFileSync(join(scratch, 'state.sh'), '');
      writeFileSync(join(scratch, 'curls'), '');
      const failures: string[] = [];
      const curls = () => readFileSync(join(scratch, 'curls'), 'utf8').split('\n').filter(Boolean);
      for (const block of blocks) {
        const before = curls().length;
        const { code, output } = await runBlock(block, scratch);
        if (code === 0) continue;
        const answers = curls().slice(before).map((l) => l.replace(/^(\d+) (\d+) .*$/, 'block line $1: $2')).join('\n');
        failures.push(
          `${block.file}:${block.line}: the block starting here failed (exit ${code})${failures.length > 0 ? ' (perhaps because of the failure above)' : ''}\n` +
            `--- output ---\n${tail(located(block, output))}\n--- this block's curl answers (line: status) ---\n${tail(located(block, answers), 800) || '(none)'}`,
        );
      }
      if (failures.length > 0) throw new Error(`${failures.length} of ${blocks.length} blocks failed:\n\n${failures.join('\n\n')}`);
    });
  }
});
