import { type ObjIndex, pymallocPoolState, type WorkCounts } from '@heaplab/core';
import { type ListId, MAX_LISTS } from '../gc-lists.js';
import { type GcState, L, Refs } from '../gc-state.js';
import { DELETE_MODULE } from './delete-module.js';

/** What the module exports (see `delete.wat`). */
interface DeleteModule {
  configure(
    pools: number,
    poolsEnd: number,
    stacks: number,
    used: number,
    refs: number,
    headNext: number,
    headPrev: number,
    releaseBits: number,
    kinds: number,
    walk: number,
    walkRoom: number,
    items: number,
    itemsRoom: number,
    freed: number,
    emptied: number,
  ): void;
  start(arenaBase: number, countsAllocations: number, gen0: number, liveBytes: number): void;
  deleteGarbage(still: number, old: number): number;
  gen0(): number;
  liveBytes(): number;
  nFreed(): number;
  nEmptied(): number;
  ops(): number;
  bytes(): number;
  liveAfterFirst(): number;
  usedBytes(): number;
  blocks(): number;
  visited(): number;
  bail(): number;
  pending(): number;
  pendingEnd(): number;
  holder(): number;
  held(): number;
}

/** What heaplab uses of the host's WebAssembly API (the project does not build against the DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** Items the module detaches from one object at most; a longer object is cleared the host's way. */
const ITEMS_ROOM = 4096;
/** Words of one pool's record in the pymalloc model's pool state, and the record's size-class word. */
const POOL_RECORD = 8;
const POOL_SIZE_CLASS = 2;
/** Entries of one pool's free stack. */
const POOL_STACK = 1024;
/** Words of the module's walk stack (two per level); a deeper cascade goes on the host's way. */
const WALK_ROOM = 1 << 16;

/**
 * How many times its size the copied state may be, in bytes, against the number of objects to
 * clear: below that the copies in and out cost more than the module saves.
 */
const BYTES_PER_OBJECT = 32;

/**
 * When the module clears garbage (`use`): `auto` where it applies and the list is long enough to
 * pay for the copies (the default), `always` where it applies, `never`; and how often it ran and
 * how often it stopped early (status 1 or 2) since the counts were last reset. For tests, which
 * compare the module with the collector's own loop.
 */
export const wasmDeletion: { use: 'auto' | 'always' | 'never'; runs: number; stops: number } = {
  use: 'auto',
  runs: 0,
  stops: 0,
};

/** The compiled module: undefined until first needed, null where WebAssembly cannot compile it. */
let compiled: object | null | undefined;
/** One instance per heap memory. */
const instances = new WeakMap<object, DeleteModule>();

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

