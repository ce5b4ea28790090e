import type { Collector } from '@heaplab/core';
import type { RunResult } from '@heaplab/workloads';
import { usageError } from '../errors.js';
import type { RunSpec } from './run-spec.js';

/** Runs a file input (trace, snapshot, Python program) under a collector. */
export type InputRunner = (
  path: string,
  label: string,
  collector: Collector,
  spec: RunSpec,
) => Promise<RunResult>;

const notYet =
  (what: string): InputRunner =>
  async (path) => {
    throw usageError(`${path}: ${what} inputs are not supported by this build of heaplab`);
  };

/** The runner for each kind of file input. */
export const inputRunners: Record<'trace' | 'snapshot' | 'python', InputRunner> = {
  trace: notYet('trace'),
  snapshot: notYet('heap snapshot'),
  python: notYet('Python'),
};
