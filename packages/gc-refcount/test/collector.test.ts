import { CollectorRegistry, Heap, HeapError } from '@heaplab/core';
import { describe, expect, it } from 'vitest';
import { createRefcountCollector, REFCOUNT_TRAITS } from '../src/index.js';

describe('refcount collector', () => {
  it('loads through the collector registry from its package', async () => {
    const registry = new CollectorRegistry([
      {
        name: 'refcount',
        packageName: '@heaplab/gc-refcount',
        description: 'reference counting',
        load: () => import('../src/index.js'),
      },
    ]);
    const { factory } = await registry.resolve('refcount');
    const collector = factory();
    expect(collector.name).toBe('refcount');
    expect(collector.traits).toEqual(REFCOUNT_TRAITS);
    expect(collector.traits.maintainsRefcounts && !collector.traits.reclaimsCycles).toBe(true);
  });

  it('serves one heap, and says so', () => {
    const collector = createRefcountCollector();
    new Heap({ collector });
    expect(() => new Heap({ collector })).toThrow(
      '[heaplab] [refcount] a collector serves one heap: create another with createRefcountCollector()',
    );
    expect(() => createRefcountCollector().leakReport()).toThrow(HeapError);
  });

  it('frees at once and does nothing at a collection', () => {
    const heap = new Heap({ collector: createRefcountCollector() });
    const leaf = heap.defineType({ name: 'Leaf' });
    const x = heap.alloc(leaf);
    expect(heap.refcount(x)).toBe(1);
    heap.roots.pop();
    expect(heap.isAlive(x)).toBe(false);
    const report = heap.collect();
    expect(report.work).toBe(0);
    expect(report.phases).toEqual([]);
  });
});
