import type { AllocatorModel, AllocatorStats } from './allocator/allocator.js';
import { createPymallocModel } from './allocator/pymalloc.js';
import { runCollection } from './collection.js';
import type { LeakReport } from './collector.js';
import {
  COLLECTOR_SPEC_VERSION,
  type CollectionReport,
  type Collector,
  type CollectorTraits,
  type CollectRequest,
} from './collector.js';
import { describeObject, HeapError } from './errors.js';
import { EVENT_BITS, EventStream, type FreeCause, type MutationEvent, type WriteEvent } from './events.js';
import { defaultHost, type HeapHost } from './host.js';
import { E, F, K, R } from './layout.js';
import type { MetricsSummary } from './metrics.js';
import { Metrics } from './metrics.js';
import { checkHeap } from './oracle.js';
import { MAX_OBJECTS, makeRef, NULL_REF, type ObjIndex, type Ref, refIndex } from './ref.js';
import { ReleaseEngine, runFinalizerOf } from './release.js';
import { RootSet } from './roots.js';
import { SlotPool } from './slot-pool.js';
import { grow, HeapTables, type ObjectField } from './tables.js';
import { type TypeId, type TypeInfo, TypeRegistry, type TypeSpec } from './type-registry.js';
import { createWeakref, unlinkWeakref, type WeakrefOptions, weakrefsOf } from './weakrefs.js';

/** What {@link Heap.finish} reports. */
export interface FinishReport {
  /** Unreachable objects still allocated after the end-of-run collection. */
  readonly unreachable: readonly ObjIndex[];
  /** The collector's own leak report, when it makes one. */
  readonly leaks: LeakReport | undefined;
  /** The metrics at the end. */
  readonly summary: MetricsSummary;
}

/** Options of a {@link Heap}. */
export interface HeapOptions {
  /** The collector (default: `none`, which never frees). */
  readonly collector?: Collector;
  /** The allocator model deciding addresses (default: the pymalloc model). */
  readonly allocator?: AllocatorModel;
  /** Objects the tables hold before they first grow (default 1024). */
  readonly initialCapacity?: number;
  /** Initial slot-pool words (default 65536). */
  readonly initialSlots?: number;
  /** Runs finalizers and weak-reference callbacks (default: the type's `finalize`, the callback's payload). */
  readonly host?: HeapHost;
  /**
   * Check every collection with the reachability oracle: no reachable object freed. Freed
   * indices are held back until checked so a dangling reference cannot hide behind reuse.
   */
  readonly verify?: boolean;
  /** Largest live heap in bytes; an allocation past it asks for a full collection, then fails. */
  readonly heapLimit?: number;
}

/** Options of {@link Heap.allocWith}. */
export interface AllocOptions {
  /** Number of reference slots (default 0). */
  readonly slots?: number;
  /** Size in bytes (default: the type's base size plus its slot size per slot). */
  readonly size?: number;
  /** A growable container (slots can be appended and removed). */
  readonly growable?: boolean;
  /** A scalar payload (int value, str text...). */
  readonly payload?: unknown;
  /** Track with a cycle collector (default: the type's `trackOnAlloc`). */
  readonly track?: boolean;
  /** Place at a fixed address, outside the allocator model (static objects). */
  readonly address?: number;
  /**
   * Take a new block from the allocator model even when the type's free list holds one (CPython
   * constructors that allocate through `tp_alloc`, such as `list()` and `dict()`); freeing it
   * still goes to the free list.
   */
  readonly fresh?: boolean;
  /** Never freed; reference counting is skipped for it. */
  readonly immortal?: boolean;
  /** Initial reference count for statically placed objects (CPython 3.11 singletons: 999999999). */
  readonly refcount?: number;
}

/** `Omit` applied to each member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Thrown when a heap limit is exceeded even after a full collection. */
export class HeapLimitError extends HeapError {}

/** The reference count immortal objects start with: operations still count, but it never reaches zero. */
export const IMMORTAL_REFCOUNT = 2 ** 30;
const growableCapacityFloor = 4;

/**
 * A simulated managed heap: objects with a type, a size, an address, a reference count,
 * reference slots and scalar payloads, stored in typed arrays (one 64-byte record per object, see
 * {@link HeapTables}) so that millions of objects fit; roots (frames, globals, pinned objects);
 * weak references; finalizers; an allocator model; and one pluggable {@link Collector}.
 *
 * Mutators hold {@link Ref}s. A new object is pushed on the current frame's temporaries (so it
 * is rooted at once) and holds one reference from there; move it to a local, a global or a slot
 * with the {@link RootSet} operations. Slots and roots hold strong references; when the collector
 * maintains reference counts, an object's count is the number of slots and roots holding it.
 */
export class Heap {
  /** Registered types. */
  readonly types: TypeRegistry;
  /** The per-object tables (low level: for collectors and tools). */
  readonly tables: HeapTables;
  /** Reference slots of every object. */
  readonly slots: SlotPool;
  /** The roots: frames, globals and pinned objects. */
  readonly roots: RootSet;
  /** The event stream. */
  readonly events = new EventStream();
  /** Metrics, computed the same way for every collector. */
  readonly metrics: Metrics;
  /** The collector. */
  readonly collector: Collector;
  /** The collector's traits. */
  readonly traits: CollectorTraits;
  /** The allocator model. */
  readonly allocator: AllocatorModel;
  /** Runs finalizers and callbacks. */
  host: HeapHost;
  /** Whether collections are verified by the oracle. */
  readonly verify: boolean;
  /** Live heap limit in bytes (Infinity when none). */
  readonly heapLimit: number;
  /** Whether reference counts are maintained. */
  readonly counting: boolean;
  /** Mutator steps so far (one per mutator operation). */
  step = 0;
  /** Number of the running collection, or 0 between collections. */
  collecting = 0;
  /** Collections so far. */
  collections = 0;
  /** Live objects. */
  liveObjects = 0;
  /** Live bytes. */
  liveBytes = 0;
  /** What frees are attributed to while set (a cycle collector sets `'cycle'` while it clears). */
  freeCause: FreeCause = 'refcount';
  /** Host calls (finalizers, weak-reference callbacks) running now, innermost counted: see {@link guarded}. */
  hostDepth = 0;
  /**
   * True once any object has had a finalizer (its type's, or {@link Heap.setFinalizer}): until
   * then no object can have one pending, and collectors may skip looking.
   */
  finalizersSeen = false;
  /** Errors raised by finalizers and callbacks that the host did not handle. */
  readonly unraisable: unknown[] = [];

