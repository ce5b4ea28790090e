import type { Workload } from '../workload.js';
import { churnWorkload } from './churn.js';
import { finalizersWorkload } from './finalizers.js';
import { graphWorkload } from './graph.js';
import { growthWorkload } from './growth.js';
import { observersWorkload } from './observers.js';
import { ringsWorkload } from './rings.js';
import { seedWorkload } from './seed.js';
import { treesWorkload } from './trees.js';
import { weakCacheWorkload } from './weak-cache.js';

export {
  churnWorkload,
  finalizersWorkload,
  graphWorkload,
  growthWorkload,
  observersWorkload,
  ringsWorkload,
  seedWorkload,
  treesWorkload,
  weakCacheWorkload,
};

/** The built-in workloads, in the order `heaplab workloads` lists them: the default suite. */
export const WORKLOADS: readonly Workload[] = [
  seedWorkload,
  churnWorkload,
  growthWorkload,
  treesWorkload,
  ringsWorkload,
  weakCacheWorkload,
  observersWorkload,
  finalizersWorkload,
  graphWorkload,
];
