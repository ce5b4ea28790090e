import { CollectorRegistry, Heap, HeapError, NULL_REF, type Ref } from '@heaplab/core';
import { describe, expect, it } from 'vitest';
import { createMarkSweepCollector, MARKSWEEP_TRAITS } from '../src/index.js';
import { markSweepHeap } from './helpers.js';

describe('mark-sweep collections', () => {
  it('loads through the collector registry from its package, and serves one heap', async () => {
    const registry = new CollectorRegistry([
      {
        name: 'marksweep',
        packageName: '@heaplab/gc-marksweep',
        description: 'mark-sweep',
        load: () => import('../src/index.js'),
      },
    ]);
    const collector = (await registry.resolve('marksweep')).factory({ sweep: 'lazy' });
    expect(collector.name).toBe('marksweep');
    expect(collector.traits).toEqual(MARKSWEEP_TRAITS);
    new Heap({ collector });
    expect(() => new Heap({ collector })).toThrow('[heaplab] [marksweep] a collector serves one heap');
  });

  it('reclaims an unreachable cycle at an explicit request and reports its phases', () => {
    const { heap, types } = markSweepHeap();
    const a = heap.alloc(types.node, 1);
    const b = heap.alloc(types.node, 1);
    heap.set(a, 0, b);
    heap.set(b, 0, a);
    heap.roots.drop(2);
    expect(heap.isAlive(a)).toBe(true);
    const report = heap.collect();
    expect(heap.isAlive(a) || heap.isAlive(b)).toBe(false);
    expect(report.reason).toBe('explicit');
    expect(report.objectsFreed).toBe(2);
    expect(report.phases.map((p) => p.name)).toEqual(['mark', 'weakrefs', 'sweep']);
  });

  it('marks a 1,000,000-long chain without host recursion, then frees it', () => {
    const { heap, types } = markSweepHeap({ growth: Number.POSITIVE_INFINITY }, { verify: false });
    const n = 1_000_000;
    heap.roots.pushFrame('build', ['head']);
    for (let k = 0; k < n; k++) {
      const fresh = heap.alloc(types.node, 1);
      heap.set(fresh, 0, heap.roots.getLocal(0));
      heap.roots.popToLocal(0);
    }
    expect(heap.collect().objectsFreed).toBe(0);
    heap.roots.popFrame();
    expect(heap.collect().objectsFreed).toBe(n);
    expect(heap.liveObjects).toBe(0);
  }, 120_000);

  it('refuses to read reference counts, which it does not keep', () => {
    const { heap, types } = markSweepHeap();
    const x = heap.alloc(types.node);
    expect(() => heap.refcount(x)).toThrow(HeapError);
    expect(() => heap.refcount(x)).toThrow(
      '[heaplab] [marksweep] reference counts are not maintained by this collector',
    );
  });

  it('rejects bad options with a clear message', () => {
    expect(() => createMarkSweepCollector({ growth: 0 })).toThrow(
      '[heaplab] [marksweep] option growth must be a positive number (or Infinity), got 0',
    );
    expect(() => createMarkSweepCollector({ sweep: 'later' as never })).toThrow(
      `[heaplab] [marksweep] option sweep must be 'eager' or 'lazy', got "later"`,
    );
    expect(() => createMarkSweepCollector({ sweepBudget: Number.NaN })).toThrow(
      /sweepBudget must be a positive/,
    );
  });
});

describe('weak references and finalizers', () => {
  it('runs a callback only when the weak reference survives the collection', () => {
    const { heap, types } = markSweepHeap();
    const ran: [Ref, Ref][] = [];
    const callback = () =>
      heap.allocWith(types.callback, {
        payload: (h: typeof heap, wr: Ref) => ran.push([wr, h.weakTarget(wr)]),
      });
    heap.roots.pushFrame('f', ['kept', 'target']);
    const target = heap.alloc(types.node);
    heap.roots.popToLocal(1);
    const kept = heap.createWeakref(types.weakref, target, { callback: callback() });
    heap.roots.popToLocal(0);
    heap.roots.pop();
    const dying = heap.createWeakref(types.weakref, target, { callback: callback() });
    heap.roots.drop(2);
    heap.roots.clearLocal(1);
    heap.collect();
    expect(ran).toEqual([[kept, NULL_REF]]);
    expect(heap.isAlive(dying)).toBe(false);
    expect(heap.weakTarget(kept)).toBe(NULL_REF);
  });

  it('finalizes unmarked objects once; what a finalizer resurrects survives with all it reaches', () => {
    const { heap, types, finalized } = markSweepHeap();
    const x = heap.allocWith(types.fin, { slots: 1, payload: 'resurrect' });
    const y = heap.alloc(types.fin, 1);
    const z = heap.alloc(types.node);
    heap.set(x, 0, y);
    heap.set(y, 0, z);
    heap.createWeakref(types.weakref, z);
    const wz = heap.roots.peek();
    heap.roots.popToGlobal('wz');
    heap.roots.drop(3);
    const report = heap.collect();
    expect(finalized).toEqual([x, y]);
    expect([x, y, z].every((o) => heap.isAlive(o))).toBe(true);
    expect(report.extra.resurrected).toBe(3);
    expect(report.phases.map((p) => p.name)).toEqual(['mark', 'weakrefs', 'finalize', 'remark']);
    // The weak reference was cleared at the mark, before the finalizer resurrected its referent.
    expect(heap.weakTarget(wz)).toBe(NULL_REF);
    expect(heap.metrics.resurrections).toBe(2);
    heap.roots.setGlobal('saved', NULL_REF);
    expect(heap.collect().objectsFreed).toBe(3);
    expect(finalized).toEqual([x, y]);
  });

  it('keeps what finalizers allocate during a collection, and clears weak references they make to garbage', () => {
    const { heap, types } = markSweepHeap();
    const made: Ref[] = [];
    const nested: boolean[] = [];
    const maker = heap.defineType({
      name: 'Maker',
      weakrefable: true,
      finalize: (h, obj) => {
        nested.push(h.collect().skipped);
        h.alloc(types.node);
        made.push(h.roots.peek());
        h.roots.popToGlobal('made');
        h.createWeakref(types.weakref, obj);
        made.push(h.roots.peek());
        h.roots.popToGlobal('weak');
        h.alloc(types.node);
        made.push(h.roots.peek());
        h.roots.pop();
      },
    });
    const x = heap.alloc(maker);
    heap.roots.pop();
    heap.collect();
    const [kept, weak, dropped] = made;
    expect(heap.unraisable).toEqual([]);
    expect(nested).toEqual([true]);
    expect(heap.isAlive(x)).toBe(false);
    expect(heap.isAlive(kept) && heap.isAlive(weak)).toBe(true);
    expect(heap.weakTarget(weak)).toBe(NULL_REF);
    // Allocated during the collection, unreachable already: it waits for the next one.
    expect(heap.isAlive(dropped)).toBe(true);
    heap.collect();
    expect(heap.isAlive(dropped)).toBe(false);
  });
});
