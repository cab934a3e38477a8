// Core objects → Razuna record sets and structs: ids as strings in record sets, dates as date cells (the
// engine renders them: "April, 23 2012 19:12:55" in JSON, UTC), asset columns from the resource and its attributes.
import type { LabelPath, LabelPathList, ResourceLabels } from '../../core/index.js';
import type { Resource } from '../../core/index.js';
import { recordSet, struct, type Outcome, type RecordSet, type Rows, type Value } from './output.js';

export const LABEL_COLUMNS = ['label_id', 'label_text', 'label_path'] as const;

const labelRow = (l: LabelPath): Value[] => [String(l.id), l.name, l.path];
export const labels = (list: LabelPath[]): RecordSet => recordSet(LABEL_COLUMNS, list.map(labelRow));
/** A whole workspace's record set (getall, searchlabel): its rows are made a run at a time as they are written. */
export const labelList = (list: LabelPathList): RecordSet<Rows> =>
  recordSet(LABEL_COLUMNS, { length: list.length, slice: (start: number, end: number) => list.slice(start, end).map(labelRow) });

export const labelsOfAssets = (list: ResourceLabels[]): RecordSet =>
  recordSet(
    [...LABEL_COLUMNS, 'assetid'],
    list.flatMap((r) => r.labels.map((l) => [String(l.id), l.name, l.path, r.externalId])),
  );

/** An attribute as a record-set cell: scalars as text, structures as JSON, missing as "". */
const cell = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
};
const attr = (r: Resource, name: string) => cell(Object.hasOwn(r.attributes, name) ? r.attributes[name] : undefined);

type Column = (r: Resource) => Value;
const fromAttr = (name: string): [string, Column] => [name, (r) => attr(r, name)];

/** `label_type` → the resource types it covers and the columns Razuna answers for them. */
export const ASSET_KINDS = {
  assets: {
    types: ['img', 'vid', 'aud', 'doc'],
    columns: [
      ['id', (r) => r.externalId],
      ['filename', (r) => r.name ?? ''],
      fromAttr('folder_id_r'),
      fromAttr('ext'),
      fromAttr('filename_org'),
      ['kind', (r) => r.type],
      fromAttr('is_available'),
      ['date_create', (r) => ({ date: r.createdAt })],
      ['date_change', (r) => ({ date: r.updatedAt })],
      fromAttr('link_kind'),
      fromAttr('link_path_url'),
      fromAttr('path_to_asset'),
      fromAttr('cloud_url'),
    ],
  },
  folders: {
    types: ['folder'],
    columns: [['folder_id', (r) => r.externalId], ['folder_name', (r) => r.name ?? ''], fromAttr('folder_id_r'), fromAttr('folder_is_collection')],
  },
  collections: {
    types: ['collection'],
    columns: [['col_id', (r) => r.externalId], fromAttr('folder_id_r'), ['col_name', (r) => r.name ?? '']],
  },
} satisfies Record<string, { types: string[]; columns: [string, Column][] }>;
export type AssetKind = keyof typeof ASSET_KINDS;

export function assetsOfLabel(kind: AssetKind, list: Resource[]): RecordSet {
  const { columns } = ASSET_KINDS[kind];
  return recordSet(
    columns.map(([name]) => name),
    list.map((r) => columns.map(([, get]) => get(r))),
  );
}

export const SEARCH_CAP = 1000;

/** Over the cap (and not overridden) the engine answers a struct telling how many records there were. */
export function searchResult(found: LabelPathList): Outcome {
  if (found.total <= found.length) return labelList(found);
  return failure(
    `The search returned more than a ${SEARCH_CAP} records: ${found.total} records. If you still wish to continue please use the 'overridemax' parameter. Doing so may take up server resources so please do it at own risk.`,
  );
}

export const success = (message: string, extra: Record<string, Value> = {}) => struct({ responsecode: 0, message, ...extra });
export const failure = (message: string, extra: Record<string, Value> = {}) => struct({ responsecode: 1, message, ...extra });

/** An API error in a record-set method's shape: one row, responsecode as the string "1". */
export const failureRows = (message: string) => recordSet(['responsecode', 'message'], [['1', message]]);

/** The engine's own error struct (missing argument, missing method, JSONP without callback). */
export const engineError = (message: string) => struct({ message, errorcode: '', detail: '' });
