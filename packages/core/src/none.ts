import { COLLECTOR_SPEC_VERSION, type Collector, DEFAULT_TRAITS } from './collector.js';

/** The `none` collector's name. */
export const NONE_COLLECTOR_NAME = 'none';

/**
 * The baseline collector: never frees anything. Every other collector is measured against it:
 * its peak heap is everything ever allocated, and every unreachable object is a leak.
 */
export function createNoneCollector(): Collector {
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: NONE_COLLECTOR_NAME,
    traits: DEFAULT_TRAITS,
    doAttach() {},
    doCollect() {},
  };
}

export default createNoneCollector;
