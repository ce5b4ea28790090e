import {
  type CollectorEntry,
  CollectorRegistry,
  createNoneCollector,
  NONE_COLLECTOR_NAME,
} from '@heaplab/core';
import { createCopyingCollector } from '@heaplab/gc-copying';
import { createGenerationalCollector } from '@heaplab/gc-generational';
import { createMarkSweepCollector } from '@heaplab/gc-marksweep';
import { createRefcountCollector } from '@heaplab/gc-refcount';

/** The collectors heaplab ships, by short name, in listing order. */
export const SHIPPED_COLLECTORS: readonly CollectorEntry[] = [
  {
    name: 'refcount',
    packageName: '@heaplab/gc-refcount',
    description: 'reference counting: frees an object the moment its count reaches zero; leaks cycles',
    load: () => createRefcountCollector,
  },
  {
    name: 'marksweep',
    packageName: '@heaplab/gc-marksweep',
    description: 'stop-the-world mark-sweep: traces from the roots when the heap grows, frees the rest',
    load: () => createMarkSweepCollector,
  },
  {
    name: 'generational',
    packageName: '@heaplab/gc-generational',
    description: "CPython's collector: reference counting plus the generational cycle detector",
    load: () => createGenerationalCollector,
  },
  {
    name: 'copying',
    packageName: '@heaplab/gc-copying',
    description: "semispace copying (Cheney's scan): live objects move, their addresses change",
    load: () => createCopyingCollector,
  },
  {
    name: NONE_COLLECTOR_NAME,
    packageName: '@heaplab/core',
    description: 'never frees anything: the baseline every other collector is measured against',
    load: () => createNoneCollector,
  },
];

/** The collectors `heaplab compare` runs when none are named. */
export const DEFAULT_COMPARE_SET: readonly string[] = ['refcount', 'marksweep', 'generational'];

/** A {@link CollectorRegistry} holding the {@link SHIPPED_COLLECTORS}. */
export function createCollectorRegistry(): CollectorRegistry {
  return new CollectorRegistry(SHIPPED_COLLECTORS);
}
