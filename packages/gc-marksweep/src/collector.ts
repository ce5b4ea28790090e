import {
  COLLECTOR_SPEC_VERSION,
  type CollectionContext,
  type Collector,
  type CollectorTraits,
  DEFAULT_TRAITS,
  F_ALIVE,
  type Heap,
  HeapError,
  Marker,
  type ObjIndex,
  sweepObjects,
} from '@heaplab/core';
import { findGarbage } from './mark-sweep.js';
import { MARKSWEEP_COLLECTOR_NAME, type MarkSweepOptions, resolveMarkSweepOptions } from './options.js';

/** What the mark-sweep collector declares: it reclaims cycles and keeps no reference counts. */
export const MARKSWEEP_TRAITS: CollectorTraits = { ...DEFAULT_TRAITS, reclaimsCycles: true };

/** The mark-sweep collector's trigger and sweeping state, for tools and tests. */
export interface MarkSweepState {
  /** Bytes allocated since the last collection. */
  readonly allocatedSinceCollection: number;
  /** Allocated bytes past which the growth trigger collects. */
  readonly threshold: number;
  /** Garbage objects found by the last collection that lazy sweeping has not freed yet. */
  readonly pendingSweep: number;
}

/** The mark-sweep collector, with its state readable and lazy sweeping finishable on demand. */
export interface MarkSweepCollector extends Collector {
  /** The trigger and sweeping state now. */
  state(): MarkSweepState;
  /** Frees every object lazy sweeping still holds; returns how many were freed. */
  finishSweep(): number;
}

/**
 * Creates the stop-the-world mark-sweep collector. A collection marks from the roots with an
 * explicit worklist (no host recursion), clears weak references to unmarked objects (running
 * the callbacks of weak references that survive), finalizes unmarked objects whose finalizer has
 * not run and marks again so whatever they resurrect survives, then frees the rest, eagerly or
 * lazily. Collections run on request ({@link Heap.collect}), when allocation since the last one
 * outgrows the live heap it left ({@link MarkSweepOptions.growth}), and at a heap limit.
 * Reference counts are not kept: {@link Heap.refcount} throws under this collector.
 *
 * Phases in reports: `finish-sweep` (lazy garbage left from the last collection), `mark`,
 * `weakrefs`, `finalize` and `remark` (only when finalizers ran), `sweep` (eager). Figures in
 * `extra`: `resurrected` (unmarked objects that survived because a finalizer resurrected them or
 * something reaching them), `pendingSweep` (lazy: garbage left to allocations), `threshold`
 * (bytes of allocation that trigger the next collection, when the growth trigger is on).
 */
export function createMarkSweepCollector(options: MarkSweepOptions = {}): MarkSweepCollector {
  const settings = resolveMarkSweepOptions(options);
  let heap: Heap | undefined;
  let marker: Marker | undefined;
  // Bytes allocated since the last collection are read off the heap's metrics, which also count
  // auxiliary blocks growing (a list's item array), not only new objects.
  let allocatedAtCollection = 0;
  const allocatedSince = (h: Heap): number => h.metrics.allocatedBytes - allocatedAtCollection;
  // Infinity * 0 is NaN: with the growth trigger off, the threshold is Infinity whatever is live.
  const thresholdFor = (live: number): number =>
    settings.growth === Number.POSITIVE_INFINITY
      ? settings.growth
      : Math.max(settings.minimumBytes, settings.growth * live);
  let threshold = thresholdFor(0);
  let limitArmed = true;
  let pending: ObjIndex[] = [];
  let cursor = 0;

  const attached = (): Heap => {
    if (heap === undefined)
      throw new HeapError(`[heaplab] [${MARKSWEEP_COLLECTOR_NAME}] the collector is not attached to a heap`);
    return heap;
  };
  // Frees up to `budget` objects waiting for the lazy sweep.
  const sweepPending = (h: Heap, budget: number): number => {
    const t = h.tables;
    let freed = 0;
    while (cursor < pending.length && freed < budget) {
      const i = pending[cursor++];
      if (t.flags(i) & F_ALIVE) {
        h.freeIndex(i, 'sweep');
        freed++;
      }
    }
    if (cursor === pending.length) {
      pending = [];
      cursor = 0;
    }
    return freed;
  };
  const pendingBytes = (h: Heap): number => {
    let bytes = 0;
    for (let k = cursor; k < pending.length; k++) bytes += h.tables.size(pending[k]);
    return bytes;
  };

  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: MARKSWEEP_COLLECTOR_NAME,
    traits: MARKSWEEP_TRAITS,
    doAttach(target) {
      if (heap !== undefined && heap !== target) {
        throw new HeapError(
          `[heaplab] [${MARKSWEEP_COLLECTOR_NAME}] a collector serves one heap: create another with createMarkSweepCollector()`,
        );
      }
      heap = target;
      marker = new Marker(target);
    },
    doAllocate() {
      const h = attached();
      // Objects that finalizers and callbacks allocate during a collection simply survive it.
      if (h.collecting !== 0) return;
      if (pending.length > 0) sweepPending(h, settings.sweepBudget);
      if (allocatedSince(h) > threshold) h.collect({ kind: 'full', reason: 'allocation' });
      else if (limitArmed && h.liveBytes > settings.heapLimit)
        h.collect({ kind: 'full', reason: 'heap-limit' });
    },
    doCollect(context: CollectionContext) {
      const h = attached();
      if (pending.length > cursor) {
        context.phase('finish-sweep');
        sweepPending(h, Number.POSITIVE_INFINITY);
      }
      const garbage = findGarbage(h, marker!, context);
      const reason = context.request.reason;
      if (settings.sweep === 'lazy' && reason !== 'end' && reason !== 'heap-limit') {
        pending = garbage;
        cursor = 0;
        context.note('pendingSweep', garbage.length);
      } else if (garbage.length > 0) {
        context.phase('sweep');
        sweepObjects(h, garbage, 'sweep', context.work);
      }
      const live = h.liveBytes - pendingBytes(h);
      allocatedAtCollection = h.metrics.allocatedBytes;
      threshold = thresholdFor(live);
      limitArmed = live <= settings.heapLimit;
      if (Number.isFinite(threshold)) context.note('threshold', threshold);
    },
    state() {
      return {
        allocatedSinceCollection: heap === undefined ? 0 : allocatedSince(heap),
        threshold,
        pendingSweep: pending.length - cursor,
      };
    },
    finishSweep() {
      return sweepPending(attached(), Number.POSITIVE_INFINITY);
    },
  };
}

export default createMarkSweepCollector;
