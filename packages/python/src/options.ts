import type { Collector, Heap } from '@heaplab/core';

/** The CPython versions whose behaviour a run models. */
export type Profile = 'cpython-3.11' | 'cpython-3.12' | 'cpython-3.13' | 'cpython-3.14';

/** What {@link RunOptions.onStatement} receives before each statement. */
export interface StatementInfo {
  /** 1-based line of the statement. */
  readonly line: number;
  /** Statements executed before this one. */
  readonly step: number;
  /** The heap. */
  readonly heap: Heap;
}

/** Options of `runPython`. */
export interface RunOptions {
  /**
   * The collector: a {@link Collector} instance, or a factory called with no arguments
   * (`createXCollector`). Default: heaplab's basic reference counting (no cycle collection).
   */
  readonly collector?: Collector | (() => Collector);
  /** The CPython version to model (default `cpython-3.11`). */
  readonly profile?: Profile;
  /** File name shown in tracebacks and syntax errors (default `<string>`). */
  readonly fileName?: string;
  /** Receives what the program writes to stdout (default: nothing is kept). */
  readonly stdout?: (text: string) => void;
  /** Receives what the program writes to stderr (tracebacks, `Exception ignored in`). */
  readonly stderr?: (text: string) => void;
  /** Statements the program may run before it is stopped (default unlimited). */
  readonly maxSteps?: number;
  /** Wall-clock milliseconds the program may run before it is stopped (default unlimited). */
  readonly timeLimitMs?: number;
  /** Live heap bytes past which allocation raises `MemoryError` (default unlimited). */
  readonly heapLimit?: number;
  /** Python's recursion limit (default 1000, as `sys.getrecursionlimit()`). */
  readonly recursionLimit?: number;
  /** Called before each statement with its 1-based line. */
  readonly onStatement?: (info: StatementInfo) => void;
  /** Called with the heap once it exists, before the program runs (to subscribe to events). */
  readonly onHeap?: (heap: Heap) => void;
}

/** Why a run stopped early. */
export interface StopInfo {
  /** `steps`, `time` or `heap` (a limit), or `internal` (a heaplab defect). */
  readonly reason: 'steps' | 'time' | 'heap' | 'internal';
  /** A message for people. */
  readonly message: string;
}

/** What `runPython` returns. */
export interface RunResult {
  /** 0 on success, 1 after an uncaught exception or a stop, as CPython; `sys.exit(n)` gives n. */
  readonly exitCode: number;
  /** The heap the program ran on (metrics, events, the oracle). */
  readonly heap: Heap;
  /** Set when a limit stopped the program. */
  readonly stopped?: StopInfo;
}
