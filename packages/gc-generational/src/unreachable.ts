import { F_TRACKED, type ObjIndex, type WorkCounts } from '@heaplab/core';
import type { GcLists, ListId } from './gc-lists.js';
import { COLLECTING, type GcState, K_CONTAINER, K_DICT, K_TUPLE, TENTATIVE } from './gc-state.js';

/**
 * CPython's `deduce_unreachable`: copies reference counts into `gc_refs` and marks the objects of
 * `base` as being collected (update_refs); subtracts every reference from inside `base`
 * (subtract_refs); then walks `base` in order, keeping objects referenced from outside and
 * everything they reach, and moving the rest to `unreachable` (move_unreachable). An object that
 * was moved too early comes back to the end of `base`, so list order changes exactly as in
 * CPython. Objects left in `unreachable` keep the collecting and tentative bits.
 */
export function deduceUnreachable(s: GcState, base: ListId, unreachable: ListId, work: WorkCounts): void {
  const heap = s.heap;
  const lists = s.lists;
  const next = lists.next.data;
  const prev = lists.prev.data;
  const headNext = lists.headNext;
  const headPrev = lists.headPrev;
  const rc = heap.tables.rc;
  const slotOff = heap.tables.slotOff;
  const slotLen = heap.tables.slotLen;
  const data = heap.slots.data;
  const refs = s.gcRefs.data;
  const bits = s.bits.data;
  let visited = 0;
  let scanned = 0;
  // update_refs
  for (let o = headNext[base]; o > 0; o = next[o]) {
    refs[o] = rc[o];
    bits[o] = COLLECTING;
    visited++;
  }
  // subtract_refs
  for (let o = headNext[base]; o > 0; o = next[o]) {
    const off = slotOff[o];
    const end = off + slotLen[o];
    for (let p = off; p < end; p++) {
      const c = data[p];
      if (c !== 0 && bits[c] & COLLECTING) refs[c]--;
    }
    scanned += end - off;
  }
  // move_unreachable
  lists.init(unreachable);
  let o = headNext[base];
  while (o > 0) {
    const following = next[o];
    if (refs[o] > 0) {
      const off = slotOff[o];
      const end = off + slotLen[o];
      for (let p = off; p < end; p++) {
        const c = data[p];
        if (c === 0) continue;
        const b = bits[c];
        if ((b & COLLECTING) === 0) continue;
        if (b & TENTATIVE) {
          // Reachable after all: back to the end of base, to be scanned again.
          moveNode(next, prev, headNext, headPrev, c, base);
          bits[c] = COLLECTING;
          refs[c] = 1;
        } else if (refs[c] === 0) {
          refs[c] = 1;
        }
      }
      scanned += end - off;
      bits[o] = 0;
      visited++;
      // Scanning may have appended to base: read the successor only now.
      o = next[o];
    } else {
      moveNode(next, prev, headNext, headPrev, o, unreachable);
      bits[o] = COLLECTING | TENTATIVE;
      visited++;
      o = following;
    }
  }
  work.objectsVisited += visited;
  work.refsScanned += scanned;
}

/** {@link GcLists.move} on raw arrays, for the hot loop (small enough for the JIT to inline). */
function moveNode(
  next: Int32Array,
  prev: Int32Array,
  headNext: Int32Array,
  headPrev: Int32Array,
  node: ObjIndex,
  to: ListId,
): void {
  const p = prev[node];
  const n = next[node];
  if (p < 0) headNext[-p] = n;
  else next[p] = n;
  if (n < 0) headPrev[-n] = p;
  else prev[n] = p;
  const last = headPrev[to];
  prev[node] = last;
  next[node] = -to;
  if (last < 0) headNext[to] = node;
  else next[last] = node;
  headPrev[to] = node;
}

/** Clears the tentative bit of every object of `list` (CPython does it in `move_legacy_finalizers`). */
export function clearTentative(s: GcState, list: ListId): void {
  const next = s.lists.next.data;
  const bits = s.bits.data;
  for (let o = s.lists.headNext[list]; o > 0; o = next[o]) bits[o] &= ~TENTATIVE;
}

/** Clears the collecting bit of every object of `list`. */
export function clearCollecting(s: GcState, list: ListId): void {
  const next = s.lists.next.data;
  const bits = s.bits.data;
  for (let o = s.lists.headNext[list]; o > 0; o = next[o]) bits[o] &= ~COLLECTING;
}

/**
 * CPython's `_PyObject_GC_MAY_BE_TRACKED`: false for objects without a GC header and for
 * untracked tuples; true for any other container, tracked or not.
 */
export function mayBeTracked(s: GcState, obj: ObjIndex): boolean {
  const t = s.heap.tables;
  const k = s.kind(t.type[obj]);
  if ((k & K_CONTAINER) === 0) return false;
  if (k & K_TUPLE) return (t.flags[obj] & F_TRACKED) !== 0;
  return true;
}

function untrackable(s: GcState, obj: ObjIndex): boolean {
  const t = s.heap.tables;
  const data = s.heap.slots.data;
  const off = t.slotOff[obj];
  const end = off + t.slotLen[obj];
  for (let p = off; p < end; p++) {
    const c = data[p];
    if (c !== 0 && mayBeTracked(s, c)) return false;
  }
  return true;
}

/**
 * Untracks, in list order, every tuple of `list` none of whose items may be tracked. A tuple
 * holding an empty slot stays tracked, as a tuple still being filled does in CPython.
 */
export function untrackTuples(s: GcState, list: ListId): void {
  untrackKind(s, list, K_TUPLE, true);
}

/** Untracks, in list order, every dict of `list` none of whose keys or values may be tracked. */
export function untrackDicts(s: GcState, list: ListId): void {
  untrackKind(s, list, K_DICT, false);
}

function untrackKind(s: GcState, list: ListId, kind: number, emptySlotKeeps: boolean): void {
  const heap = s.heap;
  const lists = s.lists;
  for (let o = lists.first(list); o !== 0; ) {
    const following = lists.after(o);
    if (s.kind(heap.tables.type[o]) & kind && untrackable(s, o)) {
      if (!emptySlotKeeps || !hasEmptySlot(s, o)) heap.untrackIndex(o);
    }
    o = following;
  }
}

function hasEmptySlot(s: GcState, obj: ObjIndex): boolean {
  const t = s.heap.tables;
  const data = s.heap.slots.data;
  const off = t.slotOff[obj];
  for (let p = off; p < off + t.slotLen[obj]; p++) if (data[p] === 0) return true;
  return false;
}
