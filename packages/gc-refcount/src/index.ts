/**
 * `@heaplab/gc-refcount`: reference counting as CPython does it without its cycle collector.
 * Objects are freed the moment their count reaches zero; cycles leak and are reported.
 *
 * @packageDocumentation
 */
export {
  createRefcountCollector,
  createRefcountCollector as default,
  REFCOUNT_COLLECTOR_NAME,
  REFCOUNT_TRAITS,
  type RefcountCollector,
} from './collector.js';
export { type RefcountOptions, type ResolvedRefcountOptions, resolveRefcountOptions } from './options.js';
