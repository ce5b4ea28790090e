import { type Collector, createNoneCollector } from '@heaplab/core';
import { createGenerationalCollector } from '@heaplab/gc-generational';
import { createMarkSweepCollector } from '@heaplab/gc-marksweep';
import { createRefcountCollector } from '@heaplab/gc-refcount';

/** A collector the playground offers. */
export interface CollectorChoice {
  /** Short name (`refcount`, `marksweep`...), used in URLs. */
  readonly name: string;
  /** Name shown in the page. */
  readonly title: string;
  /** One line on what it does. */
  readonly blurb: string;
  /** Creates a fresh collector for one run. */
  readonly create: () => Collector;
}

/** Mark-sweep collects once this many bytes were allocated since the last collection (small, so examples show it). */
const MARKSWEEP_MINIMUM_BYTES = 8192;

/** The collectors offered, in menu order. */
export const COLLECTORS: readonly CollectorChoice[] = [
  {
    name: 'refcount',
    title: 'Reference counting',
    blurb: 'frees an object the moment its count reaches zero; cycles leak',
    create: () => createRefcountCollector(),
  },
  {
    name: 'marksweep',
    title: 'Mark-sweep',
    blurb: `traces from the roots when the heap has grown (at least ${MARKSWEEP_MINIMUM_BYTES / 1024} KiB) or at gc.collect(), frees the rest`,
    create: () => createMarkSweepCollector({ minimumBytes: MARKSWEEP_MINIMUM_BYTES }),
  },
  {
    name: 'generational',
    title: 'CPython generational',
    blurb: 'reference counting plus CPython’s cycle detector over three generations',
    create: () => createGenerationalCollector(),
  },
  {
    name: 'none',
    title: 'None (baseline)',
    blurb: 'never frees anything: every other collector is measured against it',
    create: () => createNoneCollector(),
  },
];

/** The collector called `name`, or undefined. */
export function findCollector(name: string): CollectorChoice | undefined {
  return COLLECTORS.find((c) => c.name === name);
}
