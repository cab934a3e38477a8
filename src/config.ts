// The only reader of process.env: every setting is parsed here once, validated, and frozen.
import { z } from 'zod';

export const DIALECT_NAMES = ['jotform', 'razuna', 'livestorm', 'devtodev', 'limbo'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).transform((v) => ['true', '1', 'yes', 'on'].includes(v));
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
  dialects: Record<DialectName, DialectConfig>;
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
    dialects: Object.freeze(dialects),
  });
}