  /** Freed indices ready for reuse, last freed on top (a typed stack: no host allocation while freeing). */
  private freeIndices: Int32Array;
  private freeCount = 0;
  private readonly quarantine: number[] = [];
  private nextIndex = 1;
  private readonly freeLists = new Map<number, number[]>();
  private readonly fields: ObjectField<never>[] = [];
  private readonly release: ReleaseEngine;
  private readonly barrier: boolean;
  private writeVia: WriteEvent['via'] = 'set';

  /** Creates a heap. */
  constructor(options: HeapOptions = {}) {
    const collector = options.collector ?? createNoneCollectorInline();
    if (collector.specificationVersion !== COLLECTOR_SPEC_VERSION) {
      throw new HeapError(
        `[heaplab] collector "${collector.name}" implements ${String(collector.specificationVersion)}, ` +
          `this heap needs ${COLLECTOR_SPEC_VERSION}`,
      );
    }
    this.types = new TypeRegistry();
    this.tables = new HeapTables(Math.max(16, options.initialCapacity ?? 1024), options.initialSlots);
    this.slots = this.tables.slots;
    this.freeIndices = new Int32Array(this.tables.capacity);
    this.collector = collector;
    this.traits = collector.traits;
    this.counting = collector.traits.maintainsRefcounts;
    this.barrier = collector.traits.needsWriteBarrier && collector.doWriteBarrier !== undefined;
    this.allocator = options.allocator ?? createPymallocModel();
    this.host = options.host ?? defaultHost;
    this.verify = options.verify ?? false;
    this.heapLimit = options.heapLimit ?? Number.POSITIVE_INFINITY;
    this.metrics = new Metrics(this);
    this.release = new ReleaseEngine(this);
    this.roots = new RootSet(this);
    collector.doAttach(this);
  }

  /** Registers a type; shorthand for `heap.types.define(spec)`. */
  defineType(spec: TypeSpec): TypeId {
    return this.types.define(spec);
  }

  // ---------------------------------------------------------------- handles

  /** The index of a live object's handle; throws a {@link HeapError} naming the object if it was freed. */
  index(ref: Ref): ObjIndex {
    // Epochs are odd while alive and change at free, so a matching epoch proves liveness.
    const i = ref & 0xffffff;
    if (ref !== this.tables.epoch(i) * 16777216 + i || ref === 0) throw this.staleError(ref);
    return i;
  }

  /** The handle of a live object's index (0 gives {@link NULL_REF}). */
  ref(index: ObjIndex): Ref {
    return index === 0 ? NULL_REF : makeRef(index, this.tables.epoch(index));
  }

  /** Whether a handle still names a live object. */
  isAlive(ref: Ref): boolean {
    const i = refIndex(ref);
    return (
      ref !== NULL_REF &&
      ref === this.tables.epoch(i) * 16777216 + i &&
      (this.tables.flags(i) & F.ALIVE) !== 0
    );
  }

  // ---------------------------------------------------------------- allocation

  /**
   * Allocates an object with `slots` empty reference slots and pushes it on the current frame's
   * temporaries. `size` defaults to the type's base size plus its slot size per slot.
   */
  alloc(type: TypeId, slots = 0, size = 0): Ref {
    return this.allocate(type, slots, size, false, undefined, undefined, false);
  }

  /** Allocates a growable container with room for `capacity` slots and length 0. */
  allocGrowable(type: TypeId, capacity = 0, size = 0): Ref {
    return this.allocate(type, capacity, size, true, undefined, undefined, false);
  }

  /** Allocates with every option; see {@link AllocOptions}. */
  allocWith(type: TypeId, options: AllocOptions): Ref {
    const ref = this.allocate(
      type,
      options.slots ?? 0,
      options.size ?? 0,
      options.growable ?? false,
      options.address,
      options.track,
      options.immortal ?? false,
      options.fresh ?? false,
    );
    const i = refIndex(ref);
    if (options.payload !== undefined) this.tables.setPayload(i, options.payload);
    if (options.immortal) {
      // Counting goes on but can never reach zero: cheaper than testing a flag on every operation.
      this.tables.setFlags(i, this.tables.flags(i) | F.IMMORTAL);
      this.tables.setRc(i, IMMORTAL_REFCOUNT);
      this.roots.pinOwned(i);
      this.roots.remove(0);
      this.tables.setRc(i, IMMORTAL_REFCOUNT);
    }
    if (options.refcount !== undefined) this.tables.setRc(i, options.refcount);
    return ref;
  }

