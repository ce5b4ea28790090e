import {
  F_FINALIZED,
  F_FINALIZER,
  F_TRACKED,
  type ObjIndex,
  R_RC,
  R_SLOT_LEN,
  R_SLOT_OFF,
  REC_WORDS,
  type WorkCounts,
} from '@heaplab/core';
import { Link, type ListId, moveNode, moveRun } from './gc-lists.js';
import { type GcState, Kind, Refs } from './gc-state.js';

/**
 * CPython's `deduce_unreachable`: copies reference counts into `gc_refs` and marks the objects of
 * `base` as being collected (update_refs); subtracts every reference from inside `base`
 * (subtract_refs); then walks `base` in order, keeping objects referenced from outside and
 * everything they reach, and moving the rest to `unreachable` (move_unreachable). An object that
 * was moved too early comes back to the end of `base`, so list order changes exactly as in
 * CPython. With `untrackTuples`, each kept tuple is offered for untracking right after it is
 * scanned, which gives what CPython's separate pass over the survivors gives (same order, same
 * state of every item). Returns the number of objects left in `base`.
 */
export function deduceUnreachable(
  s: GcState,
  base: ListId,
  unreachable: ListId,
  work: WorkCounts,
  untrackTuples = false,
): number {
  const heap = s.heap;
  const lists = s.lists;
  const links = heap.tables.i32;
  const refs = lists.refs.data;
  const headNext = lists.headNext;
  const headPrev = lists.headPrev;
  // Each object's fields live in its record (see HeapTables): one line per object.
  const words = heap.tables.i32;
  // Core's layout constants, read once: an imported binding is a variable the loops would reload.
  const stride = REC_WORDS;
  const slotOffAt = R_SLOT_OFF;
  const slotLenAt = R_SLOT_LEN;
  const rcAt = R_RC;
  const data = heap.slots.data;
  const tuples = untrackTuples && s.hasTupleTypes();
  let visited = 0;
  let scanned = 0;
  // update_refs: gc_refs + 1, so that 0 keeps meaning "not being collected". The walk also
  // records the order, so subtract_refs reads an array instead of chasing links again.
  let order = s.order;
  let count = 0;
  for (let o = headNext[base]; o > 0; o = links[o * Link.STRIDE + Link.NEXT]) {
    refs[o] = words[o * stride + rcAt] + 1;
    if (count === order.length) order = s.growOrder();
    order[count++] = o;
  }
  visited += count;
  // subtract_refs
  for (let k = 0; k < count; k++) {
    const o = order[k];
    const off = words[o * stride + slotOffAt];
    const end = off + words[o * stride + slotLenAt];
    for (let p = off; p < end; p++) {
      const c = data[p];
      if (refs[c] > 0) refs[c]--;
    }
    scanned += end - off;
  }
  // move_unreachable
  lists.init(unreachable);
  let kept = 0;
  let moved = 0;
  let o = headNext[base];
  while (o > 0) {
    if (refs[o] > 1) {
      const off = words[o * stride + slotOffAt];
      const end = off + words[o * stride + slotLenAt];
      for (let p = off; p < end; p++) {
        const c = data[p];
        const r = refs[c];
        if (r === 1) refs[c] = 2;
        else if (r < 0) {
          // Reachable after all: back to the end of base, to be scanned again.
          moveNode(links, headNext, headPrev, c, base);
          moved--;
          refs[c] = 2;
        }
      }
      scanned += end - off;
      refs[o] = Refs.NOT_COLLECTING;
      visited++;
      kept++;
      // Scanning may have appended to base: read the successor only now.
      const following = links[o * Link.STRIDE + Link.NEXT];
      if (tuples && s.kind(heap.tables.type(o)) & Kind.TUPLE && untrackable(s, o)) {
        heap.untrackIndex(o);
        kept--;
      }
      o = following;
    } else {
      // The run of objects from here not (yet) known reachable moves to `unreachable` as one
      // block: moving them one at a time, in order, gives the same lists (nothing in the run is
      // scanned, so nothing in it changes the others' counts).
      let last = o;
      let next = links[o * Link.STRIDE + Link.NEXT];
      refs[o] = Refs.TENTATIVE;
      visited++;
      moved++;
      while (next > 0 && refs[next] <= 1) {
        refs[next] = Refs.TENTATIVE;
        visited++;
        moved++;
        last = next;
        next = links[next * Link.STRIDE + Link.NEXT];
      }
      moveRun(links, headNext, headPrev, o, last, unreachable);
      o = next;
    }
  }
  s.unreachableCount = moved;
  work.objectsVisited += visited;
  work.refsScanned += scanned;
  return kept;
}

/** Whether any object of `list` has a finalizer that has not run. */
export function hasPendingFinalizers(s: GcState, list: ListId): boolean {
  if (!s.heap.finalizersSeen) return false;
  const links = s.heap.tables.i32;
  const t = s.heap.tables;
  for (let o = s.lists.headNext[list]; o > 0; o = links[o * Link.STRIDE + Link.NEXT]) {
    if ((t.flags(o) & (F_FINALIZER | F_FINALIZED)) === F_FINALIZER) return true;
  }
  return false;
}

/**
 * CPython's `_PyObject_GC_MAY_BE_TRACKED`: false for objects without a GC header and for
 * untracked tuples; true for any other container, tracked or not.
 */
export function mayBeTracked(s: GcState, obj: ObjIndex): boolean {
  const t = s.heap.tables;
  const k = s.kind(t.type(obj));
  if ((k & Kind.CONTAINER) === 0) return false;
  if (k & Kind.TUPLE) return (t.flags(obj) & F_TRACKED) !== 0;
  return true;
}

/** No item may be tracked (an empty slot, a tuple still being filled, keeps a tuple tracked). */
function untrackable(s: GcState, obj: ObjIndex, emptySlotKeeps = true): boolean {
  const t = s.heap.tables;
  const data = s.heap.slots.data;
  const off = t.slotOff(obj);
  const end = off + t.slotLen(obj);
  for (let p = off; p < end; p++) {
    const c = data[p];
    if (c === 0 ? emptySlotKeeps : mayBeTracked(s, c)) return false;
  }
  return true;
}

/**
 * Untracks, in list order, every tuple of `list` none of whose items may be tracked (a tuple
 * holding an empty slot stays tracked, as a tuple still being filled does in CPython); returns
 * how many.
 */
export function untrackTuples(s: GcState, list: ListId): number {
  return s.hasTupleTypes() ? untrackKind(s, list, Kind.TUPLE, true) : 0;
}

/**
 * Untracks, in list order, every dict of `list` none of whose keys or values may be tracked;
 * returns how many.
 */
export function untrackDicts(s: GcState, list: ListId): number {
  return s.hasDictTypes() ? untrackKind(s, list, Kind.DICT, false) : 0;
}

function untrackKind(s: GcState, list: ListId, kind: number, emptySlotKeeps: boolean): number {
  const heap = s.heap;
  const lists = s.lists;
  let untracked = 0;
  for (let o = lists.first(list); o !== 0; ) {
    const following = lists.after(o);
    if (s.kind(heap.tables.type(o)) & kind && untrackable(s, o, emptySlotKeeps)) {
      heap.untrackIndex(o);
      untracked++;
    }
    o = following;
  }
  return untracked;
}
