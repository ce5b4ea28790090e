import type { MetricsSummary } from '@heaplab/core';
import type { RunResult } from '@heaplab/workloads';

/** The metrics a comparison shows, by their stable names (core's {@link MetricsSummary} fields). */
export const METRIC_COLUMNS = [
  'collections',
  'totalPauseWork',
  'maxPauseWork',
  'totalPauseMs',
  'maxPauseMs',
  'peakBytes',
  'finalBytes',
  'objectsLeaked',
  'meanPromptness',
  'refcountOps',
  'objectsTraced',
] as const satisfies readonly (keyof MetricsSummary)[];

/** One of {@link METRIC_COLUMNS}. */
export type MetricColumn = (typeof METRIC_COLUMNS)[number];

/** Short column headings for tables. */
export const METRIC_HEADINGS: Record<MetricColumn, string> = {
  collections: 'collections',
  totalPauseWork: 'pause work',
  maxPauseWork: 'max work',
  totalPauseMs: 'pause ms',
  maxPauseMs: 'max ms',
  peakBytes: 'peak bytes',
  finalBytes: 'final bytes',
  objectsLeaked: 'leaked',
  meanPromptness: 'promptness',
  refcountOps: 'rc ops',
  objectsTraced: 'traced',
};

/** One row of `heaplab compare --format json`. */
export type ResultRow = { readonly workload: string; readonly collector: string } & {
  readonly [K in MetricColumn]: MetricsSummary[K];
} & {
  /** Objects allocated. */
  readonly allocations: number;
  /** Objects freed. */
  readonly frees: number;
  /** Mutator steps. */
  readonly steps: number;
  /** Workload-specific figures (hit rate...). */
  readonly stats: Readonly<Record<string, number>>;
};

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The row of a run; times in milliseconds rounded to microseconds, promptness to 0.01 step. */
export function resultRow(result: RunResult): ResultRow {
  const s = result.summary;
  return {
    workload: result.workload,
    collector: result.collector,
    collections: s.collections,
    totalPauseWork: s.totalPauseWork,
    maxPauseWork: s.maxPauseWork,
    totalPauseMs: round(s.totalPauseMs, 3),
    maxPauseMs: round(s.maxPauseMs, 3),
    peakBytes: s.peakBytes,
    finalBytes: s.finalBytes,
    objectsLeaked: s.objectsLeaked,
    meanPromptness: s.meanPromptness === null ? null : round(s.meanPromptness, 2),
    refcountOps: s.refcountOps,
    objectsTraced: s.objectsTraced,
    allocations: s.allocations,
    frees: s.frees,
    steps: s.steps,
    stats: result.stats,
  };
}

/** A metric as a table cell: grouped thousands, `-` for none. */
export function formatCell(column: MetricColumn, value: number | null): string {
  if (value === null) return '-';
  if (column === 'totalPauseMs' || column === 'maxPauseMs') return value.toFixed(2);
  if (column === 'meanPromptness') return value.toFixed(1);
  return value.toLocaleString('en-US');
}
