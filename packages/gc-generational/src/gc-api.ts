import type { Collector, ObjIndex, Ref } from '@heaplab/core';

/** `gc.DEBUG_STATS`. */
export const DEBUG_STATS = 1;
/** `gc.DEBUG_COLLECTABLE`. */
export const DEBUG_COLLECTABLE = 2;
/** `gc.DEBUG_UNCOLLECTABLE`. */
export const DEBUG_UNCOLLECTABLE = 4;
/** `gc.DEBUG_SAVEALL`: unreachable objects go to `gc.garbage` instead of being freed. */
export const DEBUG_SAVEALL = 32;
/** `gc.DEBUG_LEAK`. */
export const DEBUG_LEAK = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;

/** An error the `gc` module raises, with the Python exception type CPython uses. */
export class GcError extends Error {
  /** The Python exception type: `ValueError`, `TypeError`... */
  readonly pythonType: string;
  /** Creates the error. */
  constructor(pythonType: string, message: string) {
    super(message);
    this.name = 'GcError';
    this.pythonType = pythonType;
  }
}

/** One generation's statistics, as `gc.get_stats()` reports them. */
export interface GcGenerationStats {
  /** Collections of this generation. */
  readonly collections: number;
  /** Objects collected. */
  readonly collected: number;
  /** Objects found uncollectable. */
  readonly uncollectable: number;
}

/** What `gc.callbacks` receive as `info`. */
export interface GcCallbackInfo {
  /** The generation being collected. */
  readonly generation: number;
  /** Objects collected (0 at `start`). */
  readonly collected: number;
  /** Objects found uncollectable (0 at `start`). */
  readonly uncollectable: number;
}

/**
 * Runs the language's `gc.callbacks` with `"start"` or `"stop"`. The collector calls it around
 * every collection while one is set; the language sets it only while `gc.callbacks` is non-empty
 * (CPython builds no `info` dict when there are no callbacks, which shows in allocation counts).
 */
export type GcCallbackInvoker = (phase: 'start' | 'stop', info: GcCallbackInfo) => void;

/**
 * The whole surface of CPython's `gc` module, as an API a language binds to. Objects are heap
 * indices; the language converts to and from its values. Bad arguments throw {@link GcError}
 * with CPython's type and message.
 */
export interface GcApi {
  /** The profile's name, e.g. `cpython-3.11`. */
  readonly profileName: string;
  /** `gc.enable()`. */
  enable(): void;
  /** `gc.disable()`. */
  disable(): void;
  /** `gc.isenabled()`. */
  isEnabled(): boolean;
  /**
   * `gc.collect(generation=2)`: collects generations 0..generation and returns the number of
   * unreachable objects found (collected + uncollectable); 0 while a collection is running.
   */
  collect(generation?: number): number;
  /** `gc.get_count()`. */
  getCount(): readonly number[];
  /** `gc.get_threshold()`. */
  getThreshold(): readonly number[];
  /** `gc.set_threshold(threshold0[, threshold1[, threshold2]])`. */
  setThreshold(thresholds: readonly number[]): void;
  /** `gc.get_stats()`, one entry per generation. */
  getStats(): GcGenerationStats[];
  /** `gc.get_objects(generation=None)`: tracked objects, in the collector's list order. */
  getObjects(generation?: number): ObjIndex[];
  /** `gc.get_referrers(*objs)`: tracked objects referring to any of `objects`. */
  getReferrers(objects: readonly ObjIndex[]): ObjIndex[];
  /** `gc.get_referents(*objs)`: what the objects refer to (slot order). */
  getReferents(objects: readonly ObjIndex[]): ObjIndex[];
  /** `gc.is_tracked(obj)`. */
  isTracked(obj: ObjIndex): boolean;
  /** `gc.is_finalized(obj)`. */
  isFinalized(obj: ObjIndex): boolean;
  /** `gc.freeze()`. */
  freeze(): void;
  /** `gc.unfreeze()`. */
  unfreeze(): void;
  /** `gc.get_freeze_count()`. */
  getFreezeCount(): number;
  /** `gc.set_debug(flags)`. */
  setDebug(flags: number): void;
  /** `gc.get_debug()`. */
  getDebug(): number;
  /** Sets the growable list object that is `gc.garbage` (DEBUG_SAVEALL appends to it). */
  setGarbageList(list: Ref): void;
  /** Sets (or clears) the runner of `gc.callbacks`. */
  setCallbackInvoker(invoker: GcCallbackInvoker | null): void;
  /**
   * Sets where the debug flags' messages go (CPython writes them to stderr): `DEBUG_STATS`
   * (`gc: collecting generation 2...`, the objects in each generation, `gc: done, ...`) and
   * `DEBUG_COLLECTABLE` (`gc: collectable <A 0x7f...>`). `null`: nothing is written.
   */
  setDebugOutput?(write: ((text: string) => void) | null): void;
}

/** A collector that offers CPython's `gc` module surface. */
export interface CollectorWithGc extends Collector {
  /** The `gc` module API. */
  readonly gc: GcApi;
}

/** The `gc` API of `collector`, when it has one (the generational collector does). */
export function getGcApi(collector: Collector): GcApi | undefined {
  const gc = (collector as Partial<CollectorWithGc>).gc;
  return gc && typeof gc.collect === 'function' ? gc : undefined;
}
