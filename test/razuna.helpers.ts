// Shared by the Razuna tests: requests in every transport, the vendor's sample tree (label ids 106–109, so the
// seed's sample requests `label_id=108`, `label_parent=107` work as written), and a WDDX decoder built on
// fast-xml-parser (an XML parser, not regexes) that turns a packet back into values.
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { longDate } from '../src/dialects/razuna/output.js';
import { buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';

export const URL_BASE = '/global/api2/label.cfc';

export interface Ctx {
  t: TestApp;
  a: Tenant;
  b: Tenant;
}

export async function setup(): Promise<Ctx> {
  const t = await buildTestApp();
  const a = await createTenant(t.core, 'Acme');
  const b = await createTenant(t.core, 'Beta');
  return { t, a, b };
}

export type Params = Record<string, string>;

/** GET with everything in the query string (the vendor's sample requests). */
export const get = (c: Ctx, params: Params) => c.t.app.inject({ method: 'GET', url: `${URL_BASE}?${new URLSearchParams(params)}` });

/** POST with `body` as application/x-www-form-urlencoded and `query` in the URL. */
export const postForm = (c: Ctx, body: Params, query: Params = {}) =>
  c.t.app.inject({
    method: 'POST',
    url: `${URL_BASE}?${new URLSearchParams(query)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(body).toString(),
  });

/** POST with `body` as multipart/form-data. */
export function postMultipart(c: Ctx, body: Params, query: Params = {}, file?: { name: string; content: string }) {
  const boundary = '----razunaTestBoundary7MA4YWxkTrZu0gW';
  const parts = Object.entries(body).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  if (file) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\n${file.content}\r\n`);
  return c.t.app.inject({
    method: 'POST',
    url: `${URL_BASE}?${new URLSearchParams(query)}`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `${parts.join('')}--${boundary}--\r\n`,
  });
}

/**
 * The vendor's sample tree in workspace A, built through the Jotform dialect (`POST /API/label` with `parent`):
 * 106 documents, 107 pictures, 108 pictures/color, 109 pictures/color/landscape. Workspace B first gets
 * 105 labels of its own, which must never show up in A.
 */
export async function sampleTree(c: Ctx): Promise<void> {
  const bOwner = (await c.t.core.auth.actorForKey(c.b.keys.owner, { earliest: true }, 'test'))!;
  for (let i = 1; i <= 105; i++) await c.t.core.labels.create(bOwner, { name: `b${i}` });
  const jot = async (name: string, parent?: string) => {
    const res = await c.t.app.inject({
      method: 'POST',
      url: '/API/label',
      headers: { apikey: c.a.keys.owner, 'content-type': 'application/json' },
      payload: JSON.stringify(parent ? { name, parent } : { name }),
    });
    return res.json().content.id as string;
  };
  const ids = [await jot('documents'), await jot('pictures')];
  ids.push(await jot('color', ids[1]));
  ids.push(await jot('landscape', ids[2]));
  if (ids.join() !== '106,107,108,109') throw new Error(`unexpected sample ids ${ids.join()}`);
}

export const fixture = (name: string): string => readFileSync(new URL(`./fixtures/razuna/${name}`, import.meta.url), 'utf8').replace(/\n$/, '');

// ---- WDDX back to values ------------------------------------------------------------------------------

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: false });

const tagOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;
const kids = (n: Node) => n[tagOf(n)] as Node[];

export type WddxValue = string | number | { [k: string]: WddxValue } | { columns: string[]; rowCount: number; rows: WddxValue[][] };

function value(n: Node): WddxValue {
  const tag = tagOf(n);
  switch (tag) {
    case 'string':
      return kids(n)
        .map((k) => ('#text' in k ? String(k['#text']) : String.fromCharCode(parseInt(k[':@']!.code!, 16))))
        .join('');
    case 'number':
      return Number((kids(n)[0] as Node)['#text']);
    case 'dateTime': {
      // OpenBD's `yyyy-M-dTH:m:s+h:m`, nothing padded; as the JSON long form, to compare with a JSON answer.
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})\+0:0$/.exec(String((kids(n)[0] as Node)['#text']));
      if (!m) throw new Error('a dateTime not in UTC');
      return longDate(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
    }
    case 'struct':
      return Object.fromEntries(kids(n).map((v) => [v[':@']!.name!, value(kids(v)[0]!)]));
    case 'recordset': {
      const columns = n[':@']!.fieldNames!.split(',');
      const fields = kids(n).map((f) => ({ name: f[':@']!.name!, values: kids(f).map(value) }));
      if (fields.map((f) => f.name).join() !== columns.join()) throw new Error('fieldNames do not match the fields');
      const rowCount = Number(n[':@']!.rowCount);
      const rows = Array.from({ length: rowCount }, (_, i) => fields.map((f) => f.values[i]!));
      return { columns, rowCount, rows };
    }
    default:
      throw new Error(`unexpected WDDX element <${tag}>`);
  }
}

/** Validates the packet as XML, checks the envelope, and decodes the one value inside `<data>`. */
export function decodeWddx(xml: string): WddxValue {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid)}`);
  const [packet, ...rest] = parser.parse(xml) as Node[];
  if (!packet || rest.length > 0 || tagOf(packet) !== 'wddxPacket' || packet[':@']?.version !== '1.0') throw new Error('not a WDDX 1.0 packet');
  const [header, data] = kids(packet);
  if (tagOf(header!) !== 'header' || tagOf(data!) !== 'data' || kids(data!).length !== 1) throw new Error('bad packet layout');
  return value(kids(data!)[0]!);
}

/** A record set as the JSON ROW form would give it, for comparing a WDDX answer with a JSON one. */
export const rowForm = (v: WddxValue) => {
  const rs = v as { columns: string[]; rows: WddxValue[][] };
  return { COLUMNS: rs.columns, DATA: rs.rows };
};
