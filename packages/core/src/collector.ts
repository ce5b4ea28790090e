import type { Heap } from './heap.js';
import type { ObjIndex } from './ref.js';

/** The version of the collector contract this core implements. */
export const COLLECTOR_SPEC_VERSION = 'heaplab.collector/v1';

/**
 * What a collector does, declared as data. The heap reads these to decide what to maintain and
 * install (reference counts, write barriers), and the comparison tools to explain results.
 */
export interface CollectorTraits {
  /** Reclaims unreachable cycles. */
  readonly reclaimsCycles: boolean;
  /** Moves objects, so addresses change. */
  readonly movesObjects: boolean;
  /** Wants {@link Collector.doWriteBarrier} called on every reference write. */
  readonly needsWriteBarrier: boolean;
  /** Divides the heap into generations. */
  readonly generational: boolean;
  /** Maintains reference counts (the heap keeps them; reading them is allowed). */
  readonly maintainsRefcounts: boolean;
  /** Works in increments rather than whole collections. */
  readonly incremental: boolean;
}

/** Traits with every capability off; collectors spread this and switch on what they have. */
export const DEFAULT_TRAITS: CollectorTraits = {
  reclaimsCycles: false,
  movesObjects: false,
  needsWriteBarrier: false,
  generational: false,
  maintainsRefcounts: false,
  incremental: false,
};

/** Why a collection runs. */
export type CollectReason = 'explicit' | 'allocation' | 'heap-limit' | 'safepoint' | 'end';

/** What kind of collection is asked for. */
export type CollectKind = 'full' | 'minor' | 'increment';

/** A request for a collection. */
export interface CollectRequest {
  /** Default `'full'`. */
  readonly kind?: CollectKind;
  /** For generational collectors: the oldest generation to collect. */
  readonly generation?: number;
  /** Default `'explicit'`. */
  readonly reason?: CollectReason;
}

/** Deterministic work counters of a collection or one of its phases. */
export interface WorkCounts {
  /** Objects a phase looked at. */
  objectsVisited: number;
  /** Reference slots a phase read. */
  refsScanned: number;
  /** Objects freed. */
  objectsFreed: number;
  /** Bytes freed. */
  bytesFreed: number;
}

/** One phase of a collection. */
export interface PhaseReport extends Readonly<WorkCounts> {
  /** Phase name, e.g. `mark`, `sweep`, `subtract-refs`. */
  readonly name: string;
  /** `objectsVisited + refsScanned + objectsFreed`: the phase's deterministic cost. */
  readonly work: number;
  /** Wall time of the phase. */
  readonly ms: number;
}

/** What one collection did. */
export interface CollectionReport extends Readonly<WorkCounts> {
  /** Collection number within the heap, from 1. */
  readonly collection: number;
  /** The collector's name. */
  readonly collector: string;
  /** What was asked. */
  readonly kind: CollectKind;
  /** The generation collected, for generational collectors (else -1). */
  readonly generation: number;
  /** Why it ran. */
  readonly reason: CollectReason;
  /** The mutator step at which it ran. */
  readonly step: number;
  /** Total deterministic work (sum over phases). */
  readonly work: number;
  /** Wall time. */
  readonly ms: number;
  /** The phases in order. */
  readonly phases: readonly PhaseReport[];
  /** Live heap bytes before and after. */
  readonly bytesBefore: number;
  /** Live heap bytes after. */
  readonly bytesAfter: number;
  /** Live objects after. */
  readonly objectsAfter: number;
  /** Weak references cleared. */
  readonly weakrefsCleared: number;
  /** Weak reference callbacks run. */
  readonly callbacksRun: number;
  /** Finalizers run. */
  readonly finalizersRun: number;
  /** Collector-specific figures (for example `collected` and `uncollectable` for CPython's). */
  readonly extra: Readonly<Record<string, number>>;
  /** True when the request was refused because a collection was already running. */
  readonly skipped: boolean;
}

/** What a collector gets while it collects: counters to bump and phase boundaries to mark. */
export interface CollectionContext {
  /** The collection's number. */
  readonly collection: number;
  /** The request, with defaults filled in. */
  readonly request: Required<CollectRequest>;
  /** Counters of the current phase; add to them as work is done. */
  readonly work: WorkCounts;
  /** Whether anybody wants the object sets of phases (costly; only build them when true). */
  readonly wantsPhaseObjects: boolean;
  /** Ends the current phase (if any) and starts `name`; `objects` are shown by viewers. */
  phase(name: string, objects?: readonly ObjIndex[]): void;
  /** Attaches the current phase's result set (marked, unreachable...) for viewers. */
  show(objects: readonly ObjIndex[]): void;
  /** Records a collector-specific figure in the report's `extra`. */
  note(key: string, value: number): void;
}

/** What a reference-counting collector reports about what it leaked at the end of a run. */
export interface LeakReport {
  /** Unreachable objects still allocated. */
  readonly leaked: readonly ObjIndex[];
  /** Strongly connected components of leaked objects that contain a cycle. */
  readonly cycles: readonly (readonly ObjIndex[])[];
}

/**
 * The collector contract, version {@link COLLECTOR_SPEC_VERSION}. Only `doAttach` and
 * `doCollect` are required; every other hook is optional and is only called when present. Hooks
 * are prefixed `do` because the heap calls them: users call {@link Heap.collect} instead.
 */
export interface Collector {
  /** Must be {@link COLLECTOR_SPEC_VERSION}. */
  readonly specificationVersion: typeof COLLECTOR_SPEC_VERSION;
  /** Short name shown in reports (`refcount`, `marksweep`...). */
  readonly name: string;
  /** Capabilities, as data. */
  readonly traits: CollectorTraits;
  /** Called once when the heap is created, before any allocation. */
  doAttach(heap: Heap): void;
  /** Runs one collection. */
  doCollect(context: CollectionContext): void;
  /** An object was allocated (`fromFreeList`: its memory came from a type's free list). */
  doAllocate?(obj: ObjIndex, fromFreeList: boolean): void;
  /** A container started being tracked. */
  doTrack?(obj: ObjIndex): void;
  /** A container stopped being tracked. */
  doUntrack?(obj: ObjIndex): void;
  /** Write barrier: slot `slot` of `obj` changed from `old` to `value` (0 = empty). */
  doWriteBarrier?(obj: ObjIndex, slot: number, old: ObjIndex, value: ObjIndex): void;
  /** A root changed from `old` to `value`. */
  doRootChange?(old: ObjIndex, value: ObjIndex): void;
  /** The mutator is at a safepoint: every reference it holds is in a root. */
  doSafepoint?(): void;
  /** A reference count reached zero (default: the heap releases the object in CPython's order). */
  doRefcountZero?(obj: ObjIndex): void;
  /** An object is about to be freed (`toFreeList`: its memory stays on a type free list). */
  doFree?(obj: ObjIndex, toFreeList: boolean): void;
  /** The run is over: report leaked objects, if the collector knows what it leaks. */
  doFinish?(): LeakReport | undefined;
  /** The heap is being disposed. */
  doDispose?(): void;
}

/** A function that creates a collector from options. */
export type CollectorFactory<O = Record<string, unknown>> = (options?: O) => Collector;
