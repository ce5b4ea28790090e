import { hexAddress } from '@heaplab/core';
import { DEBUG_COLLECTABLE, DEBUG_STATS } from './gc-api.js';
import type { ListId } from './gc-lists.js';
import { type GcState, GEN_LIST, L } from './gc-state.js';

/** What CPython prints under `DEBUG_STATS` when a collection starts; returns the start time. */
export function debugStart(s: GcState, generation: number): number {
  const write = s.debugWrite;
  if (write === null || (s.debug & DEBUG_STATS) === 0) return 0;
  const sizes = GEN_LIST.map((l) => s.lists.size(l)).join(' ');
  write(`gc: collecting generation ${generation}...\n`);
  write(`gc: objects in each generation: ${sizes}\n`);
  write(`gc: objects in permanent generation: ${s.lists.size(L.PERMANENT)}\n`);
  return performance.now();
}

/** What CPython prints under `DEBUG_STATS` when a collection ends. */
export function debugDone(s: GcState, started: number, collected: number, uncollectable: number): void {
  const write = s.debugWrite;
  if (write === null || (s.debug & DEBUG_STATS) === 0) return;
  const seconds = ((performance.now() - started) / 1000).toFixed(4);
  write(
    `gc: done, ${collected + uncollectable} unreachable, ${uncollectable} uncollectable, ${seconds}s elapsed\n`,
  );
}

/** What CPython prints under `DEBUG_COLLECTABLE`: one line per garbage object, in list order. */
export function debugCollectable(s: GcState, list: ListId): void {
  const write = s.debugWrite;
  if (write === null || (s.debug & DEBUG_COLLECTABLE) === 0) return;
  const t = s.heap.tables;
  for (let o = s.lists.first(list); o !== 0; o = s.lists.after(o)) {
    write(`gc: collectable <${s.heap.types.get(t.type(o)).name} ${hexAddress(t.addr(o))}>\n`);
  }
}