  private allocate(
    typeId: TypeId,
    nslots: number,
    requestedSize: number,
    growable: boolean,
    address: number | undefined,
    track: boolean | undefined,
    immortal: boolean,
    fresh = false,
  ): Ref {
    const info = this.types.get(typeId);
    const size = requestedSize || info.baseSize + info.slotSize * nslots;
    if (this.liveBytes + size > this.heapLimit) this.makeRoom(size);
    let addr = address ?? -1;
    let fromFreeList = false;
    if (addr < 0) {
      const list =
        info.freeList === undefined || fresh ? undefined : this.freeLists.get(this.freeListKey(info, nslots));
      if (list !== undefined && list.length > 0) {
        addr = list.pop()!;
        fromFreeList = true;
      } else {
        addr = this.allocator.allocate(size);
      }
    }
    const i = this.takeIndex();
    const cap = growable ? Math.max(nslots, 0) : nslots;
    const w = i * R.WORDS;
    // Small objects keep their slots in their record (cleared here: a free leaves them as they were).
    const inline = cap <= R.INLINE_SLOTS;
    const slotOff = inline ? w + R.INLINE : this.slots.allocate(cap);
    // The record's views are read after everything above that can grow the tables.
    const t = this.tables;
    let flags = F.ALIVE;
    if (growable) flags |= F.GROWABLE;
    if (address !== undefined) flags |= F.STATIC;
    if (info.finalizer) {
      flags |= F.FINALIZER;
      this.finalizersSeen = true;
    }
    if (info.weakref !== undefined) flags |= F.WEAKREF;
    const words = t.i32;
    words[w + R.FLAGS_TYPE] = flags | (typeId << 16);
    words[w + R.SLOT_OFF] = slotOff;
    words[w + R.SLOT_LEN] = growable ? 0 : nslots;
    if (inline) {
      words[w + R.INLINE] = 0;
      words[w + R.INLINE + 1] = 0;
      words[w + R.INLINE + 2] = 0;
      words[w + R.INLINE + 3] = 0;
    }
    // The slot class (0 for the inline region), and a header count of 0.
    words[w + R.CLASS_HEADER] = inline ? 0 : SlotPool.classOf(SlotPool.capacityFor(cap));
    words[w + R.SIZE] = size;
    const next = words[w + R.EPOCH] + 1;
    const epoch = next >= K.EPOCH_WRAP ? 1 : next;
    words[w + R.EPOCH] = epoch;
    t.f64[i * R.DOUBLES + R.ADDR] = addr;
    words[w + R.RC] = 1;
    this.liveObjects++;
    this.liveBytes += size;
    this.step++;
    this.metrics.onAllocate(size);
    const ref = makeRef(i, epoch);
    this.roots.pushOwned(i);
    this.metrics.maybeSample();
    if (this.events.mask & E.ALLOCATED) {
      this.events.emit({
        kind: 'allocated',
        step: this.step,
        obj: ref,
        type: info.name,
        size,
        address: addr,
        slots: nslots,
        growable,
        tracked: track ?? info.trackOnAlloc,
        static: address !== undefined,
        immortal,
      });
    }
    this.collector.doAllocate?.(i, fromFreeList);
    if (track ?? info.trackOnAlloc) this.trackIndex(i);
    return ref;
  }

  private takeIndex(): ObjIndex {
    if (this.freeCount > 0) return this.freeIndices[--this.freeCount];
    const i = this.nextIndex++;
    if (i > MAX_OBJECTS)
      throw new HeapLimitError(`[heaplab] the heap is full: at most ${MAX_OBJECTS} live objects`);
    if (i >= this.tables.capacity) this.growTables(i + 1);
    return i;
  }

  private growTables(needed: number): void {
    let capacity = this.tables.capacity;
    while (capacity < needed) capacity = Math.min(capacity * 2, MAX_OBJECTS + 1);
    this.tables.grow(capacity);
    for (const field of this.fields) field.data = grow(field.data, capacity * (field.stride ?? 1)) as never;
    this.freeIndices = grow(this.freeIndices, capacity);
  }

  private makeRoom(size: number): void {
    if (!this.collecting) this.collect({ kind: 'full', reason: 'heap-limit' });
    if (this.liveBytes + size > this.heapLimit) {
      throw new HeapLimitError(
        `[heaplab] heap limit of ${this.heapLimit} bytes exceeded: ${this.liveBytes} live, ${size} requested`,
      );
    }
  }

  /**
   * Creates a per-object field for a collector's own bookkeeping (generation, mark, list links);
   * it grows with the heap. Re-read `field.data` after anything that can allocate.
   *
   * With `stride` above 1 the field holds `stride` values per object, object `i`'s at
   * `data[i * stride]` to `data[i * stride + stride - 1]`: values a collector reads together
   * then share a cache line, where separate fields would cost one memory access each.
   */
  createField<T extends Int32Array | Uint8Array | Uint32Array | Float64Array | Uint16Array>(
    ctor: new (n: number) => T,
    stride = 1,
  ): ObjectField<T> {
    if (!Number.isInteger(stride) || stride < 1) {
      throw new RangeError(`[heaplab] a field's stride must be a positive integer, got ${stride}`);
    }
    const field: ObjectField<T> = { data: new ctor(this.tables.capacity * stride), stride };
    this.fields.push(field as unknown as ObjectField<never>);
    return field;
  }

  // ---------------------------------------------------------------- slots

  /**
   * The reference in slot `slot` of `obj` ({@link NULL_REF} when empty); borrowed, not counted.
   * Slot numbers of this and the other item operations count after the object's header slots
   * (see {@link Heap.setHeaderSlots}).
   */
  get(obj: Ref, slot: number): Ref {
    const o = this.index(obj);
    this.checkSlot(o, slot);
    return this.ref(this.slots.data[this.tables.slotOff(o) + this.tables.header(o) + slot]);
  }

  /** Writes `value` (or {@link NULL_REF}) into slot `slot` of `obj`; the old referent is released. */
  set(obj: Ref, slot: number, value: Ref): void {
    // The hot path of every mutator: handle checks inlined (see `index`).
    const words = this.tables.u32;
    const o = obj & 0xffffff;
    if (obj !== words[o * R.WORDS + R.EPOCH] * 16777216 + o || obj === 0) throw this.staleError(obj);
    let v = 0;
    if (value !== 0) {
      v = value & 0xffffff;
      if (value !== words[v * R.WORDS + R.EPOCH] * 16777216 + v) throw this.staleError(value);
    }
    const h = this.tables.header(o);
    if (!(slot >= 0 && slot < this.tables.slotLen(o) - h) || (slot | 0) !== slot) this.checkSlot(o, slot);
    this.storeSlot(o, slot + h, v, false);
  }

