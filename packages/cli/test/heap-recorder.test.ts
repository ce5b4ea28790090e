import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Heap } from '@heaplab/core';
import {
  createRng,
  defineWorkloadTypes,
  findWorkload,
  resolveParams,
  runWorkload,
  WorkloadMutator,
} from '@heaplab/workloads';
import { describe, expect, it } from 'vitest';
import { resolveCollector } from '../src/runs/resolve-collector.js';
import { HeapRecorder } from '../src/trace/heap-recorder.js';
import { replayTrace } from '../src/trace/replay-trace.js';
import { HEAP_TRACE_VERSION, TRACE_FORMAT } from '../src/trace/trace-fields.js';
import { TraceWriter } from '../src/trace/trace-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'heaplab-heap-recorder-'));

/** Records a workload from its heap's events alone (not from its mutator's own operation log). */
function recordFromEvents(name: string, collector: string, params: Record<string, number>, path: string) {
  return resolveCollector(collector).then(({ factory }) => {
    const workload = findWorkload(name);
    const heap = new Heap({ collector: factory() });
    const writer = new TraceWriter(path, { format: TRACE_FORMAT, version: HEAP_TRACE_VERSION, types: [] });
    const recorder = new HeapRecorder(heap, (op) => writer.write(op));
    const types = defineWorkloadTypes(heap);
    const stats: Record<string, number> = {};
    workload.run({
      m: new WorkloadMutator(heap),
      heap,
      types,
      rng: createRng(1),
      params: resolveParams(workload, params),
      stats,
    });
    recorder.finish();
    writer.close();
  });
}

describe('HeapRecorder', () => {
  // Workloads whose finalizers and weak-reference callbacks are JavaScript (the default host):
  // their effects come back as blocks, performed when the replay's collector runs them.
  for (const [name, params] of [
    ['finalizers', { objects: 200 }],
    ['observers', { observers: 200 }],
    ['rings', {}],
  ] as const) {
    for (const collector of ['refcount', 'generational', 'marksweep']) {
      it(`${name} recorded from events under ${collector} replays to the same figures`, async () => {
        const path = join(dir, `${name}.${collector}.trace.jsonl`);
        await recordFromEvents(name, collector, params, path);
        const { factory } = await resolveCollector(collector);
        const direct = runWorkload(findWorkload(name), { collector: factory(), params, promptness: false });
        const replayed = replayTrace(path, name, factory());
        const pick = (s: typeof direct.summary) => ({
          allocations: s.allocations,
          frees: s.frees,
          peakBytes: s.peakBytes,
          objectsLeaked: s.objectsLeaked,
          finalizersRun: s.finalizersRun,
          callbacksRun: s.callbacksRun,
          refcountOps: s.refcountOps,
        });
        expect(pick(replayed.summary)).toEqual(pick(direct.summary));
        expect(replayed.stats.blocksAbandoned).toBe(0);
      });
    }
  }
});
