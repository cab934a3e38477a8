// The only reader of process.env: every setting is parsed here once, validated, and frozen.
import { z } from 'zod';

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
const prefix = z.string().regex(/^(\/[A-Za-z0-9._~-]+)*$/, 'must be empty or a path like /vendor (no trailing slash)');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  LABELMUX_DB: z.string().min(1).default('./data/labelmux.db'),
  LABELMUX_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LABELMUX_METRICS_TOKEN: z.string().min(1).optional(),
  LABELMUX_BOOTSTRAP: z.enum(['demo', 'none']).default('demo'),
  LABELMUX_BODY_LIMIT: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  LABELMUX_PUBLIC_URL: z.url().optional(),
  LABELMUX_JOTFORM_DAILY_LIMIT: z.coerce.number().int().min(1).default(100_000),
  LABELMUX_DEVTODEV_TOKEN_DAILY_LIMIT: z.coerce.number().int().min(1).default(500),
  LABELMUX_DEVTODEV_APP_DAILY_LIMIT: z.coerce.number().int().min(1).default(200),
  LABELMUX_LIMBO_TOKEN_TTL: z.coerce.number().int().min(60).max(86_400 * 30).default(3600),
  LABELMUX_RATE_LIMIT: z.preprocess((v) => (v === '' || v === 'off' ? undefined : v), rateLimit.optional()),
  LABELMUX_REQUEST_TIMEOUT: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  LABELMUX_PG_CONNECT_TIMEOUT: z.coerce.number().int().min(100).max(600_000).default(5000),
  LABELMUX_PG_STATEMENT_TIMEOUT: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  LABELMUX_PG_IDLE_IN_TRANSACTION_TIMEOUT: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  LABELMUX_PG_START_TIMEOUT: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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

export interface Config {
  port: number;
  host: string;
  db: string;
  adminToken: string | undefined;
  metricsToken: string | undefined;
  bootstrap: 'demo' | 'none';
  bodyLimit: number;
  publicUrl: string | undefined;
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
  dialects: Record<DialectName, DialectConfig>;
  /** PostgreSQL only: how long to wait for it (ms); README "Durability". */
  pg: PgConfig;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
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
    logLevel: e.LOG_LEVEL as string,
    jotformDailyLimit: e.LABELMUX_JOTFORM_DAILY_LIMIT as number,
    devtodevTokenDailyLimit: e.LABELMUX_DEVTODEV_TOKEN_DAILY_LIMIT as number,
    devtodevAppDailyLimit: e.LABELMUX_DEVTODEV_APP_DAILY_LIMIT as number,
    limboTokenTtl: e.LABELMUX_LIMBO_TOKEN_TTL as number,
    rateLimit: e.LABELMUX_RATE_LIMIT ? Object.freeze(e.LABELMUX_RATE_LIMIT as RateLimitConfig) : null,
    requestTimeout: e.LABELMUX_REQUEST_TIMEOUT as number,
    dialects: Object.freeze(dialects),
    pg: Object.freeze({
      connectMs: e.LABELMUX_PG_CONNECT_TIMEOUT as number,
      statementMs: e.LABELMUX_PG_STATEMENT_TIMEOUT as number,
      idleInTransactionMs: e.LABELMUX_PG_IDLE_IN_TRANSACTION_TIMEOUT as number,
      startTimeoutMs: e.LABELMUX_PG_START_TIMEOUT as number,
    }),
  });
}
