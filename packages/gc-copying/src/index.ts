/**
 * `@heaplab/gc-copying`: a semispace copying collector. Reachable objects are copied to the other
 * semispace in Cheney's breadth-first order; garbage is left behind and reclaimed all at once.
 * Objects move, so their addresses change. Written step by step in the guide "Write your own
 * collector".
 *
 * @packageDocumentation
 */
export { COPYING_COLLECTOR_NAME, COPYING_TRAITS, createCopyingCollector, default } from './collector.js';
export { type CopyingOptions, type ResolvedCopyingOptions, resolveCopyingOptions } from './options.js';
export {
  createSemispaceAllocator,
  isSemispaceAllocator,
  type SemispaceAllocator,
  type SemispaceAllocatorOptions,
} from './semispace-allocator.js';
