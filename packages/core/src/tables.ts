import type { ObjIndex } from './ref.js';

/** Object flag: the index holds a live object. */
export const F_ALIVE = 1;
/** Object flag: the object has a finalizer. */
export const F_FINALIZER = 2;
/** Object flag: the finalizer has run (it never runs twice). */
export const F_FINALIZED = 4;
/** Object flag: tracked by a cycle collector. */
export const F_TRACKED = 8;
/** Object flag: never freed; reference count operations are skipped. */
export const F_IMMORTAL = 16;
/** Object flag: a growable container (its slot count changes). */
export const F_GROWABLE = 32;
/** Object flag: the object is a weak reference. */
export const F_WEAKREF = 64;
/** Object flag: being released by reference count (not to be released twice). */
export const F_RELEASING = 128;
/** Object flag: a weak reference without callback that is shared by later requests. */
export const F_WR_BASIC = 256;
/** Object flag: a weak proxy. */
export const F_WR_PROXY = 512;
/** Object flag: statically placed (its memory does not come from the allocator model). */
export const F_STATIC = 1024;
/** Object flag: free for a collector to use as its mark bit. */
export const F_MARK = 2048;

/**
 * Extends the payload array to `capacity` entries of `undefined`, one at a time: an array written
 * far past its end turns into a dictionary, and every payload read then became a hash lookup.
 */
function fillPayloads(payload: unknown[], capacity: number): void {
  for (let k = payload.length; k < capacity; k++) payload.push(undefined);
}

/**
 * The heap's per-object tables, one typed array per field (struct of arrays), indexed by
 * {@link ObjIndex}. Arrays are replaced when the heap grows: re-read them after anything that can
 * allocate. Weak-reference tables are created on first use.
 */
export class HeapTables {
  /** Type id of each object. */
  type: Uint16Array;
  /** Flag bits (`F_*`). */
  flags: Uint16Array;
  /** Size in bytes (the object's block plus its auxiliary block). */
  size: Uint32Array;
  /** Address: what `id()` shows. */
  addr: Float64Array;
  /** Reference count (maintained only when the collector's traits say so). */
  rc: Int32Array;
  /** Allocation epoch; odd while alive, so stale handles never match. */
  epoch: Uint32Array;
  /** Offset of the object's slot region in the slot pool. */
  slotOff: Int32Array;
  /** Number of slots in use. */
  slotLen: Int32Array;
  /** Capacity of the slot region. */
  slotCap: Int32Array;
  /**
   * Header slots: how many leading slots of the object the item operations of `Heap`
   * skip (a Python object's `__dict__` and class before a list's items). Collectors see all slots.
   */
  header: Uint8Array;
  /** Scalar payloads (int value, str text...), `undefined` for none; as long as the capacity. */
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

  /** Creates tables for `capacity` objects. */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.type = new Uint16Array(capacity);
    this.flags = new Uint16Array(capacity);
    this.size = new Uint32Array(capacity);
    this.addr = new Float64Array(capacity);
    this.rc = new Int32Array(capacity);
    this.epoch = new Uint32Array(capacity);
    this.slotOff = new Int32Array(capacity);
    this.slotLen = new Int32Array(capacity);
    this.slotCap = new Int32Array(capacity);
    this.header = new Uint8Array(capacity);
    this.payload = [];
    fillPayloads(this.payload, capacity);
    this.auxAddr = new Float64Array(0);
    this.auxSize = new Uint32Array(0);
    this.wrTarget = new Int32Array(0);
    this.wrNext = new Int32Array(0);
    this.wrPrev = new Int32Array(0);
    this.wrHead = new Int32Array(0);
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
    this.capacity = capacity;
    this.type = grow(this.type, capacity);
    this.flags = grow(this.flags, capacity);
    this.size = grow(this.size, capacity);
    this.addr = grow(this.addr, capacity);
    this.rc = grow(this.rc, capacity);
    this.epoch = grow(this.epoch, capacity);
    this.slotOff = grow(this.slotOff, capacity);
    this.slotLen = grow(this.slotLen, capacity);
    this.slotCap = grow(this.slotCap, capacity);
    this.header = grow(this.header, capacity);
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