  /**
   * Makes the first `n` slots of `obj` header slots: the item operations (`get`, `set`, `length`,
   * `append`, `insert`, `removeAt`, `truncate`, `permute`, `referents`) skip them, so a container
   * can keep references of its own (a `__dict__`, a class) before its items. Collectors, release
   * and events see every slot by its raw position.
   */
  setHeaderSlots(obj: Ref, n: number): void {
    const o = this.index(obj);
    if (!(n >= 0 && n <= 255 && n <= this.tables.slotLen(o)) || !Number.isInteger(n)) {
      throw new HeapError(
        `[heaplab] ${n} header slots for ${describeObject(this, o)} (${this.tables.slotLen(o)} slots)`,
      );
    }
    this.tables.setHeader(o, n);
  }

  /** Number of header slots of `obj` (see {@link Heap.setHeaderSlots}). */
  headerSlots(obj: Ref): number {
    return this.tables.header(this.index(obj));
  }

  /** The reference in header slot `k` of `obj` ({@link NULL_REF} when empty); borrowed. */
  getHeader(obj: Ref, k: number): Ref {
    const o = this.index(obj);
    this.checkHeader(o, k);
    return this.ref(this.slots.data[this.tables.slotOff(o) + k]);
  }

  /** Writes `value` (or {@link NULL_REF}) into header slot `k` of `obj`; the old referent is released. */
  setHeader(obj: Ref, k: number, value: Ref): void {
    const o = this.index(obj);
    this.checkHeader(o, k);
    this.storeSlot(o, k, value === NULL_REF ? 0 : this.index(value), false);
  }

  private checkHeader(o: ObjIndex, k: number): void {
    if (!(k >= 0 && k < this.tables.header(o)) || !Number.isInteger(k)) {
      throw new HeapError(
        `[heaplab] header slot ${k} out of range for ${describeObject(this, o)} (${this.tables.header(o)} header slots)`,
      );
    }
  }

  /** Writes by index, without handle checks (collectors and trusted tools). */
  writeSlot(o: ObjIndex, slot: number, v: ObjIndex): void {
    this.storeSlot(o, slot, v, false);
  }

  /** Stores `v` into a slot taking over a reference the caller owns (no count change for `v`). */
  moveIntoSlot(o: ObjIndex, slot: number, v: ObjIndex): void {
    this.storeSlot(o, slot, v, true);
  }

  /** Appends `v` to growable container `o` by index; `owned`: the caller's reference moves in. */
  appendIndex(o: ObjIndex, v: ObjIndex, owned: boolean): void {
    const n = this.tables.slotLen(o);
    this.ensureCapacity(o, n + 1);
    this.tables.setSlotLen(o, n + 1);
    if (this.events.mask !== 0) this.writeVia = 'append';
    this.storeSlot(o, n, v, owned);
  }

  private storeSlot(o: ObjIndex, slot: number, v: ObjIndex, owned: boolean): void {
    const p = this.tables.slotOff(o) + slot;
    const data = this.slots.data;
    const old = data[p];
    data[p] = v;
    this.step++;
    const metrics = this.metrics;
    metrics.writes++;
    if (this.barrier) {
      metrics.barrierHits++;
      this.collector.doWriteBarrier!(o, slot, old, v);
    }
    if (this.events.mask !== 0) {
      this.emitWrite(o, slot, old, v, owned);
    } else if (this.counting) {
      // Nobody listens: count inline, calling out only when a count reaches zero.
      const words = this.tables.i32;
      if (v !== 0 && !owned) {
        words[v * R.WORDS + R.RC]++;
        metrics.refcountOps++;
      }
      if (old !== 0) {
        metrics.refcountOps++;
        if (--words[old * R.WORDS + R.RC] === 0) this.reachedZero(old);
      }
      return;
    }
    if (v !== 0 && !owned) this.inc(v);
    if (old !== 0) this.dec(old);
  }

  // Kept out of storeSlot so that the hot path stays small enough to inline.
  private emitWrite(o: ObjIndex, slot: number, old: ObjIndex, v: ObjIndex, owned: boolean): void {
    if (this.events.mask & E.WRITE) {
      this.events.emit({
        kind: 'write',
        step: this.step,
        obj: this.ref(o),
        slot,
        old: this.refOrStale(old),
        value: this.ref(v),
        owned,
        via: this.writeVia,
      });
    }
    this.writeVia = 'set';
  }

  private reachedZero(i: ObjIndex): void {
    if (this.tables.flags(i) & F.RELEASING) return;
    if (this.collector.doRefcountZero) this.collector.doRefcountZero(i);
    else this.release.release(i);
  }

  /** Number of slots of `obj` after its header slots (the length of a growable container). */
  length(obj: Ref): number {
    const o = this.index(obj);
    const n = this.tables.slotLen(o) - this.tables.header(o);
    // A collector may empty a garbage container, header included.
    return Math.max(n, 0);
  }

  /** Appends `value` to a growable container. */
  append(obj: Ref, value: Ref): void {
    const o = this.growableIndex(obj);
    this.appendIndex(o, value === NULL_REF ? 0 : this.index(value), false);
  }

  /** Inserts `value` at `at` in a growable container, shifting later slots up. */
  insert(obj: Ref, at: number, value: Ref): void {
    const o = this.growableIndex(obj);
    const v = value === NULL_REF ? 0 : this.index(value);
    const h = this.tables.header(o);
    const n = this.tables.slotLen(o);
    if (at < 0 || at > n - h) throw new HeapError(`[heaplab] insert position ${at} outside 0..${n - h}`);
    at += h;
    this.ensureCapacity(o, n + 1);
    const off = this.tables.slotOff(o);
    this.slots.data.copyWithin(off + at + 1, off + at, off + n);
    this.slots.data[off + at] = 0;
    this.tables.setSlotLen(o, n + 1);
    if (this.events.mask !== 0) this.writeVia = 'insert';
    this.writeSlot(o, at, v);
  }

