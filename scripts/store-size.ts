// The size of the store (src/db) in code lines, and how much of the backend-specific code repeats the other
// backend's: the measure behind the targets "store code about 1,000 lines shorter" and "under 10% of backend
// code repeated". Code lines are lines holding a token (TypeScript's parser): blank lines and comments do not
// count; a multi-line SQL template counts every line. Prints one JSON document. Layout now: src/db/store (logic
// written once), src/db/tables.ts (the tables, columns and indexes of both databases, described once),
// src/db/sqlite and src/db/pg (the drivers; each schema.ts only builds drizzle tables from tables.ts). The
// repetition compares the two driver folders, schema.ts included.
// Usage: npx tsx scripts/store-size.ts [--files] [--show] [--quick] [--before 111d497] [--rewrite 979c9c6] [--base <rev>]
//   --before   the commit before the one-store rewrite (old layout: src/db/sqlite-*.ts + src/db/pg/*.ts)
//   --rewrite  the last commit of the rewrite; every src/db change after it is a feature or a fix
//   --base     where the features end (default HEAD): later changes are clean-up, counted against the total
// "now" is the working tree; --files prints only its code lines per file; --show lists the repeated lines (stderr);
// --quick leaves out the per-commit list.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const BEFORE = arg('before', '111d497');
const REWRITE = arg('rewrite', '979c9c6');
const BASE = arg('base', 'HEAD');

const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8', maxBuffer: 64 << 20 });

/** Files under src/db (path → text) at a commit, or in the working tree when rev is null. */
function tree(rev: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (rev === null) {
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) out.set(p, readFileSync(p, 'utf8'));
      }
    };
    walk('src/db');
    return out;
  }
  for (const p of git('ls-tree', '-r', '--name-only', rev, 'src/db').split('\n').filter((f) => f.endsWith('.ts'))) {
    out.set(p, git('show', `${rev}:${p}`));
  }
  return out;
}

/** The lines of `text` that hold a token, with their text. */
function codeLines(path: string, text: string): string[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const lines = new Set<number>();
  const visit = (n: ts.Node): void => {
    // JSDoc comments are parsed into nodes too: they are comments, not code.
    if (n.kind >= ts.SyntaxKind.FirstJSDocNode && n.kind <= ts.SyntaxKind.LastJSDocNode) return;
    const kids = n.getChildren(sf);
    if (kids.length === 0 && n.kind !== ts.SyntaxKind.EndOfFileToken) {
      const from = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const to = sf.getLineAndCharacterOfPosition(n.end).line;
      for (let l = from; l <= to; l++) lines.add(l);
    }
    kids.forEach(visit);
  };
  visit(sf);
  const all = text.split('\n');
  return [...lines].sort((a, b) => a - b).map((l) => all[l]!);
}

const count = (files: Map<string, string>, keep: (p: string) => boolean = () => true): number =>
  [...files].filter(([p]) => keep(p)).reduce((n, [p, t]) => n + codeLines(p, t).length, 0);

/**
 * A code line as the comparison sees it: no white space, no `await`/`async`, every query helper one name
 * (better-sqlite3's `s.get(SQL).all(…)`, `q.all`, `db.one`, `this.statements.run` …), `ifnull` as `coalesce`,
 * `?`/`$n` placeholders alike. Lines of punctuation and keywords only are left out (they repeat everywhere).
 */
function normalise(line: string): string | null {
  const s = line
    .replace(/\b(await|async)\s+/g, '')
    .replace(/\b(?:s\.get\([^)]*\)|[a-zA-Z_.]*\b(?:q|db|s|st|c|client|statements|stmts|this\.auto|this))\.(all|one|get|run)\b(<[^>]*>)?/g, 'Q.$1')
    .replace(/\bQ\.get\b/g, 'Q.one')
    .replace(/\bifnull\b/gi, 'coalesce')
    .replace(/\$\d+/g, '?')
    .replace(/\s+/g, '');
  return /[A-Za-z0-9_]{3}/.test(s.replace(/\b(return|const|let|if|else|try|catch|finally|async|await|export|function|for|of|in|new|throw|true|false|null|undefined)\b/g, '')) ? s : null;
}

