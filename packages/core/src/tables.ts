import { F, R } from './layout.js';
import type { ObjIndex } from './ref.js';
import { SlotPool } from './slot-pool.js';

/** Object flag: the index holds a live object. */
export const F_ALIVE: number = F.ALIVE;
/** Object flag: the object has a finalizer. */
export const F_FINALIZER: number = F.FINALIZER;
/** Object flag: the finalizer has run (it never runs twice). */
export const F_FINALIZED: number = F.FINALIZED;
/** Object flag: tracked by a cycle collector. */
export const F_TRACKED: number = F.TRACKED;
/** Object flag: never freed; reference count operations are skipped. */
export const F_IMMORTAL: number = F.IMMORTAL;
/** Object flag: a growable container (its slot count changes). */
export const F_GROWABLE: number = F.GROWABLE;
/** Object flag: the object is a weak reference. */
export const F_WEAKREF: number = F.WEAKREF;
/** Object flag: being released by reference count (not to be released twice). */
export const F_RELEASING: number = F.RELEASING;
/** Object flag: a weak reference without callback that is shared by later requests. */
export const F_WR_BASIC: number = F.WR_BASIC;
/** Object flag: a weak proxy. */
export const F_WR_PROXY: number = F.WR_PROXY;
/** Object flag: statically placed (its memory does not come from the allocator model). */
export const F_STATIC: number = F.STATIC;
/** Object flag: free for a collector to use as its mark bit. */
export const F_MARK: number = F.MARK;
/** Object flag: the object has a payload (set by {@link HeapTables.setPayload}; the free clears it). */
export const F_PAYLOAD: number = F.PAYLOAD;

// The record's fields are read both through byte-sized views and, in hot paths, as parts of 32-bit
// words (flags and type in one word): that takes a little-endian platform, as every engine heaplab
// runs on is.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('[heaplab] the heap tables need a little-endian platform');
}

/**
 * Extends the payload array to `capacity` entries of `undefined`, one at a time: an array written
 * far past its end turns into a dictionary, and every payload read then became a hash lookup.
 */
function fillPayloads(payload: unknown[], capacity: number): void {
  for (let k = payload.length; k < capacity; k++) payload.push(undefined);
}

/** Bytes in a WebAssembly memory page. */
const WASM_PAGE = 65536;

/** What heaplab uses of a WebAssembly memory (the project does not build against the DOM types). */
interface LinearMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type LinearMemoryConstructor = new (descriptor: { initial: number }) => LinearMemory;

/**
 * The buffer under the records and the slot pool. Where WebAssembly is available it is a
 * WebAssembly memory: its start is aligned to a page, so each 64-byte record is exactly one cache
 * line (an ordinary `ArrayBuffer` starts wherever the allocator put it, typically 16 bytes into a
 * line, which split every record across two), and it grows in place, without copying what it holds.
 * Elsewhere an ordinary buffer, copied into a larger one to grow.
 */
class RecordMemory {
  private readonly memory: LinearMemory | undefined;
  private plain: ArrayBuffer | undefined;

  /** Zeroed memory of at least `bytes` bytes. */
  constructor(bytes: number) {
    const Memory = (globalThis as { WebAssembly?: { Memory: LinearMemoryConstructor } }).WebAssembly?.Memory;
    if (Memory === undefined) this.plain = new ArrayBuffer(bytes);
    else this.memory = new Memory({ initial: Math.ceil(bytes / WASM_PAGE) });
  }

  /** The WebAssembly memory, or undefined where the buffer is an ordinary one. */
  get wasm(): LinearMemory | undefined {
    return this.memory;
  }

  /** The current buffer (replaced by {@link RecordMemory.grow}). */
  get buffer(): ArrayBuffer {
    return this.memory === undefined ? this.plain! : this.memory.buffer;
  }

  /** Makes the memory at least `bytes` long; what it held stays, what is new is zeroed. */
  grow(bytes: number): void {
    const have = this.buffer.byteLength;
    if (bytes <= have) return;
    if (this.memory !== undefined) {
      this.memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
      return;
    }
    const next = new ArrayBuffer(bytes);
    new Uint8Array(next).set(new Uint8Array(this.plain!));
    this.plain = next;
  }
}

