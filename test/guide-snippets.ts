// The code blocks of docs/testing.md that the test suite runs: each follows a `<!-- snippet: name -->` line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './process-helper.js';

const GUIDE = readFileSync(join(ROOT, 'docs', 'testing.md'), 'utf8');

/** The fenced block right after `<!-- snippet: name -->` in docs/testing.md. */
export function guideSnippet(name: string): string {
  const m = new RegExp(`<!-- snippet: ${name.replace(/[.]/g, '\\.')} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(GUIDE);
  if (!m) throw new Error(`docs/testing.md has no block marked "snippet: ${name}"`);
  return m[1]!;
}
