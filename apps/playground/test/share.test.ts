import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, SHARE_LIMIT } from '../src/share.js';

const known = ['refcount', 'marksweep', 'generational', 'none'];
const hashOf = (data: unknown): string =>
  `#s=${Buffer.from(JSON.stringify(data), 'utf8').toString('base64url')}`;

describe('share links', () => {
  it('round-trips any program, collectors and speed', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.subarray(known, { maxLength: 3 }),
        fc.integer({ min: 1, max: 10 }),
        (source, collectors, speed) => {
          const hash = encodeShare({ source, collectors, speed });
          expect(hash).not.toBeNull();
          expect(decodeShare(`#${hash}`, known)).toEqual({ source, collectors, speed });
        },
      ),
    );
  });

  it('refuses programs too long for a link', () => {
    expect(encodeShare({ source: 'x'.repeat(SHARE_LIMIT), collectors: [], speed: 4 })).toBeNull();
    expect(decodeShare(`#s=${'A'.repeat(SHARE_LIMIT)}`, known)).toBeNull();
  });

  it('reads links as data only: malformed or foreign content gives nothing or is dropped', () => {
    expect(decodeShare('#s=%%%', known)).toBeNull();
    expect(decodeShare('#x=abc', known)).toBeNull();
    expect(decodeShare(hashOf({ v: 2, s: 'x', c: [] }), known)).toBeNull();
    expect(decodeShare(hashOf({ v: 1, s: 42, c: [] }), known)).toBeNull();
    expect(decodeShare(hashOf([1, 2]), known)).toBeNull();
    const odd = decodeShare(
      hashOf({
        v: 1,
        s: 'print(1)',
        c: ['refcount', 'evil()', 7, 'none', 'marksweep', 'generational'],
        sp: 4.5,
      }),
      known,
    );
    expect(odd).toEqual({ source: 'print(1)', collectors: ['refcount', 'none', 'marksweep'], speed: 4 });
    const proto = decodeShare(hashOf({ v: 1, s: '', c: ['__proto__', 'constructor'], sp: 3 }), known);
    expect(proto).toEqual({ source: '', collectors: [], speed: 3 });
  });
});
