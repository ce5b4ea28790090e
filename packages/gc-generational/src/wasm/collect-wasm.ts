import { type ObjIndex, type PymallocPoolState, pymallocPoolState, type WorkCounts } from '@heaplab/core';
import { type ListId, MAX_LISTS } from '../gc-lists.js';
import { type GcState, L } from '../gc-state.js';
import { COLLECT_MODULE } from './collect-module.js';

/** What the module exports (see `collect.wat`). */
interface CollectModule {
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
  setOrder(order: number): void;
  deduce(base: number, unreachable: number, tuples: number): number;
  scanned(): number;
  moved(): number;
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
 * Bytes of copied state that one object of work pays for: with fewer than one object to deduce or
 * clear per 32 bytes copied in and out, the copies cost more than the module saves.
 */
const BYTES_PER_OBJECT = 32;

/**
 * When the module deduces and clears garbage (`use`): `auto` where it applies and the work is
 * large enough to pay for the copies (the default; deduce only in full collections), `always`
 * where it applies, `never`; how often it cleared garbage (`runs`), how often it stopped early
 * (status 1 or 2), and how often it deduced, since the counts were last reset. For tests, which
 * compare the module with the collector's own JavaScript.
 */
export const wasmCollection: {
  use: 'auto' | 'always' | 'never';
  runs: number;
  stops: number;
  deduces: number;
} = {
  use: 'auto',
  runs: 0,
  stops: 0,
  deduces: 0,
};

/** The compiled module: undefined until first needed, null where WebAssembly cannot compile it. */
let compiled: object | null | undefined;
/** One instance per heap memory. */
const instances = new WeakMap<object, CollectModule>();

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

function instanceFor(memory: object): CollectModule | null {
  const api = wasmApi();
  if (api === undefined) return null;
  if (compiled === undefined) {
    try {
      const text = atob(COLLECT_MODULE);
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
      instance = new api.Instance(compiled, { heap: { memory } }).exports as CollectModule;
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

/** Byte addresses of the module's regions in the scratch space (see `configure` in `collect.wat`). */
interface Regions {
  readonly pools: number;
  readonly stacks: number;
  readonly used: number;
  readonly refs: number;
  readonly headNext: number;
  readonly headPrev: number;
  readonly releaseBits: number;
  readonly kinds: number;
  readonly walk: number;
  readonly items: number;
  readonly freed: number;
  readonly emptied: number;
  readonly order: number;
}

/** The module set up on a heap's scratch space, for one deduce or one deletion. */
interface Scratch {
  readonly module: CollectModule;
  readonly regions: Regions;
  /** The pymalloc model's pool records and free stacks, up to the last pool that exists. */
  readonly poolRecords: Int32Array;
  readonly poolStacks: Uint16Array;
  /** Registered types (the kind and release bits copied). */
  readonly types: number;
}

/**
 * Whether `objects` objects of work can pay for copying `gc_refs` at least (under `auto`): a cheap
 * test before anything else, since every collection asks.
 */
function worthCopying(s: GcState, objects: number): boolean {
  return wasmCollection.use !== 'auto' || objects * BYTES_PER_OBJECT >= s.heap.tables.capacity * 4;
}

/**
 * Whether the module can work on `s`'s heap: the generational profiles (3.11 to 3.13, which count
 * allocations toward generation 0), counts kept, nothing listening to counts or frees, no
 * weak-reference or auxiliary tables, the pymalloc model, records in a WebAssembly memory.
 * Returns that memory and the model's pool state, or null.
 */
function applicable(s: GcState): { memory: object; pool: PymallocPoolState } | null {
  const heap = s.heap;
  if (wasmCollection.use === 'never' || s.incremental || s.countsTracking) return null;
  if (!heap.counting || !heap.plainReleases) return null;
  const t = heap.tables;
  if (t.hasWeakTables || t.auxSize.length !== 0) return null;
  const memory = t.wasmMemory as object | undefined;
  if (memory === undefined) return null;
  const pool = pymallocPoolState(heap.allocator);
  if (pool === undefined) return null;
  return { memory, pool };
}

/**
 * Lays out the module's regions in the heap's scratch space and configures the module on them,
 * with each type's kind bits copied in; null when `objects` objects to work on would not pay for
 * the copies (under `auto`), or when the module or the space is not to be had.
 */
function openScratch(s: GcState, memory: object, pool: PymallocPoolState, objects: number): Scratch | null {
  const heap = s.heap;
  const capacity = heap.tables.capacity;
  // Only the pools up to the last that exists are copied (the model's arrays grow by doubling).
  let poolCount = pool.pools.length / POOL_RECORD;
  while (poolCount > 0 && pool.pools[(poolCount - 1) * POOL_RECORD + POOL_SIZE_CLASS] < 0) poolCount--;
  const poolRecords = pool.pools.subarray(0, poolCount * POOL_RECORD);
  const poolStacks = pool.stacks.subarray(0, poolCount * POOL_STACK);
  const copied = poolRecords.byteLength + poolStacks.byteLength + capacity * 4;
  if (wasmCollection.use === 'auto' && objects * BYTES_PER_OBJECT < copied) return null;
  const module = instanceFor(memory);
  if (module === null) return null;
  const kinds = s.allKinds();
  const types = kinds.length;
  // Deduce's order and the deletion's freed list share one region: they are never used at once.
  const sizes: Record<Exclude<keyof Regions, 'order'>, number> = {
    pools: poolRecords.byteLength,
    stacks: poolStacks.byteLength,
    used: pool.used.byteLength,
    refs: capacity * 4,
    headNext: MAX_LISTS * 4,
    headPrev: MAX_LISTS * 4,
    releaseBits: types,
    kinds: types,
    walk: WALK_ROOM * 4,
    items: ITEMS_ROOM * 4,
    freed: capacity * 4,
    emptied: poolCount * 4,
  };
  let total = 0;
  const offsets = {} as Record<keyof Regions, number>;
  for (const [name, size] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
    offsets[name] = total;
    total += align(size);
  }
  offsets.order = offsets.freed;
  let base: number;
  try {
    base = heap.tables.scratch(total);
  } catch {
    // The memory cannot grow (WebAssembly's 4 GiB, or the host's): the JavaScript loop does it.
    return null;
  }
  const regions = Object.fromEntries(
    Object.entries(offsets).map(([name, offset]) => [name, base + offset]),
  ) as unknown as Regions;
  heap.tables.u8.set(kinds, regions.kinds);
  module.configure(
    regions.pools,
    regions.pools + poolRecords.byteLength,
    regions.stacks,
    regions.used,
    regions.refs,
    regions.headNext,
    regions.headPrev,
    regions.releaseBits,
    regions.kinds,
    regions.walk,
    WALK_ROOM,
    regions.items,
    ITEMS_ROOM,
    regions.freed,
    regions.emptied,
  );
  module.setOrder(regions.order);
  return { module, regions, poolRecords, poolStacks, types };
}

/** Copies `gc_refs` and the list heads into the module's regions, or back out of them. */
function copyLists(s: GcState, regions: Regions, way: 'in' | 'out'): void {
  const i32 = s.heap.tables.i32;
  const lists = s.lists;
  const capacity = s.heap.tables.capacity;
  const pairs: [Int32Array, number, number][] = [
    [lists.refs.data, regions.refs, capacity],
    [lists.headNext, regions.headNext, MAX_LISTS],
    [lists.headPrev, regions.headPrev, MAX_LISTS],
  ];
  for (const [host, at, length] of pairs) {
    if (way === 'in') i32.set(host.subarray(0, length), at >> 2);
    else host.set(i32.subarray(at >> 2, (at >> 2) + length));
  }
}

/**
 * CPython's `deduce_unreachable` in WebAssembly (see `deduceUnreachable`, which it replaces where
 * the module applies): returns the number of objects left in `base`, or -1 when it did not run.
 * Under `auto` it runs only for full collections of heaps large enough to pay for the copies.
 */
export function deduceInWasm(
  s: GcState,
  base: ListId,
  unreachable: ListId,
  work: WorkCounts,
  untrackTuples: boolean,
  full: boolean,
): number {
  if ((wasmCollection.use === 'auto' && !full) || !worthCopying(s, s.heap.liveObjects)) return -1;
  const target = applicable(s);
  if (target === null) return -1;
  const scratch = openScratch(s, target.memory, target.pool, s.heap.liveObjects);
  if (scratch === null) return -1;
  copyLists(s, scratch.regions, 'in');
  const kept = scratch.module.deduce(base, unreachable, untrackTuples && s.hasTupleTypes() ? 1 : 0);
  copyLists(s, scratch.regions, 'out');
  wasmCollection.deduces++;
  s.unreachableCount = scratch.module.moved();
  work.objectsVisited += scratch.module.visited();
  work.refsScanned += scratch.module.scanned();
  return kept;
}

/**
 * CPython's `delete_garbage` in WebAssembly, over the heap's own memory: clears the objects of
 * the still-unreachable list in turn, exactly as `deleteGarbage`'s loop does without
 * `DEBUG_SAVEALL`, while every object it clears or releases is plain (what the release engine's
 * plain path takes, with its slots inline, no payload and a block from pymalloc's pools). It
 * applies on heaps with the pymalloc model, no weak-reference or auxiliary tables, nothing
 * listening to counts or frees, under the generational profiles (3.11 to 3.13, which count
 * allocations toward generation 0), and to a list long enough to pay for copying the pools and
 * `gc_refs` into the module's memory and back. What it leaves (all of the list when it did not
 * apply; the rest of it when it stopped at an object to handle the host's way) the caller's loop
 * clears. When it stopped inside a release, that release and the rest of the object's clearing
 * are finished here, and the object is returned for the caller to finish the step (0 otherwise).
 */
export function deleteGarbageInWasm(s: GcState, old: ListId, work: WorkCounts): ObjIndex {
  const heap = s.heap;
  if (!worthCopying(s, s.unreachableCount)) return 0;
  const target = applicable(s);
  if (target === null) return 0;
  const pool = target.pool;
  const scratch = openScratch(s, target.memory, pool, s.unreachableCount);
  if (scratch === null) return 0;
  const { module, regions, poolRecords, poolStacks } = scratch;
  const t = heap.tables;
  const { pools, stacks, used, releaseBits, walk, items, freed, emptied } = regions;
  t.i32.set(poolRecords, pools >> 2);
  t.u16.set(poolStacks, stacks >> 1);
  t.i32.set(pool.used, used >> 2);
  copyLists(s, regions, 'in');
  t.u8.set(heap.types.releaseBits.subarray(0, scratch.types), releaseBits);
  module.start(pool.arenaBase, s.countsAllocations ? 1 : 0, s.counts[0], heap.liveBytes);
  const status = module.deleteGarbage(L.STILL_UNREACHABLE, old);
  wasmCollection.runs++;
  if (status !== 0) wasmCollection.stops++;

  // Everything back where the host keeps it, before any host code can run.
  poolRecords.set(t.i32.subarray(pools >> 2, (pools + poolRecords.byteLength) >> 2));
  poolStacks.set(t.u16.subarray(stacks >> 1, (stacks + poolStacks.byteLength) >> 1));
  pool.used.set(t.i32.subarray(used >> 2, (used >> 2) + pool.used.length));
  copyLists(s, regions, 'out');
  const n = module.nFreed();
  heap.reuseIndices(t.i32.subarray(freed >> 2, (freed >> 2) + n), n);
  heap.liveObjects -= n;
  heap.liveBytes = module.liveBytes();
  pool.settle(module.usedBytes(), module.blocks(), t.i32.subarray(emptied >> 2), module.nEmptied());
  s.counts[0] = module.gen0();
  heap.metrics.refcountOps += module.ops();
  if (n !== 0) heap.metrics.onFrees(n, module.bytes(), module.liveAfterFirst());
  work.objectsVisited += module.visited();
  return status === 1 ? finishStopped(s, module, walk, items) : 0;
}

/**
 * After the module stopped inside a release (status 1): that release finished the host's way,
 * then the rest of the clearing it was in (the items not yet dropped, the object's own extra
 * reference). Returns the object being cleared.
 */
function finishStopped(s: GcState, module: CollectModule, walk: number, items: number): ObjIndex {
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
  return o;
}
