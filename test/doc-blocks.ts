// The shell blocks of the repository's Markdown files, and the bash that runs them for
// test/docs-commands.test.ts. The convention the documents follow is written there, at the top.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface ShellBlock {
  /** The file, relative to the repository root. */
  file: string;
  /** Line of the opening fence (1-based). */
  line: number;
  /** The block's text, without the fences. */
  code: string;
}

/** Languages run with bash; every other fence (text, console, json, js, python …) is left alone. */
const SHELL = new Set(['sh', 'bash', 'shell']);
/** On the nearest non-blank line before a fence: the block is shown, not run. */
export const NOT_RUN = '<!-- not run -->';

/** README.md and every Markdown file under docs/, sorted. */
export function markdownFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
  return ['README.md', ...walk(join(root, 'docs')).map((f) => relative(root, f)).sort()];
}

/** The file's ```sh / ```bash / ```shell blocks not marked `<!-- not run -->`, in order. */
export function shellBlocks(root: string, file: string): ShellBlock[] {
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
    const skipped = before >= 0 && lines[before]!.trim() === NOT_RUN;
    if (SHELL.has(open[3]!.toLowerCase()) && !skipped) blocks.push({ file, line: i + 1, code: lines.slice(i + 1, end).join('\n') });
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
