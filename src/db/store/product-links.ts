// Linking a label to products: which product each requested id stands for, and the three link modes.
import { notFound } from '../../core/errors.js';
import type { LinkMode, ProductChoice } from '../../core/ports-catalog.js';
import type { Audit } from '../../core/types.js';
import { addAssignment, removeAssignment } from './assignment-rules.js';
import type { Db, Q } from './db.js';

/** A product (a resource of type `product`) as the assignment rules take it. */
const product = (id: number, externalId: string) => ({ id, type: 'product', external_id: externalId });

/** Every external id the choices may stand for, once each. */
export const candidateIds = (choices: ProductChoice[]): string[] => [...new Set(choices.flatMap((c) => c.externalIds))];

/**
 * Product choice preference: each choice is its first external id that is a product of the workspace (`found`:
 * external id → resource id), each product once; NOT_FOUND(resource, ref) for the first choice that names none.
 */
export function resolveChoices(choices: ProductChoice[], found: Map<string, number>): { externalId: string; resourceId: number }[] {
  const out = new Map<number, string>();
  for (const c of choices) {
    const externalId = c.externalIds.find((x) => found.has(x));
    if (externalId === undefined) throw notFound('resource', c.ref);
    if (!out.has(found.get(externalId)!)) out.set(found.get(externalId)!, externalId);
  }
  return [...out].map(([resourceId, externalId]) => ({ externalId, resourceId }));
}

/** The workspace's products among these external ids: one (the common case) is a point read. */
async function productsNamed(db: Db, q: Q, ws: number, externalIds: string[]): Promise<Map<string, number>> {
  // Each id looked up by the whole key (a scalar subquery per id), never a walk of the workspace's products.
  const rows =
    externalIds.length === 1
      ? await q.all<{ id: number; external_id: string }>(`SELECT id, external_id FROM resources WHERE workspace_id = ? AND type = 'product' AND external_id = ?`, ws, externalIds[0])
      : (
          await q.all<{ id: number | null; external_id: string }>(
            `SELECT (SELECT r.id FROM resources r WHERE r.workspace_id = ? AND r.type = 'product' AND r.external_id = x.value) AS id, x.value AS external_id
             FROM ${db.sql.listTable('x', 'text')}`,
            ws, db.sql.list(externalIds),
          )
        ).filter((r): r is { id: number; external_id: string } => r.id !== null);
  return new Map(rows.map((r) => [r.external_id, r.id]));
}

/**
 * Link modes: 'add' assigns the chosen products, 'remove' unassigns them, 'replace' makes them the label's
 * only products (its other resources stay). One event per assignment made or undone; nothing else is written.
 */
export async function linkProducts(db: Db, q: Q, ws: number, labelId: number, mode: LinkMode, choices: ProductChoice[], audit: Audit): Promise<void> {
  const products = resolveChoices(choices, await productsNamed(db, q, ws, candidateIds(choices)));
  if (mode === 'replace') {
    const keep = new Set(products.map((x) => x.resourceId));
    const current = await q.all<{ resource_id: number; external_id: string }>(
      `SELECT a.resource_id, r.external_id FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE a.label_id = ? AND a.resource_type = 'product' ORDER BY a.resource_id`,
      labelId,
    );
    for (const c of current) if (!keep.has(c.resource_id)) await removeAssignment(q, ws, labelId, product(c.resource_id, c.external_id), audit);
  }
  const link = mode === 'remove' ? removeAssignment : addAssignment;
  for (const { externalId, resourceId } of products) await link(q, ws, labelId, product(resourceId, externalId), audit);
}
