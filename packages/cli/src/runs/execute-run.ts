import { type Heap, OracleError } from '@heaplab/core';
import { findWorkload, type RunResult, runWorkload } from '@heaplab/workloads';
import { CliError, EXIT_FAILED, messageOf } from '../errors.js';
import { inputRunners } from './input-runners.js';
import { resolveCollector } from './resolve-collector.js';
import { inputLabel, type RunSpec } from './run-spec.js';

/** Runs one input under one collector in this thread. */
export async function executeRun(spec: RunSpec, onFinish?: (heap: Heap) => void): Promise<RunResult> {
  const { factory } = await resolveCollector(spec.collector);
  const collector = factory();
  const input = spec.input;
  try {
    if (input.kind === 'workload') {
      return runWorkload(findWorkload(input.name), {
        collector,
        seed: spec.seed,
        params: input.params,
        verify: spec.verify,
        onFinish,
      });
    }
    return await inputRunners[input.kind](input.path, input.label, collector, spec, onFinish);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const where = `${inputLabel(input)} under ${collector.name}`;
    if (error instanceof OracleError) {
      throw new CliError(`verification failed for ${where}: ${messageOf(error)}`, EXIT_FAILED, {
        cause: error,
      });
    }
    throw new CliError(`${where} failed: ${messageOf(error)}`, EXIT_FAILED, { cause: error });
  }
}
