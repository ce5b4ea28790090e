import {
  COLLECTOR_SPEC_VERSION,
  type Collector,
  DEFAULT_TRAITS,
  Heap,
  type HeapOptions,
} from '../src/index.js';

/** A collector that only maintains counts: the heap's own release engine does the freeing. */
export function countingCollector(): Collector {
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: 'counting',
    traits: { ...DEFAULT_TRAITS, maintainsRefcounts: true },
    doAttach() {},
    doCollect() {},
  };
}

/** A counting heap with a few types. */
export function countingHeap(options: HeapOptions = {}) {
  const heap = new Heap({ collector: countingCollector(), ...options });
  const log: string[] = [];
  const A = heap.defineType({
    name: 'A',
    container: true,
    weakrefable: true,
    finalize: (h, obj) => log.push(`del ${h.payload(obj)}`),
  });
  const Plain = heap.defineType({ name: 'Plain', container: true, weakrefable: true });
  const List = heap.defineType({ name: 'list', container: true, releaseOrder: 'reverse' });
  const Weak = heap.defineType({ name: 'weakref', weakref: 'ref', container: true });
  const WeakProxy = heap.defineType({ name: 'weakproxy', weakref: 'proxy', container: true });
  const Fn = heap.defineType({ name: 'function' });
  return { heap, log, A, Plain, List, Weak, WeakProxy, Fn };
}
