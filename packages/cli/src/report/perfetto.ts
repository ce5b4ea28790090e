import type { RunResult } from '@heaplab/workloads';

/** One Chrome trace event (the subset heaplab writes). */
export interface TraceEvent {
  /** Event name. */
  readonly name: string;
  /** Phase: `X` complete slice, `C` counter, `M` metadata. */
  readonly ph: 'X' | 'C' | 'M';
  /** Process id: one per run. */
  readonly pid: number;
  /** Thread id: 1 the mutator's heap counter and collections. */
  readonly tid: number;
  /** Start, in microseconds of the run's clock. */
  readonly ts?: number;
  /** Duration in microseconds (`X` only). */
  readonly dur?: number;
  /** Category. */
  readonly cat?: string;
  /** Details shown by the viewer. */
  readonly args?: Record<string, unknown>;
}

/**
 * The collection timelines of runs as Chrome trace-event JSON, which Perfetto and
 * chrome://tracing open: one process per run (input · collector), a slice per collection with
 * its phases nested inside, and a counter of live heap bytes. The clock is deterministic: one
 * mutator step or one unit of collection work is one microsecond, and each pause shifts
 * everything after it, so the same runs always give the same file.
 */
export function perfettoTrace(results: readonly RunResult[]): {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string>;
} {
  const events: TraceEvent[] = [];
  results.forEach((run, k) => {
    const pid = k + 1;
    events.push({
      name: 'process_name',
      ph: 'M',
      pid,
      tid: 0,
      args: { name: `${run.workload} · ${run.collector}` },
    });
    events.push({ name: 'thread_name', ph: 'M', pid, tid: 1, args: { name: 'collector' } });
    // Pauses delay the mutator: a step at or after a collection's step is shifted by its work.
    const shifts = run.collections.map((c) => ({ step: c.step, work: c.work }));
    const clock = (step: number, inclusive: boolean) => {
      let t = step;
      for (const s of shifts) if (inclusive ? s.step <= step : s.step < step) t += s.work;
      return t;
    };
    for (const p of run.heapBytes) {
      events.push({
        name: 'heap bytes',
        ph: 'C',
        pid,
        tid: 1,
        ts: clock(p.step, true),
        args: { bytes: p.value },
      });
    }
    run.collections.forEach((c, n) => {
      let ts = clock(c.step, false);
      events.push({
        name: `collection ${n + 1} (${c.kind}${c.generation >= 0 ? ` gen ${c.generation}` : ''}, ${c.reason})`,
        cat: 'gc',
        ph: 'X',
        pid,
        tid: 1,
        ts,
        dur: c.work,
        args: { work: c.work, ms: c.ms, bytesBefore: c.bytesBefore, bytesAfter: c.bytesAfter },
      });
      for (const phase of c.phases) {
        events.push({
          name: phase.name,
          cat: 'gc.phase',
          ph: 'X',
          pid,
          tid: 1,
          ts,
          dur: phase.work,
          args: { work: phase.work },
        });
        ts += phase.work;
      }
    });
  });
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: { producer: 'heaplab', clock: '1 us = 1 mutator step or 1 unit of collection work' },
  };
}