/** Of `b`'s code lines, how many (as normalised) also stand in `a` (each line of `a` matched once). */
function repeated(a: Map<string, string>, b: Map<string, string>): { lines: number; repeated: number; percent: number } {
  const pool = new Map<string, number>();
  for (const [p, t] of a) for (const l of codeLines(p, t)) {
    const n = normalise(l);
    if (n !== null) pool.set(n, (pool.get(n) ?? 0) + 1);
  }
  let lines = 0;
  let hits = 0;
  for (const [p, t] of b) for (const l of codeLines(p, t)) {
    lines++;
    const n = normalise(l);
    if (n === null || !pool.get(n)) continue;
    pool.set(n, pool.get(n)! - 1);
    hits++;
    if (process.argv.includes('--show')) console.error(`${p}: ${l.trim()}`);
  }
  return { lines, repeated: hits, percent: Math.round((1000 * hits) / Math.max(lines, 1)) / 10 };
}

const pick = (files: Map<string, string>, re: RegExp): Map<string, string> => new Map([...files].filter(([p]) => re.test(p)));
/**
 * The drizzle schemas: before, two parallel declarations of the same tables; now each driver's schema.ts only
 * builds them from src/db/tables.ts. Shown with and without, to compare with the earlier figures.
 */
const SCHEMA = /(^|\/)schema\.ts$/;

function sides(files: Map<string, string>, sqlite: RegExp, pg: RegExp) {
  const s = pick(files, sqlite);
  const p = pick(files, pg);
  const noSchema = (m: Map<string, string>) => new Map([...m].filter(([f]) => !SCHEMA.test(f)));
  return {
    pgRepeatingSqlite: repeated(s, p),
    sqliteRepeatingPg: repeated(p, s),
    withoutSchemas: { pgRepeatingSqlite: repeated(noSchema(s), noSchema(p)), sqliteRepeatingPg: repeated(noSchema(p), noSchema(s)) },
  };
}

const before = tree(BEFORE);
const rewrite = tree(REWRITE);
const base = tree(BASE);
const now = tree(null);
const isStoreLogic = (p: string) => p.startsWith('src/db/store/');

// Every commit after the rewrite that changed src/db: its change in code lines.
const commits = process.argv.includes('--quick') ? [] : git('log', '--no-merges', '--format=%h %s', `${REWRITE}..${BASE}`, '--', 'src/db')
  .split('\n')
  .filter(Boolean)
  .reverse()
  .map((line) => {
    const [hash] = line.split(' ');
    const delta = count(tree(hash!)) - count(tree(`${hash}^`));
    return { commit: hash, delta, subject: line.slice(hash!.length + 1, hash!.length + 90) };
  });

const features = count(base) - count(rewrite);
if (process.argv.includes('--files')) {
  for (const [p, t] of [...now].sort()) console.log(String(codeLines(p, t).length).padStart(5), p);
  process.exit(0);
}
const result = {
  method:
    'code lines = lines holding a TypeScript token (no blank or comment-only lines) of every .ts file under src/db; features = code lines of src/db at --base minus at --rewrite; like-with-like shorter = before + features - now',
  codeLines: {
    before: { rev: BEFORE, total: count(before) },
    afterRewrite: { rev: REWRITE, total: count(rewrite) },
    base: { rev: BASE, total: count(base), storeLogic: count(base, isStoreLogic) },
    now: { total: count(now), storeLogic: count(now, isStoreLogic), tables: count(now, (p) => p === 'src/db/tables.ts'), sqlite: count(now, (p) => p.startsWith('src/db/sqlite/')), pg: count(now, (p) => p.startsWith('src/db/pg/')) },
  },
  featuresSinceRewrite: features,
  shorter: {
    byRewrite: count(before) - count(rewrite),
    likeWithLike: count(before) + features - count(now),
    cleanupSinceBase: count(base) - count(now),
  },
  repetition: {
    before: sides(before, /^src\/db\/(sqlite[^/]*|statements|schema)\.ts$/, /^src\/db\/pg\//),
    now: sides(now, /^src\/db\/sqlite\//, /^src\/db\/pg\//),
  },
  commits,
  perFileNow: Object.fromEntries([...now].map(([p, t]) => [p, codeLines(p, t).length] as const).sort((a, b) => b[1] - a[1])),
};
console.log(JSON.stringify(result, null, 2));
