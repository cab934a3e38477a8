// labelmux as a sandbox for test suites: the request journal, fault rules and the clock (docs/sandbox.md).
// All three live in this process's memory: several instances sharing one PostgreSQL database each have
// their own journal (of the requests they served), their own fault rules and their own clock.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { createClock, type Clock } from './clock.js';
import { Faults } from './faults.js';
import { decorateRequests, instrumentDialect, registerJournal } from './hooks.js';
import { Journal } from './journal.js';

export { createClock, type Clock } from './clock.js';
export { Faults, ERROR_NAMES } from './faults.js';
export { Journal } from './journal.js';
export { sandboxAdminPlugin } from './routes.js';
export { journalSent } from './hooks.js';

export interface Sandbox {
  journal: Journal;
  /** LABELMUX_JOURNAL: requests are recorded only when on. */
  journalOn: boolean;
  faults: Faults;
  clock: Clock;
  /** Whether the core was built on `clock.now` (else the clock cannot be moved: 409). */
  coreReadsClock: boolean;
  /** Empties the journal, removes every fault rule, puts the clock back to its start. */
  reset(): void;
}

export interface SandboxSettings {
  journal: boolean;
  journalSize: number;
  /** LABELMUX_CLOCK in UTC ms, or null: the real clock. */
  clock: number | null;
  /** LABELMUX_CORS: allowed origins, '*' for any, or null (off). */
  cors: string[] | '*' | null;
}

/** Build it before the core, and give the core `sandbox.clock.now`. `base` is the clock until it is controlled. */
export function createSandbox(settings: SandboxSettings, base: () => number = Date.now): Sandbox {
  const journal = new Journal(settings.journalSize);
  const faults = new Faults();
  const clock = createClock(settings.clock, base);
  return {
    journal,
    journalOn: settings.journal,
    faults,
    clock,
    coreReadsClock: true,
    reset() {
      journal.clear();
      faults.clear();
      clock.reset();
    },
  };
}

/**
 * Headers a browser client must be able to read besides the CORS-safelisted ones: Retry-After (429, 503),
 * Location (limbo's 201), X-Request-Id, Allow (limbo's 405), WWW-Authenticate (401 challenges).
 */
export const EXPOSED_HEADERS = ['Retry-After', 'Location', 'X-Request-Id', 'Allow', 'WWW-Authenticate'];

/**
 * The app's side: CORS (before any route), the journal's hooks (only when on), and `app.sandbox` for the
 * admin routes and POST /_admin/reset. A sandbox not given is made here on the core's clock (it can then
 * not be moved).
 */
export async function registerSandbox(app: FastifyInstance, settings: SandboxSettings, coreNow: () => number, given?: Sandbox): Promise<Sandbox> {
  const sandbox = given ?? { ...createSandbox({ ...settings, clock: null }, coreNow), coreReadsClock: false };
  if (given && given.clock.now !== coreNow) sandbox.coreReadsClock = false;
  if (settings.clock !== null && !sandbox.coreReadsClock) throw new Error('LABELMUX_CLOCK is set but the core does not read the sandbox clock: createSandbox() first, then createCore({ now: sandbox.clock.now })');
  if (settings.cors !== null) {
    await app.register(cors, {
      origin: settings.cors === '*' ? '*' : settings.cors,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  decorateRequests(app);
  if (sandbox.journalOn) registerJournal(app, sandbox.journal);
  app.decorate('sandbox', sandbox);
  return sandbox;
}

/** In a dialect's scope, before its routes are registered. */
export const instrument = (sandbox: Sandbox, scope: FastifyInstance, dialect: string, prefix: string) =>
  instrumentDialect(scope, dialect, prefix, sandbox.faults, sandbox.journalOn ? sandbox.journal : null, sandbox.clock.now);

declare module 'fastify' {
  interface FastifyInstance {
    /** The journal, fault rules and clock of this app (src/sandbox). */
    sandbox: Sandbox;
  }
}
