/**
 * `@heaplab/workloads`: heaplab's deterministic workload suite, written against core's mutator
 * API, and the runner that measures a workload under a collector.
 *
 * @packageDocumentation
 */
export { findWorkload, resolveParams, WorkloadError } from './find-workload.js';
export { MUTATOR_OP_NAMES, type MutatorOp, type MutatorOpName } from './mutator-op.js';
export { createRng, type Rng } from './rng.js';
export {
  type CollectionMark,
  finishRun,
  prepareRun,
  type RunProgramOptions,
  type RunResult,
  runProgram,
} from './run-program.js';
export { type RunWorkloadOptions, runWorkload } from './run-workload.js';
export {
  churnWorkload,
  finalizersWorkload,
  graphWorkload,
  growthWorkload,
  observersWorkload,
  ringsWorkload,
  seedWorkload,
  treesWorkload,
  WORKLOADS,
  weakCacheWorkload,
} from './suite/index.js';
export { defineWorkloadTypes, WORKLOAD_TYPE_SPECS, type WorkloadTypes } from './types.js';
export { intParam, ratioParam, type Workload, type WorkloadContext, type WorkloadParam } from './workload.js';
export { WorkloadMutator } from './workload-mutator.js';
