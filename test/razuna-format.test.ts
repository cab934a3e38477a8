// Razuna output formats against docs/dialects.md (Razuna) and docs/dialects/razuna.md: the vendor's documented sample
// requests answered in every format and compared as WHOLE bodies with fixtures (test/fixtures/razuna/);
// WDDX parsed back with an XML parser and compared value by value with the JSON answer; the escaper's rules.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { escapeAttr, escapeText, wddxPacket } from '../src/dialects/razuna/wddx.js';
import { recordSet, struct } from '../src/dialects/razuna/output.js';
import { decodeWddx, fixture, get, postForm, rowForm, sampleTree, setup, type Ctx, type Params } from './razuna.helpers.js';

let c: Ctx;
const build = async () => {
  c = await setup();
  await sampleTree(c);
};
/** A fresh app and tree for each test (tests that change labels). */
const perTest = () => (beforeEach(build), afterEach(() => c.t.close()));
/** One app, tree and assets for a group of tests that only read (API errors change nothing). */
const perGroup = () => (beforeAll(async () => (await build(), await sampleAssets())), afterAll(() => c.t.close()));

const JSON_TYPE = 'application/json; charset=utf-8';
const JS_TYPE = 'application/javascript; charset=utf-8';
const XML_TYPE = 'text/xml; charset=utf-8';

const key = () => c.a.keys.owner;

/** Registers assets with attributes (admin API use case) and labels them through setassetlabel. */
async function sampleAssets() {
  await c.t.core.admin.upsertResources(c.a.workspaceId, [
    {
      type: 'img', externalId: '129844', name: 'sunset.jpg',
      attributes: { folder_id_r: '12', ext: 'jpg', filename_org: 'IMG_0042.JPG', is_available: 1, link_kind: '', path_to_asset: '12/129844', cloud_url: 'https://cdn.example.com/129844.jpg', size: 2048 },
    },
    { type: 'doc', externalId: '2001', name: 'brief.pdf', attributes: { folder_id_r: 12, ext: 'pdf', filename_org: 'Brief (final).pdf', is_available: true } },
    { type: 'folder', externalId: '12', name: 'Holidays', attributes: { folder_id_r: '3', folder_is_collection: 'f' } },
    { type: 'collection', externalId: '77', name: 'Best of 2012', attributes: { folder_id_r: '12' } },
    { type: 'vid', externalId: '555', name: 'unlabelled.mp4' },
  ]);
  c.t.clock.now += 3_600_000 + 90_000;
  await c.t.core.admin.upsertResources(c.a.workspaceId, [
    {
      type: 'img', externalId: '129844', name: 'sunset.jpg',
      attributes: { folder_id_r: '12', ext: 'jpg', filename_org: 'IMG_0042.JPG', is_available: 1, link_kind: '', path_to_asset: '12/129844', cloud_url: 'https://cdn.example.com/129844.jpg', size: 2048 },
    },
  ]);
  for (const [asset_id, asset_type, label_id] of [['129844', 'img', '108,107'], ['2001', 'doc', '108'], ['12', 'folder', '108'], ['77', 'collection', '108']]) {
    const res = await get(c, { method: 'setassetlabel', api_key: key(), label_id: label_id!, asset_id: asset_id!, asset_type: asset_type! });
    expect(res.body).toBe(fixture('setassetlabel.json'));
  }
}

const FORMATS: Record<string, { params: Params; ext: string; type: string }> = {
  row: { params: {}, ext: 'row.json', type: JSON_TYPE },
  column: { params: { BDQUERYFORMAT: 'column' }, ext: 'column.json', type: JSON_TYPE },
  wddx: { params: { __BDRETURNFORMAT: 'wddx' }, ext: 'wddx.xml', type: XML_TYPE },
};

