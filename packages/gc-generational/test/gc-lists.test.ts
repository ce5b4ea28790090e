import { COLLECTOR_WORDS, R_COLLECTOR, REC_WORDS } from '@heaplab/core';
import { describe, expect, it } from 'vitest';
import { Link } from '../src/gc-lists.js';

describe('the GC lists', () => {
  it('keep their links in the record words core leaves to the collector', () => {
    // gc-lists.ts repeats core's layout as constants the bundle writes into the hot loops.
    expect(Link.STRIDE).toBe(REC_WORDS);
    expect(Link.NEXT).toBe(R_COLLECTOR);
    expect(Link.PREV).toBe(R_COLLECTOR + 1);
    expect(Link.PREV).toBeLessThan(R_COLLECTOR + COLLECTOR_WORDS);
  });
});
