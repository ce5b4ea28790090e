import type { Heap, ObjectField, ObjIndex } from '@heaplab/core';

/** Identifies one of the collector's object lists (generations, permanent, work lists). */
export type ListId = number;

/** The most lists a {@link GcLists} holds. */
export const MAX_LISTS = 16;

/**
 * CPython's GC lists: intrusive doubly linked lists threaded through two per-object fields, so
 * appending, unlinking, moving and merging whole lists are O(1), as with the `PyGC_Head` links.
 * A list's head is the negative node `-id`; an object that is in no list has `next` 0.
 */
export class GcLists {
  /** Next node of each object (an object index, or `-id` for the end of list `id`; 0 = in no list). */
  readonly next: ObjectField<Int32Array>;
  /** Previous node of each object. */
  readonly prev: ObjectField<Int32Array>;
  /** First node of each list (`-id` when empty). */
  readonly headNext = new Int32Array(MAX_LISTS);
  /** Last node of each list (`-id` when empty). */
  readonly headPrev = new Int32Array(MAX_LISTS);

  /** Creates the lists' fields on `heap`; every list starts empty. */
  constructor(heap: Heap) {
    this.next = heap.createField(Int32Array);
    this.prev = heap.createField(Int32Array);
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
    const n = this.next.data[obj];
    return Math.max(n, 0);
  }

  /** Whether `obj` is in some list. */
  inList(obj: ObjIndex): boolean {
    return this.next.data[obj] !== 0;
  }

  /** Appends `obj` (in no list) at the end of list `id`. */
  append(obj: ObjIndex, id: ListId): void {
    const next = this.next.data;
    const prev = this.prev.data;
    const last = this.headPrev[id];
    prev[obj] = last;
    next[obj] = -id;
    if (last < 0) this.headNext[id] = obj;
    else next[last] = obj;
    this.headPrev[id] = obj;
  }

  /** Unlinks `obj` from whatever list holds it. */
  remove(obj: ObjIndex): void {
    const next = this.next.data;
    const prev = this.prev.data;
    const p = prev[obj];
    const n = next[obj];
    if (p < 0) this.headNext[-p] = n;
    else next[p] = n;
    if (n < 0) this.headPrev[-n] = p;
    else prev[n] = p;
    next[obj] = 0;
    prev[obj] = 0;
  }

  /** Moves `obj` from its list to the end of list `id`. */
  move(obj: ObjIndex, id: ListId): void {
    this.remove(obj);
    this.append(obj, id);
  }

  /** Appends every object of list `from` to the end of list `to`; `from` becomes empty. */
  merge(from: ListId, to: ListId): void {
    if (from === to || this.isEmpty(from)) return;
    const next = this.next.data;
    const prev = this.prev.data;
    const first = this.headNext[from];
    const last = this.headPrev[from];
    const tail = this.headPrev[to];
    prev[first] = tail;
    if (tail < 0) this.headNext[to] = first;
    else next[tail] = first;
    next[last] = -to;
    this.headPrev[to] = last;
    this.init(from);
  }

  /** Number of objects in list `id` (a walk, as `gc_list_size`). */
  size(id: ListId): number {
    const next = this.next.data;
    let n = 0;
    for (let o = this.headNext[id]; o > 0; o = next[o]) n++;
    return n;
  }

  /** The objects of list `id`, in order. */
  toArray(id: ListId): ObjIndex[] {
    const next = this.next.data;
    const out: ObjIndex[] = [];
    for (let o = this.headNext[id]; o > 0; o = next[o]) out.push(o);
    return out;
  }
}
