import { Heap, NULL_REF, type ObjIndex, type Ref, type TypeSpec } from '@heaplab/core';
import { createGenerationalCollector, type GenerationalOptions } from '../src/index.js';

/** CPython's tuple: no clear, released last item first, untracked when it holds nothing tracked. */
export const TUPLE: TypeSpec = {
  name: 'tuple',
  container: true,
  releaseOrder: 'reverse',
  clearOrder: 'none',
  untrack: 'each-collection',
};

/** A heap with the generational collector and Python-like types, plus small helpers. */
export function pyHeap(options: GenerationalOptions = {}) {
  const collector = createGenerationalCollector(options);
  const heap = new Heap({ collector });
  const gc = collector.gc;
  const log: string[] = [];
  const T = {
    A: heap.defineType({ name: 'A', container: true, weakrefable: true }),
    Del: heap.defineType({
      name: 'Del',
      container: true,
      weakrefable: true,
      finalize: (h, obj) => {
        const p = h.payload<{ name: string; save?: boolean }>(obj);
        log.push(`del ${p.name}`);
        if (p.save) h.append(h.roots.getGlobal('saved'), obj);
      },
    }),
    list: heap.defineType({
      name: 'list',
      container: true,
      releaseOrder: 'reverse',
      clearOrder: 'reverse',
      freeList: { capacity: 80 },
      baseSize: 56,
    }),
    tuple: heap.defineType(TUPLE),
    dict: heap.defineType({ name: 'dict', container: true, trackOnAlloc: false, untrack: 'full-collection' }),
    int: heap.defineType({ name: 'int' }),
    weakref: heap.defineType({ name: 'weakref', container: true, weakref: 'ref' }),
    callback: heap.defineType({ name: 'function' }),
  };
  /** Allocates an object bound to global `name`. */
  const bind = (name: string, type: number, slots = 0, payload?: unknown): Ref => {
    const ref = heap.alloc(type, slots);
    if (payload !== undefined) heap.setPayload(ref, payload);
    heap.roots.popToGlobal(name);
    return ref;
  };
  const list = (name: string): Ref => {
    const ref = heap.allocGrowable(T.list);
    heap.roots.popToGlobal(name);
    return ref;
  };
  const g = (name: string): Ref => heap.roots.getGlobal(name);
  const del = (...names: string[]) => {
    for (const n of names) heap.roots.deleteGlobal(n);
  };
  const idx = (ref: Ref): ObjIndex => heap.index(ref);
  return { heap, gc, collector, log, T, bind, list, g, del, idx, NULL_REF };
}