  /** Removes slot `at` of a growable container, shifting later slots down; the referent is released. */
  removeAt(obj: Ref, at: number): void {
    const o = this.growableIndex(obj);
    const h = this.tables.header(o);
    const n = this.tables.slotLen(o);
    if (at < 0 || at >= n - h) throw new HeapError(`[heaplab] remove position ${at} outside 0..${n - h - 1}`);
    at += h;
    const off = this.tables.slotOff(o);
    const data = this.slots.data;
    const old = data[off + at];
    data.copyWithin(off + at, off + at + 1, off + n);
    data[off + n - 1] = 0;
    this.tables.setSlotLen(o, n - 1);
    this.step++;
    // Events give raw positions (header slots included), as writes do.
    if (this.events.mask & EVENT_BITS.mutation) this.mutated({ action: 'remove', obj, at });
    if (this.barrier) this.collector.doWriteBarrier!(o, at, old, 0);
    if (old !== 0) this.dec(old);
  }

  /** Shrinks a growable container to `length` slots, releasing the dropped referents last to first. */
  truncate(obj: Ref, length: number): void {
    const o = this.growableIndex(obj);
    const h = this.tables.header(o);
    const n = this.tables.slotLen(o);
    if (length < 0 || length > n - h)
      throw new HeapError(`[heaplab] truncate length ${length} outside 0..${n - h}`);
    length += h;
    const off = this.tables.slotOff(o);
    const dropped = Array.from(this.slots.data.subarray(off + length, off + n));
    this.slots.data.fill(0, off + length, off + n);
    this.tables.setSlotLen(o, length);
    this.step++;
    if (this.events.mask & EVENT_BITS.mutation) this.mutated({ action: 'truncate', obj, length });
    for (let k = dropped.length - 1; k >= 0; k--) {
      if (this.barrier) this.collector.doWriteBarrier!(o, length + k, dropped[k], 0);
      if (dropped[k] !== 0) this.dec(dropped[k]);
    }
  }

  /** Reorders the slots of `obj`: slot k receives what was in slot `order[k]` (no counts change). */
  permute(obj: Ref, order: readonly number[]): void {
    const o = this.index(obj);
    const h = this.tables.header(o);
    const n = this.tables.slotLen(o) - h;
    if (order.length !== n) throw new HeapError(`[heaplab] permutation of ${order.length} for ${n} slots`);
    if (h !== 0) order = [...Array.from({ length: h }, (_, k) => k), ...order.map((k) => k + h)];
    const off = this.tables.slotOff(o);
    const before = Array.from(this.slots.data.subarray(off, off + n + h));
    for (let k = h; k < n + h; k++) this.slots.data[off + k] = before[order[k]];
    this.step++;
    if (this.events.mask & EVENT_BITS.mutation) this.mutated({ action: 'permute', obj, order: [...order] });
    if (this.barrier)
      for (let k = h; k < n + h; k++) this.collector.doWriteBarrier!(o, k, before[k], before[order[k]]);
  }

  /** The referents of `obj` after its header slots, in slot order (empty slots skipped). */
  referents(obj: Ref): Ref[] {
    const o = this.index(obj);
    const out: Ref[] = [];
    const off = this.tables.slotOff(o);
    for (let k = this.tables.header(o); k < this.tables.slotLen(o); k++) {
      const v = this.slots.data[off + k];
      if (v !== 0) out.push(this.ref(v));
    }
    return out;
  }

  private growableIndex(obj: Ref): ObjIndex {
    const o = this.index(obj);
    if ((this.tables.flags(o) & F.GROWABLE) === 0) {
      throw new HeapError(`[heaplab] ${describeObject(this, o)} is not a growable container`);
    }
    return o;
  }

  private ensureCapacity(o: ObjIndex, n: number): void {
    const t = this.tables;
    if (n <= t.slotCap(o)) return;
    const want = Math.max(n, growableCapacityFloor, t.slotCap(o) * 2);
    t.setSlotOff(o, this.slots.reallocate(t.slotOff(o), t.slotCap(o), t.slotLen(o), want));
    t.setSlotCap(o, SlotPool.capacityFor(want));
  }

  private checkSlot(o: ObjIndex, slot: number): void {
    const n = this.tables.slotLen(o) - this.tables.header(o);
    if (slot < 0 || slot >= n || !Number.isInteger(slot)) {
      throw new HeapError(`[heaplab] slot ${slot} out of range for ${describeObject(this, o)} (${n} slots)`);
    }
  }

  // ---------------------------------------------------------------- reference counts

  /** Adds a reference to an object (by index); counted only when the collector maintains counts. */
  inc(i: ObjIndex): void {
    if (!this.counting) return;
    const count = ++this.tables.i32[i * R.WORDS + R.RC];
    this.metrics.refcountOps++;
    if (this.events.mask & E.REFCOUNT) {
      this.events.emit({ kind: 'refcount', step: this.step, obj: this.ref(i), count, delta: 1 });
    }
  }

  /** Drops a reference to an object (by index); at zero the object is released. */
  dec(i: ObjIndex): void {
    if (!this.counting) return;
    const count = --this.tables.i32[i * R.WORDS + R.RC];
    this.metrics.refcountOps++;
    if (this.events.mask & E.REFCOUNT) {
      this.events.emit({ kind: 'refcount', step: this.step, obj: this.ref(i), count, delta: -1 });
    }
    if (count === 0) this.reachedZero(i);
  }

  /**
   * Drops a reference without releasing: true when the count reached zero and the caller must
   * release the object (the release engine uses this to keep its walk iterative).
   */
  decReachesZero(i: ObjIndex): boolean {
    if (!this.counting) return false;
    const t = this.tables;
    const count = --t.i32[i * R.WORDS + R.RC];
    this.metrics.refcountOps++;
    if (this.events.mask & E.REFCOUNT) {
      this.events.emit({ kind: 'refcount', step: this.step, obj: this.ref(i), count, delta: -1 });
    }
    return count === 0 && (t.i32[i * R.WORDS + R.FLAGS_TYPE] & F.RELEASING) === 0;
  }

