import {
  COLLECTOR_SPEC_VERSION,
  type Collector,
  type CollectorTraits,
  DEFAULT_TRAITS,
  type Heap,
  HeapError,
  isCyclic,
  type LeakReport,
  Marker,
  stronglyConnected,
} from '@heaplab/core';
import { type RefcountOptions, resolveRefcountOptions } from './options.js';

/** The reference-counting collector's name, as reports and the registry show it. */
export const REFCOUNT_COLLECTOR_NAME = 'refcount';

/** What the reference-counting collector declares: it keeps counts and never reclaims cycles. */
export const REFCOUNT_TRAITS: CollectorTraits = { ...DEFAULT_TRAITS, maintainsRefcounts: true };

/** The reference-counting collector, with its leak report available at any time. */
export interface RefcountCollector extends Collector {
  /**
   * What is leaked right now: every live object the roots cannot reach (found by the
   * collector's own worklist trace) and the strongly connected components among them that hold
   * a cycle. Every leaked object is on one of those cycles or reachable from one, since acyclic
   * garbage is freed the moment it appears.
   */
  leakReport(): LeakReport;
}

/**
 * Creates the reference-counting collector. The heap keeps a count per object; when a count
 * reaches zero the heap's release engine frees the object in CPython's order (finalizer, which
 * may resurrect it once; weak references cleared and their callbacks run newest first; referents
 * released in slot order, each fully before the next; memory freed last), iteratively, so a
 * million-long chain needs no deep host stack. Collections do nothing: cycles are never
 * reclaimed, and {@link RefcountCollector.leakReport} (also returned by {@link Heap.finish})
 * names them.
 */
export function createRefcountCollector(options: RefcountOptions = {}): RefcountCollector {
  const settings = resolveRefcountOptions(options);
  let heap: Heap | undefined;
  let marker: Marker | undefined;
  const attached = (): Heap => {
    if (heap === undefined)
      throw new HeapError(`[heaplab] [${REFCOUNT_COLLECTOR_NAME}] the collector is not attached to a heap`);
    return heap;
  };
  const leakReport = (): LeakReport => {
    const h = attached();
    marker ??= new Marker(h);
    marker.markFromRoots({ objectsVisited: 0, refsScanned: 0, objectsFreed: 0, bytesFreed: 0 });
    const leaked = marker.unmarked();
    const cycles = stronglyConnected(h, leaked).filter((component) => isCyclic(h, component));
    return { leaked, cycles };
  };
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: REFCOUNT_COLLECTOR_NAME,
    traits: REFCOUNT_TRAITS,
    doAttach(target) {
      if (heap !== undefined && heap !== target) {
        throw new HeapError(
          `[heaplab] [${REFCOUNT_COLLECTOR_NAME}] a collector serves one heap: create another with createRefcountCollector()`,
        );
      }
      heap = target;
    },
    // Reference counting has nothing to do at a collection: what it can free is already freed.
    doCollect() {},
    doFinish() {
      return settings.reportLeaks ? leakReport() : undefined;
    },
    leakReport,
  };
}

export default createRefcountCollector;
