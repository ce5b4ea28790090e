import {
  clearWeakrefsToGarbage,
  F_ALIVE,
  F_FINALIZED,
  F_FINALIZER,
  F_GROWABLE,
  invokeWeakrefCallback,
  NULL_REF,
  type ObjIndex,
  type WorkCounts,
} from '@heaplab/core';
import { debugCollectable } from './debug-output.js';
import { DEBUG_SAVEALL } from './gc-api.js';
import type { ListId } from './gc-lists.js';
import { type GcState, Kind, L, Refs } from './gc-state.js';
import { deduceUnreachable, hasPendingFinalizers } from './unreachable.js';
import { deleteGarbageInWasm } from './wasm/collect-wasm.js';

/** What handling the unreachable set found. */
export interface GarbageResult {
  /** Objects collected (CPython's `m`). */
  readonly collected: number;
  /** Objects found uncollectable (CPython's `n`; always 0: pure Python cannot define `tp_del`). */
  readonly uncollectable: number;
}

/**
 * Everything CPython does with the unreachable list once survivors have moved on to `old`, in its
 * order: weak references (cleared; callbacks of surviving weak references run), PEP 442
 * finalizers, the resurrection check, and deletion by clearing references (or, under
 * `DEBUG_SAVEALL`, saving to `gc.garbage`). Objects that survive any step go to the end of `old`.
 */
export function handleUnreachable(s: GcState, old: ListId, work: WorkCounts): GarbageResult {
  const context = s.heap;
  const cause = context.freeCause;
  context.freeCause = 'cycle';
  try {
    debugCollectable(s, L.UNREACHABLE);
    const metrics = context.metrics;
    const hostRuns = metrics.callbacksRun + metrics.finalizersRun;
    let collected = handleWeakrefs(s, old);
    if (hasPendingFinalizers(s, L.UNREACHABLE)) finalizeGarbage(s);
    if (metrics.callbacksRun + metrics.finalizersRun !== hostRuns) {
      handleResurrected(s, old, work);
    } else {
      // No mutator code ran since the unreachable set was computed, so recomputing it would
      // move every object to the same place: just rename the list.
      s.lists.init(L.STILL_UNREACHABLE);
      s.lists.merge(L.UNREACHABLE, L.STILL_UNREACHABLE);
    }
    // What deduce left in the list it filled (no mutator code ran since, or it ran again).
    collected += s.unreachableCount;
    deleteGarbage(s, old, work);
    return { collected, uncollectable: 0 };
  } finally {
    context.freeCause = cause;
  }
}

/**
 * CPython's `handle_weakrefs`: a weak reference that is garbage itself is cleared and its
 * callback never runs; every weak reference to a garbage object is cleared; the callbacks of the
 * surviving ones run afterwards, in the order found. Returns how many of those weak references
 * died while their callbacks ran (CPython counts them as collected).
 */
function handleWeakrefs(s: GcState, old: ListId): number {
  const heap = s.heap;
  if (!heap.tables.hasWeakTables) return 0;
  const pending = clearWeakrefsToGarbage(
    heap,
    s.lists.toArray(L.UNREACHABLE),
    (w) => s.refs(w) !== Refs.NOT_COLLECTING,
  );
  if (pending.length === 0) return 0;
  const lists = s.lists;
  lists.init(L.WEAKREF_CALLBACKS);
  const epochs = pending.map((w) => heap.tables.epoch(w));
  for (const w of pending) {
    heap.inc(w);
    if (lists.inList(w)) lists.move(w, L.WEAKREF_CALLBACKS);
  }
  let freed = 0;
  pending.forEach((w, k) => {
    const t = heap.tables;
    const callback = t.slotLen(w) > 0 ? heap.slots.data[t.slotOff(w)] : 0;
    if (callback !== 0) invokeWeakrefCallback(heap, w, callback);
    heap.dec(w);
    const alive = heap.tables.epoch(w) === epochs[k] && (heap.tables.flags(w) & F_ALIVE) !== 0;
    if (!alive) freed++;
    else if (lists.first(L.WEAKREF_CALLBACKS) === w) lists.move(w, old);
  });
  return freed;
}

/**
 * CPython's `finalize_garbage`: each garbage object whose finalizer has not run gets it now, in
 * list order, held by one extra reference meanwhile.
 */
function finalizeGarbage(s: GcState): void {
  const heap = s.heap;
  const lists = s.lists;
  lists.init(L.SEEN);
  for (let o = lists.first(L.UNREACHABLE); o !== 0; o = lists.first(L.UNREACHABLE)) {
    lists.move(o, L.SEEN);
    if ((heap.tables.flags(o) & (F_FINALIZER | F_FINALIZED)) === F_FINALIZER && s.isContainer(o)) {
      heap.inc(o);
      heap.runFinalizer(o);
      heap.dec(o);
    }
  }
  lists.merge(L.SEEN, L.UNREACHABLE);
}

