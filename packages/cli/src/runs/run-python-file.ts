import { readFileSync } from 'node:fs';
import type { Collector, Heap } from '@heaplab/core';
import { type Profile, type RunResult as PythonRunResult, runPython } from '@heaplab/python';
import { finishRun, prepareRun, type RunResult } from '@heaplab/workloads';
import { CliError, EXIT_FAILED, messageOf, usageError } from '../errors.js';

/** The Python profiles `--profile` accepts. */
export const PROFILES: readonly Profile[] = ['cpython-3.11', 'cpython-3.12', 'cpython-3.13', 'cpython-3.14'];

/** Reads a program's source; a missing or unreadable file is a usage error. */
export function readSource(path: string, shown: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${shown}: ${messageOf(error)}`);
  }
}

/** Fails (exit 1) when a program was stopped or exited non-zero, with the last line of its stderr. */
export function checkProgramResult(shown: string, result: PythonRunResult, stderr: string): void {
  if (result.stopped) throw new CliError(`${shown} was stopped: ${result.stopped.message}`, EXIT_FAILED);
  if (result.exitCode !== 0) {
    const last = stderr.trim().split('\n').at(-1) ?? '';
    throw new CliError(
      `${shown} exited with status ${result.exitCode}${last ? `: ${last}` : ''}`,
      EXIT_FAILED,
    );
  }
}

/** Options of {@link measurePython}. */
export interface MeasurePythonOptions {
  /** The CPython version modelled. */
  readonly profile?: Profile;
  /** Check the heap with the oracle throughout. */
  readonly verify?: boolean;
  /** Called with the heap once the run is finished. */
  readonly onFinish?: (heap: Heap) => void;
}

/**
 * Runs a Python program under `collector` as a compare input: its output is dropped, the heap is
 * measured. A program that fails (an uncaught exception, a limit) fails the run with its last
 * line of stderr.
 */
export function measurePython(
  path: string,
  shown: string,
  label: string,
  collector: Collector,
  options: MeasurePythonOptions = {},
): RunResult {
  const source = readSource(path, shown);
  const verifyEvery = options.verify ? 256 : 0;
  let stderr = '';
  let heap: Heap | undefined;
  const result = runPython(source, {
    collector,
    profile: options.profile,
    fileName: shown,
    stderr: (text) => {
      stderr += text;
    },
    onHeap: (h) => {
      heap = h;
      prepareRun(h, { verifyEvery });
    },
  });
  checkProgramResult(shown, result, stderr);
  return finishRun(label, heap ?? result.heap, {}, { verifyEvery, onFinish: options.onFinish });
}
