import type { Collector } from '@heaplab/core';
import { runPython } from '@heaplab/python';
import { checkProgramResult, readSource } from '../runs/run-python-file.js';
import { HeapRecorder } from './heap-recorder.js';
import { HEAP_TRACE_VERSION, TRACE_FORMAT } from './trace-fields.js';
import { TraceWriter } from './trace-writer.js';

/**
 * Runs a Python program under `collector` and writes what it did to the heap as a version-2
 * trace at `output` (its printed output is dropped). Returns the number of lines written after
 * the header. A program that fails is an error with exit status 1; the trace is still closed.
 */
export function recordPython(path: string, shown: string, collector: Collector, output: string): number {
  const source = readSource(path, shown);
  const writer = new TraceWriter(output, {
    format: TRACE_FORMAT,
    version: HEAP_TRACE_VERSION,
    source: shown,
    collector: collector.name,
    types: [],
  });
  let recorder: HeapRecorder | undefined;
  let stderr = '';
  try {
    const result = runPython(source, {
      collector,
      fileName: shown,
      stderr: (text) => {
        stderr += text;
      },
      onHeap: (heap) => {
        recorder = new HeapRecorder(heap, (op) => writer.write(op));
      },
    });
    recorder?.finish();
    checkProgramResult(shown, result, stderr);
  } finally {
    writer.close();
  }
  return writer.ops;
}
