// The only reader of process.env: every setting is parsed here once, validated, and frozen.
import { z } from 'zod';
import type { SandboxSettings } from './sandbox/index.js';

export const DIALECT_NAMES = ['jotform', 'razuna', 'livestorm', 'devtodev', 'limbo'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).transform((v) => ['true', '1', 'yes', 'on'].includes(v));
/** `<n>/<window>`: n requests per window, the window a number with a unit (ms, s, m, h); `100/1m`, `5/10s`. */
const WINDOW_UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const rateLimit = z
  .string()
  .regex(/^[1-9][0-9]{0,8}\/[1-9][0-9]{0,8}(ms|s|m|h)$/, 'must be <requests>/<window>, e.g. 100/1m, 10/1s or 5000/1h')
  .transform((v) => {
    const [, max, n, unit] = /^([0-9]+)\/([0-9]+)(ms|s|m|h)$/.exec(v)!;
    return { max: Number(max), windowMs: Number(n) * WINDOW_UNIT_MS[unit as keyof typeof WINDOW_UNIT_MS] };
  })
  .refine((r) => r.windowMs >= 100 && r.windowMs <= 86_400_000, 'the window must be from 100ms to 24h');
/**
 * LABELMUX_DB: a SQLite path, `:memory:`, a `file:` URL (turned into its path: the driver opens plain paths)
 * or a PostgreSQL URL. Any other `scheme:` is refused: `mysql://x` would otherwise be a SQLite file `mysql:/x`.
 * A one-letter scheme is a Windows drive (`C:\\data\\labelmux.db`).
 */
const database = z
  .string()
  .min(1, 'must name a SQLite file (e.g. ./data/labelmux.db) or a postgres:// URL')
  .transform((v, ctx) => {
    if (/^postgres(ql)?:\/\/./.test(v)) return v;
    if (v.startsWith('file:')) return fileUrlPath(v);
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(v)?.[1];
    if (scheme === undefined) return v;
    ctx.addIssue({ code: 'custom', message: `${scheme}: is not a supported database; use a SQLite file path (e.g. ./data/labelmux.db), file:, :memory: or a postgres:// URL` });
    return z.NEVER;
  });
const prefix = z.string().regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'must be empty or a path like /vendor (no trailing slash)');

// ---- What the server says about itself: log format, access log, the console at / ----
/** LABELMUX_ACCESS_LOG → one access line per how many requests: `off` 0, `on` 1, `sample:N` N. */
const accessLog = z
  .string()
  .regex(/^(off|on|sample:[1-9][0-9]{0,8})$/, 'must be off, on or sample:<N> (one request in N logged, e.g. sample:100)')
  .transform((v) => (v === 'off' ? 0 : v === 'on' ? 1 : Number(v.slice('sample:'.length))));
const outputSettings = {
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json'], { error: 'must be auto (pretty on a terminal, else JSON), pretty or json' }).default('auto'),
  LABELMUX_ACCESS_LOG: accessLog.prefault('off'),
  LABELMUX_CONSOLE: bool.default(true),
};

export interface OutputConfig {
  /** LOG_FORMAT: one pretty line per entry, JSON lines, or 'auto': pretty when stdout is a terminal. */
  logFormat: 'auto' | 'pretty' | 'json';
  /** LABELMUX_ACCESS_LOG: one `info` line for every Nth request; 0 logs none (LOG_LEVEL=debug still logs each at debug). */
  accessLogEvery: number;
  /** LABELMUX_CONSOLE: serve the browser console at `/` (off: `/` points at the API documents instead). */
  console: boolean;
}

