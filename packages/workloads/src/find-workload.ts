import { didYouMean, HeapError } from '@heaplab/core';
import { WORKLOADS } from './suite/index.js';
import type { Workload } from './workload.js';

/** Thrown for an unknown workload or a bad parameter value. */
export class WorkloadError extends HeapError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = 'WorkloadError';
  }
}

/** The built-in workload called `name`; throws a {@link WorkloadError} naming the closest names. */
export function findWorkload(name: string): Workload {
  const found = WORKLOADS.find((w) => w.name === name);
  if (found) return found;
  const names = WORKLOADS.map((w) => w.name);
  throw new WorkloadError(
    `[heaplab] unknown workload "${name}".${didYouMean(name, names)} Known workloads: ${names.join(', ')}.`,
  );
}

/** `workload`'s parameters with defaults filled in; throws a {@link WorkloadError} for unknown names or values out of range. */
export function resolveParams(
  workload: Workload,
  given: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of workload.params) out[p.name] = p.default;
  const names = workload.params.map((p) => p.name);
  for (const [name, value] of Object.entries(given)) {
    const spec = workload.params.find((p) => p.name === name);
    if (!spec) {
      throw new WorkloadError(
        `[heaplab] workload "${workload.name}" has no parameter "${name}".${didYouMean(name, names)} Its parameters: ${names.join(', ') || 'none'}.`,
      );
    }
    if (
      !Number.isFinite(value) ||
      value < spec.min ||
      value > spec.max ||
      (spec.integer && !Number.isInteger(value))
    ) {
      throw new WorkloadError(
        `[heaplab] parameter ${workload.name}.${name} must be ${spec.integer ? 'a whole number' : 'a number'} from ${spec.min} to ${spec.max}, got ${value}`,
      );
    }
    out[name] = value;
  }
  return out;
}
