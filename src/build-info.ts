// What this server is: the package's version, the git commit it was built from and the Node.js running it
// (`labelmux --version`, GET /_admin/info, the X-Labelmux-Version header, the labelmux_build_info metric).
//
// The commit is recorded when it is known, at build time: `npm run build` runs this file (`node
// dist/build-info.js`), which writes dist/build-info.json. A build outside a git checkout (the Docker build,
// which copies no .git) records "unknown", and so does an installed package built that way. Run from its
// sources (tsx: `npm run dev`, the tests) there is no build to read, so git is asked at start instead.
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BuildInfo {
  /** package.json's version. */
  readonly version: string;
  /** The short git commit of the build, or "unknown". */
  readonly commit: string;
  /** The Node.js version running the server. */
  readonly node: string;
}

/** The package root: one level up from both src/ (tsx) and dist/ (the build). */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RECORD = new URL('./build-info.json', import.meta.url);
export const UNKNOWN_COMMIT = 'unknown';

const readJson = (file: URL | string): Record<string, unknown> | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
};

/**
 * The short commit of the checkout at `dir`, or "unknown" when `dir` is not the top of a git checkout (no
 * git, no .git, or a package unpacked inside some other project's checkout, whose commit is not ours).
 */
export function gitCommit(dir: string): string {
  try {
    const [top, commit] = execFileSync('git', ['rev-parse', '--show-toplevel', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim().split('\n');
    return top && commit && realpathSync(top) === realpathSync(dir) ? commit : UNKNOWN_COMMIT;
  } catch {
    return UNKNOWN_COMMIT;
  }
}

const fromSources = import.meta.url.endsWith('.ts');
const recorded = fromSources ? gitCommit(ROOT) : readJson(RECORD)?.commit;

export const BUILD_INFO: BuildInfo = Object.freeze({
  version: String(readJson(`${ROOT}package.json`)?.version ?? '0.0.0'),
  commit: typeof recorded === 'string' && recorded !== '' ? recorded : UNKNOWN_COMMIT,
  node: process.versions.node,
});

/** Whether this file is the program node runs (`node dist/build-info.js`), not a module imported by one. */
function runDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false; // `node -e`, stdin, a path that is gone: imported by something else
  }
}

// `node dist/build-info.js` (the build's step after tsc): record the commit of the checkout being built.
if (!fromSources && runDirectly()) {
  writeFileSync(RECORD, `${JSON.stringify({ version: BUILD_INFO.version, commit: gitCommit(ROOT) }, null, 2)}\n`);
}
