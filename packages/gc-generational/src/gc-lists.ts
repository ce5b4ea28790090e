import type { Heap, HeapTables, ObjectField, ObjIndex } from '@heaplab/core';

/** Identifies one of the collector's object lists (generations, permanent, work lists). */
export type ListId = number;

/** The most lists a {@link GcLists} holds. */
export const MAX_LISTS = 16;

/**
 * Where an object's list links are in the heap's record words (`heap.tables.i32`): the first two
 * of the words each record keeps for its collector (core's `REC_WORDS` and `R_COLLECTOR`, as
 * constants the bundle writes into the code; `gc-lists.test.ts` checks that they agree).
 */
export enum Link {
  /** Values per object: a record's words. */
  STRIDE = 16,
  /** Offset of the next node in an object's record. */
  NEXT = 13,
  /** Offset of the previous node. */
  PREV = 14,
}

/**
 * CPython's GC lists: intrusive doubly linked lists threaded through per-object links, so
 * appending, unlinking, moving and merging whole lists are O(1), as with the `PyGC_Head` links.
 * A list's head is the negative node `-id`; an object that is in no list has `next` 0.
 *
 * An object's two links live in its own record, in the words the heap keeps for its collector, as
 * CPython's `PyGC_Head` sits in front of the object: untracking a dying object, or walking a list
 * while reading each object's count, touches the line the object's other fields are in. Its
 * collection state (`gc_refs`) is a separate, compact array: a collection reads it at random for
 * every reference it follows, and a sixteenth of the bytes to cover keeps more of it in cache.
 */
export class GcLists {
  /**
   * The heap's tables: object `o`'s links are `tables.i32[o * Link.STRIDE + Link.NEXT]` and
   * `[o * Link.STRIDE + Link.PREV]` (read `i32` again after anything that can grow the heap).
   */
  readonly tables: HeapTables;
  /** Collection state of each object (`gc_refs`; 0: not being collected). */
  readonly refs: ObjectField<Int32Array>;
  /** First node of each list (`-id` when empty). */
  readonly headNext = new Int32Array(MAX_LISTS);
  /** Last node of each list (`-id` when empty). */
  readonly headPrev = new Int32Array(MAX_LISTS);

  /** Creates the lists' fields on `heap`; every list starts empty. */
  constructor(heap: Heap) {
    this.tables = heap.tables;
    this.refs = heap.createField(Int32Array);
    for (let id = 1; id < MAX_LISTS; id++) this.init(id);
  }

  /** Empties list `id` (without touching its former members). */
  init(id: ListId): void {
    this.headNext[id] = -id;
    this.headPrev[id] = -id;
  }

  /** Whether list `id` is empty. */
  isEmpty(id: ListId): boolean {
    return this.headNext[id] === -id;
  }

  /** The first object of list `id`, or 0 when it is empty. */
  first(id: ListId): ObjIndex {
    const n = this.headNext[id];
    return Math.max(n, 0);
  }

  /** The object after `obj` in its list, or 0 at the end. */
  after(obj: ObjIndex): ObjIndex {
    const n = this.tables.i32[obj * Link.STRIDE + Link.NEXT];
    return Math.max(n, 0);
  }

  /** Whether `obj` is in some list. */
  inList(obj: ObjIndex): boolean {
    return this.tables.i32[obj * Link.STRIDE + Link.NEXT] !== 0;
  }

  /** Appends `obj` (in no list) at the end of list `id`. */
  append(obj: ObjIndex, id: ListId): void {
    appendRun(this.tables.i32, this.headNext, this.headPrev, obj, obj, id);
  }

  /** Unlinks `obj` from whatever list holds it. */
  remove(obj: ObjIndex): void {
    unlinkRun(this.tables.i32, this.headNext, this.headPrev, obj, obj);
    this.tables.i32[obj * Link.STRIDE + Link.NEXT] = 0;
    this.tables.i32[obj * Link.STRIDE + Link.PREV] = 0;
  }

