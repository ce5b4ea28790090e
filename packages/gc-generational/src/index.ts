/**
 * `@heaplab/gc-generational`: reference counting plus CPython's generational cycle detector,
 * reproducing what real CPython does (3.11 by default; 3.12, 3.13 and 3.14 as profiles), with
 * the `gc` module's whole surface as an API the Python language binds to.
 *
 * @packageDocumentation
 */
export {
  createGenerationalCollector,
  createGenerationalCollector as default,
  GENERATIONAL_COLLECTOR_NAME,
  resolveProfile,
} from './collector.js';
export {
  type CollectorWithGc,
  DEBUG_COLLECTABLE,
  DEBUG_LEAK,
  DEBUG_SAVEALL,
  DEBUG_STATS,
  DEBUG_UNCOLLECTABLE,
  type GcApi,
  type GcCallbackInfo,
  type GcCallbackInvoker,
  GcError,
  type GcGenerationStats,
  getGcApi,
} from './gc-api.js';
export {
  type BenchmarkGraph,
  buildGraph,
  GRAPH_DEGREE,
  GRAPH_SEED,
  type GraphBenchmarkOptions,
  type GraphBenchmarkResult,
  runGraphBenchmark,
  warmUpGraphBenchmark,
} from './graph-benchmark.js';
export type { GenerationalOptions, ReferentsFunction } from './options.js';
export {
  CPYTHON_311,
  CPYTHON_312,
  CPYTHON_313,
  CPYTHON_314,
  DEFAULT_PROFILE,
  type GcProfile,
  PROFILES,
  type ProfileName,
} from './profiles.js';
