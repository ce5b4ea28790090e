import { type CollectionContext, F_TRACKED, type ObjIndex } from '@heaplab/core';
import { debugDone, debugStart } from './debug-output.js';
import { handleUnreachable } from './garbage.js';
import type { ListId } from './gc-lists.js';
import { type GcState, GEN_LIST, L } from './gc-state.js';
import { deduceUnreachable, untrackTuples } from './unreachable.js';

const YOUNG = GEN_LIST[0];
const oldList = (space: number): ListId => GEN_LIST[1 + space];

/**
 * CPython 3.14's incremental collector. Generation 0 is the young list; the old generation is two
 * lists, the half already visited in this cycle and the half pending. `generation` 0 collects the
 * young list, 1 runs one increment (what automatic collections do), 2 collects everything.
 */
export function collectIncremental(s: GcState, generation: number, context: CollectionContext): number {
  const started = debugStart(s, generation);
  const tally = { collected: 0, uncollectable: 0 };
  if (generation === 0) collectYoung(s, context, tally);
  else if (generation === 1) collectIncrement(s, context, tally);
  else collectFull(s, context, tally);
  debugDone(s, started, tally.collected, tally.uncollectable);
  return s.record(generation, tally.collected, tally.uncollectable, context);
}

interface Tally {
  collected: number;
  uncollectable: number;
}

function setSpace(s: GcState, list: ListId, space: number): void {
  const lists = s.lists;
  for (let o = lists.first(list); o !== 0; o = lists.after(o)) s.setSpace(o, space);
}

/** Collects `from` (survivors go to `to`, which may be `from` itself). */
function collectRegion(s: GcState, from: ListId, to: ListId, context: CollectionContext, tally: Tally): void {
  deduceUnreachable(s, from, L.UNREACHABLE, context.work, true);
  if (from !== to) s.lists.merge(from, to);
  const result = handleUnreachable(s, to, context.work);
  tally.collected += result.collected;
  tally.uncollectable += result.uncollectable;
}

function collectYoung(s: GcState, context: CollectionContext, tally: Tally): void {
  const visited = oldList(s.visitedSpace);
  untrackTuples(s, YOUNG);
  s.lists.init(L.SURVIVORS);
  setSpace(s, YOUNG, s.visitedSpace);
  collectRegion(s, YOUNG, L.SURVIVORS, context, tally);
  s.lists.merge(L.SURVIVORS, visited);
  s.counts[0] = 0;
  s.counts[1 + s.visitedSpace]++;
}

function collectFull(s: GcState, context: CollectionContext, tally: Tally): void {
  const pending = oldList(s.visitedSpace ^ 1);
  const visited = oldList(s.visitedSpace);
  untrackTuples(s, YOUNG);
  s.lists.merge(YOUNG, pending);
  setSpace(s, pending, s.visitedSpace);
  s.lists.merge(pending, visited);
  collectRegion(s, visited, visited, context, tally);
  s.counts[0] = s.counts[1] = s.counts[2] = 0;
  completedScavenge(s);
  s.heap.clearFreeLists();
}

function collectIncrement(s: GcState, context: CollectionContext, tally: Tally): void {
  s.workToDo += assessWorkToDo(s);
  if (s.workToDo < 0) return;
  untrackTuples(s, YOUNG);
  const visited = oldList(s.visitedSpace);
  const notVisited = oldList(s.visitedSpace ^ 1);
  if (s.markPhase) {
    s.workToDo -= markFromRoots(s, visited);
    s.markPhase = false;
    return;
  }
  s.workToDo -= markFromRoots(s, visited);
  const lists = s.lists;
  lists.init(L.INCREMENT);
  setSpace(s, YOUNG, s.visitedSpace);
  lists.merge(YOUNG, L.INCREMENT);
  let size = lists.size(L.INCREMENT);
  while (size < s.workToDo && !lists.isEmpty(notVisited)) {
    const o = lists.first(notVisited);
    lists.move(o, L.INCREMENT);
    s.setSpace(o, s.visitedSpace);
    size += 1 + expandTransitively(s, L.INCREMENT, o);
  }
  lists.init(L.SURVIVORS);
  collectRegion(s, L.INCREMENT, L.SURVIVORS, context, tally);
  lists.merge(L.SURVIVORS, visited);
  s.workToDo -= size;
  if (lists.isEmpty(notVisited)) completedScavenge(s);
}

function assessWorkToDo(s: GcState): number {
  const scale = Math.max(2, s.thresholds[1]);
  const fresh = s.counts[0];
  const fraction = Math.min(Math.trunc(s.heapSize / 10 / scale), fresh * 2);
  s.counts[0] = 0;
  return fresh + fraction;
}

/** Moves a tracked object not yet visited in this cycle into `container`; 1 if moved. */
function pull(s: GcState, obj: ObjIndex, container: ListId): number {
  const t = s.heap.tables;
  if ((t.flags(obj) & F_TRACKED) === 0 || s.space(obj) === s.visitedSpace) return 0;
  if (!s.lists.inList(obj)) return 0;
  s.setSpace(obj, s.space(obj) ^ 1);
  s.lists.move(obj, container);
  return 1;
}

/** Scans `container` from `from` to its end, pulling in what the scanned objects reference. */
function expandTransitively(s: GcState, container: ListId, from: ObjIndex): number {
  const t = s.heap.tables;
  let added = 0;
  for (let o = from; o !== 0; o = s.lists.after(o)) {
    const data = s.heap.slots.data;
    for (let p = t.slotOff(o), end = p + t.slotLen(o); p < end; p++) {
      if (data[p] !== 0) added += pull(s, data[p], container);
    }
  }
  return added;
}

/** Marks everything reachable from the roots as visited (CPython marks from stacks and globals). */
function markFromRoots(s: GcState, visited: ListId): number {
  const lists = s.lists;
  lists.init(L.REACHABLE);
  let marked = 0;
  s.heap.roots.forEach((i) => {
    marked += pull(s, i, L.REACHABLE);
  });
  while (!lists.isEmpty(L.REACHABLE)) {
    const o = lists.first(L.REACHABLE);
    lists.move(o, visited);
    const t = s.heap.tables;
    const data = s.heap.slots.data;
    for (let p = t.slotOff(o), end = p + t.slotLen(o); p < end; p++) {
      if (data[p] !== 0) marked += pull(s, data[p], L.REACHABLE);
    }
  }
  return marked;
}

function completedScavenge(s: GcState): void {
  if (s.lists.isEmpty(L.PERMANENT)) {
    const notVisited = s.visitedSpace;
    s.visitedSpace ^= 1;
    setSpace(s, YOUNG, notVisited);
  } else {
    const visited = s.visitedSpace;
    s.lists.merge(oldList(visited), oldList(visited ^ 1));
    setSpace(s, oldList(visited ^ 1), visited ^ 1);
  }
  s.workToDo = 0;
  s.markPhase = true;
}
