/** Regions up to this many words are cleared and copied by loops, not by the typed-array builtins. */
const SMALL_REGION = 16;

/**
 * Storage for every object's outgoing reference slots, in one growable `Int32Array` (0 = empty).
 * An object owns a region of a capacity class: exact sizes up to 16 slots, powers of two above.
 * Freed regions go on a free list per class (the first word links to the next free region), so
 * steady-state allocation reuses memory without moving anything.
 */
export class SlotPool {
  /** The slot words. Replaced when the pool grows: re-read after any allocation. */
  data: Int32Array;
  private top = 1;
  private readonly freeHeads: Int32Array;

  /** Creates a pool with room for `initialWords` slots. */
  constructor(initialWords = 1 << 16) {
    this.data = new Int32Array(Math.max(16, initialWords));
    this.freeHeads = new Int32Array(64);
  }

  /** The capacity actually reserved for a request of `n` slots. */
  static capacityFor(n: number): number {
    if (n <= 16) return n;
    return 2 ** Math.ceil(Math.log2(n));
  }

  /** The capacity class of a region of capacity `capacity` (a number below 64; 0 for none). */
  static classOf(capacity: number): number {
    return capacity <= 16 ? capacity : 12 + Math.log2(capacity);
  }

  /** The capacity of class `cls` (the inverse of {@link SlotPool.classOf}). */
  static capacityOfClass(cls: number): number {
    return cls <= 16 ? cls : 2 ** (cls - 12);
  }

  /** Words in use, including free-listed regions (for memory accounting). */
  get wordsReserved(): number {
    return this.top;
  }

  /** Reserves a zeroed region of capacity `capacityFor(n)` and returns its offset (0 when n is 0). */
  allocate(n: number): number {
    if (n === 0) return 0;
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
    const offset = this.top;
    if (offset + capacity > this.data.length) this.growTo(offset + capacity);
    this.top = offset + capacity;
    return offset;
  }

  /** Returns a region of capacity `capacity` (as reserved by {@link allocate}). */
  release(offset: number, capacity: number): void {
    if (capacity !== 0) this.releaseClass(offset, SlotPool.classOf(capacity));
  }

  /** Returns a region of capacity class `cls` (see {@link SlotPool.classOf}). */
  releaseClass(offset: number, cls: number): void {
    this.data[offset] = this.freeHeads[cls];
    this.freeHeads[cls] = offset;
  }

  /** Moves `length` live words of a region to a new region of at least `n` slots. */
  reallocate(offset: number, capacity: number, length: number, n: number): number {
    const next = this.allocate(n);
    const data = this.data;
    if (length <= SMALL_REGION) for (let k = 0; k < length; k++) data[next + k] = data[offset + k];
    else data.copyWithin(next, offset, offset + length);
    this.release(offset, capacity);
    return next;
  }

  private growTo(words: number): void {
    let size = this.data.length;
    while (size < words) size *= 2;
    const next = new Int32Array(size);
    next.set(this.data.subarray(0, this.top));
    this.data = next;
  }
}
