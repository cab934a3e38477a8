// Request bodies as real clients send them: urlencoded forms in their declared charset (Apache HttpClient's
// ISO-8859-1), multipart text parts with a charset, and the Jotform Python client's JSON text sent under
// urllib's default form Content-Type. Every request is written out byte for byte, headers included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decoderFor, MAX_FIELDS, parseForm } from '../src/http/form-body.js';
import { buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';

let t: TestApp;
let a: Tenant;
beforeAll(async () => {
  t = await buildTestApp();
  a = await createTenant(t.core, 'Forms');
});
afterAll(() => t.close());

const RAZUNA = '/global/api2/label.cfc';
/** The headers Apache HttpClient 4.5 sends with `new UrlEncodedFormEntity(params, ISO_8859_1)`. */
const httpClient = (contentType: string, body: Buffer | string) => ({
  host: 'localhost:8080',
  connection: 'Keep-Alive',
  'user-agent': 'Apache-HttpClient/4.5.14 (Java/17.0.9)',
  'accept-encoding': 'gzip,deflate',
  'content-type': contentType,
  'content-length': String(Buffer.byteLength(body)),
});
const razunaPost = (contentType: string, body: string) =>
  t.app.inject({ method: 'POST', url: RAZUNA, headers: httpClient(contentType, body), payload: body });
const setlabel = (text: string) => `method=setlabel&api_key=${a.keys.owner}&label_text=${text}`;
const names = async () => (await t.core.labels.list((await t.core.auth.actorForKey(a.keys.owner, { earliest: true }, 'test'))!)).map((l) => l.name);

describe('parseForm', () => {
  it('decodes percent-escapes to bytes, then the bytes in the charset; + is a space; repeats make arrays', () => {
    expect(parseForm(Buffer.from('a=Caf%E9&b=x+y&a=2'), 'iso-8859-1')).toEqual({ a: ['Café', '2'], b: 'x y' });
    expect(parseForm(Buffer.from('a=Caf%C3%A9'))).toEqual({ a: 'Café' });
    expect(parseForm(Buffer.from('a=%80'), 'windows-1252')).toEqual({ a: '€' });
    expect(parseForm(Buffer.from('a=%80%9F'), 'cp1252')).toEqual({ a: '€Ÿ' });
    expect(parseForm(Buffer.from('a=%80'), 'iso-8859-1')).toEqual({ a: '\u0080' }); // as Java: byte = code point
    expect(parseForm(Buffer.from('a=%A4'), 'iso-8859-15')).toEqual({ a: '€' });
    expect(parseForm(Buffer.from([0x61, 0x3d, 0xe9]), 'iso-8859-1')).toEqual({ a: 'é' }); // raw (unescaped) bytes too
  });

  it('an invalid UTF-8 sequence is U+FFFD, a broken escape stays literal, never an escape kept as text', () => {
    expect(parseForm(Buffer.from('a=Caf%E9'))).toEqual({ a: 'Caf\ufffd' });
    expect(parseForm(Buffer.from('a=100%&b=%zz&c=%4'))).toEqual({ a: '100%', b: '%zz', c: '%4' });
    expect(parseForm(Buffer.from('&&a&=x&b='))).toEqual({ a: '', '': 'x', b: '' });
  });

  it('UTF-16 labels mean UTF-8; unknown charsets are refused naming them', () => {
    expect(parseForm(Buffer.from('a=%C3%A9'), 'utf-16le')).toEqual({ a: 'é' });
    expect(() => decoderFor('klingon')).toThrow('Unsupported charset "klingon" in Content-Type');
    expect(() => decoderFor('iso-2022-kr')).toThrow('Unsupported charset'); // WHATWG's "replacement" encoding
  });

  it('bounds: more than MAX_FIELDS fields is 413, a name over 1024 characters is 400', () => {
    expect(Object.keys(parseForm(Buffer.from(Array.from({ length: MAX_FIELDS }, (_, i) => `f${i}=1`).join('&'))))).toHaveLength(MAX_FIELDS);
    expect(() => parseForm(Buffer.from(Array.from({ length: MAX_FIELDS + 1 }, (_, i) => `f${i}=1`).join('&')))).toThrow(expect.objectContaining({ statusCode: 413 }));
    expect(() => parseForm(Buffer.from(`${'n'.repeat(1025)}=1`))).toThrow(expect.objectContaining({ statusCode: 400 }));
  });
});

describe('Razuna: Apache HttpClient forms in ISO-8859-1 and windows-1252', () => {
  it('stores Café, not Caf%E9, from a Latin-1 form; windows-1252 and UTF-8 alike', async () => {
    let res = await razunaPost('application/x-www-form-urlencoded; charset=ISO-8859-1', setlabel('Caf%E9+cr%E8me'));
    expect(res.json()).toMatchObject({ responsecode: 0 });
    res = await razunaPost('application/x-www-form-urlencoded; charset=windows-1252', setlabel('%80uro'));
    expect(res.json()).toMatchObject({ responsecode: 0 });
    res = await razunaPost('application/x-www-form-urlencoded; charset="UTF-8"', setlabel('Na%C3%AFve'));
    expect(res.json()).toMatchObject({ responsecode: 0 });
    res = await razunaPost('application/x-www-form-urlencoded', setlabel('Gr%FCn')); // no charset: UTF-8, invalid byte → U+FFFD
    expect(res.json()).toMatchObject({ responsecode: 0 });
    expect(await names()).toEqual(expect.arrayContaining(['Café crème', '€uro', 'Naïve', 'Gr\ufffdn']));
  });

  it('an unknown charset is 415 with the engine error naming it', async () => {
    const res = await razunaPost('application/x-www-form-urlencoded; charset=x-mac-klingon', setlabel('x'));
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ message: 'Unsupported charset "x-mac-klingon" in Content-Type', errorcode: '', detail: '' });
  });

  it('a multipart text part with charset=ISO-8859-1 (HttpClient MultipartEntityBuilder.addTextBody)', async () => {
    const boundary = 'xyZ0GbPxXqMNxWZFhWiWM4pRCVUrkDDm';
    const part = (name: string, value: Buffer) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
        value,
        Buffer.from('\r\n'),
      ]);
    const body = Buffer.concat([
      part('method', Buffer.from('setlabel')),
      part('api_key', Buffer.from(a.keys.owner)),
      part('label_text', Buffer.from('Détente', 'latin1')),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({ method: 'POST', url: RAZUNA, headers: httpClient(`multipart/form-data; boundary=${boundary}`, body), payload: body });
    expect(res.json()).toMatchObject({ responsecode: 0 });
    expect(await names()).toContain('Détente');
  });
});

