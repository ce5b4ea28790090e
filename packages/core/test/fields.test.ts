import { describe, expect, it } from 'vitest';
import { Heap, refIndex } from '../src/index.js';

describe('collector fields', () => {
  it('keeps every value of a strided field when the heap grows', () => {
    const heap = new Heap({ initialCapacity: 16 });
    const T = heap.defineType({ name: 'T', baseSize: 16 });
    const plain = heap.createField(Int32Array);
    const wide = heap.createField(Int32Array, 3);
    expect(wide.stride).toBe(3);
    expect(wide.data.length).toBe(3 * plain.data.length);
    const indices: number[] = [];
    for (let k = 0; k < 100; k++) {
      const i = refIndex(heap.alloc(T));
      indices.push(i);
      // Re-read data after allocating: growth replaces it.
      plain.data[i] = k;
      wide.data[3 * i] = k;
      wide.data[3 * i + 1] = -k - 1;
      wide.data[3 * i + 2] = 7 * k;
    }
    expect(wide.data.length).toBe(3 * plain.data.length);
    expect(plain.data.length).toBeGreaterThan(100);
    indices.forEach((i, k) => {
      expect(plain.data[i]).toBe(k);
      expect([wide.data[3 * i], wide.data[3 * i + 1], wide.data[3 * i + 2]]).toEqual([k, -k - 1, 7 * k]);
    });
  });

  it('rejects a stride that is not a positive integer', () => {
    const heap = new Heap();
    expect(() => heap.createField(Int32Array, 0)).toThrow(/stride must be a positive integer, got 0/);
    expect(() => heap.createField(Int32Array, 1.5)).toThrow(RangeError);
  });
});
