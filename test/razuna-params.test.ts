// The engine's parameter scope (src/dialects/razuna/params.ts), built once per request: case-insensitive names,
// query over form, repeated names joined as CFML joins them, non-text parts left out.
import { describe, expect, it } from 'vitest';
import { collectParams } from '../src/dialects/razuna/params.js';

const entries = (query: unknown, body?: unknown) => [...collectParams(query, body)];

describe('razuna collectParams', () => {
  it('takes each name once, lowercased, in the order given', () => {
    expect(entries({ method: 'getlabel', API_KEY: '1-abc', label_id: '3' })).toEqual([['method', 'getlabel'], ['api_key', '1-abc'], ['label_id', '3']]);
  });

  it('keeps a lone empty value, and drops empty values from a repeated name', () => {
    expect(entries({ a: '' })).toEqual([['a', '']]);
    expect(entries({ a: ['', 'x'] })).toEqual([['a', 'x']]);
    expect(entries({ a: ['', ''] })).toEqual([['a', '']]);
    expect(entries({ a: [''] })).toEqual([['a', '']]);
  });

  it('joins a name repeated in several letter cases with commas, at its first place', () => {
    expect(entries({ Label_ID: ['1', '2'], method: 'x', LABEL_ID: '3', label_id: ['', '4'] })).toEqual([['label_id', '1,2,3,4'], ['method', 'x']]);
  });

  it('leaves out values that are not text (uploaded files), and names with none', () => {
    expect(entries({ file: { filename: 'a.png' }, list: [{ x: 1 }, 'kept'], none: [{}], n: 5, s: 'y' })).toEqual([['list', 'kept'], ['s', 'y']]);
  });

  it('reads no parameters from a missing body, a buffer or a non-object', () => {
    expect(entries(undefined, undefined)).toEqual([]);
    expect(entries({ a: '1' }, Buffer.from('a=2'))).toEqual([['a', '1']]);
    expect(entries(null, 'a=1')).toEqual([]);
  });

  it('puts the query first: a form field of the same name (any case) is not read; callback only from the query', () => {
    expect(entries({ a: '1' }, { A: '2', b: ['3', '4'], callback: 'f' })).toEqual([['a', '1'], ['b', '3,4']]);
    expect(entries({ callback: 'f' }, { CALLBACK: 'g' })).toEqual([['callback', 'f']]);
  });
});
