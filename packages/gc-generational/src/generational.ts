import type { CollectionContext } from '@heaplab/core';
import { debugDone, debugStart } from './debug-output.js';
import { handleUnreachable } from './garbage.js';
import { type GcState, L } from './gc-state.js';
import { deduceUnreachable, untrackDicts } from './unreachable.js';
import { deduceInWasm } from './wasm/collect-wasm.js';

/**
 * The generation an automatic collection takes (CPython's `gc_collect_generations`): the oldest
 * whose count exceeds its threshold, except that the oldest generation is skipped while fewer
 * objects await their first full collection than a quarter of those that survived the last one
 * (the long-lived heuristic). -1 when none is due.
 */
export function chooseGeneration(s: GcState): number {
  for (let g = 2; g >= 0; g--) {
    if (s.counts[g] > s.thresholds[g]) {
      if (g === 2 && s.longLivedPending < Math.trunc(s.longLivedTotal / 4)) continue;
      return g;
    }
  }
  return -1;
}

/**
 * Collects generation `g` and every younger one the 3.11 way (CPython's `gc_collect_main`):
 * counters, merging younger generations in, finding the unreachable set, untracking tuples (and
 * dicts at full collections), promoting survivors, then the garbage steps. Returns what
 * `gc.collect` returns: collected plus uncollectable.
 */
export function collectGeneration(s: GcState, g: number, context: CollectionContext): number {
  const lists = s.lists;
  const work = context.work;
  const started = debugStart(s, g);
  if (g + 1 < 3) s.counts[g + 1] += 1;
  for (let i = 0; i <= g; i++) s.counts[i] = 0;
  const young = s.gen(g);
  for (let i = 0; i < g; i++) lists.merge(s.gen(i), young);
  const old = g < 2 ? s.gen(g + 1) : young;
  context.phase('update-refs+subtract-refs+move-unreachable+untrack-tuples');
  let kept = deduceInWasm(s, young, L.UNREACHABLE, work, true, g === 2);
  if (kept < 0) kept = deduceUnreachable(s, young, L.UNREACHABLE, work, true);
  if (context.wantsPhaseObjects) context.show(lists.toArray(L.UNREACHABLE));
  context.phase('promote');
  if (young !== old) {
    if (g === 1) s.longLivedPending += kept;
    lists.merge(young, old);
  } else {
    const untracked = untrackDicts(s, young);
    s.longLivedPending = 0;
    s.longLivedTotal = kept - untracked;
  }
  context.phase('weakrefs+finalizers+delete');
  const result = handleUnreachable(s, old, work);
  debugDone(s, started, result.collected, result.uncollectable);
  if (g === 2) s.heap.clearFreeLists();
  return s.record(g, result.collected, result.uncollectable, context);
}
