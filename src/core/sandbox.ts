// The sandbox: a test suite's way back to a known state. The fixtures (a checked document, core/fixtures.ts)
// are kept here as rows ready to write, so a reset costs one unit of work in the store and no hashing.
import { notFound } from './errors.js';
import { prepareFixtures, type FixturesDocument } from './fixtures.js';
import type { FixturePlan, SandboxStore } from './ports-sandbox.js';

const EMPTY: FixturePlan = { workspaces: [], users: [], members: [], keys: [], labels: [], resources: [], assignments: [] };

/** What a reset wrote: the fixtures' rows, by table. */
export interface ResetSummary {
  workspaces: number;
  users: number;
  members: number;
  api_keys: number;
  labels: number;
  resources: number;
  assignments: number;
}

const summary = (p: FixturePlan): ResetSummary => ({
  workspaces: p.workspaces.length, users: p.users.length, members: p.members.length, api_keys: p.keys.length,
  labels: p.labels.length, resources: p.resources.length, assignments: p.assignments.length,
});

/**
 * `forget` clears what this process remembers about the data a reset replaces (the core's quota tallies);
 * what the HTTP layer remembers is cleared by the app's reset hooks.
 */
export function createSandbox(store: SandboxStore, now: () => number, forget: () => void) {
  let fixtures = EMPTY;
  const sandbox = {
    /** Puts the database back to the fixtures (empty without any): every table emptied, ids from 1 again. */
    async reset(): Promise<ResetSummary> {
      forget();
      await store.resetTo(fixtures, now());
      return summary(fixtures);
    },
    /**
     * Makes `doc` the fixtures and resets the database to it. A refused document (or a failed write) changes
     * nothing: neither the database nor the fixtures later resets go back to.
     */
    async load(doc: FixturesDocument | FixturePlan): Promise<ResetSummary> {
      const plan = isPlan(doc) ? doc : await prepareFixtures(doc);
      forget();
      await store.resetTo(plan, now());
      fixtures = plan;
      return summary(plan);
    },
    async deleteWorkspace(id: number): Promise<void> {
      if (!(await store.deleteWorkspace(id))) throw notFound('workspace', id);
    },
  };
  return sandbox;
}
export type Sandbox = ReturnType<typeof createSandbox>;

const isPlan = (d: FixturesDocument | FixturePlan): d is FixturePlan => 'labels' in d && 'assignments' in d;
