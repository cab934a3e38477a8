// A fixture document (the sandbox's starting state, docs/fixtures.md) checked whole and turned into rows: every
// reference resolved, every name, colour, span and resource passing the rules a dialect's request passes, keys
// and passwords hashed. Nothing is written here; a refused document names the element at fault, as
// `workspaces[0].labels[3].parent: no label "Foo"`.
import { CoreError, isCoreError } from './errors.js';
import type { FixturePlan } from './ports-sandbox.js';
import { checkResourceRef, checkSpan, normalizeColor, normalizeName } from './rules.js';
import { hashPassword, KEY_PATTERN, newUuid, sha256 } from './secrets.js';
import type { LabelExtras, Role } from './types.js';

/** A label named by its name (unique in its workspace) or by its path of names from the top. */
export type LabelRef = string | string[];

export interface FixturesDocument {
  users?: { email: string; name: string; password?: string | undefined; api_keys?: { key: string; name?: string | undefined }[] | undefined }[] | undefined;
  workspaces?: FixtureWorkspace[] | undefined;
}

export interface FixtureWorkspace {
  uuid?: string | undefined;
  name: string;
  members?: { user: string; role: Role }[] | undefined;
  api_keys?: { key: string; user: string; name?: string | undefined }[] | undefined;
  labels?: FixtureLabel[] | undefined;
  resources?: FixtureResource[] | undefined;
}

export interface FixtureLabel {
  name: string;
  parent?: LabelRef | null | undefined;
  color?: string | null | undefined;
  description?: string | undefined;
  /** UTC milliseconds (the admin API's schema turns ISO times into them). */
  starts_at?: number | null | undefined;
  ends_at?: number | null | undefined;
  extras?: LabelExtras | undefined;
}

export interface FixtureResource {
  type: string;
  id: string;
  name?: string | null | undefined;
  status?: string | null | undefined;
  attributes?: Record<string, unknown> | undefined;
  labels?: LabelRef[] | undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A VALIDATION error naming the element at fault by its path in the document. */
export const fixtureError = (path: string, message: string): CoreError => new CoreError('VALIDATION', `${path}: ${message}`, { field: path, rule: 'fixtures' });

/** Runs a core rule on the element at `path`; its refusal is reported at that path. */
function at<T>(path: string, rule: () => T): T {
  try {
    return rule();
  } catch (e) {
    if (isCoreError(e) && e.code === 'VALIDATION') throw fixtureError(path, e.message);
    throw e;
  }
}

/** The plan of a document: ids numbered from 1 in document order, table by table. */
export async function prepareFixtures(doc: FixturesDocument): Promise<FixturePlan> {
  const plan: FixturePlan = { workspaces: [], users: [], members: [], keys: [], labels: [], resources: [], assignments: [] };
  const users = new Map<string, number>();
  const keys = new Set<string>();
  const addKey = (path: string, key: string, userId: number, workspaceId: number | null, name: string | undefined) => {
    if (!KEY_PATTERN.test(key)) throw fixtureError(`${path}.key`, 'key must be 32 lowercase hexadecimal characters');
    if (keys.has(key)) throw fixtureError(`${path}.key`, 'this key appears twice in the document');
    keys.add(key);
    plan.keys.push({ id: plan.keys.length + 1, userId, workspaceId, name: name?.trim() ?? '', keyHash: sha256(key) });
  };

  for (const [i, u] of (doc.users ?? []).entries()) {
    const path = `users[${i}]`;
    const email = u.email.trim();
    if (!EMAIL.test(email) || email.length > 254) throw fixtureError(`${path}.email`, 'email must be an email address');
    if (users.has(email.toLowerCase())) throw fixtureError(`${path}.email`, `${email} appears twice in the document`);
    if (u.password !== undefined && (u.password.length < 8 || u.password.length > 1024)) throw fixtureError(`${path}.password`, 'password must be 8-1024 characters');
    const id = plan.users.length + 1;
    users.set(email.toLowerCase(), id);
    plan.users.push({ id, email, name: at(`${path}.name`, () => normalizeName(u.name)), passwordHash: u.password === undefined ? null : await hashPassword(u.password) });
  }
  for (const [i, u] of (doc.users ?? []).entries()) {
    for (const [k, key] of (u.api_keys ?? []).entries()) addKey(`users[${i}].api_keys[${k}]`, key.key, i + 1, null, key.name);
  }

  const uuids = new Set<string>();
  const userOf = (path: string, email: string): number => {
    const id = users.get(email.trim().toLowerCase());
    if (id === undefined) throw fixtureError(path, `no user "${email}" in users`);
    return id;
  };
  for (const [i, w] of (doc.workspaces ?? []).entries()) {
    const path = `workspaces[${i}]`;
    const id = i + 1;
    const uuid = (w.uuid ?? newUuid()).toLowerCase();
    if (uuids.has(uuid)) throw fixtureError(`${path}.uuid`, `uuid ${uuid} appears twice in the document`);
    uuids.add(uuid);
    plan.workspaces.push({ id, uuid, name: at(`${path}.name`, () => normalizeName(w.name)) });
    const roles = new Map<number, Role>();
    for (const [m, member] of (w.members ?? []).entries()) {
      const userId = userOf(`${path}.members[${m}].user`, member.user);
      if (roles.has(userId)) throw fixtureError(`${path}.members[${m}].user`, `${member.user} is already a member of this workspace`);
      roles.set(userId, member.role);
      plan.members.push({ workspaceId: id, userId, role: member.role });
    }
    for (const [k, key] of (w.api_keys ?? []).entries()) {
      const userId = userOf(`${path}.api_keys[${k}].user`, key.user);
      if (!roles.has(userId)) throw fixtureError(`${path}.api_keys[${k}].user`, `${key.user} is not a member of this workspace (add them to members)`);
      addKey(`${path}.api_keys[${k}]`, key.key, userId, id, key.name);
    }
    addContent(plan, path, id, w);
  }
  return plan;
}

/** The workspace's labels (parents first in the plan) and resources with their assignments. */
function addContent(plan: FixturePlan, path: string, workspaceId: number, w: FixtureWorkspace): void {
  const labels = w.labels ?? [];
  const firstId = plan.labels.length + 1;
  const rows = labels.map((l, i) => {
    const p = `${path}.labels[${i}]`;
    const startsAt = l.starts_at ?? null;
    const endsAt = l.ends_at ?? null;
    at(`${p}.ends_at`, () => checkSpan(startsAt, endsAt));
    return {
      id: firstId + i, workspaceId, parentId: null as number | null, name: at(`${p}.name`, () => normalizeName(l.name)),
      color: l.color == null ? null : at(`${p}.color`, () => normalizeColor(l.color!)), description: l.description ?? '', startsAt, endsAt, extras: l.extras ?? {},
    };
  });
  const tree = new LabelTree(path, rows.map((r, i) => ({ name: r.name, parent: labels[i]!.parent ?? null })));
  const siblings = new Map<string, number>();
  rows.forEach((r, i) => {
    const parent = tree.parentOf(i);
    r.parentId = parent === null ? null : firstId + parent;
    if (r.startsAt !== null) return; // timed labels may share a name (a repeated event)
    const key = `${parent ?? ''}/${fold(r.name)}`;
    const twin = siblings.get(key);
    if (twin !== undefined) throw fixtureError(`${path}.labels[${i}].name`, `labels[${twin}] under the same parent is already named "${r.name}"`);
    siblings.set(key, i);
  });
  for (const i of tree.parentsFirst()) plan.labels.push(rows[i]!);

  const refs = new Set<string>();
  for (const [i, r] of (w.resources ?? []).entries()) {
    const p = `${path}.resources[${i}]`;
    at(`${p}.id`, () => checkResourceRef(r.type, r.id));
    if (refs.has(`${r.type}\u0000${r.id}`)) throw fixtureError(`${p}.id`, `resource ${r.type}/${r.id} appears twice in this workspace`);
    refs.add(`${r.type}\u0000${r.id}`);
    const id = plan.resources.length + 1;
    plan.resources.push({ id, workspaceId, type: r.type, externalId: r.id, name: r.name ?? null, status: r.status ?? null, attributes: r.attributes ?? {} });
    const assigned = new Set<number>();
    for (const [j, ref] of (r.labels ?? []).entries()) {
      const label = tree.find(`${p}.labels[${j}]`, ref);
      if (assigned.has(label)) throw fixtureError(`${p}.labels[${j}]`, `label ${show(ref)} is listed twice`);
      assigned.add(label);
      plan.assignments.push({ labelId: firstId + label, resourceId: id });
    }
  }
}

const fold = (name: string) => name.normalize('NFC').toUpperCase().toLowerCase();
const show = (ref: LabelRef) => (typeof ref === 'string' ? `"${ref}"` : `"${ref.join(' / ')}"`);

/** One workspace's labels: each parent reference resolved once, cycles refused. */
class LabelTree {
  private readonly parents = new Map<number, number | null>();
  private readonly resolving = new Set<number>();
  private readonly byName = new Map<string, number[]>();