/** CPython's `handle_resurrected_objects`: what became reachable again goes to `old`. */
function handleResurrected(s: GcState, old: ListId, work: WorkCounts): void {
  deduceUnreachable(s, L.UNREACHABLE, L.STILL_UNREACHABLE, work);
  s.lists.merge(L.UNREACHABLE, old);
}

/**
 * CPython's `delete_garbage`: clears each object's references (its type's clear order; types
 * without a clear operation are skipped), holding it meanwhile, so it and what it held die by
 * reference count; under `DEBUG_SAVEALL` appends it to `gc.garbage` instead. Objects still alive
 * afterwards move to `old`.
 */
function deleteGarbage(s: GcState, old: ListId, work: WorkCounts): void {
  const heap = s.heap;
  const lists = s.lists;
  const saveAll = (s.debug & DEBUG_SAVEALL) !== 0 && s.garbage !== NULL_REF && heap.isAlive(s.garbage);
  const garbageList = saveAll ? heap.index(s.garbage) : 0;
  const freedBefore = heap.metrics.frees;
  // The same clearing in WebAssembly where it applies; this loop clears what it leaves.
  if (!saveAll) {
    const stopped = deleteGarbageInWasm(s, old, work);
    if (stopped !== 0) clearedOne(s, stopped, old, work);
  }
  for (let o = lists.first(L.STILL_UNREACHABLE); o !== 0; o = lists.first(L.STILL_UNREACHABLE)) {
    if (saveAll) heap.appendIndex(garbageList, o, false);
    else {
      const k = s.kind(heap.tables.type(o));
      if ((k & Kind.CLEAR_NONE) === 0 || heap.tables.header(o) !== 0) {
        heap.inc(o);
        if (heap.tables.header(o) !== 0) clearHeader(s, o);
        if ((k & Kind.CLEAR_NONE) === 0) clearReferences(s, o, k);
        heap.dec(o);
      }
    }
    clearedOne(s, o, old, work);
  }
  work.objectsFreed += heap.metrics.frees - freedBefore;
}

/**
 * The end of `delete_garbage`'s step for `o`, once it is cleared: counted, and moved to `old`
 * (no longer being collected) if it is still alive at the head of the list.
 */
function clearedOne(s: GcState, o: ObjIndex, old: ListId, work: WorkCounts): void {
  work.objectsVisited++;
  if (s.lists.first(L.STILL_UNREACHABLE) === o) {
    s.setRefs(o, Refs.NOT_COLLECTING);
    s.lists.move(o, old);
  }
}

/**
 * Drops the header slots of a subclass instance one by one, in order (its `__slots__` values, then
 * its `__dict__`), as CPython's `subtype_clear` does before the base's clear; a class kept in the
 * last header slot stays until the instance is freed.
 */
function clearHeader(s: GcState, obj: ObjIndex): void {
  const heap = s.heap;
  const t = heap.tables;
  const n = t.header(obj) - (heap.types.get(t.type(obj)).deferLastHeader ? 1 : 0);
  for (let k = 0; k < n; k++) {
    // Read afresh each time: a finalizer run by the previous release may have moved the slots.
    const p = t.slotOff(obj) + k;
    const c = heap.slots.data[p];
    if (c === 0) continue;
    heap.slots.data[p] = 0;
    heap.dec(c);
  }
}

const cleared: ObjIndex[] = [];

/**
 * Drops every item `obj` holds (the slots after its header): detached first, then released in
 * order (a list: last first).
 */
function clearReferences(s: GcState, obj: ObjIndex, kind: number): void {
  const reverse = (kind & Kind.CLEAR_REVERSE) !== 0;
  const heap = s.heap;
  const t = heap.tables;
  const data = heap.slots.data;
  // The class in slot 0 of an instance without header slots stays until the instance is freed.
  const h = t.header(obj) || (kind & Kind.DEFER_FIRST_SLOT ? 1 : 0);
  const off = t.slotOff(obj) + h;
  const len = t.slotLen(obj) - h;
  if (len === 1) {
    const c = data[off];
    if (c === 0) return;
    data[off] = 0;
    if (t.flags(obj) & F_GROWABLE) t.setSlotLen(obj, h);
    heap.dec(c);
    return;
  }
  const base = cleared.length;
  for (let p = off; p < off + len; p++) {
    if (data[p] !== 0) cleared.push(data[p]);
    data[p] = 0;
  }
  if (t.flags(obj) & F_GROWABLE) t.setSlotLen(obj, h);
  const end = cleared.length;
  if (reverse) for (let k = end - 1; k >= base; k--) heap.dec(cleared[k]);
  else for (let k = base; k < end; k++) heap.dec(cleared[k]);
  cleared.length = base;
}
