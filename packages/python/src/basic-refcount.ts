import { COLLECTOR_SPEC_VERSION, type Collector } from '@heaplab/core';

/** Name of {@link createBasicRefcountCollector}'s collector. */
export const BASIC_REFCOUNT_NAME = 'refcount-basic';

/**
 * The collector `runPython` uses when none is given: the heap keeps reference counts and frees
 * an object when its count reaches zero (CPython's deallocation order); cycles are never
 * reclaimed. Use `@heaplab/gc-generational` for CPython's full behaviour.
 */
export function createBasicRefcountCollector(): Collector {
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: BASIC_REFCOUNT_NAME,
    traits: {
      reclaimsCycles: false,
      movesObjects: false,
      needsWriteBarrier: false,
      generational: false,
      maintainsRefcounts: true,
      incremental: false,
    },
    doAttach() {},
    doCollect() {},
  };
}
