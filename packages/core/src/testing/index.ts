/**
 * `@heaplab/core/testing`: the collector test kit. Every collector runs the same behaviour suite
 * and the same property tests: random mutator programs checked by the reachability oracle.
 *
 * @packageDocumentation
 */
export { type KitProgramOptions, kitProgram } from './arbitrary.js';
export { type CollectorKitOptions, testCollector } from './kit.js';
export {
  expectationsFor,
  KIT_VARIABLES,
  type KitCheckPoint,
  type KitExpectations,
  KitFailure,
  type KitOp,
  type KitTypes,
  type RunKitOptions,
  runKitProgram,
} from './program.js';