describe('the vendor sample requests, whole bodies in every format', () => {
  perGroup();

  const reads: [string, Params, string, string[]][] = [
    ['getall', { method: 'getall' }, 'getall', ['row', 'column', 'wddx']],
    ['getlabel 108', { method: 'getlabel', label_id: '108' }, 'getlabel-108', ['row', 'column', 'wddx']],
    ['getlabel 108,109', { method: 'getlabel', label_id: '108,109' }, 'getlabel-108-109', ['row']],
    ['searchlabel pictures', { method: 'searchlabel', searchfor: 'pictures' }, 'searchlabel-pictures', ['row', 'column', 'wddx']],
    ['getlabelofasset 129844', { method: 'getlabelofasset', asset_id: '129844', asset_type: 'img' }, 'getlabelofasset-129844', ['row', 'column', 'wddx']],
    ['getassetoflabel 108', { method: 'getassetoflabel', label_id: '108' }, 'getassetoflabel-108', ['row', 'column', 'wddx']],
  ];
  for (const [title, params, name, formats] of reads) {
    it(`${title}: ${formats.join(', ')}; WDDX round-trips to the ROW answer`, async () => {
      for (const f of formats) {
        const res = await get(c, { ...params, api_key: key(), ...FORMATS[f]!.params });
        expect(res.statusCode, f).toBe(200);
        expect(res.headers['content-type'], f).toBe(FORMATS[f]!.type);
        expect(res.body, `${name}.${FORMATS[f]!.ext}`).toBe(fixture(`${name}.${FORMATS[f]!.ext}`));
      }
      const wddx = await get(c, { ...params, api_key: key(), __BDRETURNFORMAT: 'wddx' });
      const row = await get(c, { ...params, api_key: key() });
      expect(rowForm(decodeWddx(wddx.body))).toEqual(row.json());
    });
  }

  it('getall as JSONP (BDRETURNFORMAT=jsonp&callback=…) and with the jQuery placeholder callback=?', async () => {
    let res = await get(c, { method: 'getall', api_key: key(), BDRETURNFORMAT: 'jsonp', callback: 'jQuery17209_1337' });
    expect(res.headers['content-type']).toBe(JS_TYPE);
    expect(res.body).toBe(fixture('getall.jsonp.js'));
    res = await get(c, { method: 'getlabel', label_id: '108', api_key: key(), __BDRETURNFORMAT: 'jsonp', callback: '?' });
    expect(res.headers['content-type']).toBe(JS_TYPE);
    expect(res.body).toBe(fixture('getlabel-108.jsonp.js'));
  });

  it('getall with __BDJSONCASE=lower, in ROW and COLUMN form', async () => {
    expect((await get(c, { method: 'getall', api_key: key(), __BDJSONCASE: 'lower' })).body).toBe(fixture('getall.row-lower.json'));
    expect((await get(c, { method: 'getall', api_key: key(), __BDJSONCASE: 'lower', __BDQUERYFORMAT: 'column' })).body).toBe(fixture('getall.column-lower.json'));
  });

  it('empty record sets in every form', async () => {
    const params = { method: 'getlabel', label_id: '999', api_key: key() };
    expect((await get(c, params)).body).toBe(fixture('empty-labels.row.json'));
    expect((await get(c, { ...params, __BDQUERYFORMAT: 'column' })).body).toBe(fixture('empty-labels.column.json'));
    const wddx = await get(c, { ...params, __BDRETURNFORMAT: 'wddx' });
    expect(wddx.body).toBe(fixture('empty-labels.wddx.xml'));
    expect(decodeWddx(wddx.body)).toEqual({ columns: ['label_id', 'label_text', 'label_path'], rowCount: 0, rows: [] });
  });
});