/** Bytes of one object's record in {@link HeapTables}: half a cache line. */
export const RECORD_BYTES: number = R.BYTES;
/** Record size in 32-bit words (`i32`/`u32` index of object `i`'s record: `i * REC_WORDS`). */
export const REC_WORDS: number = R.WORDS;
/** Record size in 16-bit units (`u16` index of object `i`'s record: `i * REC_HALVES`). */
export const REC_HALVES: number = R.HALVES;
/** Record size in 64-bit units (`f64` index of object `i`'s record: `i * REC_DOUBLES`). */
export const REC_DOUBLES: number = R.DOUBLES;
/** `u16` offset of the flag bits in a record. */
export const R_FLAGS: number = R.FLAGS;
/** `u16` offset of the type id in a record. */
export const R_TYPE: number = R.TYPE;
/** `i32` offset of the slot region's offset in a record. */
export const R_SLOT_OFF: number = R.SLOT_OFF;
/** `i32` offset of the number of slots in use in a record. */
export const R_SLOT_LEN: number = R.SLOT_LEN;
/** `u32` offset of the allocation epoch in a record. */
export const R_EPOCH: number = R.EPOCH;
/** `u32` offset of the size in bytes in a record. */
export const R_SIZE: number = R.SIZE;
/** `u8` offset of the slot region's capacity class (`SlotPool.classOf`) in a record. */
export const R_SLOT_CLASS: number = R.SLOT_CLASS;
/** `u8` offset of the header-slot count in a record. */
export const R_HEADER: number = R.HEADER;
/** `f64` offset of the address in a record. */
export const R_ADDR: number = R.ADDR;
/** `i32` offset of the reference count in a record. */
export const R_RC: number = R.RC;
/** `i32` offset of the inline slot region in a record. */
export const R_INLINE: number = R.INLINE;
/** Slots a record's inline region holds: objects with at most this many slots keep them there. */
export const INLINE_SLOTS: number = R.INLINE_SLOTS;
/**
 * `i32` offset of the {@link COLLECTOR_WORDS} words of each record that belong to the heap's
 * collector, for state it reads whenever it reaches the object (a cycle collector's list links,
 * as CPython's `PyGC_Head` sits beside the object): they share the object's cache line. The heap
 * never reads them; they are 0 when an object is allocated (the free clears them).
 */
export const R_COLLECTOR: number = R.COLLECTOR;
/** Words of each record at {@link R_COLLECTOR}. */
export const COLLECTOR_WORDS: number = R.COLLECTOR_WORDS;

/**
 * The heap's per-object tables, indexed by {@link ObjIndex}. An object's fields (type, flags,
 * reference count, slot region, epoch, size, header count, address) and up to
 * {@link INLINE_SLOTS} slots live together in one 64-byte record, as a CPython object keeps its
 * count, type and `__slots__` in its own memory: releasing an object then waits for one cache line,
 * where a record, a count array and a slot pool apart made each step of a release cascade wait for
 * three in turn. Read and write the fields with the accessors (`t.flags(i)`, `t.setFlags(i, f)`),
 * which the compiler inlines, or in hot loops through the views (`i32`, `u32`, `u16`, `u8`, `f64`)
 * at the `R_*` offsets.
 *
 * The records and the {@link SlotPool}'s regions for larger objects share one buffer (records
 * first, the pool above them), so that a slot is `slots.data[slotOff(i) + k]` wherever it lives.
 * Payloads, auxiliary blocks and weak-reference links are arrays of their own. Views and arrays
 * are replaced when the heap grows: re-read them after anything that can allocate. Weak-reference
 * tables are created on first use.
 */
export class HeapTables {
  /** The records' memory (and the slot pool's, above the records). */
  buffer!: ArrayBuffer;
  private readonly memory: RecordMemory;
  /** The records as signed 32-bit words. */
  i32!: Int32Array;
  /** The records as unsigned 32-bit words. */
  u32!: Uint32Array;
  /** The records as unsigned 16-bit halves. */
  u16!: Uint16Array;
  /** The records as bytes. */
  u8!: Uint8Array;
  /** The records as doubles. */
  f64!: Float64Array;
  /**
   * Scalar payloads (int value, str text...), `undefined` for none; as long as the capacity. Read
   * freely; write with {@link HeapTables.setPayload}, which flags the object so that its free
   * clears the entry (objects without one never touch this table).
   */
  payload: unknown[];
  /** Address of the auxiliary block (a list's item array, a dict's table), 0 if none. */
  auxAddr: Float64Array;
  /** Size of the auxiliary block. */
  auxSize: Uint32Array;
  /** For weak references: the referent's index (0 once cleared). */
  wrTarget: Int32Array;
  /** Weak-reference list links: next weak reference to the same referent. */
  wrNext: Int32Array;
  /** Weak-reference list links: previous one. */
  wrPrev: Int32Array;
  /** For any object: the first weak reference to it (0 if none). */
  wrHead: Int32Array;
  /** Number of indices the tables can hold. */
  capacity: number;
  /** The slot regions of objects with more slots than a record holds, above the records. */
  readonly slots: SlotPool;

