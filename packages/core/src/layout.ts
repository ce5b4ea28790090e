/**
 * The record layout and flag bits as enums, for core's own hot paths: the bundler
 * writes their values into the code, where a module-level constant would be read from memory (and
 * checked) at every use. The public names (`F_ALIVE`, `R_SLOT_OFF`, `REC_WORDS`...) in `tables.ts`
 * have the same values; `layout.test.ts` checks that they agree.
 * @internal
 * @module
 */

/** Object flag bits (public as `F_*`). */
export enum F {
  ALIVE = 1,
  FINALIZER = 2,
  FINALIZED = 4,
  TRACKED = 8,
  IMMORTAL = 16,
  GROWABLE = 32,
  WEAKREF = 64,
  RELEASING = 128,
  WR_BASIC = 256,
  WR_PROXY = 512,
  STATIC = 1024,
  MARK = 2048,
  PAYLOAD = 4096,
}

/**
 * Record size and field offsets (public as `RECORD_BYTES`, `REC_*` and `R_*`). Offsets into
 * different views (`u16`, `i32`, `u8`, `f64`) share values, so Biome's duplicate-value rule is off
 * for this file.
 */
export enum R {
  /** Bytes per record: one cache line. */
  BYTES = 64,
  /** 32-bit words per record. */
  WORDS = BYTES / 4,
  /** 16-bit halves per record. */
  HALVES = BYTES / 2,
  /** Doubles per record. */
  DOUBLES = BYTES / 8,
  /** `u16` offset of the flag bits. */
  FLAGS = 0,
  /** `u16` offset of the type id. */
  TYPE = 1,
  /** `i32` offset of the reference count. */
  RC = 1,
  /** `i32` offset of the slot region's offset. */
  SLOT_OFF = 2,
  /** `i32` offset of the number of slots in use. */
  SLOT_LEN = 3,
  /** `i32` offset of the inline slot region (every record has one; small objects use it). */
  INLINE = 4,
  /** Slots the inline region holds. */
  INLINE_SLOTS = 4,
  /** `u32` offset of the size in bytes. */
  SIZE = 8,
  /** `u8` offset of the slot region's capacity class (0: the inline region). */
  SLOT_CLASS = 36,
  /** `u8` offset of the header-slot count. */
  HEADER = SLOT_CLASS + 1,
  /** `f64` offset of the address. */
  ADDR = 5,
  /** `u32` offset of the allocation epoch. */
  EPOCH = 12,
  /** `i32` offset of the words the heap's collector may use (see `R_COLLECTOR`). */
  COLLECTOR = 13,
  /** Words the collector may use. */
  COLLECTOR_WORDS = 3,
  /**
   * `i32` offset of the word holding the flags (low half) and the type id (high half), so that hot
   * paths read both through the one view they use for everything else.
   */
  FLAGS_TYPE = 0,
  /** `i32` offset of the word holding the slot class (lowest byte) and the header count (next). */
  CLASS_HEADER = SLOT_CLASS / 4,
}

/** The event bits core's hot paths test (public as `EVENT_BITS`). */
export enum E {
  ALLOCATED = 1,
  FREED = 2,
  REFCOUNT = 4,
  WRITE = 8,
}

/** Other constants of core's hot paths. */
export enum K {
  /** Epochs wrap here, so that handles (`epoch * 2^24 + index`) stay below 2^52. */
  EPOCH_WRAP = 2 ** 28,
  /** The release engine's cursor of an object whose release has not begun. */
  START = -1,
}

/** How a type's objects are released (`TypeRegistry.releaseBits`). */
export enum Rel {
  /** Items are released last to first. */
  REVERSE = 1,
  /** The last header slot is released after the free. */
  DEFER_LAST_HEADER = 2,
  /** The first slot is released after the free. */
  DEFER_FIRST_SLOT = 4,
  /** Freed blocks may go to the type's free list. */
  FREE_LIST = 8,
  /** Bits that keep an object off the release engine's plain path. */
  NOT_PLAIN = DEFER_LAST_HEADER | DEFER_FIRST_SLOT | FREE_LIST,
}
