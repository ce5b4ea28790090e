import { type CollectReason, Heap, type HeapOptions, type Ref } from '@heaplab/core';
import { createMarkSweepCollector, type MarkSweepCollector, type MarkSweepOptions } from '../src/index.js';

/** A mark-sweep heap with a few types, and the reasons of every collection it ran. */
export function markSweepHeap(options: MarkSweepOptions = {}, heapOptions: HeapOptions = {}) {
  const collector = createMarkSweepCollector(options);
  const heap = new Heap({ verify: true, ...heapOptions, collector });
  const finalized: Ref[] = [];
  const types = {
    node: heap.defineType({ name: 'Node', container: true, weakrefable: true }),
    list: heap.defineType({ name: 'List', container: true }),
    fin: heap.defineType({
      name: 'Fin',
      container: true,
      weakrefable: true,
      finalize: (h, obj) => {
        finalized.push(obj);
        if (h.payload(obj) === 'resurrect') h.roots.setGlobal('saved', obj);
      },
    }),
    weakref: heap.defineType({ name: 'Weakref', weakref: 'ref', container: true }),
    callback: heap.defineType({ name: 'Callback' }),
  };
  const reasons: CollectReason[] = [];
  heap.events.on('collection-end', (e) => reasons.push(e.report.reason));
  return { heap, collector: collector as MarkSweepCollector, types, finalized, reasons };
}