  /** Creates tables for `capacity` objects, with room for `poolWords` slots outside records. */
  constructor(capacity: number, poolWords = 1 << 16) {
    this.capacity = capacity;
    const words = capacity * R.WORDS;
    const pool = Math.max(16, poolWords + (poolWords & 1));
    this.memory = new RecordMemory((words + pool) * 4);
    this.useRecords(this.memory.buffer);
    this.slots = new SlotPool(this, words, words + pool);
    this.payload = [];
    fillPayloads(this.payload, capacity);
    this.auxAddr = new Float64Array(0);
    this.auxSize = new Uint32Array(0);
    this.wrTarget = new Int32Array(0);
    this.wrNext = new Int32Array(0);
    this.wrPrev = new Int32Array(0);
    this.wrHead = new Int32Array(0);
  }

  /** Type id of object `i`. */
  type(i: ObjIndex): number {
    return this.u16[i * R.HALVES + R.TYPE];
  }
  /** Sets the type id of object `i`. */
  setType(i: ObjIndex, value: number): void {
    this.u16[i * R.HALVES + R.TYPE] = value;
  }
  /** Flag bits (`F_*`) of object `i`. */
  flags(i: ObjIndex): number {
    return this.u16[i * R.HALVES + R.FLAGS];
  }
  /** Sets the flag bits of object `i`. */
  setFlags(i: ObjIndex, value: number): void {
    this.u16[i * R.HALVES + R.FLAGS] = value;
  }
  /** Reference count of object `i` (maintained only when the collector's traits say so). */
  rc(i: ObjIndex): number {
    return this.i32[i * R.WORDS + R.RC];
  }
  /** Sets the reference count of object `i`. */
  setRc(i: ObjIndex, value: number): void {
    this.i32[i * R.WORDS + R.RC] = value;
  }
  /** Offset of object `i`'s slot region in `slots.data` (its record's inline region, or the pool's). */
  slotOff(i: ObjIndex): number {
    return this.i32[i * R.WORDS + R.SLOT_OFF];
  }
  /** Sets the offset of object `i`'s slot region. */
  setSlotOff(i: ObjIndex, value: number): void {
    this.i32[i * R.WORDS + R.SLOT_OFF] = value;
  }
  /** Number of slots object `i` has in use. */
  slotLen(i: ObjIndex): number {
    return this.i32[i * R.WORDS + R.SLOT_LEN];
  }
  /** Sets the number of slots object `i` has in use. */
  setSlotLen(i: ObjIndex, value: number): void {
    this.i32[i * R.WORDS + R.SLOT_LEN] = value;
  }
  /** Capacity of object `i`'s slot region. */
  slotCap(i: ObjIndex): number {
    return SlotPool.capacityOfClass(this.u8[i * R.BYTES + R.SLOT_CLASS]);
  }
  /** Sets the capacity of object `i`'s slot region (a capacity {@link SlotPool} reserves). */
  setSlotCap(i: ObjIndex, value: number): void {
    this.u8[i * R.BYTES + R.SLOT_CLASS] = SlotPool.classOf(value);
  }
  /** Allocation epoch of index `i`; odd while alive, so stale handles never match. */
  epoch(i: ObjIndex): number {
    return this.u32[i * R.WORDS + R.EPOCH];
  }
  /** Sets the allocation epoch of index `i`. */
  setEpoch(i: ObjIndex, value: number): void {
    this.u32[i * R.WORDS + R.EPOCH] = value;
  }
  /** Size in bytes of object `i` (its block plus its auxiliary block). */
  size(i: ObjIndex): number {
    return this.u32[i * R.WORDS + R.SIZE];
  }
  /** Sets the size in bytes of object `i`. */
  setSize(i: ObjIndex, value: number): void {
    this.u32[i * R.WORDS + R.SIZE] = value;
  }
  /**
   * Header slots of object `i`: how many leading slots the item operations of `Heap` skip (a
   * Python object's `__dict__` and class before a list's items). Collectors see all slots.
   */
  header(i: ObjIndex): number {
    return this.u8[i * R.BYTES + R.HEADER];
  }
  /** Sets the number of header slots of object `i`. */
  setHeader(i: ObjIndex, value: number): void {
    this.u8[i * R.BYTES + R.HEADER] = value;
  }
  /** Address of object `i`: what `id()` shows. */
  addr(i: ObjIndex): number {
    return this.f64[i * R.DOUBLES + R.ADDR];
  }
  /** Sets the address of object `i`. */
  setAddr(i: ObjIndex, value: number): void {
    this.f64[i * R.DOUBLES + R.ADDR] = value;
  }

