// Use cases for the devtodev dialect: timed labels ("annotations") filed under top-level category labels,
// created under per-request and daily limits. Permission check, domain rules, then one store call.
import { CoreError, invalid } from './errors.js';
import { auditOf } from './labels.js';
import type { AnnotationCondition, AnnotationField, AnnotationPatch, AnnotationStore, CategoryDisposal, NewAnnotation } from './ports-annotations.js';
import { utcDay } from './quota.js';
import { assertMay, checkSpan, normalizeName } from './rules.js';
import type { Actor } from './types.js';

export interface AnnotationInput {
  name: string;
  description?: string;
  /** A top-level label's name, matched ignoring case (the stored spelling wins), created if missing; '' = top level. */
  category?: string;
  startsAt: number;
  /** Omitted = a point event (ends when it starts). */
  endsAt?: number;
}

export type AnnotationEdit = Partial<AnnotationInput>;

export interface CreationLimits {
  perRequest: number;
  /** Per API key and UTC day, across every workspace the key reaches. */
  tokenPerDay: number;
  /** Per workspace and UTC day. */
  appPerDay: number;
}

/** Counter scopes in the `counters` table. */
export const ANNOTATION_SCOPES = { token: 'devtodev-token', app: 'devtodev-app' } as const;

const TEXT_FIELDS: ReadonlySet<AnnotationField> = new Set(['name', 'description', 'category']);

/** '' (after trimming) = no category; anything else must be a valid label name. */
const categoryOf = (raw: string | undefined): string | null | undefined => {
  if (raw === undefined) return undefined;
  return raw.trim() === '' ? null : normalizeName(raw);
};

function checkCondition(c: AnnotationCondition): void {
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
  if (moveTo === source.name) throw invalid('move_labels_to_category', 'same', 'move_labels_to_category must differ from category');
}

export function createAnnotations(store: AnnotationStore, now: () => number) {
  return {
    async list(actor: Actor, conditions: AnnotationCondition[] = []) {
      assertMay(actor, 'read');
      conditions.forEach(checkCondition);
      return store.listAnnotations(actor.workspaceId, conditions);
    },

    async categories(actor: Actor): Promise<string[]> {
      assertMay(actor, 'read');
      return store.listCategories(actor.workspaceId);
    },

    /** Creates all or nothing, in request order; only these labels count toward the limits (not auto-created categories). */
    async create(actor: Actor, items: AnnotationInput[], limits: CreationLimits) {
      assertMay(actor, 'create');
      if (items.length === 0) throw invalid('labels', 'required', 'at least one label is required');
      if (items.length > limits.perRequest) {
        throw new CoreError('LIMIT_EXCEEDED', `at most ${limits.perRequest} labels may be created in one request`, { rule: 'request', limit: limits.perRequest });
      }
      const labels: NewAnnotation[] = items.map((i) => {
        const endsAt = i.endsAt ?? i.startsAt;
        checkSpan(i.startsAt, endsAt);
        return { name: normalizeName(i.name), description: i.description ?? '', category: categoryOf(i.category) ?? null, startsAt: i.startsAt, endsAt };
      });
      const at = now();
      const quota = {
        day: utcDay(at),
        counters: [
          { rule: 'token', scope: ANNOTATION_SCOPES.token, subject: actor.apiKeyId === null ? `user:${actor.userId}` : String(actor.apiKeyId), limit: limits.tokenPerDay },
          { rule: 'app', scope: ANNOTATION_SCOPES.app, subject: String(actor.workspaceId), limit: limits.appPerDay },
        ],
      };
      return store.createAnnotations(actor.workspaceId, labels, quota, auditOf(actor, at), actor.userId);
    },

    /** Replaces the fields given. New dates need `startsAt`; `startsAt` alone makes a point event. */
    async edit(actor: Actor, id: number, input: AnnotationEdit) {
      assertMay(actor, 'update');
      if (input.endsAt !== undefined && input.startsAt === undefined) throw invalid('ends_at', 'requires_start', 'ends_at needs starts_at');
      const patch: AnnotationPatch = {};
      if (input.name !== undefined) patch.name = normalizeName(input.name);
      if (input.description !== undefined) patch.description = input.description;
      const category = categoryOf(input.category);
      if (category !== undefined) patch.category = category;
      if (input.startsAt !== undefined) {
        patch.startsAt = input.startsAt;
        patch.endsAt = input.endsAt ?? input.startsAt;
        checkSpan(patch.startsAt, patch.endsAt);
      }
      return store.updateAnnotation(actor.workspaceId, id, patch, auditOf(actor, now()), actor.userId);
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
export type Annotations = ReturnType<typeof createAnnotations>;
