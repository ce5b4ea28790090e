import {
  type CollectionContext,
  type Heap,
  NULL_REF,
  type ObjectField,
  type ObjIndex,
  type Ref,
} from '@heaplab/core';
import type { GcCallbackInvoker, GcGenerationStats } from './gc-api.js';
import { GcLists, type ListId } from './gc-lists.js';
import type { ReferentsFunction } from './options.js';
import type { GcProfile } from './profiles.js';

/** List ids. Generations 0..2 are lists 1..3 (3.14: young, old[0], old[1]). */
export const GEN_LIST = [1, 2, 3] as const;
/** List ids of the permanent generation and the work lists (see {@link GEN_LIST}). */
export enum L {
  /** The permanent generation (`gc.freeze`). */
  PERMANENT = 4,
  /** Work list: tentatively unreachable objects. */
  UNREACHABLE = 5,
  /** Work list: garbage already offered to finalizers. */
  SEEN = 6,
  /** Work list: garbage still unreachable after finalizers. */
  STILL_UNREACHABLE = 7,
  /** Work list: weak references whose callbacks are to run. */
  WEAKREF_CALLBACKS = 8,
  /** Work list: one increment of the incremental collector. */
  INCREMENT = 9,
  /** Work list: survivors of an incremental region. */
  SURVIVORS = 10,
  /** Work list: objects being marked reachable by the incremental collector. */
  REACHABLE = 11,
}

/**
 * Collection state (`GcLists.refs`) of an object. Outside the set being collected it is
 * {@link Refs.NOT_COLLECTING} (CPython: `PREV_MASK_COLLECTING` clear); inside the set it holds
 * `gc_refs + 1`; in the tentatively unreachable list, {@link Refs.TENTATIVE} (CPython's
 * `NEXT_MASK_UNREACHABLE`). One value, so each reference visited costs one access.
 */
export enum Refs {
  /** Not being collected. */
  NOT_COLLECTING = 0,
  /** In the tentatively unreachable list (and still being collected). */
  TENTATIVE = -1,
}

/**
 * Type kind bits (cached per type id). These and the other collector constants are enums
 * so that the bundle writes their values into the hot loops instead of loading a variable.
 */
export enum Kind {
  /** The kind of the type id has been computed. */
  KNOWN = 1,
  /** The type has a GC header (a container). */
  CONTAINER = 2,
  /** Untracked at collections when no item may be tracked (tuples). */
  TUPLE = 4,
  /** Untracked at full collections when no key or value may be tracked (dicts). */
  DICT = 8,
  /** No clear operation (tuples). */
  CLEAR_NONE = 16,
  /** Clears references last to first (lists). */
  CLEAR_REVERSE = 32,
  /** The first slot (an instance's class) stays until the free (`TypeSpec.deferFirstSlot`). */
  DEFER_FIRST_SLOT = 64,
}

/** Mutable statistics of one generation. */
export interface MutableStats {
  collections: number;
  collected: number;
  uncollectable: number;
}

/** The collector's whole state, shared by its parts. */
export class GcState {
  /** The lists, with each object's links and `gc_refs`. */
  readonly lists: GcLists;
  /** Old-space bit of each object (incremental design). */
  private readonly spaceBits: ObjectField<Uint8Array>;
  private readonly kinds = new Uint8Array(65536);
  readonly counts = [0, 0, 0];
  readonly thresholds: number[];
  readonly stats: MutableStats[] = [0, 1, 2].map(() => ({ collections: 0, collected: 0, uncollectable: 0 }));
  enabled: boolean;
  debug = 0;
  garbage: Ref = NULL_REF;
  invoker: GcCallbackInvoker | null = null;
  /** Where debug messages go (`gc.set_debug`), or null. */
  debugWrite: ((text: string) => void) | null = null;
  /** A collection is due at the next safepoint (3.12+). */
  scheduled = false;
  longLivedPending = 0;
  longLivedTotal = 0;
  /** What the last collection returned (collected + uncollectable). */
  lastResult = 0;
  /** Objects {@link deduceUnreachable} last left in its unreachable list. */
  unreachableCount = 0;
  /** Collected objects of the last collection. */
  lastCollected = 0;
  /** Uncollectable objects of the last collection. */
  lastUncollectable = 0;
  /** Incremental design: which old space is "visited" (0 or 1). */
  visitedSpace = 0;
  /** Incremental design: the next increment marks from the roots first. */
  markPhase = true;
  /** Incremental design: objects still to scan in this cycle. */
  workToDo = 0;
  /** Incremental design: tracked objects (CPython's `heap_size`). */
  heapSize = 0;
  /** The profile's young count follows allocations (3.11 to 3.13), read once per allocation and free. */
  readonly countsAllocations: boolean;
  /** The profile's young count follows tracking (3.14). */
  readonly countsTracking: boolean;
  /** The profile is the incremental design (3.14). */
  readonly incremental: boolean;

