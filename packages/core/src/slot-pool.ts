import { R } from './layout.js';
import type { HeapTables } from './tables.js';

/** Regions up to this many words are cleared and copied by loops, not by the typed-array builtins. */
const SMALL_REGION = 16;

/** The capacity of each class (see {@link SlotPool.classOf}), read on every append. */
const CLASS_CAPACITY = Float64Array.from({ length: 64 }, (_, cls) =>
  cls === 0 ? R.INLINE_SLOTS : cls <= 16 ? cls : 2 ** (cls - 12),
);

/**
 * Storage for the outgoing reference slots of objects with more slots than their record's inline
 * region holds (`INLINE_SLOTS`, four), in the words above the records of {@link HeapTables}'
 * buffer (0 = empty slot). Offsets are into that whole buffer, so a slot reads the same way
 * wherever its region is. An object owns a region of a capacity class: class 0 is the inline
 * region, exact sizes up to 16 slots above it, powers of two above that. Freed regions go on a
 * free list per class (the first word links to the next free region), so steady-state allocation
 * reuses memory without moving anything; when the records grow, the whole pool moves up with
 * them ({@link HeapTables.resize}).
 */
export class SlotPool {
  /** The slot words: the tables' `i32`. Replaced when the heap grows: re-read after any allocation. */
  data: Int32Array;
  /** The first word of the pool (the end of the records). */
  base: number;
  /** The first word past the pool. */
  end: number;
  /** The first word never handed out. */
  top: number;
  private readonly freeHeads: Int32Array;

  /** Creates the pool of `tables` over words `base` to `end` of its buffer. */
  constructor(
    private readonly tables: HeapTables,
    base: number,
    end: number,
  ) {
    this.data = tables.i32;
    this.base = base;
    this.end = end;
    this.top = base;
    this.freeHeads = new Int32Array(64);
  }

  /** The capacity actually reserved for a request of `n` slots (the inline region's up to its size). */
  static capacityFor(n: number): number {
    if (n <= R.INLINE_SLOTS) return R.INLINE_SLOTS;
    if (n <= 16) return n;
    // The next power of two, by bits: `2 ** Math.ceil(Math.log2(n))` called the C library's pow.
    return n <= 2 ** 30 ? 1 << (32 - Math.clz32(n - 1)) : 2 ** Math.ceil(Math.log2(n));
  }

  /** The capacity class of a region of capacity `capacity` (a number below 64; 0 for the inline region). */
  static classOf(capacity: number): number {
    if (capacity <= R.INLINE_SLOTS) return 0;
    if (capacity <= 16) return capacity;
    return capacity < 2 ** 31 ? 43 - Math.clz32(capacity) : 12 + Math.log2(capacity);
  }

  /** The capacity of class `cls` (the inverse of {@link SlotPool.classOf}). */
  static capacityOfClass(cls: number): number {
    return CLASS_CAPACITY[cls];
  }

  /** Words in use, including free-listed regions (for memory accounting). */
  get wordsReserved(): number {
    return this.top - this.base;
  }

  /**
   * Reserves a zeroed region of capacity `capacityFor(n)` outside the records (`n` above the
   * inline region's size) and returns its offset.
   */
  allocate(n: number): number {
    const capacity = SlotPool.capacityFor(n);
    const cls = SlotPool.classOf(capacity);
    const head = this.freeHeads[cls];
    if (head !== 0) {
      const data = this.data;
      this.freeHeads[cls] = data[head];
      // Most regions are a few words, where a loop beats the builtin's call.
      if (capacity <= SMALL_REGION) for (let p = head; p < head + capacity; p++) data[p] = 0;
      else data.fill(0, head, head + capacity);
      return head;
    }
    if (this.top + capacity > this.end) this.growTo(this.top + capacity);
    const offset = this.top;
    this.top = offset + capacity;
    return offset;
  }

  /** Returns a region of capacity `capacity` (as reserved by {@link allocate}; the inline region is kept). */
  release(offset: number, capacity: number): void {
    this.releaseClass(offset, SlotPool.classOf(capacity));
  }

  /** Returns a region of capacity class `cls` (see {@link SlotPool.classOf}; class 0 is kept). */
  releaseClass(offset: number, cls: number): void {
    if (cls === 0) return;
    this.data[offset] = this.freeHeads[cls];
    this.freeHeads[cls] = offset;
  }

  /**
   * Moves `length` live words of a region (the inline region or the pool's) to a new region of at
   * least `n` slots. The pool only moves when the records grow, so `offset` stays valid here.
   */
  reallocate(offset: number, capacity: number, length: number, n: number): number {
    const at = this.allocate(n);
    const data = this.data;
    if (length <= SMALL_REGION) for (let k = 0; k < length; k++) data[at + k] = data[offset + k];
    else data.copyWithin(at, offset, offset + length);
    this.release(offset, capacity);
    return at;
  }

  /** Called by {@link HeapTables.resize}: the pool now spans `base` to `end`, its words moved by `delta`. */
  moved(base: number, end: number, delta: number): void {
    this.data = this.tables.i32;
    this.base = base;
    this.end = end;
    this.top += delta;
    if (delta === 0) return;
    const data = this.data;
    for (let cls = 1; cls < this.freeHeads.length; cls++) {
      if (this.freeHeads[cls] === 0) continue;
      this.freeHeads[cls] += delta;
      for (let p = this.freeHeads[cls]; data[p] !== 0; p = data[p]) data[p] += delta;
    }
  }

  private growTo(words: number): void {
    let size = this.end - this.base;
    while (this.base + size < words) size *= 2;
    this.tables.resize(this.tables.capacity, size);
  }
}
