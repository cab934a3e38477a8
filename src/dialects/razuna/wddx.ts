// WDDX 1.0 as Open BlueDragon writes it: single-quoted attributes, no XML declaration, no whitespace.
// A hand-written serializer on purpose: the format is tiny and byte-exact (`<char code='0b'/>` elements,
// `'` quoting), which general XML builders do not produce. See test/razuna-format.test.ts for its tests.
// Byte for byte as github.com/OpenBD/openbd-core writes it: src/com/naryx/tagfusion/cfm/engine/
// cfStringData.java (text: only < > & escaped, C0 as <char/>), cfDateData.java (`<dateTime>yyyy-M-dTH:m:s+h:m`,
// nothing padded), cfNumberData.java, cfStructData.java and cfQueryResultData.java (dumpWDDX).
import type { Outcome, Value } from './output.js';

const TEXT_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };
/** Attributes are single-quoted: quotes are escaped there too (OpenBD writes names raw; ours are column names). */
const ATTR_ENTITIES: Record<string, string> = { ...TEXT_ENTITIES, "'": '&apos;', '"': '&quot;' };

/**
 * Escapes element text as OpenBD does: `<`, `>`, `&` as entities (quotes stay as they are, valid XML text);
 * C0 control characters (tab, LF and CR included, so that values survive an XML parser's line-end
 * normalization) become WDDX `<char code='hh'/>` elements; code points XML 1.0 cannot carry at all (lone
 * surrogates, U+FFFE, U+FFFF) become U+FFFD.
 */
export function escapeText(s: string, entities: Record<string, string> = TEXT_ENTITIES): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const entity = entities[ch];
    if (entity !== undefined) out += entity;
    else if (c < 0x20) out += `<char code='${c.toString(16).padStart(2, '0')}'/>`;
    else if ((c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) out += '\ufffd';
    else out += ch;
  }
  return out;
}

/** Escapes an attribute value (column and key names): entities, and no control characters at all. */
export const escapeAttr = (s: string): string => escapeText(s, ATTR_ENTITIES).replace(/<char code='[0-9a-f]{2}'\/>/g, '\ufffd');

/** cfDateData.dumpWDDX in UTC: `2026-12-3T9:5:7+0:0` (the offset is the server zone's, here UTC). */
export function wddxDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${d.getUTCDate()}T${d.getUTCHours()}:${d.getUTCMinutes()}:${d.getUTCSeconds()}+0:0`;
}

const value = (v: Value): string => {
  if (typeof v === 'number') return `<number>${v}</number>`;
  if (typeof v === 'object') return `<dateTime>${wddxDate(v.date)}</dateTime>`;
  return `<string>${escapeText(v)}</string>`;
};

/** The packet in pieces, a run of at most `per` rows of a record set's column at a time. */
export function* wddxPieces(o: Outcome, per: number): Generator<string> {
  const open = "<wddxPacket version='1.0'><header></header><data>";
  const close = '</data></wddxPacket>';
  if (o.kind === 'struct') {
    return yield `${open}<struct>${Object.entries(o.fields).map(([k, v]) => `<var name='${escapeAttr(k)}'>${value(v)}</var>`).join('')}</struct>${close}`;
  }
  yield `${open}<recordset rowCount='${o.rows.length}' fieldNames='${escapeAttr(o.columns.join(','))}'>`;
  for (const [i, c] of o.columns.entries()) {
    yield `<field name='${escapeAttr(c)}'>`;
    for (let r = 0; r < o.rows.length; r += per) yield o.rows.slice(r, r + per).map((row) => value(row[i] ?? '')).join('');
    yield '</field>';
  }
  yield `</recordset>${close}`;
}

export const wddxPacket = (o: Outcome, per = 2000): string => [...wddxPieces(o, per)].join('');
