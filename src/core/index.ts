// The core's one entry point: wire the use cases to a store and a clock.
import { createAdmin } from './admin.js';
import { createAuth } from './auth.js';
import { createLabels } from './labels.js';
import type { Store } from './ports.js';
import { createLimbos } from './limbo.js';
import { createPaths } from './paths.js';
import { createQuota, createRateCounter } from './quota.js';
import { createResources } from './resources.js';
import { createTimedLabels } from './timed-labels.js';

export interface CoreDeps {
  store: Store;
  /** UTC milliseconds; tests pass a fixed clock. */
  now?: () => number;
}

export function createCore({ store, now = Date.now }: CoreDeps) {
  return {
    auth: createAuth(store),
    labels: createLabels(store, now),
    resources: createResources(store, now),
    admin: createAdmin(store, now),
    quota: createQuota(store, now),
    rate: createRateCounter(store, now),
    /** Several instances may share the store (PostgreSQL): limits must be counted in it, not in memory. */
    sharedStore: store.shared === true,
    paths: createPaths(store, now),
    timedLabels: createTimedLabels(store, now),
    limbo: createLimbos(store, now),
    now,
    ping: () => store.ping(),
  };
}
export type Core = ReturnType<typeof createCore>;

export * from './errors.js';
export { merge } from './objects.js';
export * from './rules.js';
export { sha256 } from './secrets.js';
export type { RateCounter } from './quota.js';
export { ROLES } from './types.js';
export type * from './types.js';
export type * from './ports.js';
export type * from './ports-paths.js';
export type * from './ports-timed-labels.js';
export type * from './ports-limbo.js';