  /**
   * An owned reference held outside slots and roots (what C code holds in CPython). Tracing
   * collectors cannot see it: keep the object in a root as well.
   */
  incref(ref: Ref): void {
    const i = this.index(ref);
    if (this.events.mask & EVENT_BITS.mutation) this.mutated({ action: 'incref', obj: ref });
    this.inc(i);
  }

  /** Drops a reference taken with {@link incref}. */
  decref(ref: Ref): void {
    const i = this.index(ref);
    if (this.events.mask & EVENT_BITS.mutation) this.mutated({ action: 'decref', obj: ref });
    this.dec(i);
  }

  /** The reference count of `obj` (immortal objects read {@link IMMORTAL_REFCOUNT} or more); throws when the collector does not maintain counts. */
  refcount(obj: Ref): number {
    const i = this.index(obj);
    if (!this.counting) {
      throw new HeapError(
        `[heaplab] [${this.collector.name}] reference counts are not maintained by this collector`,
      );
    }
    return this.tables.rc(i);
  }

  /** Releases an object whose count reached zero, in CPython's order (for collectors overriding `doRefcountZero`). */
  releaseIndex(i: ObjIndex): void {
    this.release.release(i);
  }

  // ---------------------------------------------------------------- tracking, finalizers, payloads

  /** Starts tracking a container with the cycle collector. */
  track(obj: Ref): void {
    const i = this.index(obj);
    if (this.events.mask & EVENT_BITS.mutation) this.mutated({ action: 'track', obj });
    this.trackIndex(i);
  }

  /** Stops tracking a container. */
  untrack(obj: Ref): void {
    const i = this.index(obj);
    if (this.events.mask & EVENT_BITS.mutation) this.mutated({ action: 'untrack', obj });
    this.untrackIndex(i);
  }

  /** Whether a container is tracked. */
  isTracked(obj: Ref): boolean {
    return (this.tables.flags(this.index(obj)) & F.TRACKED) !== 0;
  }

  /** Tracks by index. */
  trackIndex(i: ObjIndex): void {
    const u16 = this.tables.u16;
    const at = i * R.HALVES + R.FLAGS;
    if (u16[at] & F.TRACKED) return;
    u16[at] |= F.TRACKED;
    this.collector.doTrack?.(i);
  }

  /** Untracks by index. */
  untrackIndex(i: ObjIndex): void {
    const u16 = this.tables.u16;
    const at = i * R.HALVES + R.FLAGS;
    if ((u16[at] & F.TRACKED) === 0) return;
    u16[at] &= ~F.TRACKED;
    this.collector.doUntrack?.(i);
  }

  /** Gives `obj` a finalizer (or removes a pending one). */
  setFinalizer(obj: Ref, on: boolean): void {
    const i = this.index(obj);
    if (on) {
      this.tables.setFlags(i, this.tables.flags(i) | F.FINALIZER);
      this.finalizersSeen = true;
    } else this.tables.setFlags(i, this.tables.flags(i) & ~F.FINALIZER);
  }

  /** Whether `obj`'s finalizer has run. */
  isFinalized(obj: Ref): boolean {
    return (this.tables.flags(this.index(obj)) & F.FINALIZED) !== 0;
  }

  /** The scalar payload of `obj`. */
  payload<T = unknown>(obj: Ref): T {
    return this.tables.payload[this.index(obj)] as T;
  }

  /** Sets the scalar payload of `obj`. */
  setPayload(obj: Ref, value: unknown): void {
    this.tables.setPayload(this.index(obj), value);
  }

  /** The type of `obj`. */
  typeOf(obj: Ref): TypeInfo {
    return this.types.get(this.tables.type(this.index(obj)));
  }

  /** The address of `obj` (what `id()` shows). */
  addressOf(obj: Ref): number {
    return this.tables.addr(this.index(obj));
  }

  /** The size of `obj` in bytes. */
  sizeOf(obj: Ref): number {
    return this.tables.size(this.index(obj));
  }

  /**
   * Gives `obj` an auxiliary block of `bytes` bytes (0 frees it), like a list's item array: it
   * comes from the allocator model as its own block, and counts in the object's size.
   */
  setAuxSize(obj: Ref, bytes: number): void {
    const i = this.index(obj);
    const t = this.tables;
    t.ensureAuxTables();
    const old = t.auxSize[i];
    if (old === bytes) return;
    if (this.events.mask & EVENT_BITS.mutation) this.mutated({ action: 'aux', obj, bytes });
    // A request that fits the same block keeps its address; the object's size changes either way.
    if (old === 0 || bytes === 0 || this.allocator.blockSize(old) !== this.allocator.blockSize(bytes)) {
      const next = bytes === 0 ? 0 : this.allocator.allocate(bytes);
      if (old !== 0) this.allocator.free(t.auxAddr[i], old);
      t.auxAddr[i] = next;
    }
    t.auxSize[i] = bytes;
    t.setSize(i, t.size(i) + (bytes - old));
    this.liveBytes += bytes - old;
    this.metrics.onResize(bytes - old);
  }

  /** Moves `obj` to a new address (moving collectors); the allocator model is not involved. */
  moveTo(i: ObjIndex, address: number): void {
    const from = this.tables.addr(i);
    this.tables.setAddr(i, address);
    if (this.events.mask & EVENT_BITS.moved) {
      this.events.emit({ kind: 'moved', step: this.step, obj: this.ref(i), from, to: address });
    }
  }

  // ---------------------------------------------------------------- freeing

