// GET /_admin/info: what this server is — version, commit, Node.js, the dialects it serves, its store, whether
// the console is served, how long it has run. For an operator checking what a deployment runs, or a test
// suite checking which labelmux it talks to.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUILD_INFO } from '../build-info.js';
import { DIALECT_NAMES, type Config } from '../config.js';
import type { Core } from '../core/index.js';
import type { AddressThrottle } from '../http/address-throttle.js';
import { consoleBuilt } from '../http/console.js';
import { errorHandler } from '../http/errors.js';
import { adminErrors } from './errors.js';
import { checkToken } from './routes.js';
import * as s from './schemas.js';

export interface InfoRoutesOptions {
  core: Core;
  adminToken: string;
  config: Readonly<Config>;
  /** The admin API's count of wrong tokens per address (src/admin/routes.ts). */
  throttle: AddressThrottle;
}

export const serverInfo = z
  .object({
    name: z.literal('labelmux'),
    version: z.string().meta({ description: 'The package version, also sent on every answer as X-Labelmux-Version.', examples: ['0.1.0'] }),
    commit: z.string().meta({ description: 'The short git commit the server was built from; "unknown" for a build made outside a git checkout (the Docker image unless told).', examples: ['a256913'] }),
    node: z.string().meta({ description: 'The Node.js version running the server.', examples: ['22.12.0'] }),
    store: z.enum(['sqlite', 'postgres', 'unknown']).meta({ description: 'The database kind (LABELMUX_DB).' }),
    dialects: z.array(z.enum(DIALECT_NAMES)).meta({ description: 'The dialects this server serves (`LABELMUX_<DIALECT>_ENABLED`); `GET /_admin/dialects` gives their paths.' }),
    console: z.boolean().meta({ description: 'Whether the console is served at / (LABELMUX_CONSOLE, and a build that includes it).' }),
    started_at: z.string().meta({ description: 'When the server process started (ISO 8601, UTC; the real time, not the sandbox clock).' }),
    uptime_seconds: z.int().meta({ description: 'Whole seconds since the process started.' }),
  })
  .register(s.registry, { id: 'ServerInfo', description: 'What this server is and runs.' });

const doc = { operationId: 'getInfo', tags: ['server'], summary: 'Version, commit and what this server runs', description: 'The build (version, commit, Node.js), the dialects served, the store kind, whether the console is served, and the uptime.' };

export const infoAdminPlugin: FastifyPluginAsync<InfoRoutesOptions> = async (root, { core, adminToken, config, throttle }) => {
  root.setErrorHandler(errorHandler(adminErrors));
  root.addHook('onRequest', checkToken(adminToken, throttle));
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { version, commit, node } = BUILD_INFO;
  const dialects = DIALECT_NAMES.filter((d) => config.dialects[d].enabled);
  const consoleServed = config.console && consoleBuilt();
  const startedAt = new Date(Math.round(performance.timeOrigin)).toISOString();
  app.get('/info', { schema: { ...doc, response: { 200: serverInfo, 401: s.problem } } }, async () => ({
    name: 'labelmux' as const,
    version,
    commit,
    node,
    store: core.storeKind,
    dialects,
    console: consoleServed,
    started_at: startedAt,
    uptime_seconds: Math.floor(process.uptime()),
  }));
};
