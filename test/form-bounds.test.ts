// The urlencoded parser's bounds: empty pairs are bounded too, and too many fields are refused while the body
// is still arriving (before the rest of it is read or buffered).
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { countFields, MAX_FIELDS, MAX_SEPARATORS, parseForm } from '../src/http/form-body.js';
import { buildTestApp, createTenant } from './helper.js';

describe('form bounds', () => {
  it('a body of empty pairs is refused past MAX_SEPARATORS `&`, not walked to its end', () => {
    expect(parseForm(Buffer.from('&'.repeat(MAX_SEPARATORS) + 'a=1'))).toEqual({ a: '1' });
    expect(() => parseForm(Buffer.from('&'.repeat(MAX_SEPARATORS + 1) + 'a=1'))).toThrow(expect.objectContaining({ statusCode: 413 }));
  });

  it('bracket names are flat names: nothing nested is built', () => {
    expect(parseForm(Buffer.from('a[b][c][d]=1&a[b]=2'))).toEqual({ 'a[b][c][d]': '1', 'a[b]': '2' });
  });

  it('countFields fails on the first chunk that passes MAX_FIELDS, while the rest has not arrived', async () => {
    const source = new PassThrough();
    const counter = countFields();
    const failed = new Promise<Error>((resolve) => counter.on('error', resolve));
    source.pipe(counter);
    counter.resume();
    source.write(Buffer.from(Array.from({ length: MAX_FIELDS }, (_, i) => `f${i}=1`).join('&')));
    source.write(Buffer.from('&last=1')); // field MAX_FIELDS + 1; the body goes on (never ended here)
    expect(await failed).toMatchObject({ statusCode: 413 });
  });

  it('countFields counts as parseForm does: empty pairs are no fields, split chunks are one field', async () => {
    const counter = countFields();
    const chunks: Buffer[] = [];
    counter.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => counter.on('end', r));
    counter.write(Buffer.from('&&a=1&b'));
    counter.write(Buffer.from('cd=2&&'.repeat(1) + Array.from({ length: MAX_FIELDS - 2 }, (_, i) => `f${i}=1`).join('&')));
    counter.end();
    await ended;
    expect(Buffer.concat(chunks).length).toBeGreaterThan(0);
  });

  it('countFields with JSON text (Jotform) counts nothing', async () => {
    const counter = countFields(true);
    const ended = new Promise((r) => counter.on('end', r));
    counter.resume();
    counter.end(Buffer.from(`  {"name":"${'&x'.repeat(MAX_FIELDS * 2)}"}`));
    await ended;
  });
});

describe('form bounds in the app', () => {
  it('a body refused for its size while the field counter still runs leaves no uncaught error behind', async () => {
    const t = await buildTestApp({ LABELMUX_BODY_LIMIT: '1024' });
    const tenant = await createTenant(t.core);
    const uncaught: unknown[] = [];
    const record = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', record);
    try {
      for (const url of ['/API/label', '/global/api2/label.cfc', '/oauth/token']) {
        // No Content-Length: the size limit is found while the body streams, past it the counter goes on.
        const payload = Readable.from([Buffer.from('a&'.repeat(400)), Buffer.from('a&'.repeat(400)), Buffer.from('a&'.repeat(800))]);
        const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', apikey: tenant.keys.owner }, payload });
        expect(res.statusCode).toBe(413);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
      await t.close();
    }
  });
});
