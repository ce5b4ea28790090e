// Step 1 of "Write your own collector": a small mark-sweep collector built from core's parts.
import {
  COLLECTOR_SPEC_VERSION,
  type Collector,
  clearWeakrefsToGarbage,
  DEFAULT_TRAITS,
  type Heap,
  Marker,
  runWeakrefCallbacks,
  sweepObjects,
} from '@heaplab/core';

// #region tiny
export function createTinyCollector(): Collector {
  let heap: Heap;
  let marker: Marker;
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: 'tiny',
    traits: { ...DEFAULT_TRAITS, reclaimsCycles: true },
    doAttach(h) {
      heap = h;
      marker = new Marker(h);
    },
    doCollect(context) {
      context.phase('mark');
      marker.markFromRoots(context.work);
      const garbage = marker.unmarked();
      const isGarbage = (i: number) => !marker.isMarked(i);
      context.phase('weakrefs');
      runWeakrefCallbacks(heap, clearWeakrefsToGarbage(heap, garbage, isGarbage));
      context.phase('finalize');
      const pending = garbage.filter((i) => heap.hasPendingFinalizer(i));
      for (const i of pending) heap.runFinalizer(i);
      // A finalizer may have stored its object somewhere reachable: mark again to see what it saved.
      if (pending.length > 0) marker.markFromRoots(context.work);
      const dead = garbage.filter(isGarbage);
      runWeakrefCallbacks(heap, clearWeakrefsToGarbage(heap, dead, isGarbage));
      context.phase('sweep');
      sweepObjects(heap, dead, 'sweep', context.work);
    },
  };
}
// #endregion tiny