describe('output switches', () => {
  perGroup();

  it('both spellings of each switch, any letter case of name and value; __ wins over the bare spelling', async () => {
    const getall = fixture('getall.row.json');
    const cases: [Params, string][] = [
      [{ BDQUERYFORMAT: 'column' }, fixture('getall.column.json')],
      [{ __BDQUERYFORMAT: 'COLUMN' }, fixture('getall.column.json')],
      [{ __bdqueryformat: 'column' }, fixture('getall.column.json')],
      [{ __BDQUERYFORMAT: 'row' }, getall],
      [{ __BDQUERYFORMAT: 'sideways' }, getall],
      [{ __BDRETURNFORMAT: 'json' }, getall],
      [{ __BDRETURNFORMAT: 'JSON' }, getall],
      [{ __BDRETURNFORMAT: '' }, fixture('getall.wddx.xml')], // blank is a value: not JSON, PLAIN…, so WDDX
      [{ __BDRETURNFORMAT: ' json' }, fixture('getall.wddx.xml')], // compared whole, not trimmed
      [{ __BDRETURNFORMAT: '', BDRETURNFORMAT: 'json' }, fixture('getall.wddx.xml')],
      [{ BDRETURNFORMAT: 'wddx' }, fixture('getall.wddx.xml')],
      [{ __BDRETURNFORMAT: 'WDDX' }, fixture('getall.wddx.xml')],
      [{ __BDRETURNFORMAT: 'wddx', BDRETURNFORMAT: 'json' }, fixture('getall.wddx.xml')],
      [{ __BDRETURNFORMAT: 'json', BDRETURNFORMAT: 'wddx' }, getall],
      [{ BDJSONCASE: 'lower' }, fixture('getall.row-lower.json')],
      [{ __BDJSONCASE: 'upper' }, getall.replace(/"label_(id|text|path)"/g, (m) => m.toUpperCase())],
      [{ __BDJSONCASE: 'FALSE' }, getall.replace(/"label_(id|text|path)"/g, (m) => m.toUpperCase())],
      [{ __BDJSONCASE: 'true' }, fixture('getall.row-lower.json')],
      [{ __BDJSONCASE: 'maintain' }, getall],
      [{ __BDJSONCASE: 'sideways' }, getall],
      [{ __BDJSONCASE: 'lower', __BDRETURNFORMAT: 'wddx' }, fixture('getall.wddx.xml')],
    ];
    for (const [switches, body] of cases) {
      expect((await get(c, { method: 'getall', api_key: key(), ...switches })).body, JSON.stringify(switches)).toBe(body);
    }
  });

  it('a repeated switch joins its non-empty values, as the engine builds its URL scope', async () => {
    const res = await c.t.app.inject({ method: 'GET', url: `/global/api2/label.cfc?method=getall&api_key=${key()}&__BDRETURNFORMAT=&__BDRETURNFORMAT=json` });
    expect(res.body).toBe(fixture('getall.row.json'));
    const both = await c.t.app.inject({ method: 'GET', url: `/global/api2/label.cfc?method=getall&api_key=${key()}&__BDRETURNFORMAT=json&__BDRETURNFORMAT=json` });
    expect(both.body).toBe(fixture('getall.wddx.xml')); // "json,json"
  });

  it('an unknown return format falls back to WDDX (the engine fallback)', async () => {
    for (const f of ['xml', 'csv', 'html', '<script>', 'json,json']) {
      const res = await get(c, { method: 'getall', api_key: key(), __BDRETURNFORMAT: f });
      expect(res.headers['content-type'], f).toBe(XML_TYPE);
      expect(res.body, f).toBe(fixture('getall.wddx.xml'));
    }
  });

  it('__BDRETURNFORMAT=plain: a record set or a struct is no simple value, the engine expression error', async () => {
    for (const params of [{ method: 'getall', api_key: key() }, { method: 'setlabel', label_text: 'x', api_key: 'bad' }] as Params[]) {
      const res = await get(c, { ...params, __BDRETURNFORMAT: 'Plain' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(JSON_TYPE);
      expect(res.body).toBe('{"message":"Expression Error","errorcode":"errorCode.expressionError","detail":"Data not supported"}');
    }
    // The answer is an error, so a changing method does not run: nothing is written.
    await get(c, { method: 'setlabel', label_text: 'never written', api_key: key(), __BDRETURNFORMAT: 'plain' });
    expect((await get(c, { method: 'searchlabel', searchfor: 'never written', api_key: key() })).json().DATA).toEqual([]);
  });

  it('__BDJSONCASE shapes struct keys too (OpenBD serializejson); WDDX ignores it', async () => {
    const bad = { method: 'setlabel', label_text: 'x', api_key: 'bad' };
    expect((await get(c, { ...bad, __BDJSONCASE: 'upper' })).body).toBe(fixture('login.struct.json').replace('"responsecode"', '"RESPONSECODE"').replace('"message"', '"MESSAGE"'));
    expect((await get(c, { ...bad, __BDJSONCASE: 'upper', __BDRETURNFORMAT: 'wddx' })).body).toBe(fixture('login.struct.wddx.xml'));
    const column = await get(c, { method: 'getall', api_key: key(), __BDJSONCASE: 'upper', __BDQUERYFORMAT: 'column' });
    expect(Object.keys(column.json())).toEqual(['ROWCOUNT', 'COLUMNS', 'DATA']);
    expect(Object.keys(column.json().DATA)).toEqual(['LABEL_ID', 'LABEL_TEXT', 'LABEL_PATH']);
  });

  it('dates: the day unpadded in JSON (MMMM, d yyyy HH:mm:ss), WDDX <dateTime> with nothing padded', async () => {
    c.t.clock.now = Date.UTC(2026, 11, 3, 9, 5, 7);
    await c.t.core.admin.upsertResources(c.a.workspaceId, [{ type: 'img', externalId: 'd3', name: 'december.jpg' }]);
    await get(c, { method: 'setassetlabel', api_key: key(), label_id: '109', asset_id: 'd3', asset_type: 'img' });
    const json = await get(c, { method: 'getassetoflabel', api_key: key(), label_id: '109' });
    expect(json.json().DATA[0].slice(7, 9)).toEqual(['December, 3 2026 09:05:07', 'December, 3 2026 09:05:07']);
    const wddx = await get(c, { method: 'getassetoflabel', api_key: key(), label_id: '109', __BDRETURNFORMAT: 'wddx' });
    expect(wddx.body).toContain("<field name='date_create'><dateTime>2026-12-3T9:5:7+0:0</dateTime></field>");
  });

  it('callback counts only in the query string (OpenBD reads CALLBACK from the URL scope); METHOD is checked first', async () => {
    const form = await postForm(c, { method: 'getall', api_key: key(), callback: 'cb' }, { __BDRETURNFORMAT: 'jsonp' });
    expect(form.body).toBe(fixture('missing-callback.json'));
    const query = await postForm(c, { method: 'getall', api_key: key() }, { __BDRETURNFORMAT: 'jsonp', callback: 'cb' });
    expect(query.body).toBe(`cb(${fixture('getall.row.json')})`);
    expect((await get(c, { api_key: key(), __BDRETURNFORMAT: 'jsonp' })).body).toBe(fixture('missing-method.json'));
  });

  it('the switches also shape error answers (record-set and struct methods)', async () => {
    expect((await get(c, { method: 'getall', api_key: 'bad', __BDQUERYFORMAT: 'column' })).body).toBe(fixture('login.recordset.column.json'));
    const rs = await get(c, { method: 'getall', api_key: 'bad', __BDRETURNFORMAT: 'wddx' });
    expect(rs.headers['content-type']).toBe(XML_TYPE);
    expect(rs.body).toBe(fixture('login.recordset.wddx.xml'));
    expect(rowForm(decodeWddx(rs.body))).toEqual(JSON.parse(fixture('login.recordset.json')));
    const st = await get(c, { method: 'setlabel', label_text: 'x', api_key: 'bad', __BDRETURNFORMAT: 'wddx' });
    expect(st.body).toBe(fixture('login.struct.wddx.xml'));
    const jsonp = await get(c, { method: 'setlabel', label_text: 'x', api_key: 'bad', __BDRETURNFORMAT: 'jsonp', callback: 'cb' });
    expect(jsonp.headers['content-type']).toBe(JS_TYPE);
    expect(jsonp.body).toBe(`cb(${fixture('login.struct.json')})`);
    const missing = await get(c, { method: 'setlabel', api_key: key(), __BDRETURNFORMAT: 'wddx' });
    expect(missing.body).toBe(fixture('missing-argument.wddx.xml'));
  });

  it('JSONP without a callback is the engine error struct, as JSON', async () => {
    for (const params of [{ BDRETURNFORMAT: 'jsonp' }, { __BDRETURNFORMAT: 'JSONP', callback: '' }] as Params[]) {
      const res = await get(c, { method: 'getall', api_key: key(), ...params });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(JSON_TYPE);
      expect(res.body).toBe(fixture('missing-callback.json'));
    }
  });

  it('the callback must be ? or a JavaScript name; anything else is refused and never echoed', async () => {
    for (const ok of ['cb', '$', '_x', 'jQuery.cb_1', 'a$1', 'Razuna.api.v2']) {
      const res = await get(c, { method: 'getlabel', label_id: '108', api_key: key(), __BDRETURNFORMAT: 'jsonp', callback: ok });
      expect(res.body, ok).toBe(`${ok}(${fixture('getlabel-108.row.json')})`);
    }
    for (const bad of [';alert(1)//', 'alert(1);//', 'cb;alert(1)', 'a b', '1cb', 'a-b', 'cb(1)', '<script>', 'cb\n', '??', 'a/b', 'ä']) {
      const res = await get(c, { method: 'getall', api_key: key(), __BDRETURNFORMAT: 'jsonp', callback: bad });
      expect(res.statusCode, bad).toBe(200);
      expect(res.headers['content-type'], bad).toBe(JSON_TYPE);
      expect(res.body, bad).toBe(fixture('invalid-callback.json'));
    }
  });

  it('POST form: __BDRETURNFORMAT in the body, the query wins on a clash', async () => {
    expect((await postForm(c, { method: 'getall', api_key: key(), __BDRETURNFORMAT: 'wddx' })).body).toBe(fixture('getall.wddx.xml'));
    expect((await postForm(c, { method: 'getall', api_key: key(), __BDRETURNFORMAT: 'wddx' }, { __bdreturnformat: 'json' })).body).toBe(fixture('getall.row.json'));
  });
});

describe('WDDX serializer and inert echoes', () => {
  perGroup();

  it('the escaper: entities, C0 controls, code points XML cannot carry, astral characters kept', () => {
    expect(escapeText(`<a href="x">&'</a>`)).toBe(`&lt;a href="x"&gt;&amp;'&lt;/a&gt;`); // quotes as OpenBD: raw in text
    expect(escapeAttr(`a'b"c<`)).toBe('a&apos;b&quot;c&lt;');
    expect(escapeText('\u000b')).toBe("<char code='0b'/>");
    expect(escapeText('x\u007fy')).toBe('x\u007fy');
    expect(escapeText('\ud800 \uffff \ufffe')).toBe('\ufffd \ufffd \ufffd');
    expect(escapeText('emoji 😀 é')).toBe('emoji 😀 é');
    expect(escapeText('&amp;')).toBe('&amp;amp;');
  });

  it('the serializer: the spec example record set and struct, byte for byte', () => {
    const rs = recordSet(['label_id', 'label_text', 'label_path'], [['17', 'pictures', 'pictures'], ['18', 'color', 'pictures/color']]);
    expect(wddxPacket(rs)).toBe(
      "<wddxPacket version='1.0'><header></header><data><recordset rowCount='2' fieldNames='label_id,label_text,label_path'><field name='label_id'><string>17</string><string>18</string></field><field name='label_text'><string>pictures</string><string>color</string></field><field name='label_path'><string>pictures</string><string>pictures/color</string></field></recordset></data></wddxPacket>",
    );
    expect(wddxPacket(struct({ responsecode: 0, message: '…' }))).toBe(
      "<wddxPacket version='1.0'><header></header><data><struct><var name='responsecode'><number>0</number></var><var name='message'><string>…</string></var></struct></data></wddxPacket>",
    );
  });

  it('an echoed method name with markup and control characters stays inert in every format', async () => {
    const evil = `x'><script>alert(1)</script>\u000b&`;
    const wddx = await get(c, { method: evil, api_key: key(), __BDRETURNFORMAT: 'wddx' });
    expect(wddx.body).not.toContain('<script>');
    const decoded = decodeWddx(wddx.body) as Record<string, unknown>;
    expect(decoded.responsecode).toBe(1);
    expect(decoded.message).toContain(evil);
    const jsonp = await get(c, { method: evil, api_key: key(), __BDRETURNFORMAT: 'jsonp', callback: 'cb' });
    expect(jsonp.body).not.toContain('<script>');
    expect(JSON.parse(jsonp.body.slice(3, -1)).message).toContain(evil);
  });
});

describe('answers of methods that change labels', () => {
  perTest();

  it('setlabel label_text=painting: JSON, JSONP and WDDX structs (numbers unquoted, label_id a string)', async () => {
    const json = await get(c, { method: 'setlabel', api_key: key(), label_text: 'painting' });
    expect(json.headers['content-type']).toBe(JSON_TYPE);
    expect(json.body).toBe(fixture('setlabel-painting.json'));
    await c.t.core.labels.remove((await c.t.core.auth.actorForKey(key(), { earliest: true }, 't'))!, [110]);
    // ids are not reused after a delete, so the next answers are fixtures with the label id swapped in
    const jsonp = await get(c, { method: 'setlabel', api_key: key(), label_text: 'painting', __BDRETURNFORMAT: 'jsonp', callback: 'Razuna.cb_1' });
    expect(jsonp.headers['content-type']).toBe(JS_TYPE);
    expect(jsonp.body).toBe(fixture('setlabel-painting.jsonp.js').replace('"110"', '"111"'));
    const wddx = await get(c, { method: 'setlabel', api_key: key(), label_text: 'painting', label_id: '111', __BDRETURNFORMAT: 'wddx' });
    expect(wddx.headers['content-type']).toBe(XML_TYPE);
    expect(wddx.body).toBe(fixture('setlabel-painting.wddx.xml').replace('>110<', '>111<'));
    expect(decodeWddx(wddx.body)).toEqual({ responsecode: 0, message: 'Label successfully added or updated', label_id: '111' });
  });

  it('remove: JSON and WDDX structs', async () => {
    expect((await get(c, { method: 'remove', api_key: key(), label_id: '109' })).body).toBe(fixture('remove.json'));
    const wddx = await get(c, { method: 'remove', api_key: key(), label_id: '108', __BDRETURNFORMAT: 'wddx' });
    expect(wddx.body).toBe(fixture('remove.wddx.xml'));
    expect(decodeWddx(wddx.body)).toEqual({ responsecode: 0, message: 'Label(s) successfully removed' });
  });

  it('JSONP bodies keep script-breaking characters escaped inside the JSON', async () => {
    await get(c, { method: 'setlabel', api_key: key(), label_text: '</script><b>\u2028x' });
    const res = await get(c, { method: 'searchlabel', searchfor: 'script', api_key: key(), __BDRETURNFORMAT: 'jsonp', callback: 'cb' });
    expect(res.body).toBe('cb({"COLUMNS":["label_id","label_text","label_path"],"DATA":[["110","\\u003c/script>\\u003cb>\\u2028x","\\u003c/script>\\u003cb>\\u2028x"]]})');
    const inner = res.body.slice(3, -1);
    expect(JSON.parse(inner).DATA[0][1]).toBe('</script><b>\u2028x');
  });

  it('label names with < > & are escaped in WDDX (quotes as they are) and parse back unchanged', async () => {
    const name = `Tom & Jerry's <"best"> > 1`;
    const id = JSON.parse((await get(c, { method: 'setlabel', api_key: key(), label_text: name, label_parent: '107' })).body).label_id;
    const res = await get(c, { method: 'getlabel', api_key: key(), label_id: id, __BDRETURNFORMAT: 'wddx' });
    expect(res.body).toContain(`<string>Tom &amp; Jerry's &lt;"best"&gt; &gt; 1</string>`);
    expect(res.body).toContain(`<string>pictures/Tom &amp; Jerry's &lt;"best"&gt; &gt; 1</string>`);
    expect(decodeWddx(res.body)).toEqual({ columns: ['label_id', 'label_text', 'label_path'], rowCount: 1, rows: [[id, name, `pictures/${name}`]] });
  });

  it('control characters become <char code=hh/> and round-trip (asset attributes carry any text)', async () => {
    const odd = 'a\u000bb\tc\nd\re\u0000f\u001f';
    await c.t.core.admin.upsertResources(c.a.workspaceId, [{ type: 'doc', externalId: 'ctl', name: 'x<y', attributes: { filename_org: odd, ext: '&' } }]);
    await get(c, { method: 'setassetlabel', api_key: key(), label_id: '106', asset_id: 'ctl', asset_type: 'doc' });
    const res = await get(c, { method: 'getassetoflabel', api_key: key(), label_id: '106', __BDRETURNFORMAT: 'wddx' });
    expect(res.body).toContain(
      "<field name='filename_org'><string>a<char code='0b'/>b<char code='09'/>c<char code='0a'/>d<char code='0d'/>e<char code='00'/>f<char code='1f'/></string></field>",
    );
    expect(res.body).toContain("<field name='filename'><string>x&lt;y</string></field><field name='folder_id_r'><string></string></field><field name='ext'><string>&amp;</string></field>");
    expect(res.body).not.toMatch(/[\u0000-\u001f]/);
    expect(rowForm(decodeWddx(res.body))).toEqual((await get(c, { method: 'getassetoflabel', api_key: key(), label_id: '106' })).json());
  });
});
