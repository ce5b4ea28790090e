import {
  type CollectKind,
  type CollectReason,
  type Heap,
  type MetricsSummary,
  type SeriesPoint,
  verifyHeap,
} from '@heaplab/core';

/** One collection, as charts show it. */
export interface CollectionMark {
  /** Mutator step it ran at. */
  readonly step: number;
  /** What was asked. */
  readonly kind: CollectKind;
  /** Generation collected (-1 when not generational). */
  readonly generation: number;
  /** Why it ran. */
  readonly reason: CollectReason;
  /** Deterministic work. */
  readonly work: number;
  /** Wall time. */
  readonly ms: number;
  /** Live bytes before. */
  readonly bytesBefore: number;
  /** Live bytes after. */
  readonly bytesAfter: number;
  /** The phases, in order, with their deterministic work. */
  readonly phases: readonly { readonly name: string; readonly work: number }[];
}

/** What one program run under one collector measured. */
export interface RunResult {
  /** The workload (or input) name. */
  readonly workload: string;
  /** The collector's name. */
  readonly collector: string;
  /** The metrics at the end, after the end-of-run collection. */
  readonly summary: MetricsSummary;
  /** Live heap bytes over mutator steps (bounded). */
  readonly heapBytes: readonly SeriesPoint[];
  /** Every collection, the end-of-run one included (reason `end`). */
  readonly collections: readonly CollectionMark[];
  /** Workload-specific figures. */
  readonly stats: Readonly<Record<string, number>>;
  /** Errors finalizers and callbacks raised that nobody handled. */
  readonly unraisable: number;
}

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
  /** Measure promptness by sampling reachability (default true). */
  readonly promptness?: boolean;
  /** Check the heap with the oracle every this many safepoints (0: only at collections; default 0). */
  readonly verifyEvery?: number;
  /** Called with the heap once the run is finished (exporting it, for instance). */
  readonly onFinish?: (heap: Heap) => void;
}

/**
 * Switches on what a measured run needs on `heap`: promptness sampling and, with `verifyEvery`,
 * an oracle check every that many safepoints. For runs whose heap is made elsewhere (a Python
 * program's); {@link runProgram} calls it itself.
 */
export function prepareRun(heap: Heap, options: RunProgramOptions = {}): void {
  if (options.promptness ?? true) heap.metrics.trackPromptness();
  const every = options.verifyEvery ?? 0;
  if (every > 0) {
    const safepoint = heap.safepoint.bind(heap);
    let count = 0;
    heap.safepoint = () => {
      safepoint();
      if (++count % every === 0 && heap.collecting === 0) verifyHeap(heap);
    };
  }
}

/** Ends a run prepared with {@link prepareRun}: the last collection, the leak count, the result. */
export function finishRun(
  name: string,
  heap: Heap,
  stats: Record<string, number>,
  options: RunProgramOptions = {},
): RunResult {
  const { summary } = heap.finish();
  if ((options.verifyEvery ?? 0) > 0) verifyHeap(heap);
  options.onFinish?.(heap);
  return {
    workload: name,
    collector: summary.collector,
    summary,
    heapBytes: heap.metrics.heapBytesSeries(),
    collections: heap.metrics.reports
      .filter((r) => !r.skipped)
      .map((r) => ({
        step: r.step,
        kind: r.kind,
        generation: r.generation,
        reason: r.reason,
        work: r.work,
        ms: r.ms,
        bytesBefore: r.bytesBefore,
        bytesAfter: r.bytesAfter,
        phases: r.phases.map((p) => ({ name: p.name, work: p.work })),
      })),
    stats,
    unraisable: heap.unraisable.length,
  };
}

/**
 * Runs `body` on `heap` with metrics switched on, then finishes the heap (a last collection and
 * the leak count) and gathers a {@link RunResult}. Give the heap `verify: true` and a
 * `verifyEvery` to have the oracle check it throughout.
 */
export function runProgram(
  name: string,
  heap: Heap,
  body: (stats: Record<string, number>) => void,
  options: RunProgramOptions = {},
): RunResult {
  prepareRun(heap, options);
  const stats: Record<string, number> = {};
  body(stats);
  return finishRun(name, heap, stats, options);
}