  constructor(
    private readonly path: string,
    private readonly labels: { name: string; parent: LabelRef | null }[],
  ) {
    labels.forEach((l, i) => this.byName.set(fold(l.name), [...(this.byName.get(fold(l.name)) ?? []), i]));
  }

  /** The index of label i's parent, or null for a top-level label. */
  parentOf(i: number): number | null {
    if (this.parents.has(i)) return this.parents.get(i)!;
    const p = `${this.path}.labels[${i}].parent`;
    if (this.resolving.has(i)) throw fixtureError(p, `labels[${i}] ("${this.labels[i]!.name}") is its own ancestor`);
    this.resolving.add(i);
    const ref = this.labels[i]!.parent;
    const parent = ref === null ? null : this.find(p, ref);
    // Resolving the ancestors while i is still being resolved finds a cycle back to i.
    if (parent !== null) this.parentOf(parent);
    this.resolving.delete(i);
    this.parents.set(i, parent);
    return parent;
  }

  /** The label a reference names: a name unique in the workspace, or a path of names from the top. */
  find(path: string, ref: LabelRef): number {
    if (typeof ref === 'string') {
      const found = this.byName.get(fold(ref)) ?? [];
      if (found.length === 0) throw fixtureError(path, `no label "${ref}"`);
      if (found.length > 1) throw fixtureError(path, `${found.length} labels are named "${ref}"; name it by its path, e.g. ["Parent", "${ref}"]`);
      return found[0]!;
    }
    let at: number | null = null;
    for (const name of ref) {
      const above: number | null = at;
      const next: number | undefined = (this.byName.get(fold(name)) ?? []).find((c) => this.parentOf(c) === above);
      if (next === undefined) throw fixtureError(path, `no label at path ${show(ref)}`);
      at = next;
    }
    if (at === null) throw fixtureError(path, 'a label path names at least one label');
    return at;
  }

  /** Every label's index, each parent before its children. */
  parentsFirst(): number[] {
    const out: number[] = [];
    const done = new Set<number>();
    const visit = (i: number) => {
      if (done.has(i)) return;
      const parent = this.parentOf(i);
      if (parent !== null) visit(parent);
      done.add(i);
      out.push(i);
    };
    this.labels.forEach((_, i) => visit(i));
    return out;
  }
}
