import type { Heap } from '@heaplab/core';
import type { Rng } from './rng.js';
import type { WorkloadTypes } from './types.js';
import type { WorkloadMutator } from './workload-mutator.js';

/** A numeric parameter of a workload. */
export interface WorkloadParam {
  /** Its name (`--param name=value` in the CLI). */
  readonly name: string;
  /** What it controls. */
  readonly description: string;
  /** Default value. */
  readonly default: number;
  /** Smallest accepted value. */
  readonly min: number;
  /** Largest accepted value. */
  readonly max: number;
  /** Whether only whole numbers are accepted. */
  readonly integer: boolean;
}

/** What a workload's body gets. */
export interface WorkloadContext {
  /** The mutator to run operations with. */
  readonly m: WorkloadMutator;
  /** The heap (read-only use: sizes, lengths, liveness). */
  readonly heap: Heap;
  /** The suite's types. */
  readonly types: WorkloadTypes;
  /** Deterministic random numbers from the run's seed. */
  readonly rng: Rng;
  /** Parameter values, defaults filled in. */
  readonly params: Readonly<Record<string, number>>;
  /** Workload-specific figures to report (hit rate, notifications...). */
  readonly stats: Record<string, number>;
}

/** A deterministic mutator program: the same seed and parameters give the same operations. */
export interface Workload {
  /** Short name (`churn`). */
  readonly name: string;
  /** One line for listings. */
  readonly description: string;
  /** Its parameters. */
  readonly params: readonly WorkloadParam[];
  /** Runs the program. */
  run(context: WorkloadContext): void;
}

/** Shorthand for a whole-number {@link WorkloadParam}. */
export function intParam(
  name: string,
  description: string,
  value: number,
  min = 1,
  max = 10_000_000,
): WorkloadParam {
  return { name, description, default: value, min, max, integer: true };
}

/** Shorthand for a {@link WorkloadParam} in `[0, 1]`. */
export function ratioParam(name: string, description: string, value: number): WorkloadParam {
  return { name, description, default: value, min: 0, max: 1, integer: false };
}
