// Use cases for timed labels (labels with a time span) filed under top-level category labels, created under
// per-request and daily limits that the dialect names. Permission check, domain rules, then one store call.
import { CoreError, invalid } from './errors.js';
import { auditOf } from './labels.js';
import type { CategoryDisposal, DailyCounter, NewTimedLabel, TimedLabelCondition, TimedLabelField, TimedLabelPatch, TimedLabelStore } from './ports-timed-labels.js';
import { utcDay } from './quota.js';
import { assertMay, checkSpan, normalizeName } from './rules.js';
import type { Actor } from './types.js';

export interface TimedLabelInput {
  name: string;
  description?: string;
  /** A top-level label's name, matched ignoring case (the stored spelling wins), created if missing; '' = top level. */
  category?: string;
  startsAt: number;
  /** Omitted = a point event (ends when it starts). */
  endsAt?: number;
}

export type TimedLabelEdit = Partial<TimedLabelInput>;

/** A daily limit on created timed labels, per UTC day. */
export interface DailyLimit {
  /** Reported as LIMIT_EXCEEDED details.rule, and in its message ("… for this <rule> reached"). */
  rule: string;
  /** Counted per API key (a user without one: per user), across every workspace the key reaches; or per workspace. */
  per: 'key' | 'workspace';
  /** The counter's scope in the store's `counters` table, one per dialect and limit. */
  scope: string;
  limit: number;
}

export interface CreationLimits {
  perRequest: number;
  /** Consumed in this order: the first one passed is the one reported. */
  daily: DailyLimit[];
}

const TEXT_FIELDS: ReadonlySet<TimedLabelField> = new Set(['name', 'description', 'category']);

/** '' (after trimming) = no category; anything else must be a valid label name. */
const categoryOf = (raw: string | undefined): string | null | undefined => {
  if (raw === undefined) return undefined;
  return raw.trim() === '' ? null : normalizeName(raw);
};

function checkCondition(c: TimedLabelCondition): void {
  if (c.op === 'present') return;
  const values = 'values' in c ? c.values : [c.value];
  const type = TEXT_FIELDS.has(c.field) ? 'string' : 'number';
  if (values.some((v) => typeof v !== type)) throw invalid(`filter.${c.field}`, 'type', `filter on ${c.field} needs ${type} values`);
}

/**
 * Checked by the stores once the category is found: a target resolves like a category, ignoring case, so a
 * target that differs from the stored name only in case is the category itself and renames it (the way to
 * fix its case); the stored name exactly would change nothing.
 */
export function checkMoveTarget(source: { name: string }, moveTo: string): void {
  if (moveTo === source.name) throw invalid('move_to', 'same', 'move_to must differ from category');
}

/**
 * The counter a daily limit consumes for this actor. Subjects say what they count (`ws:`, `key:`, `user:`, as
 * Jotform's quota and the rate limit name keys), so deleting a workspace finds its counters whatever their scope.
 */
const counterOf = (actor: Actor, d: DailyLimit): DailyCounter => ({
  rule: d.rule,
  scope: d.scope,
  subject: d.per === 'workspace' ? `ws:${actor.workspaceId}` : actor.apiKeyId === null ? `user:${actor.userId}` : `key:${actor.apiKeyId}`,
  limit: d.limit,
});

export function createTimedLabels(store: TimedLabelStore, now: () => number) {
  return {
    async list(actor: Actor, conditions: TimedLabelCondition[] = []) {
      assertMay(actor, 'read');
      conditions.forEach(checkCondition);
      return await store.listTimedLabels(actor.workspaceId, conditions); // awaited: fewer microtask turns than returning the promise
    },

    async categories(actor: Actor): Promise<string[]> {
      assertMay(actor, 'read');
      return store.listCategories(actor.workspaceId);
    },

    /** Creates all or nothing, in request order; only these labels count toward the limits (not auto-created categories). */
    async create(actor: Actor, items: TimedLabelInput[], limits: CreationLimits) {
      assertMay(actor, 'create');
      if (items.length === 0) throw invalid('labels', 'required', 'at least one label is required');
      if (items.length > limits.perRequest) {
        throw new CoreError('LIMIT_EXCEEDED', `at most ${limits.perRequest} labels may be created in one request`, { rule: 'request', limit: limits.perRequest });
      }
      const labels: NewTimedLabel[] = items.map((i) => {
        const endsAt = i.endsAt ?? i.startsAt;
        checkSpan(i.startsAt, endsAt);
        return { name: normalizeName(i.name), description: i.description ?? '', category: categoryOf(i.category) ?? null, startsAt: i.startsAt, endsAt };
      });
      const at = now();
      const quota = { day: utcDay(at), counters: limits.daily.map((d) => counterOf(actor, d)) };
      return store.createTimedLabels(actor.workspaceId, labels, quota, auditOf(actor, at), actor.userId);
    },

    /** Replaces the fields given. New dates need `startsAt`; `startsAt` alone makes a point event. */
    async edit(actor: Actor, id: number, input: TimedLabelEdit) {
      assertMay(actor, 'update');
      if (input.endsAt !== undefined && input.startsAt === undefined) throw invalid('ends_at', 'requires_start', 'ends_at needs starts_at');
      const patch: TimedLabelPatch = {};
      if (input.name !== undefined) patch.name = normalizeName(input.name);
      if (input.description !== undefined) patch.description = input.description;
      const category = categoryOf(input.category);
      if (category !== undefined) patch.category = category;
      if (input.startsAt !== undefined) {
        patch.startsAt = input.startsAt;
        patch.endsAt = input.endsAt ?? input.startsAt;
        checkSpan(patch.startsAt, patch.endsAt);
      }
      return store.updateTimedLabel(actor.workspaceId, id, patch, auditOf(actor, now()), actor.userId);
    },

    /**
     * Deletes a category with its labels, or moves them to `moveTo` first ('' = top level; a missing target =
     * rename). Names match ignoring case; returns the deleted category's stored name.
     */
    async deleteCategory(actor: Actor, name: string, moveTo?: string): Promise<string> {
      assertMay(actor, 'delete');
      const source = categoryOf(name);
      if (!source) throw invalid('category', 'required', 'category is required');
      const disposal: CategoryDisposal = moveTo === undefined ? { deleteLabels: true } : { moveTo: categoryOf(moveTo) ?? null };
      return store.deleteCategory(actor.workspaceId, source, disposal, auditOf(actor, now()));
    },
  };
}
export type TimedLabels = ReturnType<typeof createTimedLabels>;