describe('Jotform: forms in a charset, and the Python client JSON text under the form Content-Type', () => {
  /** What jotform-api-python's fetch_url sends through urllib: header names capitalized, urllib's default type. */
  const python = (method: 'POST' | 'PUT', path: string, body: string) =>
    t.app.inject({
      method,
      url: `/API/v1${path}`,
      headers: {
        'accept-encoding': 'identity',
        host: '127.0.0.1',
        'user-agent': 'JOTFORM_PYTHON_WRAPPER',
        apikey: a.keys.owner,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
        connection: 'close',
      },
      payload: body,
    });

  it('create (the POST helper urlencodes a dict), update, add and remove resources (the PUT helper sends json.dumps text)', async () => {
    // urllib.parse.urlencode({'name': 'Café Python', 'color': '#22c55e'}) (UTF-8)
    const created = await python('POST', '/label', 'name=Caf%C3%A9+Python&color=%2322c55e');
    expect(created.json()).toMatchObject({ responseCode: 200, content: { name: 'Café Python', color: '#22c55e' } });
    const id = created.json().content.id as string;
    // A hand-written urllib POST of json.dumps text (no Content-Type given: urllib adds the form one)
    const json = await python('POST', '/label', '{"name": "Caf\\u00e9 JSON", "parent": "' + id + '"}');
    expect(json.json()).toMatchObject({ responseCode: 200, content: { name: 'Café JSON', parent: id } });
    const updated = await python('PUT', `/label/${id}`, '{"name": "Renamed", "color": "#123456"}');
    expect(updated.json()).toMatchObject({ responseCode: 200, content: { id, name: 'Renamed', color: '#123456' } });
    const resources = '{"resources": [{"id": "232143945675058", "type": "form"}, {"id": "232143945675059", "type": "sheet"}]}';
    const added = await python('PUT', `/label/${id}/add-resources`, resources);
    expect(added.json()).toMatchObject({ responseCode: 200, content: [{ id: '232143945675058', type: 'form' }, { id: '232143945675059', type: 'sheet' }] });
    const removed = await python('PUT', `/label/${id}/remove-resources`, ` \n${resources}`);
    expect(removed.json()).toMatchObject({ responseCode: 200, content: [{ id: '232143945675058', type: 'form' }, { id: '232143945675059', type: 'sheet' }] });
  });

  it('a JSON array text is JSON too (and refused as a body that is not an object); broken JSON text is 400', async () => {
    const list = await python('PUT', '/label/1', '[{"name": "x"}]');
    expect(list.json()).toMatchObject({ responseCode: 400, message: 'body must be an object' });
    const broken = await python('PUT', '/label/1', '{"name": ');
    expect(broken.json()).toMatchObject({ responseCode: 400, message: 'Body is not valid JSON' });
  });

  it('real forms keep working: in ISO-8859-1, and with a value that starts with { once escaped', async () => {
    const latin = await t.app.inject({ method: 'POST', url: '/API/label', headers: { apikey: a.keys.owner, 'content-type': 'application/x-www-form-urlencoded; charset=ISO-8859-1' }, payload: 'name=%C0+la+carte' });
    expect(latin.json()).toMatchObject({ responseCode: 200, content: { name: 'À la carte' } });
    const brace = await t.app.inject({ method: 'POST', url: '/API/label', headers: { apikey: a.keys.owner, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=%7Bbraces%7D' });
    expect(brace.json()).toMatchObject({ responseCode: 200, content: { name: '{braces}' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/API/label', headers: { apikey: a.keys.owner, 'content-type': 'application/x-www-form-urlencoded; charset=ebcdic' }, payload: 'name=x' });
    expect(unknown.statusCode).toBe(415);
    expect(unknown.json()).toMatchObject({ responseCode: 415, message: 'Unsupported charset "ebcdic" in Content-Type', content: '' });
  });
});

describe('limbo /oauth/token: the form in its charset', () => {
  it('a Latin-1 password logs in; an unknown charset is invalid_request naming it', async () => {
    const user = await t.core.admin.createUser({ email: 'latin@example.com', name: 'Latin', password: 'pässwörd' });
    await t.core.admin.setMember(a.workspaceId, user.id, 'owner');
    const form = (contentType: string) =>
      t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': contentType }, payload: 'grant_type=password&email=latin%40example.com&password=p%E4ssw%F6rd' });
    const ok = await form('application/x-www-form-urlencoded; charset=ISO-8859-1');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ token_type: 'Bearer' });
    const bad = await form('application/x-www-form-urlencoded; charset=klingon');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'invalid_request', error_description: 'Unsupported charset "klingon" in Content-Type' });
  });
});
