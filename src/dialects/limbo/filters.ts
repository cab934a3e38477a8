// Which query parameters each endpoint takes, and the parsed query → core query translation.
import type { ProductQuery, WorkspaceQuery } from '../../core/index.js';
import type { LabelQuery } from '../../core/index.js';
import type { ProductSortField } from '../../core/index.js';
import type { LabelSortField } from '../../core/index.js';
import { charLength } from '../../core/index.js';
import type { FilterParser, ParsedQuery, QuerySpec } from './query.js';

const IDS_MAX = 1000;
const TEXT_MAX = 255;

const text: FilterParser = (raw, name) => {
  if (typeof raw !== 'string') return { ok: false, message: `The filter.${name} field must be a string.` };
  if (charLength(raw) > TEXT_MAX) return { ok: false, message: `The filter.${name} field must not be greater than ${TEXT_MAX} characters.` };
  return { ok: true, value: raw };
};

/** `1,2,3`: label ids, at most IDS_MAX. */
const ids: FilterParser = (raw, name) => {
  if (typeof raw !== 'string' || !/^\s*[1-9]\d{0,15}\s*(,\s*[1-9]\d{0,15}\s*)*$/.test(raw)) {
    return { ok: false, message: `The filter.${name} field must be a comma-separated list of label ids.` };
  }
  const list = [...new Set(raw.split(',').map((s) => Number(s.trim())))];
  if (list.length > IDS_MAX) return { ok: false, message: `The filter.${name} field must not have more than ${IDS_MAX} items.` };
  return list.every(Number.isSafeInteger) ? { ok: true, value: list } : { ok: false, message: `The filter.${name} field must be a comma-separated list of label ids.` };
};

const bool: FilterParser = (raw, name) => {
  const v = typeof raw === 'string' ? raw.toLowerCase() : undefined;
  if (v === 'true' || v === '1') return { ok: true, value: true };
  if (v === 'false' || v === '0') return { ok: true, value: false };
  return { ok: false, message: `The filter.${name} field must be true or false.` };
};

/** filter[products][name] / filter[products][status]. */
const products: FilterParser = (raw, name) => {
  if (typeof raw !== 'object') return { ok: false, message: `The filter.${name} field must be an object with name and/or status.` };
  for (const [k, v] of Object.entries(raw)) {
    const r = text(v, `${name}.${k}`);
    if (!r.ok) return r;
  }
  return { ok: true, value: raw };
};

const LABEL_FIELDS = ['name', 'usage', 'description', 'created-at', 'updated-at', 'company', 'products'];
const FIELDS = { labels: LABEL_FIELDS, companies: ['name'], products: null } as const;

export const LABEL_LIST: QuerySpec = {
  page: true,
  fields: FIELDS,
  filters: { name: text, id: ids, 'label-ids': ids, products, 'has-products': bool, 'has-company': bool },
  nested: { products: ['name', 'status'] },
  sorts: ['name', 'created-at', 'updated-at', 'id'],
  includes: ['company', 'products'],
};
/** One label (GET, and the documents POST/PATCH answer with). */
export const LABEL_ONE: QuerySpec = { includes: ['company', 'products'], fields: FIELDS };
export const NONE: QuerySpec = {};
export const FIELDS_ONLY: QuerySpec = { fields: FIELDS };
export const PRODUCT_LIST: QuerySpec = { page: true, fields: FIELDS, filters: { name: text, status: text }, sorts: ['id', 'name', 'status', 'created-at', 'updated-at'] };
export const LINKAGE_PAGE: QuerySpec = { page: true, sorts: ['id', 'name', 'status', 'created-at', 'updated-at'] };
export const COMPANY_LIST: QuerySpec = { page: true, fields: FIELDS, sorts: ['id', 'name'] };

const snake = <F extends string>(f: string) => f.replace('-', '_') as F;
/** The page's window and sort: a fresh object the builders below add members to (not a spread: see core/objects.ts). */
const window = <F extends string>(q: ParsedQuery, field: (f: string) => F) => ({
  limit: q.page.size,
  offset: (q.page.number - 1) * q.page.size,
  sort: q.sort.map((s) => ({ field: field(s.field), desc: s.desc })),
});

export function labelQuery(q: ParsedQuery): LabelQuery {
  const f = q.filter as { name?: string; id?: number[]; 'label-ids'?: number[]; products?: { name?: string; status?: string }; 'has-products'?: boolean; 'has-company'?: boolean };
  const idSets = [f.id, f['label-ids']].filter((x): x is number[] => x !== undefined);
  const out: LabelQuery = window(q, snake<LabelSortField>);
  if (f.name !== undefined) out.name = f.name;
  if (idSets.length > 0) out.ids = idSets.reduce((a, b) => a.filter((x) => b.includes(x)));
  if (f.products?.name !== undefined) out.productName = f.products.name;
  if (f.products?.status !== undefined) out.productStatus = f.products.status;
  if (f['has-products'] !== undefined) out.hasProducts = f['has-products'];
  if (f['has-company'] !== undefined) out.hasWorkspace = f['has-company'];
  return out;
}

export function productQuery(q: ParsedQuery): ProductQuery {
  const f = q.filter as { name?: string; status?: string };
  const out: ProductQuery = window(q, snake<ProductSortField>);
  if (f.name !== undefined) out.name = f.name;
  if (f.status !== undefined) out.status = f.status;
  return out;
}

export const companyQuery = (q: ParsedQuery): WorkspaceQuery => window(q, (f) => f as 'id' | 'name');
