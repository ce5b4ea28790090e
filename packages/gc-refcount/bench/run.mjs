#!/usr/bin/env node
// Reference-counting benchmarks: releasing a 1,000,000-long chain and a 1,000,000-wide tree
// (iteratively, in recursive order), each against allocating the same objects in the same process.
// Run: `npx tsup && node --expose-gc bench/run.mjs` in this package, or `pnpm bench` at the root
// (add `--json` for one {"name","value","unit"} object per line).
import { createBumpAllocator, Heap } from '@heaplab/core';
import { createRefcountCollector } from '../dist/index.js';

const json = process.argv.includes('--json');
const results = [];
const report = (name, value, unit) => {
  results.push({ name, value: Number(value.toFixed(3)), unit });
  if (!json) process.stdout.write(`${name.padEnd(40)} ${value.toFixed(3).padStart(12)} ${unit}\n`);
};
const timed = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
const n = 1_000_000;
const fresh = () => {
  const heap = new Heap({
    collector: createRefcountCollector(),
    allocator: createBumpAllocator(),
    initialCapacity: 2 * n + 16,
  });
  return { heap, node: heap.defineType({ name: 'Node', container: true }) };
};

{
  const { heap, node } = fresh();
  heap.roots.pushFrame('chain', ['head']);
  const build = timed(() => {
    for (let i = 0; i < n; i++) {
      heap.alloc(node, 1);
      heap.set(heap.roots.peek(), 0, heap.roots.getLocal(0));
      heap.roots.popToLocal(0);
    }
  });
  const release = timed(() => heap.roots.popFrame());
  if (heap.liveObjects !== 0) throw new Error('the chain was not freed');
  report('refcount-release-1m-chain', release, 'ms');
  report('refcount-release-over-build-chain', release / build, 'ratio');
}

{
  const { heap, node } = fresh();
  heap.roots.pushFrame('tree', ['root']);
  const build = timed(() => {
    heap.alloc(node, n);
    heap.roots.popToLocal(0);
    const root = heap.roots.getLocal(0);
    for (let i = 0; i < n; i++) {
      heap.alloc(node, 0);
      heap.roots.popToSlot(root, i);
    }
  });
  const release = timed(() => heap.roots.popFrame());
  if (heap.liveObjects !== 0) throw new Error('the tree was not freed');
  report('refcount-release-1m-wide-tree', release, 'ms');
  report('refcount-release-over-build-tree', release / build, 'ratio');
}

if (json) for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
