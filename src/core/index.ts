// The core's one entry point: wire the use cases to a store and a clock.
import { createAdmin } from './admin.js';
import { createAuth } from './auth.js';
import { createLabels } from './labels.js';
import type { Store } from './ports.js';
import { createCatalog } from './catalog.js';
import { createConsole } from './console.js';
import { createCrossWorkspaceLabels } from './cross-workspace-labels.js';
import { createOAuth } from './oauth.js';
import { createPrincipals } from './principal.js';
import { createPaths } from './paths.js';
import { createQuota, createRateCounter } from './quota.js';
import { createResources } from './resources.js';
import { createSandbox } from './sandbox.js';
import { createTimedLabels } from './timed-labels.js';

export interface CoreDeps {
  store: Store;
  /** UTC milliseconds; tests pass a fixed clock. */
  now?: () => number;
}

export function createCore({ store, now = Date.now }: CoreDeps) {
  const quota = createQuota(store, now);
  return {
    auth: createAuth(store),
    labels: createLabels(store, now),
    resources: createResources(store, now),
    admin: createAdmin(store, now),
    quota,
    /** Fixtures, reset and workspace deletion for test suites (docs/fixtures.md). */
    sandbox: createSandbox(store, now, () => quota.clear()),
    rate: createRateCounter(store, now),
    /** Several instances may share the store (PostgreSQL): limits must be counted in it, not in memory. */
    sharedStore: store.shared === true,
    storeKind: store.kind ?? ('unknown' as const),
    paths: createPaths(store, now),
    timedLabels: createTimedLabels(store, now),
    /** Credentials spanning workspaces (access tokens, user-wide keys) and what they reach. */
    principals: createPrincipals(store, now),
    oauth: createOAuth(store, now),
    labelsAcross: createCrossWorkspaceLabels(store, now),
    catalog: createCatalog(store),
    console: createConsole(store, now),
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
export { WORKSPACE_FIELD, type LabelChanges, type LabelQuery, type NewLabelIn } from './cross-workspace-labels.js';
export { prepareFixtures } from './fixtures.js';
export type { FixturesDocument, FixtureLabel, FixtureResource, FixtureWorkspace, LabelRef } from './fixtures.js';
export type { ResetSummary, Sandbox } from './sandbox.js';
export type { ProductName, ProductQuery, ProductRef, WorkspaceQuery } from './catalog.js';
export type { Principal } from './principal.js';
export type { CreationLimits, DailyLimit, TimedLabelEdit, TimedLabelInput } from './timed-labels.js';
export type * from './types.js';
export type * from './ports.js';
export type * from './ports-paths.js';
export type * from './ports-timed-labels.js';
export type * from './ports-oauth.js';
export type * from './ports-grants.js';
export type * from './ports-cross-workspace.js';
export type * from './ports-console.js';
export type * from './ports-catalog.js';
export type * from './ports-sandbox.js';