  /**
   * What untracking does to the collector's state of `obj`: unlinked from its list, if any, and
   * its collection state reset to 0 (not being collected).
   */
  untrack(obj: ObjIndex): void {
    const links = this.tables.i32;
    const at = obj * Link.STRIDE;
    if (links[at + Link.NEXT] !== 0) {
      unlinkRun(links, this.headNext, this.headPrev, obj, obj);
      links[at + Link.NEXT] = 0;
      links[at + Link.PREV] = 0;
    }
    this.refs.data[obj] = 0;
  }

  /** Moves `obj` from its list to the end of list `id`. */
  move(obj: ObjIndex, id: ListId): void {
    moveNode(this.tables.i32, this.headNext, this.headPrev, obj, id);
  }

  /** Appends every object of list `from` to the end of list `to`; `from` becomes empty. */
  merge(from: ListId, to: ListId): void {
    if (from === to || this.isEmpty(from)) return;
    appendRun(this.tables.i32, this.headNext, this.headPrev, this.headNext[from], this.headPrev[from], to);
    this.init(from);
  }

  /** Number of objects in list `id` (a walk, as `gc_list_size`). */
  size(id: ListId): number {
    const links = this.tables.i32;
    let n = 0;
    for (let o = this.headNext[id]; o > 0; o = links[o * Link.STRIDE + Link.NEXT]) n++;
    return n;
  }

  /** The objects of list `id`, in order. */
  toArray(id: ListId): ObjIndex[] {
    const links = this.tables.i32;
    const out: ObjIndex[] = [];
    for (let o = this.headNext[id]; o > 0; o = links[o * Link.STRIDE + Link.NEXT]) out.push(o);
    return out;
  }
}

/**
 * Unlinks the run of objects from `first` to `last` (consecutive in their list, in order; one
 * object when they are equal) on raw arrays; the run's own links are left as they were.
 */
function unlinkRun(
  links: Int32Array,
  headNext: Int32Array,
  headPrev: Int32Array,
  first: ObjIndex,
  last: ObjIndex,
): void {
  const before = links[first * Link.STRIDE + Link.PREV];
  const after = links[last * Link.STRIDE + Link.NEXT];
  if (before < 0) headNext[-before] = after;
  else links[before * Link.STRIDE + Link.NEXT] = after;
  if (after < 0) headPrev[-after] = before;
  else links[after * Link.STRIDE + Link.PREV] = before;
}

/** Appends the run from `first` to `last` (linked in order) at the end of list `to` on raw arrays. */
function appendRun(
  links: Int32Array,
  headNext: Int32Array,
  headPrev: Int32Array,
  first: ObjIndex,
  last: ObjIndex,
  to: ListId,
): void {
  const tail = headPrev[to];
  links[first * Link.STRIDE + Link.PREV] = tail;
  if (tail < 0) headNext[to] = first;
  else links[tail * Link.STRIDE + Link.NEXT] = first;
  links[last * Link.STRIDE + Link.NEXT] = -to;
  headPrev[to] = last;
}

/**
 * Moves the run of objects from `first` to `last` (consecutive in their list, in order) to the
 * end of list `to` in O(1): what moving each of them there in turn gives.
 */
export function moveRun(
  links: Int32Array,
  headNext: Int32Array,
  headPrev: Int32Array,
  first: ObjIndex,
  last: ObjIndex,
  to: ListId,
): void {
  unlinkRun(links, headNext, headPrev, first, last);
  appendRun(links, headNext, headPrev, first, last, to);
}

/**
 * {@link GcLists.move} on raw arrays, for hot loops (small enough for the JIT to inline):
 * unlinks `node` and appends it to list `to`.
 */
export function moveNode(
  links: Int32Array,
  headNext: Int32Array,
  headPrev: Int32Array,
  node: ObjIndex,
  to: ListId,
): void {
  moveRun(links, headNext, headPrev, node, node, to);
}
