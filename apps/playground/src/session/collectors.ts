import { type Collector, createNoneCollector } from '@heaplab/core';
import { createCopyingCollector } from '@heaplab/gc-copying';
import { createGenerationalCollector } from '@heaplab/gc-generational';
import { createMarkSweepCollector } from '@heaplab/gc-marksweep';
import { createRefcountCollector } from '@heaplab/gc-refcount';
import { MARKSWEEP_MINIMUM_BYTES } from './collector-menu.js';

const FACTORIES: Readonly<Record<string, () => Collector>> = {
  refcount: () => createRefcountCollector(),
  marksweep: () => createMarkSweepCollector({ minimumBytes: MARKSWEEP_MINIMUM_BYTES }),
  generational: () => createGenerationalCollector(),
  copying: () => createCopyingCollector(),
  none: () => createNoneCollector(),
};

/** A fresh collector of the menu entry `name` for one run, or undefined for an unknown name. */
export function createCollector(name: string): Collector | undefined {
  return Object.hasOwn(FACTORIES, name) ? FACTORIES[name]() : undefined;
}
