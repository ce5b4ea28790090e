import {
  type CollectorEntry,
  CollectorRegistry,
  createNoneCollector,
  NONE_COLLECTOR_NAME,
} from '@heaplab/core';

/** The collectors heaplab ships, by short name, in listing order. */
export const SHIPPED_COLLECTORS: readonly CollectorEntry[] = [
  {
    name: NONE_COLLECTOR_NAME,
    packageName: '@heaplab/core',
    description: 'never frees anything: the baseline every other collector is measured against',
    load: () => createNoneCollector,
  },
];

/**
 * The collectors `heaplab compare` runs when none are named: every shipped collector that frees
 * memory, or `none` while no other is installed.
 */
export const DEFAULT_COMPARE_SET: readonly string[] = (() => {
  const real = SHIPPED_COLLECTORS.map((e) => e.name).filter((n) => n !== NONE_COLLECTOR_NAME);
  return real.length > 0 ? real : [NONE_COLLECTOR_NAME];
})();

/** A {@link CollectorRegistry} holding the {@link SHIPPED_COLLECTORS}. */
export function createCollectorRegistry(): CollectorRegistry {
  return new CollectorRegistry(SHIPPED_COLLECTORS);
}