  /**
   * Frees an object now, without releasing what it references (tracing collectors free garbage
   * whose referents are garbage too). Weak references to it must already be cleared.
   */
  freeIndex(i: ObjIndex, cause: FreeCause): void {
    const t = this.tables;
    // One record holds every field the free reads (see HeapTables): one cache line per object.
    const w = i * R.WORDS;
    const i32 = t.i32;
    const flagsType = i32[w + R.FLAGS_TYPE];
    const flags = flagsType & 0xffff;
    const typeId = flagsType >>> 16;
    const address = t.f64[i * R.DOUBLES + R.ADDR];
    let size = i32[w + R.SIZE] >>> 0;
    const off = i32[w + R.SLOT_OFF];
    const classHeader = i32[w + R.CLASS_HEADER];
    const slotClass = classHeader & 0xff;
    if ((flags & F.ALIVE) === 0) throw new HeapError(`[heaplab] double free of object #${i}`);
    if ((flags & F.IMMORTAL) !== 0) return;
    if (flags & F.TRACKED) this.untrackIndex(i);
    const info = this.types.get(typeId);
    if (flags & F.WEAKREF) unlinkWeakref(this, i);
    if (t.auxAddr.length !== 0 && t.auxSize[i] !== 0) {
      this.freeAux(i);
      size = t.size(i);
    }
    let toFreeList = false;
    if ((flags & F.STATIC) === 0) {
      if (info.freeList !== undefined) toFreeList = this.pushFreeList(info, i, address);
      if (!toFreeList) this.allocator.free(address, size);
    }
    const collector = this.collector;
    if (collector.doFree !== undefined) collector.doFree(i, toFreeList);
    this.liveObjects--;
    this.liveBytes -= size;
    this.metrics.onFree(i, size);
    if (this.events.mask & E.FREED) {
      this.events.emit({
        kind: 'freed',
        step: this.step,
        obj: this.ref(i),
        type: info.name,
        size,
        address,
        cause,
        collection: this.collecting,
      });
    }
    if (slotClass !== 0) this.slots.releaseClass(off, slotClass);
    // Listeners and collectors may have allocated: read the tables afresh.
    clearRecord(this.tables, i, flagsType, classHeader);
    if (this.verify) this.quarantine.push(i);
    else this.freeIndices[this.freeCount++] = i;
  }

  /**
   * Finishes releases that code working on the heap's memory directly began and stopped: `stack`
   * holds `sp` values of (object, cursor) pairs in the release engine's format (an object and how
   * many of its slots are done; -1 for an object whose release has not begun, on top).
   * @internal
   */
  continueRelease(stack: Int32Array, sp: number): void {
    this.release.resume(stack, sp);
  }

  /**
   * Takes the indices of `n` objects that code working on the heap's memory directly freed (their
   * records cleared as a free clears them), in the order freed, for reuse.
   * @internal
   */
  reuseIndices(indices: Int32Array, n: number): void {
    this.freeIndices.set(indices.subarray(0, n), this.freeCount);
    this.freeCount += n;
  }

  /**
   * Whether releases may take the release engine's plain path: nothing listens to counts or
   * frees, the heap does not hold freed indices back for verification, and the collector has no
   * hook for counts reaching zero.
   * @internal
   */
  get plainReleases(): boolean {
    return (
      (this.events.mask & (E.REFCOUNT | E.FREED)) === 0 &&
      !this.verify &&
      this.collector.doRefcountZero === undefined &&
      !this.metrics.measuresPromptness
    );
  }

  /**
   * {@link Heap.freeIndex} for an object the release engine found plain: alive, mortal, in a block
   * of its own from the allocator model, with no weak references, auxiliary block or free list,
   * on a heap where {@link Heap.plainReleases} holds (no event to emit). Returns its size: the
   * caller reports the frees to the metrics ({@link Metrics.onFrees}).
   * @internal
   */
  freePlain(i: ObjIndex): number {
    const t = this.tables;
    const w = i * R.WORDS;
    const words = t.i32;
    const flagsType = words[w + R.FLAGS_TYPE];
    const size = words[w + R.SIZE] >>> 0;
    const classHeader = words[w + R.CLASS_HEADER];
    const slotClass = classHeader & 0xff;
    // freeIndex's order: the collector hears of the free before the record is cleared.
    this.allocator.free(t.f64[i * R.DOUBLES + R.ADDR], size);
    const collector = this.collector;
    if (collector.doFree !== undefined) collector.doFree(i, false);
    this.liveObjects--;
    this.liveBytes -= size;
    if (slotClass !== 0) this.slots.releaseClass(words[w + R.SLOT_OFF], slotClass);
    clearRecord(this.tables, i, flagsType, classHeader);
    this.freeIndices[this.freeCount++] = i;
    return size;
  }

  private freeAux(i: ObjIndex): void {
    const t = this.tables;
    this.allocator.free(t.auxAddr[i], t.auxSize[i]);
    this.liveBytes -= t.auxSize[i];
    t.setSize(i, t.size(i) - t.auxSize[i]);
    t.auxSize[i] = 0;
    t.auxAddr[i] = 0;
  }

  /** Keeps the block of `i` on its type's free list when there is room; true if it was kept. */
  private pushFreeList(info: TypeInfo, i: ObjIndex, address: number): boolean {
    const spec = info.freeList!;
    const t = this.tables;
    if (spec.byLength && t.slotLen(i) >= (spec.maxLength ?? 20)) return false;
    const key = this.freeListKey(info, t.slotLen(i));
    let list = this.freeLists.get(key);
    if (list === undefined) {
      list = [];
      this.freeLists.set(key, list);
    }
    if (list.length >= spec.capacity) return false;
    list.push(address);
    return true;
  }

  /** Indices freed since the last verification, held back from reuse (verifying heaps only). */
  releaseQuarantine(): void {
    for (const i of this.quarantine) this.freeIndices[this.freeCount++] = i;
    this.quarantine.length = 0;
  }

  private freeListKey(info: TypeInfo, nslots: number): number {
    return info.freeList?.byLength ? info.id * 65536 + nslots : info.id * 65536;
  }

  /** Returns every free-listed block to the allocator (CPython does this at full collections). */
  clearFreeLists(): void {
    for (const [key, list] of this.freeLists) {
      const info = this.types.get(Math.floor(key / 65536));
      const n = key % 65536;
      const size = info.baseSize + info.slotSize * (info.freeList?.byLength ? n : 0);
      for (const address of list) this.allocator.free(address, size);
      list.length = 0;
    }
  }

