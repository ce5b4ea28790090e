/**
 * `@heaplab/gc-marksweep`: a stop-the-world mark-sweep collector. It traces from the roots with
 * an explicit worklist, reclaims cycles, finalizes and lets finalizers resurrect, clears weak
 * references, and sweeps eagerly or lazily. It keeps no reference counts.
 *
 * @packageDocumentation
 */
export {
  createMarkSweepCollector,
  createMarkSweepCollector as default,
  MARKSWEEP_TRAITS,
  type MarkSweepCollector,
  type MarkSweepState,
} from './collector.js';
export {
  MARKSWEEP_COLLECTOR_NAME,
  type MarkSweepOptions,
  type ResolvedMarkSweepOptions,
  resolveMarkSweepOptions,
  type SweepMode,
} from './options.js';
