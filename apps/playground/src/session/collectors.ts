import {
  COLLECTOR_SPEC_VERSION,
  type CollectionContext,
  type Collector,
  clearWeakrefsToGarbage,
  DEFAULT_TRAITS,
  type Heap,
  Marker,
  runWeakrefCallbacks,
  sweepObjects,
} from '@heaplab/core';

/** A collector the playground offers. */
export interface CollectorChoice {
  /** Short name (`refcount`, `marksweep`...), used in URLs. */
  readonly name: string;
  /** Name shown in the page. */
  readonly title: string;
  /** One line on what it does. */
  readonly blurb: string;
  /** Creates a fresh collector for one run. */
  readonly create: () => Collector;
}

/**
 * Reference counting alone: the heap's release engine frees an object the moment its count
 * reaches zero; nothing else is ever reclaimed (cycles leak).
 */
function createRefcount(): Collector {
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: 'refcount',
    traits: { ...DEFAULT_TRAITS, maintainsRefcounts: true },
    doAttach() {},
    doCollect() {},
  };
}

/** Stop-the-world mark-sweep, run every `threshold` allocations at a safepoint and on request. */
function createMarkSweep(threshold = 700): Collector {
  let heap: Heap;
  let marker: Marker;
  let allocations = 0;
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: 'marksweep',
    traits: { ...DEFAULT_TRAITS, reclaimsCycles: true },
    doAttach(h) {
      heap = h;
      marker = new Marker(h);
    },
    doAllocate() {
      allocations++;
    },
    doSafepoint() {
      if (allocations >= threshold && heap.collecting === 0)
        heap.collect({ kind: 'full', reason: 'allocation' });
    },
    doCollect(ctx: CollectionContext) {
      allocations = 0;
      ctx.phase('mark');
      marker.markFromRoots(ctx.work);
      const garbage = marker.unmarked();
      if (ctx.wantsPhaseObjects) {
        const marked: number[] = [];
        heap.forEachLive((i) => marker.isMarked(i) && marked.push(i));
        ctx.show(marked);
      }
      ctx.phase('sweep', garbage);
      const dead = new Set(garbage);
      const callbacks = clearWeakrefsToGarbage(heap, garbage, (i) => dead.has(i));
      runWeakrefCallbacks(heap, callbacks);
      sweepObjects(heap, garbage, 'sweep', ctx.work);
    },
  };
}

/**
 * The collectors offered. These two are the playground's own small versions, used until the
 * `@heaplab/gc-*` packages are in the workspace.
 */
export const COLLECTORS: readonly CollectorChoice[] = [
  {
    name: 'refcount',
    title: 'Reference counting',
    blurb: 'frees an object the moment its count reaches zero; cycles leak',
    create: createRefcount,
  },
  {
    name: 'marksweep',
    title: 'Mark-sweep',
    blurb: 'traces from the roots every 700 allocations or at gc.collect(), frees the rest',
    create: () => createMarkSweep(),
  },
];

/** The collector called `name`, or undefined. */
export function findCollector(name: string): CollectorChoice | undefined {
  return COLLECTORS.find((c) => c.name === name);
}
