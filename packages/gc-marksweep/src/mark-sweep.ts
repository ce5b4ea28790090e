import {
  type CollectionContext,
  clearWeakrefsToGarbage,
  EVENT_BITS,
  type Heap,
  type Marker,
  type ObjIndex,
  runWeakrefCallbacks,
} from '@heaplab/core';

/**
 * One stop-the-world marking and what follows it, up to (not including) freeing: mark from the
 * roots with the worklist; clear weak references to unmarked objects and run the callbacks of
 * those that survive; run the pending finalizers of unmarked objects; if any ran, mark again, so
 * what they resurrected and everything it reaches survives. Returns the garbage to free, in
 * index order; weak references to it are cleared. Objects allocated by callbacks or finalizers
 * during the collection are never in it.
 */
export function findGarbage(heap: Heap, marker: Marker, context: CollectionContext): ObjIndex[] {
  const work = context.work;
  context.phase('mark');
  marker.markFromRoots(work);
  const unmarked = marker.unmarked();
  if (context.wantsPhaseObjects) context.show(unmarked);
  if (unmarked.length === 0) return unmarked;

  context.phase('weakrefs');
  const unmarkedNow = (i: ObjIndex): boolean => !marker.isMarked(i);
  runWeakrefCallbacks(heap, clearWeakrefsToGarbage(heap, unmarked, unmarkedNow));

  const finalizable = unmarked.filter((i) => heap.hasPendingFinalizer(i));
  if (finalizable.length === 0) return unmarked;
  context.phase('finalize', context.wantsPhaseObjects ? finalizable : undefined);
  for (const i of finalizable) {
    work.objectsVisited++;
    // An earlier finalizer may have removed this one (heap.setFinalizer).
    if (heap.hasPendingFinalizer(i)) heap.runFinalizer(i);
  }

  context.phase('remark');
  marker.markFromRoots(work);
  const garbage = unmarked.filter(unmarkedNow);
  const resurrected = unmarked.length - garbage.length;
  context.note('resurrected', resurrected);
  if (resurrected > 0) noteResurrections(heap, marker, finalizable);
  if (context.wantsPhaseObjects) context.show(garbage);
  // A finalizer may have made new weak references to garbage: clear them too.
  runWeakrefCallbacks(heap, clearWeakrefsToGarbage(heap, garbage, unmarkedNow));
  return garbage;
}

function noteResurrections(heap: Heap, marker: Marker, finalized: readonly ObjIndex[]): void {
  for (const i of finalized) {
    if (!marker.isMarked(i)) continue;
    heap.metrics.resurrections++;
    if (heap.events.mask & EVENT_BITS.resurrected) {
      heap.events.emit({ kind: 'resurrected', step: heap.step, obj: heap.ref(i) });
    }
  }
}
