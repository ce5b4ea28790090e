/**
 * `@heaplab/core`: the simulated heap every heaplab collector runs on, the collector contract,
 * allocator models, events, metrics and the reachability oracle.
 *
 * @packageDocumentation
 */
export { type AllocatorModel, type AllocatorStats, allocatorStats } from './allocator/allocator.js';
export { type BumpAllocatorOptions, createBumpAllocator } from './allocator/bump.js';
export {
  createPymallocModel,
  PYMALLOC_ALIGNMENT,
  PYMALLOC_ARENA_SIZE,
  PYMALLOC_POOL_OVERHEAD,
  PYMALLOC_POOL_SIZE,
  PYMALLOC_SMALL_REQUEST_THRESHOLD,
  type PymallocOptions,
  type PymallocPoolState,
  pymallocPoolState,
} from './allocator/pymalloc.js';
export { SystemAllocatorModel } from './allocator/system-allocator.js';
export { closestNames, didYouMean, editDistance } from './closest.js';
export {
  COLLECTOR_SPEC_VERSION,
  type CollectionContext,
  type CollectionReport,
  type CollectKind,
  type Collector,
  type CollectorFactory,
  type CollectorTraits,
  type CollectReason,
  type CollectRequest,
  DEFAULT_TRAITS,
  type LeakReport,
  type PhaseReport,
  type WorkCounts,
} from './collector.js';
export { describeObject, HeapError, hexAddress } from './errors.js';
export {
  type AllocatedEvent,
  type CallbackRunEvent,
  type CollectionEndEvent,
  type CollectionPhaseEvent,
  type CollectionStartEvent,
  EVENT_BITS,
  EventStream,
  type FinalizerRunEvent,
  type FrameEvent,
  type FreeCause,
  type FreedEvent,
  type HeapEvent,
  type HeapEventKind,
  type HeapEventOf,
  type MovedEvent,
  type MutationBase,
  type MutationEvent,
  type RefcountEvent,
  type ResurrectedEvent,
  type RootAction,
  type RootEvent,
  type WeakrefClearedEvent,
  type WriteEvent,
} from './events.js';
export { cycleBoundGarbage, isCyclic, stronglyConnected } from './graph.js';
export {
  type AllocOptions,
  type DistributiveOmit,
  type FinishReport,
  Heap,
  HeapLimitError,
  type HeapOptions,
  IMMORTAL_REFCOUNT,
} from './heap.js';
export { defaultHost, guarded, type HeapHost, type WeakrefCallbackFunction } from './host.js';
export { Metrics, type MetricsSummary, type PromptnessOptions } from './metrics.js';
export { Mutator, type NewOptions } from './mutator.js';
export { createNoneCollector, NONE_COLLECTOR_NAME } from './none.js';
export {
  checkHeap,
  OracleError,
  type OracleReport,
  type OracleViolation,
  type RetainerHop,
  type RetainerPath,
  reachableMarks,
  retainerPath,
  verifyHeap,
} from './oracle.js';
export {
  INDEX_BITS,
  MAX_OBJECTS,
  makeRef,
  NULL_REF,
  type ObjIndex,
  type Ref,
  refEpoch,
  refIndex,
} from './ref.js';
export {
  type CollectorEntry,
  CollectorLoadError,
  CollectorRegistry,
  type ModuleImporter,
  type ResolvedCollector,
} from './registry.js';
export { ReleaseEngine, runFinalizerOf } from './release.js';
export { type FrameView, RootSet } from './roots.js';
export { Series, type SeriesPoint } from './series.js';
export { SlotPool } from './slot-pool.js';
export {
  COLLECTOR_WORDS,
  F_ALIVE,
  F_FINALIZED,
  F_FINALIZER,
  F_GROWABLE,
  F_IMMORTAL,
  F_MARK,
  F_PAYLOAD,
  F_RELEASING,
  F_STATIC,
  F_TRACKED,
  F_WEAKREF,
  F_WR_BASIC,
  F_WR_PROXY,
  HeapTables,
  INLINE_SLOTS,
  type ObjectField,
  R_ADDR,
  R_COLLECTOR,
  R_EPOCH,
  R_FLAGS,
  R_HEADER,
  R_INLINE,
  R_RC,
  R_SIZE,
  R_SLOT_CLASS,
  R_SLOT_LEN,
  R_SLOT_OFF,
  R_TYPE,
  REC_DOUBLES,
  REC_HALVES,
  REC_WORDS,
  RECORD_BYTES,
  type TypedArray,
} from './tables.js';
export { Marker, sweepObjects } from './tracing.js';
export {
  type FreeListSpec,
  MAX_TYPES,
  type ReleaseOrder,
  type TypeId,
  type TypeInfo,
  TypeRegistry,
  type TypeSpec,
  type UntrackPolicy,
} from './type-registry.js';
export {
  clearWeakref,
  clearWeakrefsOnDeath,
  clearWeakrefsToGarbage,
  createWeakref,
  invokeWeakrefCallback,
  runWeakrefCallbacks,
  unlinkWeakref,
  type WeakrefOptions,
  weakrefsOf,
} from './weakrefs.js';
