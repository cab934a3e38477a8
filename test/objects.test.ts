// merge() is `{ ...a, ...b }` built without V8's slow path: same keys, order, values and prototype.
import { describe, expect, it } from 'vitest';
import { merge } from '../src/core/objects.js';

describe('merge', () => {
  it('gives what spreading gives: keys of a then b, b winning in a’s position', () => {
    const a = { x: 1, id: 'a', y: 2 };
    const b = { id: 'b', z: 3 };
    const m = merge(a, b);
    expect(m).toEqual({ ...a, ...b });
    expect(Object.keys(m)).toEqual(Object.keys({ ...a, ...b }));
    expect(JSON.stringify(m)).toBe('{"x":1,"id":"b","y":2,"z":3}');
    expect(a).toEqual({ x: 1, id: 'a', y: 2 }); // inputs untouched
  });

  it('keeps a client’s "__proto__" attribute as a plain property, like spread, without touching the prototype', () => {
    const attrs = JSON.parse('{"__proto__": {"polluted": true}, "size": 1}') as Record<string, unknown>;
    const m = merge(attrs, { id: '7' });
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect((m as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(m)).toBe(JSON.stringify({ ...attrs, id: '7' }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('copies own enumerable members only', () => {
    const proto = { inherited: 1 };
    const a = Object.create(proto, { own: { value: 2, enumerable: true }, hidden: { value: 3, enumerable: false } }) as object;
    expect(merge(a, {})).toEqual({ own: 2 });
  });
});
