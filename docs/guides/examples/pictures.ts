// Builds the pictures of the guides from real heaps: `drawHeap` over a small scene per collector.
import { checkHeap, cycleBoundGarbage, Heap, Mutator, type ObjIndex, reachableMarks } from '@heaplab/core';
import { createCopyingCollector, createSemispaceAllocator } from '@heaplab/gc-copying';
import { drawHeap } from './draw-heap.js';

/** The scene every collector picture shows: two live objects, a garbage chain and a garbage cycle. */
function scene(heap: Heap) {
  const Node = heap.defineType({ name: 'Node', container: true, weakrefable: true });
  const m = new Mutator(heap);
  m.new('root', Node, { slots: 2 });
  m.new('x', Node, { slots: 1 });
  m.link('root', 0, 'x');
  m.new('chain', Node, { slots: 1 });
  m.new('tail', Node);
  m.link('chain', 0, 'tail');
  m.new('c1', Node, { slots: 1 });
  m.new('c2', Node, { slots: 1 });
  m.link('c1', 0, 'c2');
  m.link('c2', 0, 'c1');
  for (const name of ['x', 'tail', 'c1', 'c2']) m.unbind(name);
  m.unbind('chain');
  return { m, Node };
}

/** References to each object from slots and roots: the count a reference-counting collector keeps. */
function inDegrees(heap: Heap): Int32Array {
  const counts = new Int32Array(heap.indexBound);
  heap.roots.forEach((i) => {
    counts[i]++;
  });
  heap.forEachLive((o) => {
    const t = heap.tables;
    for (let k = 0; k < t.slotLen(o); k++) counts[heap.slots.data[t.slotOff(o) + k]]++;
  });
  return counts;
}

export function pictures(): Record<string, string> {
  const out: Record<string, string> = {};

  const model = new Heap();
  const Node = model.defineType({ name: 'Node', container: true, weakrefable: true });
  const Weak = model.defineType({ name: 'weakref', weakref: 'ref' });
  const m = new Mutator(model);
  m.new('a', Node, { slots: 1 });
  m.new('b', Node, { slots: 1 });
  m.link('a', 0, 'b');
  m.link('b', 0, 'a');
  m.weakref('w', Weak, 'b');
  out['heap-model'] = drawHeap({
    title: 'globals a, b, w: a and b refer to each other; w refers to b weakly (dashed)',
    heap: model,
  });

  const rc = new Heap();
  scene(rc);
  const counts = inDegrees(rc);
  const leaks = cycleBoundGarbage(rc, checkHeap(rc).unreachable);
  const rcMarks = reachableMarks(rc);
  out.refcount = drawHeap({
    title: 'refcount: the chain drops to 0 and is freed at once; the cycle keeps 1 each and leaks',
    heap: rc,
    note: (i) =>
      leaks.has(i) ? `refcount ${counts[i]}: leaks` : rcMarks[i] ? `refcount ${counts[i]}` : 'freed at 0',
  });

  const ms = new Heap();
  scene(ms);
  const msMarks = reachableMarks(ms);
  out.marksweep = drawHeap({
    title: 'mark-sweep: mark from the roots, then sweep every unmarked object, cycles included',
    heap: ms,
    note: (i) => (msMarks[i] ? 'marked' : 'unmarked: swept'),
  });

  const gen = new Heap();
  const { m: gm, Node: GenNode } = scene(gen);
  const survived = new Map<ObjIndex, number>();
  gen.forEachLive((i) => survived.set(i, 2));
  gm.new('young', GenNode, { slots: 0 });
  gm.link('root', 1, 'young');
  gm.unbind('young');
  out.generational = drawHeap({
    title: 'generational (schematic): the new object is in generation 0, the survivors are older',
    heap: gen,
    note: (i) => `generation ${survived.get(i) ?? 0}`,
    style: (i) => (survived.has(i) ? 'live' : 'new'),
  });

  const cp = new Heap({ collector: createCopyingCollector(), allocator: createSemispaceAllocator() });
  scene(cp);
  out['copying-before'] = drawHeap({
    title: 'copying, before: everything in from-space (0x2000...)',
    heap: cp,
  });
  cp.collect();
  out['copying-after'] = drawHeap({
    title: 'copying, after: survivors copied to to-space (0x3000...) in breadth-first order',
    heap: cp,
  });
  return out;
}