const outputConfig = (e: Record<string, unknown>): OutputConfig => ({
  logFormat: e.LOG_FORMAT as OutputConfig['logFormat'],
  accessLogEvery: e.LABELMUX_ACCESS_LOG as number,
  console: e.LABELMUX_CONSOLE as boolean,
});
// ---- end of the output settings ----

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  LABELMUX_DB: database.default('./data/labelmux.db'),
  LABELMUX_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LABELMUX_METRICS_TOKEN: z.string().min(1).optional(),
  LABELMUX_BOOTSTRAP: z.enum(['demo', 'none']).default('demo'),
  LABELMUX_BODY_LIMIT: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  LABELMUX_PUBLIC_URL: z.url().optional(),
  LABELMUX_TRUST_PROXY: z.string().optional(),
  LABELMUX_JOTFORM_DAILY_LIMIT: z.coerce.number().int().min(1).default(100_000),
  LABELMUX_DEVTODEV_TOKEN_DAILY_LIMIT: z.coerce.number().int().min(1).default(500),
  LABELMUX_DEVTODEV_APP_DAILY_LIMIT: z.coerce.number().int().min(1).default(200),
  LABELMUX_LIMBO_TOKEN_TTL: z.coerce.number().int().min(60).max(86_400 * 30).default(3600),
  LABELMUX_RATE_LIMIT: z.preprocess((v) => (v === '' || v === 'off' ? undefined : v), rateLimit.optional()),
  LABELMUX_REQUEST_TIMEOUT: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  LABELMUX_CHECK_AT_START: z.enum(['off', 'quick', 'full']).default('off'),
  LABELMUX_PG_CONNECT_TIMEOUT: z.coerce.number().int().min(100).max(600_000).default(5000),
  LABELMUX_PG_STATEMENT_TIMEOUT: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  LABELMUX_PG_IDLE_IN_TRANSACTION_TIMEOUT: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  LABELMUX_PG_START_TIMEOUT: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  // The sandbox (src/sandbox, docs/fixtures.md, docs/sandbox.md): fixtures, request journal, controllable clock, CORS.
  LABELMUX_FIXTURES: z.string().min(1, 'must name a fixtures file (.json, .yaml or .yml)').optional(),
  LABELMUX_JOURNAL: bool.default(false),
  LABELMUX_JOURNAL_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
  LABELMUX_CLOCK: z.iso.datetime({ offset: true, error: 'must be an ISO time such as 2026-01-31T23:00:00Z' }).transform(Date.parse).optional(),
  LABELMUX_CORS: z
    .string()
    .regex(/^(\*|https?:\/\/[^/\s,]+(,\s*https?:\/\/[^/\s,]+)*)$/, 'must be * or comma-separated origins such as http://localhost:5173')
    .transform((v) => (v === '*' ? ('*' as const) : v.split(',').map((o) => o.trim())))
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ...outputSettings,
  ...Object.fromEntries(
    DIALECT_NAMES.flatMap((d) => [
      [`LABELMUX_${d.toUpperCase()}_ENABLED`, bool.default(true)],
      [`LABELMUX_${d.toUpperCase()}_PREFIX`, prefix.default('')],
    ]),
  ),
});

export interface DialectConfig {
  enabled: boolean;
  /** Extra path before the vendor's own paths; '' keeps the vendor's real paths. */
  prefix: string;
}

export interface Config extends OutputConfig {
  port: number;
  host: string;
  db: string;
  adminToken: string | undefined;
  metricsToken: string | undefined;
  bootstrap: 'demo' | 'none';
  bodyLimit: number;
  publicUrl: string | undefined;
  /**
   * Fastify's trustProxy: which proxies' X-Forwarded-For is believed for the client address (per-address
   * throttling, logs). false (the connection's address), true (any), a hop count, or addresses/CIDRs.
   */
  trustProxy: boolean | number | string;
  logLevel: string;
  /** Jotform's per-key daily call quota (the vendor's default is 100000 on paid plans). */
  jotformDailyLimit: number;
  /** devtodev: labels created per UTC day per token, and per app (workspace). */
  devtodevTokenDailyLimit: number;
  devtodevAppDailyLimit: number;
  /** limbo: access-token lifetime in seconds (`expires_in`). */
  limboTokenTtl: number;
  /** Generic per-credential request rate limit (LABELMUX_RATE_LIMIT); null = off (the default). */
  rateLimit: RateLimitConfig | null;
  /** Longest time in ms a client may take to send one whole request (headers and body); then 408 and closed. */
  requestTimeout: number;
  /** SQLite integrity check before serving: 'quick' (PRAGMA quick_check), 'full' (integrity_check) or 'off'. */
  checkAtStart: 'off' | 'quick' | 'full';
  dialects: Record<DialectName, DialectConfig>;
  /**
   * A fixtures file (JSON or YAML, docs/fixtures.md): at start the database is reset to it (everything else
   * in it deleted), and POST /_admin/reset returns to it. Undefined: no fixtures (reset empties the database).
   */
  fixtures: string | undefined;
  /** PostgreSQL only: how long to wait for it (ms); docs/operations.md, "Storage outages". */
  pg: PgConfig;
  /** Request journal, clock and CORS (LABELMUX_JOURNAL, _JOURNAL_SIZE, _CLOCK, _CORS). */
  sandbox: SandboxSettings;
}

/** Milliseconds, named as the PostgreSQL store's options take them. */
export interface PgConfig {
  connectMs: number;
  statementMs: number;
  idleInTransactionMs: number;
  /** How long start-up retries an unreachable database before exiting non-zero. */
  startTimeoutMs: number;
}

export interface RateLimitConfig {
  /** Requests allowed per window and credential. */
  max: number;
  windowMs: number;
}

export class ConfigError extends Error {}

