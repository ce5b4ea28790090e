import { type Collector, createNoneCollector, Heap } from '@heaplab/core';
import { resolveParams } from './find-workload.js';
import type { MutatorOp } from './mutator-op.js';
import { createRng } from './rng.js';
import { type RunProgramOptions, type RunResult, runProgram } from './run-program.js';
import { defineWorkloadTypes } from './types.js';
import type { Workload } from './workload.js';
import { WorkloadMutator } from './workload-mutator.js';

/** Options of {@link runWorkload}. */
export interface RunWorkloadOptions {
  /** The collector (default `none`). */
  readonly collector?: Collector;
  /** Random seed (default 1). */
  readonly seed?: number;
  /** Parameter values (defaults for the rest). */
  readonly params?: Readonly<Record<string, number>>;
  /** Run the oracle throughout: at every collection and every `verifyEvery` safepoints (default 256). */
  readonly verify?: boolean;
  /** With `verify`: safepoints between oracle checks. */
  readonly verifyEvery?: number;
  /** Measure promptness (default true). */
  readonly promptness?: boolean;
  /** Sees every mutator operation (recording a trace). */
  readonly onOp?: (op: MutatorOp) => void;
  /** Called with the heap once the run is finished. */
  readonly onFinish?: RunProgramOptions['onFinish'];
}

/** Runs a workload on a fresh heap under a collector and measures it. */
export function runWorkload(workload: Workload, options: RunWorkloadOptions = {}): RunResult {
  const params = resolveParams(workload, options.params);
  const verify = options.verify ?? false;
  const heap = new Heap({ collector: options.collector ?? createNoneCollector(), verify });
  const types = defineWorkloadTypes(heap);
  const m = new WorkloadMutator(heap, options.onOp);
  const rng = createRng(options.seed ?? 1);
  return runProgram(workload.name, heap, (stats) => workload.run({ m, heap, types, rng, params, stats }), {
    promptness: options.promptness,
    verifyEvery: verify ? (options.verifyEvery ?? 256) : 0,
    onFinish: options.onFinish,
  });
}
