// The repository stands on its own (docs/contributing.md, "Documents that are run"): no tracked file refers
// to a place outside it, every relative link and every repository path the README and docs/ name exists,
// and every setting the code reads is a row of the settings table in docs/operations.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECT_NAMES, unknownSettings } from '../src/config.js';

const ROOT = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Every tracked file (a fresh clone: what a reader of the repository gets). */
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '' && existsSync(join(ROOT, f)));
const documents = tracked.filter((f) => f === 'README.md' || (f.startsWith('docs/') && f.endsWith('.md')));

/** The text outside fenced code blocks, line by line (`null` for lines inside a fence). */
function prose(text: string): (string | null)[] {
  let fence: string | null = null;
  return text.split('\n').map((line) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m && fence === null) return (fence = m[1]!), null;
    if (m && fence !== null && m[1]!.startsWith(fence)) return (fence = null), null;
    return fence === null ? line : null;
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(read(file))) {
    const m = line === null ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

describe('the repository refers to nothing outside it', () => {
  // Spelled in two pieces so that this file does not name them itself.
  const outside = ['..' + '/shared', '/wo' + 'rk/'];

  it('no tracked text file names a shared folder beside the repository or an absolute path of the machine it was written on', () => {
    const found: string[] = [];
    for (const file of tracked) {
      const bytes = readFileSync(join(ROOT, file));
      if (bytes.includes(0)) continue; // binary (images)
      const lines = bytes.toString('utf8').split('\n');
      lines.forEach((line, i) => {
        for (const o of outside) if (line.includes(o)) found.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('every relative link of the README and docs/ leads to a file of the repository, and to a heading of it', () => {
    const broken: string[] = [];
    for (const doc of documents) {
      for (const line of prose(read(doc))) {
        if (line === null) continue;
        for (const m of line.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
          const target = m[1]!;
          if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
          const [path, anchor] = target.split('#') as [string, string | undefined];
          const file = path === '' ? doc : relative(ROOT, join(ROOT, dirname(doc), decodeURIComponent(path)));
          if (file.startsWith('..') || !existsSync(join(ROOT, file))) broken.push(`${doc}: ${target} (no file ${file})`);
          else if (anchor && file.endsWith('.md') && !anchors(file).has(anchor)) broken.push(`${doc}: ${target} (no heading #${anchor} in ${file})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('every repository path the README and docs/ name (docs/…, src/…, test/….ts) exists', () => {
    const missing: string[] = [];
    for (const doc of documents) {
      const text = read(doc);
      // Paths from the repository's root, not inside a URL or another path; placeholders (<name>, *, {…}, …) are
      // names of a kind, not files.
      for (const m of text.matchAll(/(?<![\w./:-])((?:docs|src|test|scripts|bench|migrations|openapi|console)\/[\w./<>*{},…-]*)/g)) {
        const path = m[1]!.replace(/[.,]+$/, '');
        if (/[<>*{}…]/.test(path)) continue;
        // Under test/, bench/ and scripts/ only sources are checked: other names there are a run's outputs
        // (bench/results.json) or a user's own files (test/fixtures.yaml in their project).
        if (/^(test|bench|scripts)\//.test(path) && !/\.(ts|mjs)$/.test(path)) continue;
        if (!existsSync(join(ROOT, path))) missing.push(`${doc}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('docs/operations.md: every setting in one table', () => {
  const ops = read('docs/operations.md');
  const section = ops.slice(ops.indexOf('## Settings'), ops.indexOf('\n## ', ops.indexOf('## Settings') + 1));
  /** The names in the first column of the settings table. */
  const rows = new Set(
    section
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .flatMap((l) => [...l.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_<>]*)`/g)].map((m) => m[1]!)),
  );
  const dialectRow = (name: string) => name.replace(new RegExp(`^LABELMUX_(${DIALECT_NAMES.join('|').toUpperCase()})_(ENABLED|PREFIX)$`), 'LABELMUX_<DIALECT>_$2');

  /** Every environment variable the code reads: the settings parsed by src/config.ts, and any read elsewhere. */
  function namesReadInSrc(): Set<string> {
    const names = new Set<string>(DIALECT_NAMES.flatMap((d) => [`LABELMUX_${d.toUpperCase()}_ENABLED`, `LABELMUX_${d.toUpperCase()}_PREFIX`]));
    const files = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join('src', f));
    for (const file of files) {
      const text = read(file);
      // A LABELMUX_ name is a setting when the configuration knows it (other LABELMUX_ names are error codes).
      for (const m of text.matchAll(/\bLABELMUX_[A-Z0-9_]*[A-Z0-9]\b/g)) if (unknownSettings({ [m[0]]: '1' }).length === 0) names.add(m[0]);
      for (const m of text.matchAll(/process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\])/g)) names.add((m[1] ?? m[2])!);
    }
    // The keys of the configuration's schemas that have no LABELMUX_ prefix (PORT, HOST, LOG_LEVEL, …).
    const config = read('src/config.ts');
    // Every zod object of settings in the file (the main schema and the output settings' own).
    for (const m of config.matchAll(/^ {2}([A-Z][A-Z0-9_]*)\s*:\s*z\./gm)) names.add(m[1]!);
    return names;
  }

  it('has a row for every environment variable the code reads', () => {
    const read = [...namesReadInSrc()].map(dialectRow);
    expect(read).toEqual(expect.arrayContaining(['PORT', 'LABELMUX_DB', 'LABELMUX_<DIALECT>_PREFIX', 'NODE_OPTIONS']));
    expect([...new Set(read)].filter((n) => !rows.has(n)).sort()).toEqual([]);
  });

  it('has no row for a variable the code does not read', () => {
    const read = new Set([...namesReadInSrc()].map(dialectRow));
    expect([...rows].filter((n) => !read.has(n)).sort()).toEqual([]);
  });
});
