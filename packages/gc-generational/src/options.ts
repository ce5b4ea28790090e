import type { Heap, ObjIndex } from '@heaplab/core';
import type { GcProfile, ProfileName } from './profiles.js';

/**
 * Lists what `gc.get_referents` reports for a container, in CPython's traverse order. The
 * language supplies it where its objects keep slots CPython does not visit (a dict with only
 * string keys reports its values only); return `undefined` to use every non-empty slot.
 */
export type ReferentsFunction = (heap: Heap, obj: ObjIndex) => readonly ObjIndex[] | undefined;

/** Options of {@link createGenerationalCollector}. */
export interface GenerationalOptions {
  /** The CPython version to reproduce: a built-in profile's name or a profile object (default `cpython-3.11`). */
  readonly profile?: ProfileName | GcProfile;
  /** Initial thresholds overriding the profile's (as `gc.set_threshold` would). */
  readonly thresholds?: readonly number[];
  /** Start with automatic collection disabled, as after `gc.disable()` (default false). */
  readonly disabled?: boolean;
  /** What `gc.get_referents` reports for a container (default: its non-empty slots in order). */
  readonly referents?: ReferentsFunction;
}
