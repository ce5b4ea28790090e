import { HeapError, type HeapOptions, type Metrics } from '@heaplab/core';

/** The mark-sweep collector's name, as reports and the registry show it. */
export const MARKSWEEP_COLLECTOR_NAME = 'marksweep';

/**
 * When garbage found by a collection is freed: `'eager'` frees it all before the collection
 * returns; `'lazy'` leaves it to later allocations, a few objects per allocation, so the pause
 * is only the mark.
 */
export type SweepMode = 'eager' | 'lazy';

/** Options of {@link createMarkSweepCollector}. */
export interface MarkSweepOptions {
  /**
   * Heap-growth trigger: collect when the bytes allocated since the last collection (new objects
   * and auxiliary blocks growing, as {@link Metrics.allocatedBytes} counts them) exceed this
   * fraction of the live heap that collection left (1 = 100 %, the default). `Infinity` turns
   * the trigger off, leaving explicit requests and heap limits.
   */
  readonly growth?: number;
  /**
   * The growth trigger never fires before this many bytes were allocated since the last
   * collection, so a nearly empty heap is not collected at every allocation. Default 262144
   * (256 KiB).
   */
  readonly minimumBytes?: number;
  /**
   * A soft heap limit in bytes: an allocation that takes the live heap past it triggers a
   * collection (reason `heap-limit`, swept eagerly). If the live data alone exceeds it, it
   * triggers again only after a collection has brought the heap back under it. Default: none.
   * The heap's own hard limit ({@link HeapOptions.heapLimit}) works with any setting.
   */
  readonly heapLimit?: number;
  /** Eager or lazy sweeping (default `'eager'`); see {@link SweepMode}. */
  readonly sweep?: SweepMode;
  /**
   * Lazy sweeping only: how many garbage objects each allocation frees while some wait (default
   * 16). Collections requested at the end of a run or by a heap limit always sweep everything.
   */
  readonly sweepBudget?: number;
}

/** {@link MarkSweepOptions} with every default filled in. */
export type ResolvedMarkSweepOptions = Required<MarkSweepOptions>;

const positive = (name: string, value: number, allowInfinity: boolean): number => {
  if (
    typeof value !== 'number' ||
    Number.isNaN(value) ||
    value <= 0 ||
    (!allowInfinity && !Number.isFinite(value))
  ) {
    throw new HeapError(
      `[heaplab] [${MARKSWEEP_COLLECTOR_NAME}] option ${name} must be a positive number${allowInfinity ? ' (or Infinity)' : ''}, got ${String(value)}`,
    );
  }
  return value;
};

/** Fills in the defaults of {@link MarkSweepOptions}; throws a {@link HeapError} on a bad value. */
export function resolveMarkSweepOptions(options: MarkSweepOptions = {}): ResolvedMarkSweepOptions {
  const sweep = options.sweep ?? 'eager';
  if (sweep !== 'eager' && sweep !== 'lazy') {
    throw new HeapError(
      `[heaplab] [${MARKSWEEP_COLLECTOR_NAME}] option sweep must be 'eager' or 'lazy', got ${JSON.stringify(sweep)}`,
    );
  }
  return {
    growth: positive('growth', options.growth ?? 1, true),
    minimumBytes:
      options.minimumBytes === 0 ? 0 : positive('minimumBytes', options.minimumBytes ?? 262144, false),
    heapLimit: positive('heapLimit', options.heapLimit ?? Number.POSITIVE_INFINITY, true),
    sweep,
    sweepBudget: Math.ceil(positive('sweepBudget', options.sweepBudget ?? 16, false)),
  };
}
