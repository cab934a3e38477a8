// Assignment use cases: labels on resources (library items, forms, assets, products…).
import { notFound } from './errors.js';
import type { AnyTypeRef, AssignmentStore, ResourceInput, ResourceQuery, ResourceRef } from './ports.js';
import { auditOf } from './labels.js';
import { assertMay, checkResourceRef } from './rules.js';
import type { Actor, LabelSummary, Resource, ResourceWithLabels } from './types.js';
import { merge } from './objects.js';

export interface AssignOptions {
  /** Create the resource on first assignment (vendors that accept arbitrary ids). */
  create?: boolean;
  /** Remove the resource's other labels first. */
  replace?: boolean;
  /** False when the caller does not show the resource's labels: they are not read, and the answer is []. */
  answer?: boolean;
}

const dedupe = <T extends ResourceRef>(list: T[]): T[] => {
  const seen = new Set<string>();
  return list.filter((r) => {
    const k = `${r.type}\u0000${r.externalId}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
};

export function createResources(store: AssignmentStore, now: () => number) {
  return {
    async assign(actor: Actor, resource: ResourceInput, labelIds: number[], opts: AssignOptions = {}): Promise<LabelSummary[]> {
      assertMay(actor, 'assign');
      checkResourceRef(resource.type, resource.externalId);
      const ids = [...new Set(labelIds)];
      return store.assign(actor.workspaceId, resource, ids, { create: opts.create ?? false, replace: opts.replace ?? false, answer: opts.answer ?? true }, auditOf(actor, now()));
    },

    /** One label onto many resources (Jotform's add-resources); returns the refs now carrying it. */
    async attach(actor: Actor, labelId: number, list: ResourceInput[], opts: { create?: boolean } = {}): Promise<ResourceRef[]> {
      assertMay(actor, 'assign');
      for (const r of list) checkResourceRef(r.type, r.externalId);
      return store.attach(actor.workspaceId, labelId, dedupe(list), { create: opts.create ?? false }, auditOf(actor, now()));
    },

    /** One label off many resources; returns the refs it was actually removed from. */
    async detach(actor: Actor, labelId: number, list: ResourceRef[]): Promise<ResourceRef[]> {
      assertMay(actor, 'assign');
      return store.detach(actor.workspaceId, labelId, dedupe(list), auditOf(actor, now()));
    },

    async unassign(actor: Actor, resource: AnyTypeRef, labelIds: number[], opts: { missingOk?: boolean } = {}): Promise<number[]> {
      assertMay(actor, 'assign');
      return store.unassign(actor.workspaceId, resource, [...new Set(labelIds)], auditOf(actor, now()), opts);
    },

    async get(actor: Actor, ref: ResourceRef): Promise<ResourceWithLabels> {
      assertMay(actor, 'read');
      const r = await store.getResource(actor.workspaceId, ref);
      if (!r) throw notFound('resource', ref.externalId);
      return r;
    },

    /** A page of resources with their labels, and the number of all matches. */
    async list(actor: Actor, query: Omit<ResourceQuery, 'omit'>): Promise<{ items: ResourceWithLabels[]; total: number }> {
      assertMay(actor, 'read');
      const { items, total } = await store.listResources(actor.workspaceId, query);
      return { items, total: total ?? items.length };
    },

    /** A page of resources alone: no count of all matches, no labels per item (cheaper). */
    async page(actor: Actor, query: Omit<ResourceQuery, 'omit'>): Promise<Resource[]> {
      assertMay(actor, 'read');
      return (await store.listResources(actor.workspaceId, merge(query, { omit: { total: true, labels: true } }))).items;
    },
  };
}
export type Resources = ReturnType<typeof createResources>;