/** `file:` URL → the path SQLite opens: `file:///abs/x.db` → `/abs/x.db`, `file:rel/x.db` → `rel/x.db`, `file::memory:` → `:memory:`. */
function fileUrlPath(v: string): string {
  const rest = v.slice('file:'.length).replace(/[?#].*$/, '');
  if (rest === ':memory:') return rest;
  // file:///path and file://localhost/path: the host part is dropped.
  const m = /^\/\/([^/]*)(\/.*)$/.exec(rest);
  return decodeURIComponent(m ? m[2]! : rest);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // One line per setting, naming it and what it must be.
    const lines = parsed.error.issues.map((i) => `Invalid configuration: ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(lines.join('\n'));
  }
  const e = parsed.data as Record<string, unknown>;
  const dialects = Object.fromEntries(
    DIALECT_NAMES.map((d) => [
      d,
      Object.freeze({ enabled: e[`LABELMUX_${d.toUpperCase()}_ENABLED`] as boolean, prefix: e[`LABELMUX_${d.toUpperCase()}_PREFIX`] as string }),
    ]),
  ) as Record<DialectName, DialectConfig>;
  return Object.freeze({
    port: e.PORT as number,
    host: e.HOST as string,
    db: e.LABELMUX_DB as string,
    adminToken: e.LABELMUX_ADMIN_TOKEN as string | undefined,
    metricsToken: e.LABELMUX_METRICS_TOKEN as string | undefined,
    bootstrap: e.LABELMUX_BOOTSTRAP as 'demo' | 'none',
    bodyLimit: e.LABELMUX_BODY_LIMIT as number,
    publicUrl: e.LABELMUX_PUBLIC_URL as string | undefined,
    trustProxy: trustProxy(e.LABELMUX_TRUST_PROXY as string | undefined),
    logLevel: e.LOG_LEVEL as string,
    jotformDailyLimit: e.LABELMUX_JOTFORM_DAILY_LIMIT as number,
    devtodevTokenDailyLimit: e.LABELMUX_DEVTODEV_TOKEN_DAILY_LIMIT as number,
    devtodevAppDailyLimit: e.LABELMUX_DEVTODEV_APP_DAILY_LIMIT as number,
    limboTokenTtl: e.LABELMUX_LIMBO_TOKEN_TTL as number,
    rateLimit: e.LABELMUX_RATE_LIMIT ? Object.freeze(e.LABELMUX_RATE_LIMIT as RateLimitConfig) : null,
    requestTimeout: e.LABELMUX_REQUEST_TIMEOUT as number,
    checkAtStart: e.LABELMUX_CHECK_AT_START as Config['checkAtStart'],
    dialects: Object.freeze(dialects),
    fixtures: e.LABELMUX_FIXTURES as string | undefined,
    pg: Object.freeze({
      connectMs: e.LABELMUX_PG_CONNECT_TIMEOUT as number,
      statementMs: e.LABELMUX_PG_STATEMENT_TIMEOUT as number,
      idleInTransactionMs: e.LABELMUX_PG_IDLE_IN_TRANSACTION_TIMEOUT as number,
      startTimeoutMs: e.LABELMUX_PG_START_TIMEOUT as number,
    }),
    sandbox: Object.freeze({
      journal: e.LABELMUX_JOURNAL as boolean,
      journalSize: e.LABELMUX_JOURNAL_SIZE as number,
      clock: (e.LABELMUX_CLOCK as number | undefined) ?? null,
      cors: (e.LABELMUX_CORS as SandboxSettings['cors'] | undefined) ?? null,
    }),
    ...outputConfig(e),
  });
}

/**
 * The server's command-line flags, which override the environment: `--check-at-start[=quick|full]` (bare:
 * full) runs SQLite's integrity check before serving, like LABELMUX_CHECK_AT_START.
 */
export function serverFlags(argv: readonly string[]): Partial<Pick<Config, 'checkAtStart'>> {
  const flags: Partial<Pick<Config, 'checkAtStart'>> = {};
  for (const arg of argv) {
    const m = /^--check-at-start(?:=(quick|full|off))?$/.exec(arg);
    if (!m) throw new ConfigError(`Invalid configuration: unknown option ${arg}; the server takes --check-at-start[=quick|full|off] and reads everything else from the environment`);
    flags.checkAtStart = (m[1] ?? 'full') as Config['checkAtStart'];
  }
  return flags;
}

/** LABELMUX_TRUST_PROXY: unset/off/false → false, true/on → true, a number → hops, else addresses/CIDRs (comma-separated). */
function trustProxy(v: string | undefined): boolean | number | string {
  const t = v?.trim().toLowerCase() ?? '';
  if (t === '' || t === 'off' || t === 'false' || t === '0') return false;
  if (t === 'true' || t === 'on') return true;
  if (/^\d+$/.test(t)) return Number(t);
  return t.split(',').map((a) => a.trim()).filter(Boolean).join(',');
}

/** Variables with the project's prefix that only the test suite reads. */
const TEST_ONLY = /^LABELMUX_TEST_/;

/**
 * One warning line per `LABELMUX_*` variable that is no setting (a misspelling is otherwise ignored
 * silently), naming the closest setting when one is close.
 */
export function unknownSettings(env: NodeJS.ProcessEnv = process.env): string[] {
  const known = Object.keys(envSchema.shape).filter((k) => k.startsWith('LABELMUX_'));
  return Object.keys(env)
    .filter((k) => k.startsWith('LABELMUX_') && !TEST_ONLY.test(k) && !known.includes(k))
    .sort()
    .map((k) => {
      const [best] = known.map((name) => ({ name, d: distance(k, name) })).sort((a, b) => a.d - b.d);
      const hint = best && best.d <= Math.max(2, Math.floor(k.length / 3)) ? `; did you mean ${best.name}?` : '; see "Settings" in docs/operations.md';
      return `${k} is not a labelmux setting and is ignored${hint}`;
    });
}

/** Levenshtein distance: edits (insert, delete, replace) turning a into b. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