function instanceFor(memory: object): DeleteModule | null {
  const api = wasmApi();
  if (api === undefined) return null;
  if (compiled === undefined) {
    try {
      const text = atob(DELETE_MODULE);
      const bytes = new Uint8Array(text.length);
      for (let k = 0; k < text.length; k++) bytes[k] = text.charCodeAt(k);
      compiled = new api.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return null;
  let instance = instances.get(memory);
  if (instance === undefined) {
    try {
      instance = new api.Instance(compiled, { heap: { memory } }).exports as DeleteModule;
    } catch {
      // A page's policy can forbid running WebAssembly: the JavaScript loop does the work.
      compiled = null;
      return null;
    }
    instances.set(memory, instance);
  }
  return instance;
}

/** Rounds `bytes` up to a multiple of 8. */
const align = (bytes: number): number => (bytes + 7) & ~7;

/**
 * CPython's `delete_garbage` in WebAssembly, over the heap's own memory: clears the objects of
 * the still-unreachable list in turn, exactly as `deleteGarbage`'s loop does without
 * `DEBUG_SAVEALL`, while every object it clears or releases is plain (what the release engine's
 * plain path takes, with its slots inline, no payload and a block from pymalloc's pools). It
 * applies on heaps with the pymalloc model, no weak-reference or auxiliary tables, nothing
 * listening to counts or frees, under the generational profiles (3.11 to 3.13, which count
 * allocations toward generation 0), and to a list long enough to pay for copying the pools and
 * `gc_refs` into the module's memory and back. Returns true when it emptied the list; false when
 * it did not apply, or stopped at an object to handle the host's way, which the caller's loop
 * then clears from there (a release it stopped in is finished first).
 */
export function deleteGarbageInWasm(s: GcState, old: ListId, work: WorkCounts): boolean {
  const heap = s.heap;
  if (wasmDeletion.use === 'never' || s.incremental || s.countsTracking) return false;
  if (!heap.counting || !heap.plainReleases) return false;
  let t = heap.tables;
  if (t.hasWeakTables || t.auxSize.length !== 0) return false;
  const memory = t.wasmMemory as object | undefined;
  if (memory === undefined) return false;
  const pool = pymallocPoolState(heap.allocator);
  if (pool === undefined) return false;
  const capacity = t.capacity;
  // Only the pools up to the last that exists are copied (the model's arrays grow by doubling).
  let poolCount = pool.pools.length / POOL_RECORD;
  while (poolCount > 0 && pool.pools[(poolCount - 1) * POOL_RECORD + POOL_SIZE_CLASS] < 0) poolCount--;
  const poolRecords = pool.pools.subarray(0, poolCount * POOL_RECORD);
  const poolStacks = pool.stacks.subarray(0, poolCount * POOL_STACK);
  const copied = poolRecords.byteLength + poolStacks.byteLength + capacity * 4;
  if (wasmDeletion.use === 'auto' && s.unreachableCount * BYTES_PER_OBJECT < copied) return false;
  const module = instanceFor(memory);
  if (module === null) return false;
  const lists = s.lists;
  const kinds = s.allKinds();
  const types = kinds.length;

  // The module's regions, above the slot pool.
  const sizes = [
    poolRecords.byteLength,
    poolStacks.byteLength,
    pool.used.byteLength,
    capacity * 4,
    MAX_LISTS * 4,
    MAX_LISTS * 4,
    types,
    types,
    WALK_ROOM * 4,
    ITEMS_ROOM * 4,
    capacity * 4,
    poolCount * 4,
  ];
  const at: number[] = [];
  let total = 0;
  for (const size of sizes) {
    at.push(total);
    total += align(size);
  }
  let base: number;
  try {
    base = t.scratch(total);
  } catch {
    // The memory cannot grow (WebAssembly's 4 GiB, or the host's): the JavaScript loop does it.
    return false;
  }
  t = heap.tables;
  const [pools, stacks, used, refs, headNext, headPrev, releaseBits, kindBits, walk, items, freed, emptied] =
    at.map((offset) => base + offset);
  t.i32.set(poolRecords, pools >> 2);
  t.u16.set(poolStacks, stacks >> 1);
  t.i32.set(pool.used, used >> 2);
  t.i32.set(lists.refs.data.subarray(0, capacity), refs >> 2);
  t.i32.set(lists.headNext, headNext >> 2);
  t.i32.set(lists.headPrev, headPrev >> 2);
  t.u8.set(heap.types.releaseBits.subarray(0, types), releaseBits);
  t.u8.set(kinds, kindBits);
  module.configure(
    pools,
    pools + poolRecords.byteLength,
    stacks,
    used,
    refs,
    headNext,
    headPrev,
    releaseBits,
    kindBits,
    walk,
    WALK_ROOM,
    items,
    ITEMS_ROOM,
    freed,
    emptied,
  );
  module.start(pool.arenaBase, s.countsAllocations ? 1 : 0, s.counts[0], heap.liveBytes);
  const status = module.deleteGarbage(L.STILL_UNREACHABLE, old);
  wasmDeletion.runs++;
  if (status !== 0) wasmDeletion.stops++;

  // Everything back where the host keeps it, before any host code can run.
  poolRecords.set(t.i32.subarray(pools >> 2, (pools + poolRecords.byteLength) >> 2));
  poolStacks.set(t.u16.subarray(stacks >> 1, (stacks + poolStacks.byteLength) >> 1));
  pool.used.set(t.i32.subarray(used >> 2, (used >> 2) + pool.used.length));
  lists.refs.data.set(t.i32.subarray(refs >> 2, (refs >> 2) + capacity));
  lists.headNext.set(t.i32.subarray(headNext >> 2, (headNext >> 2) + MAX_LISTS));
  lists.headPrev.set(t.i32.subarray(headPrev >> 2, (headPrev >> 2) + MAX_LISTS));
  const n = module.nFreed();
  heap.reuseIndices(t.i32.subarray(freed >> 2, (freed >> 2) + n), n);
  heap.liveObjects -= n;
  heap.liveBytes = module.liveBytes();
  pool.settle(module.usedBytes(), module.blocks(), t.i32.subarray(emptied >> 2), module.nEmptied());
  s.counts[0] = module.gen0();
  heap.metrics.refcountOps += module.ops();
  if (n !== 0) heap.metrics.onFrees(n, module.bytes(), module.liveAfterFirst());
  work.objectsVisited += module.visited();
  if (status === 0) return true;
  if (status === 1) finishStopped(s, old, work, module, walk, items);
  return false;
}

/**
 * After the module stopped inside a release (status 1): that release finished the host's way,
 * then the rest of the clearing it was in: the items not yet dropped, the object's own extra
 * reference, the move of a survivor to `old`.
 */
function finishStopped(
  s: GcState,
  old: ListId,
  work: WorkCounts,
  module: DeleteModule,
  walk: number,
  items: number,
): void {
  const heap = s.heap;
  const t = heap.tables;
  // Copied out first: host code run by the release can grow the memory.
  const stack = t.i32.slice(walk >> 2, (walk >> 2) + module.bail());
  const pending = t.i32.slice((items >> 2) + module.pending(), (items >> 2) + module.pendingEnd());
  const o: ObjIndex = module.holder();
  const held = module.held() !== 0;
  heap.continueRelease(stack, stack.length);
  for (const item of pending) heap.dec(item);
  if (held) heap.dec(o);
  work.objectsVisited++;
  if (s.lists.first(L.STILL_UNREACHABLE) === o) {
    s.setRefs(o, Refs.NOT_COLLECTING);
    s.lists.move(o, old);
  }
}
