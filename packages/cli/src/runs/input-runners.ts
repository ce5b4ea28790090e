import { relative } from 'node:path';
import { type Collector, Heap } from '@heaplab/core';
import { type RunResult, runProgram } from '@heaplab/workloads';
import { importSnapshot } from '../snapshot/import-snapshot.js';
import { readHeapSnapshot } from '../snapshot/read-heapsnapshot.js';
import { replayTrace } from '../trace/replay-trace.js';
import { measurePython } from './run-python-file.js';
import type { RunSpec } from './run-spec.js';

/** Runs a file input (trace, snapshot, Python program) under a collector. */
export type InputRunner = (
  path: string,
  label: string,
  collector: Collector,
  spec: RunSpec,
  onFinish?: (heap: Heap) => void,
) => Promise<RunResult>;

const shown = (spec: RunSpec, path: string) => relative(spec.cwd, path) || path;

/** The runner for each kind of file input. */
export const inputRunners: Record<'trace' | 'snapshot' | 'python', InputRunner> = {
  trace: async (path, label, collector, spec, onFinish) =>
    replayTrace(path, label, collector, { verify: spec.verify, file: shown(spec, path), onFinish }),
  snapshot: async (path, label, collector, spec, onFinish) => {
    const snapshot = readHeapSnapshot(path, shown(spec, path));
    const heap = new Heap({ collector, verify: spec.verify });
    // The imported graph is the starting heap; one full collection then runs over it.
    return runProgram(
      label,
      heap,
      () => {
        importSnapshot(heap, snapshot);
        heap.collect({ kind: 'full', reason: 'explicit' });
      },
      { verifyEvery: spec.verify ? 4096 : 0, onFinish },
    );
  },
  python: async (path, label, collector, spec, onFinish) =>
    measurePython(path, shown(spec, path), label, collector, { verify: spec.verify, onFinish }),
};