  /** Number of blocks kept on type free lists. */
  get freeListed(): number {
    let n = 0;
    for (const list of this.freeLists.values()) n += list.length;
    return n;
  }

  // ---------------------------------------------------------------- collection

  /** Runs a collection now (refused, with `skipped` set, while one is running). */
  collect(request: CollectRequest = {}): CollectionReport {
    return runCollection(this, request);
  }

  /** Tells the collector the mutator is at a safepoint (all references it holds are rooted). */
  safepoint(): void {
    this.metrics.maybeSample();
    this.collector.doSafepoint?.();
  }

  /** The allocator model's figures. */
  allocatorStats(): AllocatorStats {
    return this.allocator.stats();
  }

  /** Calls `visit` with the index of every live object, in index order. */
  forEachLive(visit: (i: ObjIndex) => void): void {
    const t = this.tables;
    const end = this.nextIndex;
    for (let i = 1; i < end; i++) if (t.flags(i) & F.ALIVE) visit(i);
  }

  /** One past the highest index ever used (bound for scans over the tables). */
  get indexBound(): number {
    return this.nextIndex;
  }

  /** Describes an object by index for messages: `list at 0x7f...` (or `freed object #12`). */
  describe(i: ObjIndex): string {
    return describeObject(this, i);
  }

  /**
   * Emits a `mutation` event (callers check the mask first). For mutators outside core that
   * perform an operation by other means, such as {@link createWeakref}.
   */
  mutated(event: DistributiveOmit<MutationEvent, 'kind' | 'step'>): void {
    this.events.emit({ kind: 'mutation', step: this.step, ...event } as MutationEvent);
  }

  /** A handle for `i` even if it is dead (events about freed objects). */
  private refOrStale(i: ObjIndex): Ref {
    return i === 0 ? NULL_REF : makeRef(i, this.tables.epoch(i));
  }

  private staleError(ref: Ref): HeapError {
    if (ref === NULL_REF) return new HeapError('[heaplab] use of the null reference');
    const i = refIndex(ref);
    const t = this.tables;
    const reused = (t.flags(i) & F.ALIVE) !== 0;
    const what = reused
      ? `object #${i} was freed and its index now holds a ${this.types.get(t.type(i)).name}`
      : `${describeObject(this, i, true)} was freed`;
    return new HeapError(`[heaplab] use after free: ${what}`);
  }

  /** Runs the finalizer of the object at `i` through the host (marks it finalized first). */
  runFinalizer(i: ObjIndex): void {
    runFinalizerOf(this, i);
  }

  /** Creates a weak reference to `target` (pushed on the temporaries); see {@link createWeakref}. */
  createWeakref(type: TypeId, target: Ref, options?: WeakrefOptions): Ref {
    return createWeakref(this, type, target, options);
  }

  /** The referent of weak reference `wr`, or {@link NULL_REF} once it was cleared. */
  weakTarget(wr: Ref): Ref {
    const w = this.index(wr);
    if ((this.tables.flags(w) & F.WEAKREF) === 0)
      throw new HeapError(`[heaplab] ${describeObject(this, w)} is not a weak reference`);
    return this.ref(this.tables.wrTarget[w]);
  }

  /** The weak references to `target`, in list order (callbacks of refcount deaths run in this order). */
  weakrefsTo(target: Ref): Ref[] {
    return weakrefsOf(this, this.index(target)).map((w) => this.ref(w));
  }

  /**
   * Ends a run: a last full collection (reason `end`) for collectors that reclaim anything, the
   * collector's leak report, and the number of unreachable objects left, into the metrics.
   */
  finish(): FinishReport {
    if (this.collector.doCollect !== undefined && this.collecting === 0) {
      this.collect({ kind: 'full', reason: 'end' });
    }
    const leaks = this.collector.doFinish?.();
    const oracle = checkHeap(this);
    this.metrics.objectsLeaked = oracle.unreachable.length;
    return { unreachable: oracle.unreachable, leaks, summary: this.metrics.summary() };
  }

  /** Marks finalizer state by index (collectors running PEP 442 finalization). */
  markFinalized(i: ObjIndex): void {
    this.tables.setFlags(i, this.tables.flags(i) | F.FINALIZED);
  }

  /** Whether the object at `i` has a finalizer that has not run. */
  hasPendingFinalizer(i: ObjIndex): boolean {
    return (this.tables.flags(i) & (F.FINALIZER | F.FINALIZED)) === F.FINALIZER;
  }
}

function createNoneCollectorInline(): Collector {
  // Kept here (not imported from none.ts) to avoid a module cycle; `createNoneCollector` is the public one.
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: 'none',
    traits: {
      reclaimsCycles: false,
      movesObjects: false,
      needsWriteBarrier: false,
      generational: false,
      maintainsRefcounts: false,
      incremental: false,
    },
    doAttach() {},
    doCollect() {},
  };
}

/**
 * Marks the record of freed object `i` free: no slots, no flags, the next epoch; the type and the
 * header count stay for messages about the freed object. Its count goes to 0 and, only for objects
 * given one (flag `F.PAYLOAD`), its payload entry is cleared. `flagsType` and `classHeader` are
 * the record's words as they were.
 */
function clearRecord(t: HeapTables, i: ObjIndex, flagsType: number, classHeader: number): void {
  const words = t.i32;
  const w = i * R.WORDS;
  const epoch = words[w + R.EPOCH] + 1;
  words[w + R.SLOT_OFF] = 0;
  words[w + R.SLOT_LEN] = 0;
  words[w + R.CLASS_HEADER] = classHeader & ~0xff;
  words[w + R.FLAGS_TYPE] = flagsType & ~0xffff;
  words[w + R.EPOCH] = epoch >= K.EPOCH_WRAP ? 2 : epoch;
  words[w + R.RC] = 0;
  words[w + R.COLLECTOR] = 0;
  words[w + R.COLLECTOR + 1] = 0;
  words[w + R.COLLECTOR + 2] = 0;
  if (flagsType & F.PAYLOAD) t.payload[i] = undefined;
}
