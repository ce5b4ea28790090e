import type { Heap } from '@heaplab/core';

/** Options of {@link createRefcountCollector}. */
export interface RefcountOptions {
  /**
   * Build a leak report at the end of a run ({@link Heap.finish}): the unreachable objects still
   * allocated and the strongly connected cycles holding them. It costs one trace of the heap and
   * one pass over the leaked objects. Default `true`.
   */
  readonly reportLeaks?: boolean;
}

/** {@link RefcountOptions} with every default filled in. */
export interface ResolvedRefcountOptions {
  /** See {@link RefcountOptions.reportLeaks}. */
  readonly reportLeaks: boolean;
}

/** Fills in the defaults of {@link RefcountOptions}. */
export function resolveRefcountOptions(options: RefcountOptions = {}): ResolvedRefcountOptions {
  return { reportLeaks: options.reportLeaks ?? true };
}