  /** Sets the payload of object `i` (`undefined` for none). */
  setPayload(i: ObjIndex, value: unknown): void {
    this.payload[i] = value;
    const at = i * R.HALVES + R.FLAGS;
    if (value === undefined) this.u16[at] &= ~F.PAYLOAD;
    else this.u16[at] |= F.PAYLOAD;
  }

  /** Makes `buffer` the records' memory, with a view of each kind over it. */
  private useRecords(buffer: ArrayBuffer): void {
    this.buffer = buffer;
    this.i32 = new Int32Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.f64 = new Float64Array(buffer);
    // The pool is constructed after the first buffer.
    if (this.slots !== undefined) this.slots.data = this.i32;
  }

  /**
   * Replaces the buffer by one with `capacity` records and `poolWords` words of pool above them
   * (neither smaller than now): records are copied in place, the pool's used words move up with
   * the end of the records, and every offset into them (objects' slot offsets, the pool's free
   * lists) moves with them.
   */
  resize(capacity: number, poolWords: number): void {
    const oldBase = this.capacity * R.WORDS;
    const base = capacity * R.WORDS;
    const pool = this.slots;
    const used = pool.top - oldBase;
    this.capacity = capacity;
    this.memory.grow((base + poolWords + (poolWords & 1)) * 4);
    this.useRecords(this.memory.buffer);
    const delta = base - oldBase;
    if (delta !== 0) {
      const words = this.i32;
      // The pool moves up past the new records, which start zeroed.
      words.copyWithin(base, oldBase, oldBase + used);
      words.fill(0, oldBase, base);
      for (let w = R.SLOT_OFF; w < oldBase; w += R.WORDS) if (words[w] >= oldBase) words[w] += delta;
    }
    pool.moved(base, base + poolWords, delta);
  }

  /**
   * The WebAssembly memory under the records and the slot pool (a `WebAssembly.Memory`), for
   * WebAssembly code working on them; undefined where WebAssembly is not available.
   * @internal
   */
  get wasmMemory(): unknown {
    return this.memory.wasm;
  }

  /**
   * The byte offset of `bytes` bytes of scratch space above the slot pool, 64-byte aligned, the
   * memory grown (and the views replaced) when it is too short. What is written there lasts
   * until the heap next grows; nothing of the heap's lives there.
   * @internal
   */
  scratch(bytes: number): number {
    const start = (this.slots.end * 4 + 63) & ~63;
    if (start + bytes > this.buffer.byteLength) {
      this.memory.grow(start + bytes);
      this.useRecords(this.memory.buffer);
    }
    return start;
  }

  /** Whether the weak-reference tables exist yet. */
  get hasWeakTables(): boolean {
    return this.wrHead.length !== 0;
  }

  /** Creates the weak-reference tables. */
  ensureWeakTables(): void {
    if (this.hasWeakTables) return;
    this.wrTarget = new Int32Array(this.capacity);
    this.wrNext = new Int32Array(this.capacity);
    this.wrPrev = new Int32Array(this.capacity);
    this.wrHead = new Int32Array(this.capacity);
  }

  /** Creates the auxiliary-block tables. */
  ensureAuxTables(): void {
    if (this.auxAddr.length !== 0) return;
    this.auxAddr = new Float64Array(this.capacity);
    this.auxSize = new Uint32Array(this.capacity);
  }

  /** Grows every table to hold `capacity` objects. */
  grow(capacity: number): void {
    this.resize(capacity, this.slots.end - this.slots.base);
    fillPayloads(this.payload, capacity);
    if (this.auxAddr.length !== 0) {
      this.auxAddr = grow(this.auxAddr, capacity);
      this.auxSize = grow(this.auxSize, capacity);
    }
    if (this.hasWeakTables) {
      this.wrTarget = grow(this.wrTarget, capacity);
      this.wrNext = grow(this.wrNext, capacity);
      this.wrPrev = grow(this.wrPrev, capacity);
      this.wrHead = grow(this.wrHead, capacity);
    }
  }
}

/** The typed-array kinds heap tables and collector fields use. */
export type TypedArray = Uint16Array | Uint32Array | Int32Array | Float64Array | Uint8Array;

/** Copies a typed array into a larger one of the same kind. */
export function grow<T extends TypedArray>(array: T, capacity: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array as never);
  return next;
}

/** A per-object field owned by a collector, grown with the heap (re-read `data` after allocation). */
export interface ObjectField<T extends TypedArray> {
  /** The values, indexed by {@link ObjIndex} (times {@link ObjectField.stride}). */
  data: T;
  /** Values per object (1 when absent). */
  readonly stride?: number;
}
