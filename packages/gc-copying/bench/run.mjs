#!/usr/bin/env node
// Copying benchmarks on a 1,000,000-object heap (a complete binary tree, each node also holding
// link up to its grandparent): a full copying collection against a bare trace of the same heap with core's
// Marker (same process, so the ratio is what copying costs over marking), and the same
// collection when half the tree is garbage.
// `pnpm bench --filter=gc-copying` (add `--json` for one {"name","value","unit"} object per line).
import { Heap, Marker } from '@heaplab/core';
import { createCopyingCollector, createSemispaceAllocator } from '../dist/index.js';

const json = process.argv.includes('--json');
const report = (name, value, unit) => {
  const v = Number(value.toFixed(3));
  process.stdout.write(
    json ? `${JSON.stringify({ name, value: v, unit })}\n` : `${name.padEnd(44)} ${v} ${unit}\n`,
  );
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

const n = 1_000_000;
const heap = new Heap({
  collector: createCopyingCollector({ collectOnAllocation: false }),
  allocator: createSemispaceAllocator(),
  initialCapacity: n + 16,
  initialSlots: 3 * n + 64,
});
const node = heap.defineType({ name: 'Node', container: true });
heap.roots.pushFrame('build', ['root']);
// Node k (from 1) has children 2k and 2k+1 in slots 0 and 1, and a link to its grandparent k/4 in slot 2.
const first = heap.indexBound;
for (let k = 1; k <= n; k++) {
  heap.alloc(node, 3);
  heap.roots.popToGlobal(k === 1 ? 'root' : '_');
}
heap.roots.setGlobal('_', 0);
for (let k = 1; k <= n; k++) {
  const o = first + k - 1;
  if (2 * k <= n) heap.writeSlot(o, 0, first + 2 * k - 1);
  if (2 * k + 1 <= n) heap.writeSlot(o, 1, first + 2 * k);
  heap.writeSlot(o, 2, first + Math.max(1, Math.floor(k / 4)) - 1);
}
const marker = new Marker(heap);
const work = { objectsVisited: 0, refsScanned: 0, objectsFreed: 0, bytesFreed: 0 };
const trace = median([0, 1, 2].map(() => timed(() => marker.markFromRoots(work))));
const copy = median([0, 1, 2].map(() => timed(() => heap.collect())));
report('copying-full-collection-1m-live', copy, 'ms');
report('copying-objects-copied-per-second', n / (copy / 1000), 'objects/s');
report('copying-collection-over-bare-trace', copy / trace, 'ratio');
// Cut the root's right subtree (half the heap: links only go up, to grandparents) and collect again.
heap.writeSlot(first, 1, 0);
const report2 = heap.collect();
report('copying-collection-half-garbage', report2.ms, 'ms');
report('copying-half-garbage-survivors', report2.extra.copied, 'objects');
