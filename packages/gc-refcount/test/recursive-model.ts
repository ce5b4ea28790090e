import { F_FINALIZED, F_FINALIZER, type Heap, type ObjIndex, refIndex, weakrefsOf } from '@heaplab/core';

/** A copy of the heap's graph, taken before the last reference to something is dropped. */
interface Snapshot {
  rc: Map<ObjIndex, number>;
  slots: Map<ObjIndex, ObjIndex[]>;
  reverse: Set<ObjIndex>;
  finalizer: Set<ObjIndex>;
  weakrefs: Map<ObjIndex, ObjIndex[]>;
}

function snapshot(heap: Heap): Snapshot {
  const t = heap.tables;
  const s: Snapshot = {
    rc: new Map(),
    slots: new Map(),
    reverse: new Set(),
    finalizer: new Set(),
    weakrefs: new Map(),
  };
  heap.forEachLive((i) => {
    s.rc.set(i, heap.refcount(heap.ref(i)));
    s.slots.set(i, Array.from(heap.slots.data.subarray(t.slotOff(i), t.slotOff(i) + t.slotLen(i))));
    if (heap.types.get(t.type(i)).releaseOrder === 'reverse') s.reverse.add(i);
    if ((t.flags(i) & (F_FINALIZER | F_FINALIZED)) === F_FINALIZER) s.finalizer.add(i);
    if (t.hasWeakTables) s.weakrefs.set(i, weakrefsOf(heap, i));
  });
  return s;
}

/**
 * What releasing `root` (whose last reference is about to go) does, computed by plain host
 * recursion over a snapshot, as CPython's deallocators recurse: `fin`, `callback` and `free`
 * steps naming object indices. Finalizers in the model never resurrect.
 */
export function recursiveRelease(heap: Heap, root: ObjIndex): string[] {
  const s = snapshot(heap);
  const out: string[] = [];
  const drop = (i: ObjIndex): void => {
    const left = s.rc.get(i)! - 1;
    s.rc.set(i, left);
    if (left === 0) release(i);
  };
  const release = (o: ObjIndex): void => {
    if (s.finalizer.has(o)) out.push(`fin #${o}`);
    const pending: [ObjIndex, ObjIndex][] = [];
    for (const w of s.weakrefs.get(o) ?? []) {
      const slots = s.slots.get(w)!;
      const callback = slots.length > 0 ? slots[0] : 0;
      if (callback !== 0) {
        slots[0] = 0;
        pending.push([w, callback]);
      }
    }
    for (const [w] of pending) out.push(`callback #${w}`);
    for (const [, callback] of pending.reverse()) drop(callback);
    const slots = s.slots.get(o)!;
    const order = slots.map((_, k) => (s.reverse.has(o) ? slots.length - 1 - k : k));
    for (const k of order) {
      const child = slots[k];
      if (child === 0) continue;
      slots[k] = 0;
      drop(child);
    }
    out.push(`free #${o}`);
  };
  drop(root);
  return out;
}

/** Records what the heap's release does, in the same notation as {@link recursiveRelease}. */
export function recordRelease(heap: Heap): { steps: string[]; stop: () => void } {
  const steps: string[] = [];
  const offs = [
    heap.events.on('finalizer-run', (e) => steps.push(`fin #${refIndex(e.obj)}`)),
    heap.events.on('callback-run', (e) => steps.push(`callback #${refIndex(e.weakref)}`)),
    heap.events.on('freed', (e) => steps.push(`free #${refIndex(e.obj)}`)),
  ];
  const stop = (): void => {
    for (const off of offs) off();
  };
  return { steps, stop };
}
