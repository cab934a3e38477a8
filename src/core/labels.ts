// Label use cases: permission check, domain rules, then one store call.
import { invalid, notFound } from './errors.js';
import type { DeleteOptions, LabelPageStore, LabelPatch, LabelStore, NameScope, NewLabel } from './ports.js';
import { assertMay, checkSpan, DEFAULT_COLOR, normalizeColor, normalizeName } from './rules.js';
import type { Actor, Audit, Label, LabelExtras, LabelListing } from './types.js';

export interface LabelInput {
  name: string;
  color?: string | null;
  parentId?: number | null;
  description?: string;
  startsAt?: number | null;
  endsAt?: number | null;
  extras?: LabelExtras;
}

export interface WriteOptions {
  /** Livestorm keeps names unique across the whole workspace; the other dialects among siblings. */
  nameScope?: NameScope;
}

export const auditOf = (actor: Actor, at: number): Audit => ({ actorUserId: actor.userId, apiKeyId: actor.apiKeyId, dialect: actor.dialect, at });

function normalizePatch(input: Partial<LabelInput>): LabelPatch {
  const patch: LabelPatch = {};
  if (input.name !== undefined) patch.name = normalizeName(input.name);
  // No color (null) is the default color: a label never stores null, so every dialect shows the same.
  if (input.color !== undefined) patch.color = input.color === null ? DEFAULT_COLOR : normalizeColor(input.color);
  if (input.parentId !== undefined) patch.parentId = input.parentId;
  if (input.description !== undefined) patch.description = input.description;
  if (input.startsAt !== undefined) patch.startsAt = input.startsAt;
  if (input.endsAt !== undefined) patch.endsAt = input.endsAt;
  if (input.extras !== undefined) patch.extras = input.extras;
  return patch;
}

export function createLabels(store: LabelStore & LabelPageStore, now: () => number) {
  return {
    async list(actor: Actor): Promise<Label[]> {
      assertMay(actor, 'read');
      return store.listLabels(actor.workspaceId);
    },

    /** list() in pages, for answers written as they are read; the permission is checked here, at once. */
    pages(actor: Actor): AsyncIterable<Label[]> {
      assertMay(actor, 'read');
      return store.labelPages(actor.workspaceId);
    },

    /** pages() with only what a label list shows of each label. */
    listingPages(actor: Actor): AsyncIterable<LabelListing[]> {
      assertMay(actor, 'read');
      return store.labelListingPages(actor.workspaceId);
    },

    async get(actor: Actor, id: number): Promise<Label> {
      assertMay(actor, 'read');
      const label = await store.getLabel(actor.workspaceId, id);
      if (!label) throw notFound('label', id);
      return label;
    },

    async create(actor: Actor, input: LabelInput, opts: WriteOptions = {}): Promise<Label> {
      assertMay(actor, 'create');
      const p = normalizePatch(input);
      const label: NewLabel = {
        name: p.name ?? normalizeName(input.name),
        color: p.color ?? DEFAULT_COLOR,
        parentId: p.parentId ?? null,
        description: p.description ?? '',
        startsAt: p.startsAt ?? null,
        endsAt: p.endsAt ?? null,
        extras: p.extras ?? {},
      };
      checkSpan(label.startsAt, label.endsAt);
      return store.createLabel(actor.workspaceId, label, opts.nameScope ?? 'siblings', auditOf(actor, now()), actor.userId);
    },

    async update(actor: Actor, id: number, input: Partial<LabelInput>, opts: WriteOptions = {}): Promise<Label> {
      assertMay(actor, 'update');
      const patch = normalizePatch(input);
      if (patch.parentId === id) throw invalid('parent_id', 'self', 'a label cannot be its own parent');
      return store.updateLabel(actor.workspaceId, id, patch, opts.nameScope ?? 'siblings', auditOf(actor, now()));
    },

    /** Deletes labels with their subtrees and assignments, all or nothing. */
    async remove(actor: Actor, ids: number[], opts: DeleteOptions = {}): Promise<number[]> {
      assertMay(actor, 'delete');
      if (ids.length === 0) throw invalid('ids', 'required', 'at least one label id is required');
      return store.deleteLabels(actor.workspaceId, [...new Set(ids)], auditOf(actor, now()), opts);
    },
  };
}
export type Labels = ReturnType<typeof createLabels>;
