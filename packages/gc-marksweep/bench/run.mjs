#!/usr/bin/env node
// Mark-sweep benchmarks: a full collection of a 1,000,000-object graph against a bare trace of
// the same graph (core's Marker, same process), sweeping 1,000,000 garbage objects, and a
// garbage-heavy allocation loop under the growth trigger against the `none` collector.
// Run: `npx tsup && node --expose-gc bench/run.mjs` in this package, or `pnpm bench` at the root
// (add `--json` for one {"name","value","unit"} object per line).
import { createBumpAllocator, createNoneCollector, Heap, Marker } from '@heaplab/core';
import { createMarkSweepCollector } from '../dist/index.js';

const json = process.argv.includes('--json');
const results = [];
const report = (name, value, unit) => {
  results.push({ name, value: Number(value.toFixed(3)), unit });
  if (!json) process.stdout.write(`${name.padEnd(40)} ${value.toFixed(3).padStart(12)} ${unit}\n`);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

/** 1,000,000 objects of 4 slots: slot 0 chains them all, slots 1-3 point at pseudo-random nodes. */
function graph(collector) {
  const n = 1_000_000;
  const heap = new Heap({
    collector,
    allocator: createBumpAllocator(),
    initialCapacity: n + 16,
    initialSlots: 4 * n + 64,
  });
  const node = heap.defineType({ name: 'Node', container: true });
  heap.roots.pushFrame('build', ['head', 'next']);
  let s = 2463534242;
  for (let i = 0; i < n; i++) {
    heap.alloc(node, 4);
    const fresh = heap.roots.peek();
    heap.set(fresh, 0, heap.roots.getLocal(0));
    for (let k = 1; k < 4 && i > 0; k++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      heap.writeSlot(heap.index(fresh), k, 1 + ((s >>> 0) % i));
    }
    heap.roots.popToLocal(0);
  }
  return heap;
}

{
  const heap = graph(createMarkSweepCollector({ growth: Number.POSITIVE_INFINITY }));
  const marker = new Marker(heap);
  const work = { objectsVisited: 0, refsScanned: 0, objectsFreed: 0, bytesFreed: 0 };
  const trace = median([0, 1, 2, 3, 4].map(() => timed(() => marker.markFromRoots(work))));
  const collect = median([0, 1, 2, 3, 4].map(() => timed(() => heap.collect())));
  report('marksweep-full-collection-1m-live', collect, 'ms');
  report('marksweep-collection-over-bare-trace', collect / trace, 'ratio');
  heap.roots.popFrame();
  report(
    'marksweep-sweep-1m-garbage',
    timed(() => heap.collect()),
    'ms',
  );
}

{
  const allocations = 2_000_000;
  const loop = (collector) => {
    const heap = new Heap({ collector, allocator: createBumpAllocator() });
    const node = heap.defineType({ name: 'Node', container: true });
    heap.roots.pushFrame('churn', ['a']);
    return timed(() => {
      for (let i = 0; i < allocations; i++) {
        heap.alloc(node, 1);
        heap.set(heap.roots.peek(), 0, heap.roots.getLocal(0));
        heap.roots.popToLocal(0);
        if (i % 100 === 0) heap.roots.clearLocal(0);
      }
    });
  };
  const none = loop(createNoneCollector());
  const eager = loop(createMarkSweepCollector());
  const lazy = loop(createMarkSweepCollector({ sweep: 'lazy' }));
  report('marksweep-eager-churn-over-none', eager / none, 'ratio');
  report('marksweep-lazy-churn-over-none', lazy / none, 'ratio');
}

if (json) for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
