import { HeapLimitError } from '@heaplab/core';
import { describe, expect, it } from 'vitest';
import type { MarkSweepOptions } from '../src/index.js';
import { markSweepHeap } from './helpers.js';

/** Allocates `n` objects of `size` bytes, keeping every `keepEvery`-th in a rooted list; returns the collections' reasons. */
function churn(options: MarkSweepOptions, n: number, size: number, keepEvery: number) {
  const run = markSweepHeap(options, { verify: false });
  const { heap, types } = run;
  heap.roots.pushFrame('f', ['keep']);
  heap.allocGrowable(types.list);
  heap.roots.popToLocal(0);
  for (let k = 0; k < n; k++) {
    const obj = heap.alloc(types.node, 0, size);
    if (k % keepEvery === 0) heap.append(heap.roots.getLocal(0), obj);
    heap.roots.pop();
  }
  return run;
}

describe('triggers', () => {
  it('collects at an allocation exactly when allocation since the last collection outgrows the threshold', () => {
    const { heap, types, collector, reasons } = markSweepHeap({ minimumBytes: 1000, growth: 1 });
    heap.roots.pushFrame('f', ['keep']);
    heap.allocGrowable(types.list);
    heap.roots.popToLocal(0);
    let expected = 0;
    for (let k = 0; k < 400; k++) {
      const size = 96;
      const { allocatedSinceCollection, threshold } = collector.state();
      if (allocatedSinceCollection + size > threshold) expected++;
      const obj = heap.alloc(types.node, 0, size);
      // The collection ran inside the allocation, with the new object already counted as live.
      if (reasons.length === expected && allocatedSinceCollection + size > threshold)
        expect(collector.state().threshold).toBe(Math.max(1000, heap.liveBytes));
      if (k % 3 === 0) heap.append(heap.roots.getLocal(0), obj);
      heap.roots.pop();
      expect(reasons.length).toBe(expected);
    }
    expect(expected).toBeGreaterThan(3);
    expect(reasons.every((r) => r === 'allocation')).toBe(true);
  });

  it('counts auxiliary blocks growing (a list item array) as allocation', () => {
    const { heap, types, collector, reasons } = markSweepHeap({ minimumBytes: 4096 });
    const list = heap.allocGrowable(types.list);
    heap.roots.popToGlobal('list');
    heap.setAuxSize(list, 8192);
    expect(collector.state().allocatedSinceCollection).toBeGreaterThan(8192);
    expect(reasons).toEqual([]);
    heap.alloc(types.node);
    expect(reasons).toEqual(['allocation']);
    expect(collector.state().allocatedSinceCollection).toBe(0);
  });

  it('collects more often the smaller the growth fraction', () => {
    const counts = [0.25, 1, 4].map(
      (growth) => churn({ growth, minimumBytes: 512 }, 5000, 64, 4).reasons.length,
    );
    expect(counts[0]).toBeGreaterThan(counts[1]);
    expect(counts[1]).toBeGreaterThan(counts[2]);
    expect(counts[2]).toBeGreaterThan(0);
  });

  it('collects only on request when growth is Infinity', () => {
    const { heap, reasons } = churn({ growth: Number.POSITIVE_INFINITY, minimumBytes: 64 }, 3000, 64, 2);
    expect(reasons).toEqual([]);
    heap.collect();
    expect(reasons).toEqual(['explicit']);
  });

  it('collects when a soft heap limit is crossed, and only again after getting back under it', () => {
    const limit = 20_000;
    const garbage = churn({ growth: Number.POSITIVE_INFINITY, heapLimit: limit }, 2000, 64, 1000);
    expect(garbage.reasons.length).toBeGreaterThan(3);
    expect(garbage.reasons.every((r) => r === 'heap-limit')).toBe(true);
    expect(garbage.heap.metrics.summary().peakBytes).toBeLessThanOrEqual(limit + 64);
    // Everything kept: one collection at the crossing, then none while the live data stays above the limit.
    const live = churn({ growth: Number.POSITIVE_INFINITY, heapLimit: limit }, 2000, 64, 1);
    expect(live.reasons).toEqual(['heap-limit']);
  });

  it("works under the heap's hard limit: garbage is collected, live data past it fails", () => {
    const hard = { heapLimit: 20_000 };
    const ok = markSweepHeap({ growth: Number.POSITIVE_INFINITY }, hard);
    for (let k = 0; k < 2000; k++) {
      ok.heap.alloc(ok.types.node, 0, 64);
      ok.heap.roots.pop();
    }
    expect(ok.reasons.length).toBeGreaterThan(3);
    expect(ok.reasons.every((r) => r === 'heap-limit')).toBe(true);
    const full = markSweepHeap({ growth: Number.POSITIVE_INFINITY }, hard);
    expect(() => {
      for (let k = 0; k < 2000; k++) full.heap.alloc(full.types.node, 0, 64);
    }).toThrow(HeapLimitError);
  });
});
