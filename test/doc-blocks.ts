// The shell blocks of the repository's Markdown files, and the bash that runs them for
// test/docs-commands.test.ts and test/docs-newcomer.test.ts. The convention the documents follow is written
// in test/docs-commands.test.ts, at the top.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cleanEnv, ROOT } from './process-helper.js';

export interface ShellBlock {
  /** The file, relative to the repository root. */
  file: string;
  /** Line of the opening fence (1-based). */
  line: number;
  /** The block's text, without the fences. */
  code: string;
  /** For a block marked not run: what the mark says after `not run:` (the test that covers it, or why none can). */
  reason?: string;
}

/** Languages run with bash; every other fence (text, console, json, js, python …) is left alone. */
const SHELL = new Set(['sh', 'bash', 'shell']);
/**
 * On the nearest non-blank line before a fence: the block is shown, not run. `<!-- not run -->`, or with
 * what covers it instead: `<!-- not run: test/x.test.ts runs these steps -->`.
 */
export const NOT_RUN = /^<!-- not run(?::\s*(.*?))?\s*-->$/;

/** README.md and every Markdown file under docs/, sorted. */
export function markdownFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
  return ['README.md', ...walk(join(root, 'docs')).map((f) => relative(root, f)).sort()];
}

/** The file's ```sh / ```bash / ```shell blocks not marked `<!-- not run -->`, in order. */
export function shellBlocks(root: string, file: string): ShellBlock[] {
  return allShellBlocks(root, file).filter((b) => b.reason === undefined);
}

/** The file's shell blocks marked `<!-- not run -->`, in order, each with its mark's reason ('' if none). */
export function notRunBlocks(root: string, file: string): (ShellBlock & { reason: string })[] {
  return allShellBlocks(root, file).filter((b): b is ShellBlock & { reason: string } => b.reason !== undefined);
}

function allShellBlocks(root: string, file: string): ShellBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[end]!)) end++;
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const mark = before >= 0 ? NOT_RUN.exec(lines[before]!.trim()) : null;
    const block: ShellBlock = { file, line: i + 1, code: lines.slice(i + 1, end).join('\n') };
    if (mark) block.reason = mark[1] ?? '';
    if (SHELL.has(open[3]!.toLowerCase())) blocks.push(block);
    i = end;
  }
  return blocks;
}

/** `# → 201 {"label":{…}}`, `# → {"ok":true}`, `# -> 404`: an answer the command above it should give. */
const EXPECT = /^\s*#\s*(?:→|->)\s*(.*)$/;

/**
 * The block as bash runs it: each expected-answer comment becomes a check of the last curl's answer, on
 * the same line, so bash's line numbers stay the block's. The status is the leading three digits if any;
 * the JSON keys (`"name":`) the comment shows must be keys of the answer too (values are not compared).
 */
export function withChecks(code: string): string {
  return code
    .split('\n')
    .map((line) => {
      const m = EXPECT.exec(line);
      if (!m) return line;
      const status = /^(?:HTTP\/\S+\s+)?(\d{3})(?!\S)/.exec(m[1]!)?.[1] ?? '';
      const keys = [...new Set([...m[1]!.matchAll(/"([^"\\\s]+)"\s*:/g)].map((k) => k[1]!))];
      return `__check '${status}' '${keys.join(' ').replace(/'/g, '')}'`;
    })
    .join('\n');
}

/** The script bash runs for one block: test/doc-blocks.sh and the earlier blocks' state on line 1, the block from line 2. */
export function script(code: string): string {
  const head = 'set -euo pipefail; source "$__LIB"; __vars=" $(compgen -v | tr "\\n" " ") "; __funcs=" $(compgen -A function | tr "\\n" " ") "; source "$__DIR/state.sh"';
  return `${head}\n${withChecks(code)}\n__save_state\n`;
}

const LIB = join(ROOT, 'test', 'doc-blocks.sh');

/** Where a file's blocks run, as in one terminal: a scratch directory (the state the blocks leave) and the environment. */
export interface Terminal {
  scratch: string;
  env: Record<string, string>;
}

/**
 * A fresh scratch directory for one file's blocks; they start in it, or in `cwd`. It has a `node_modules` link to the repository's, as a
 * reader's project has the packages the documents tell them to install (`npx openapi-typescript` finds its
 * bin there, offline).
 */
export function openTerminal(scratch: string, env: Record<string, string>, cwd?: string): Terminal {
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, 'state.sh'), cwd === undefined ? '' : `cd '${cwd}'\n`);
  writeFileSync(join(scratch, 'curls'), '');
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  return { scratch, env };
}

interface Outcome {
  code: number | null;
  output: string;
}

/** Runs one block with bash in the terminal; a block still running after `ms` is killed (its whole process group). */
function runBlock(block: ShellBlock, t: Terminal, ms: number): Promise<Outcome> {
  const env = cleanEnv({ ...t.env, __DIR: t.scratch, __LIB: LIB });
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script(block.code)], { cwd: t.scratch, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const timer = setTimeout(() => {
      output += `\n[docs-commands] still running after ${ms / 1000} s: killed`;
      process.kill(-child.pid!, 'SIGKILL');
    }, ms);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

/** "block line N" in the bash library's messages, and bash's own "line N", as the file's line. */
const located = (block: ShellBlock, output: string) =>
  output
    .replace(/block line (\d+)/g, (_, n: string) => `${block.file}:${block.line + Number(n)}`)
    .replace(/bash: line (\d+):/g, (_, n: string) => `${block.file}:${block.line + Number(n) - 1}:`);

const tail = (s: string, n = 3000) => (s.length > n ? `…${s.slice(-n)}` : s);

/** Runs the blocks in order in one terminal; resolves with a report of each failed block (none: all passed). */
export async function runBlocks(blocks: ShellBlock[], t: Terminal, ms = 20_000): Promise<string[]> {
  const failures: string[] = [];
  const curls = () => readFileSync(join(t.scratch, 'curls'), 'utf8').split('\n').filter(Boolean);
  for (const block of blocks) {
    const before = curls().length;
    const { code, output } = await runBlock(block, t, ms);
    if (code === 0) continue;
    const answers = curls().slice(before).map((l) => l.replace(/^(\d+) (\d+) .*$/, 'block line $1: $2')).join('\n');
    failures.push(
      `${block.file}:${block.line}: the block starting here failed (exit ${code})${failures.length > 0 ? ' (perhaps because of the failure above)' : ''}\n` +
        `--- output ---\n${tail(located(block, output))}\n--- this block's curl answers (line: status) ---\n${tail(located(block, answers), 800) || '(none)'}`,
    );
  }
  return failures;
}
