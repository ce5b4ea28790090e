import { checkHeap, NULL_REF, refIndex } from '@heaplab/core';
import { describe, expect, it } from 'vitest';
import { markSweepHeap } from './helpers.js';

function lazyHeapWithGarbage(n: number, budget = 4) {
  const run = markSweepHeap({ sweep: 'lazy', sweepBudget: budget, growth: Number.POSITIVE_INFINITY });
  const { heap, types } = run;
  for (let k = 0; k < n; k++) heap.alloc(types.node, 1);
  for (let k = 0; k + 1 < n; k++) heap.set(heap.roots.peek(k + 1), 0, heap.roots.peek(k));
  heap.roots.drop(n);
  return run;
}

describe('lazy sweeping', () => {
  it('leaves the garbage of a collection to later allocations, a budget at a time', () => {
    const { heap, types, collector } = lazyHeapWithGarbage(10, 4);
    const report = heap.collect();
    expect(report.objectsFreed).toBe(0);
    expect(report.extra.pendingSweep).toBe(10);
    expect(report.phases.map((p) => p.name)).toEqual(['mark', 'weakrefs']);
    expect(collector.state().pendingSweep).toBe(10);
    expect(checkHeap(heap).unreachable).toHaveLength(10);
    heap.alloc(types.node);
    expect(collector.state().pendingSweep).toBe(6);
    expect(heap.liveObjects).toBe(7);
    heap.alloc(types.node);
    heap.alloc(types.node);
    expect(collector.state().pendingSweep).toBe(0);
    expect(heap.liveObjects).toBe(3);
  });

  it('finishes the pending sweep before the next marking', () => {
    const { heap, collector } = lazyHeapWithGarbage(10);
    heap.collect();
    const report = heap.collect();
    expect(report.phases[0].name).toBe('finish-sweep');
    expect(report.phases[0].objectsFreed).toBe(10);
    expect(collector.state().pendingSweep).toBe(0);
  });

  it('sweeps everything at once at the end of a run, at a heap limit, or on demand', () => {
    const atEnd = lazyHeapWithGarbage(10);
    expect(atEnd.heap.finish().unreachable).toEqual([]);
    expect(atEnd.heap.liveObjects).toBe(0);
    const atLimit = lazyHeapWithGarbage(10);
    expect(atLimit.heap.collect({ reason: 'heap-limit' }).objectsFreed).toBe(10);
    const onDemand = lazyHeapWithGarbage(10);
    onDemand.heap.collect();
    expect(onDemand.collector.finishSweep()).toBe(10);
    expect(onDemand.heap.liveObjects).toBe(0);
  });

  it('has cleared weak references and run finalizers before the sweep starts', () => {
    const { heap, types, finalized } = markSweepHeap({ sweep: 'lazy', growth: Number.POSITIVE_INFINITY });
    const x = heap.alloc(types.fin);
    heap.createWeakref(types.weakref, x);
    heap.roots.popToGlobal('w');
    heap.roots.pop();
    heap.collect();
    expect(finalized).toEqual([x]);
    expect(heap.weakTarget(heap.roots.getGlobal('w'))).toBe(NULL_REF);
    expect(checkHeap(heap).unreachable).toEqual([refIndex(x)]);
  });
});
