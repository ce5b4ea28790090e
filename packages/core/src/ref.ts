/**
 * A handle to a heap object, as the mutator holds it: the object's index in the heap's tables plus
 * the allocation epoch of that index. A handle to a freed object never matches a live object again,
 * so using it is detected and reported instead of silently touching whatever reuses the index.
 *
 * Collectors work with raw indices ({@link ObjIndex}); the mutator works with `Ref`s.
 */
export type Ref = number & { readonly __heaplabRef: true };

/** A raw object index into the heap's tables (its record, its slots): what collectors iterate over. */
export type ObjIndex = number;

/** The null reference: an empty slot, an unbound root, a cleared weak reference. */
export const NULL_REF = 0 as Ref;

/** Number of bits of a {@link Ref} that hold the object index. */
export const INDEX_BITS = 24;

/** The largest number of objects a heap can hold at once (2^24 - 1; index 0 is the null object). */
export const MAX_OBJECTS = (1 << INDEX_BITS) - 1;

const INDEX_MASK = MAX_OBJECTS;
const EPOCH_SCALE = 2 ** INDEX_BITS;

/** Builds a handle from an index and the epoch it was allocated in. */
export function makeRef(index: ObjIndex, epoch: number): Ref {
  return (epoch * EPOCH_SCALE + index) as Ref;
}

/** The object index a handle points at (whether or not the object is still alive). */
export function refIndex(ref: Ref): ObjIndex {
  return ref & INDEX_MASK;
}

/** The allocation epoch a handle was created in. */
export function refEpoch(ref: Ref): number {
  return (ref - (ref & INDEX_MASK)) / EPOCH_SCALE;
}
