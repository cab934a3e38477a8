// The nine remote methods of label.cfc. Each one decodes its arguments, calls the core once and encodes
// the answer as the record set or struct the vendor documents (the methods table of openapi/razuna.json and docs/dialects/razuna.md).
import { invalid, notFound } from '../../core/index.js';
import type { Core } from '../../core/index.js';
import type { Actor, Pace } from '../../core/index.js';
import { parseId } from '../types.js';
import * as map from './mapper.js';
import type { Outcome, Value } from './output.js';
import type { Params } from './params.js';

export interface Method {
  /** The declared name, as the engine quotes it in messages. */
  name: string;
  returns: 'recordset' | 'struct';
  /** Declared `required="true"` (api_key aside: a missing key is a failed login, not a missing argument). */
  required: readonly string[];
  /** Members the method's own error structs carry besides responsecode and message (setlabel's label_id). */
  echo?: (p: Params) => Record<string, Value>;
  /**
   * Reads the whole workspace: runs under the heavy-read limit (src/http/heavy.ts), is paced between its pages
   * (`pace`) and answers null when its client has gone meanwhile.
   */
  heavy?: boolean;
  run(core: Core, actor: Actor, p: Params, pace?: Pace): Promise<Outcome | null>;
}

/** Razuna has no paging: getassetoflabel answers at most this many assets. */
export const ASSETS_MAX = 10_000;
export const ASSET_TYPES = ['img', 'vid', 'aud', 'doc', 'folder', 'collection'];

const arg = (p: Params, name: string): string => p.get(name) ?? '';
const tokens = (raw: string): string[] =>
  raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');

/** Ids to read: a token that is not an id matches nothing. One id (getlabel's usual call) is not split. */
const readIds = (raw: string): number[] => {
  if (!raw.includes(',')) {
    const id = parseId(raw.trim());
    return id === null ? [] : [id];
  }
  return tokens(raw).flatMap((t) => parseId(t) ?? []);
};
/** Ids to change: a token that is not an id is a label that does not exist. */
const writeIds = (raw: string): number[] =>
  tokens(raw).map((t) => {
    const id = parseId(t);
    if (id === null) throw notFound('label', t);
    return id;
  });

/** setlabel's label_id: omitted, empty or 0 creates. */
function labelToSet(raw: string): number | null {
  const t = raw.trim();
  if (t === '' || t === '0') return null;
  const id = parseId(t);
  if (id === null) throw notFound('label', t);
  return id;
}

/** label_parent: 0 = top level; omitted (or empty) = top level on create, unchanged on update. */
function parentOf(raw: string | undefined): number | null | undefined {
  const t = raw?.trim() ?? '';
  if (t === '') return undefined;
  if (t === '0') return null;
  const id = parseId(t);
  if (id === null) throw notFound('parent', t);
  return id;
}

function assetType(raw: string): string {
  const t = raw.trim().toLowerCase();
  if (!ASSET_TYPES.includes(t)) throw invalid('asset_type', 'format', `asset_type must be one of ${ASSET_TYPES.join(', ')}`);
  return t;
}

/** CFML booleans: true/false, yes/no, 1/0 (any case); empty = the default. */
function boolArg(raw: string | undefined, name: string, fallback: boolean): boolean {
  const t = raw?.trim().toLowerCase() ?? '';
  if (t === '') return fallback;
  if (['true', 'yes', '1'].includes(t)) return true;
  if (['false', 'no', '0'].includes(t)) return false;
  throw invalid(name, 'format', `${name} must be true or false`);
}

function labelType(raw: string | undefined): map.AssetKind {
  const t = raw?.trim().toLowerCase() || 'assets';
  if (!Object.hasOwn(map.ASSET_KINDS, t)) throw invalid('label_type', 'format', 'label_type must be one of assets, folders, collections');
  return t as map.AssetKind;
}

const list: Method[] = [
  {
    name: 'getall',
    returns: 'recordset',
    heavy: true,
    required: [],
    async run(core, actor, _p, pace) {
      const all = await core.paths.all(actor, pace);
      return all && map.labelList(all);
    },
  },
  {
    name: 'getlabel',
    returns: 'recordset',
    required: ['label_id'],
    run: async (core, actor, p) => map.labels(await core.paths.byIds(actor, readIds(arg(p, 'label_id')))),
  },
  {
    name: 'setlabel',
    returns: 'struct',
    required: ['label_text'],
    echo: (p) => ({ label_id: p.get('label_id')?.trim() || '0' }),
    async run(core, actor, p) {
      const id = labelToSet(arg(p, 'label_id'));
      const parentId = parentOf(p.get('label_parent'));
      const name = arg(p, 'label_text');
      const label =
        id === null
          ? await core.labels.create(actor, { name, parentId: parentId ?? null })
          : await core.labels.update(actor, id, { name, ...(parentId !== undefined && { parentId }) });
      return map.success('Label successfully added or updated', { label_id: String(label.id) });
    },
  },
  {
    name: 'remove',
    returns: 'struct',
    required: ['label_id'],
    async run(core, actor, p) {
      await core.labels.remove(actor, writeIds(arg(p, 'label_id')), { ignoreMissing: true });
      return map.success('Label(s) successfully removed');
    },
  },
  {
    name: 'setassetlabel',
    returns: 'struct',
    required: ['label_id', 'asset_id', 'asset_type'],
    async run(core, actor, p) {
      const resource = { type: assetType(arg(p, 'asset_type')), externalId: arg(p, 'asset_id') };
      const append = boolArg(p.get('append'), 'append', true);
      await core.resources.assign(actor, resource, writeIds(arg(p, 'label_id')), { create: true, replace: !append, answer: false });
      return map.success('Label(s) added to asset successfully');
    },
  },
  {
    name: 'removeassetlabel',
    returns: 'struct',
    required: ['label_id', 'asset_id'],
    async run(core, actor, p) {
      await core.resources.unassign(actor, { externalId: arg(p, 'asset_id') }, writeIds(arg(p, 'label_id')), { missingOk: true });
      return map.success('Label(s) removed from asset successfully');
    },
  },
  {
    name: 'getlabelofasset',
    returns: 'recordset',
    required: ['asset_id', 'asset_type'],
    run: async (core, actor, p) => map.labelsOfAssets(await core.paths.ofResources(actor, tokens(arg(p, 'asset_id')), assetType(arg(p, 'asset_type')))),
  },
  {
    name: 'getassetoflabel',
    returns: 'recordset',
    required: ['label_id'],
    async run(core, actor, p) {
      const kind = labelType(p.get('label_type'));
      const found = await core.paths.resourcesOfLabel(actor, parseId(arg(p, 'label_id').trim()), map.ASSET_KINDS[kind].types, ASSETS_MAX);
      return map.assetsOfLabel(kind, found);
    },
  },
  {
    name: 'searchlabel',
    returns: 'recordset',
    heavy: true,
    required: ['searchfor'],
    async run(core, actor, p, pace) {
      const searchfor = arg(p, 'searchfor');
      const overridden = Number(p.get('overridemax')?.trim() || 0) === 1;
      const found = await core.paths.search(actor, searchfor.trim() === '*' ? null : searchfor, overridden ? undefined : map.SEARCH_CAP, pace);
      return found && map.searchResult(found);
    },
  },
];

/** By lowercase name (CFML method names are case-insensitive); a Map, so `constructor` is just unknown. */
export const METHODS: ReadonlyMap<string, Method> = new Map(list.map((m) => [m.name, m]));