  constructor(
    readonly heap: Heap,
    readonly profile: GcProfile,
    readonly referents: ReferentsFunction | undefined,
    enabled: boolean,
    thresholds: readonly number[] | undefined,
  ) {
    this.countsAllocations = profile.youngCount === 'allocations';
    this.countsTracking = profile.youngCount === 'tracking';
    this.incremental = profile.design === 'incremental';
    this.lists = new GcLists(heap);
    this.spaceBits = heap.createField(Uint8Array);
    this.thresholds = [...profile.thresholds];
    thresholds?.forEach((t, i) => {
      this.thresholds[i] = t;
    });
    this.enabled = enabled;
  }

  /** Collection state of `obj`: see {@link Refs.NOT_COLLECTING} and {@link Refs.TENTATIVE}. */
  refs(obj: ObjIndex): number {
    return this.lists.refs.data[obj];
  }

  /** Sets the collection state of `obj`. */
  setRefs(obj: ObjIndex, value: number): void {
    this.lists.refs.data[obj] = value;
  }

  /** Old-space bit of `obj` (incremental design). */
  space(obj: ObjIndex): number {
    return this.spaceBits.data[obj];
  }

  /** Sets the old-space bit of `obj`. */
  setSpace(obj: ObjIndex, space: number): void {
    this.spaceBits.data[obj] = space;
  }

  /** Scratch: the objects of a list in order (see {@link GcState.growOrder}). */
  order: Int32Array = new Int32Array(1024);

  /** Doubles {@link GcState.order}, keeping its contents, and returns it. */
  growOrder(): Int32Array {
    const next = new Int32Array(this.order.length * 2);
    next.set(this.order);
    this.order = next;
    return next;
  }

  private typesSeen = 0;
  private dicts = false;
  private tuples = false;

  private surveyTypes(): void {
    const types = this.heap.types;
    if (types.size === this.typesSeen) return;
    this.typesSeen = types.size;
    this.dicts = types.all().some((t) => t.untrack === 'full-collection');
    this.tuples = types.all().some((t) => t.untrack === 'each-collection');
  }

  /** Whether any registered type is untracked at full collections (dicts). */
  hasDictTypes(): boolean {
    this.surveyTypes();
    return this.dicts;
  }

  /** Whether any registered type is untracked at every collection (tuples). */
  hasTupleTypes(): boolean {
    this.surveyTypes();
    return this.tuples;
  }

  /** The kind bits of type `typeId`. */
  kind(typeId: number): number {
    const k = this.kinds[typeId];
    return k !== 0 ? k : this.learnKind(typeId);
  }

  /** The kind bits of every registered type, by type id (learned now where not yet known). */
  allKinds(): Uint8Array {
    const size = this.heap.types.size;
    for (let id = 0; id < size; id++) if (this.kinds[id] === 0) this.learnKind(id);
    return this.kinds.subarray(0, size);
  }

  private learnKind(typeId: number): number {
    const info = this.heap.types.get(typeId);
    let k = Kind.KNOWN;
    if (info.container) k |= Kind.CONTAINER;
    if (info.untrack === 'each-collection') k |= Kind.TUPLE;
    if (info.untrack === 'full-collection') k |= Kind.DICT;
    if (info.clearOrder === 'none') k |= Kind.CLEAR_NONE;
    if (info.clearOrder === 'reverse') k |= Kind.CLEAR_REVERSE;
    if (info.deferFirstSlot) k |= Kind.DEFER_FIRST_SLOT;
    this.kinds[typeId] = k;
    return k;
  }

  /** Whether `obj` has a GC header. */
  isContainer(obj: ObjIndex): boolean {
    return (this.kind(this.heap.tables.type(obj)) & Kind.CONTAINER) !== 0;
  }

  /** The generation list of generation `g`. */
  gen(g: number): ListId {
    return GEN_LIST[g];
  }

  /** Records a finished collection of generation `g` (statistics, last result, report figures). */
  record(g: number, collected: number, uncollectable: number, context: CollectionContext): number {
    const stats = this.stats[g];
    stats.collections++;
    stats.collected += collected;
    stats.uncollectable += uncollectable;
    this.lastCollected = collected;
    this.lastUncollectable = uncollectable;
    context.note('collected', collected);
    context.note('uncollectable', uncollectable);
    return collected + uncollectable;
  }

  /** Frozen statistics. */
  statsSnapshot(): GcGenerationStats[] {
    return this.stats.map((s) => ({ ...s }));
  }
}
