import type { CollectionReport, WorkCounts } from './collector.js';
import type { Heap } from './heap.js';
import { F, R } from './layout.js';
import { reachableMarks } from './oracle.js';
import type { ObjIndex } from './ref.js';
import { Series, type SeriesPoint } from './series.js';
import type { ObjectField } from './tables.js';

/** The figures heaplab compares collectors by; computed the same way for every collector. */
export interface MetricsSummary {
  /** The collector's name. */
  readonly collector: string;
  /** Mutator steps. */
  readonly steps: number;
  /** Objects allocated. */
  readonly allocations: number;
  /** Bytes allocated. */
  readonly allocatedBytes: number;
  /** Objects freed. */
  readonly frees: number;
  /** Collections run (not counting the end-of-run one). */
  readonly collections: number;
  /** Sum of the collections' deterministic work. */
  readonly totalPauseWork: number;
  /** Largest single collection's work. */
  readonly maxPauseWork: number;
  /** Sum of the collections' wall time. */
  readonly totalPauseMs: number;
  /** Longest collection. */
  readonly maxPauseMs: number;
  /** Peak live heap bytes. */
  readonly peakBytes: number;
  /** Live heap bytes at the end. */
  readonly finalBytes: number;
  /** Peak live objects. */
  readonly peakObjects: number;
  /** Unreachable objects still allocated after the end-of-run collection (null before the end). */
  readonly objectsLeaked: number | null;
  /** Mean steps between an object becoming unreachable and being freed (null if none was freed). */
  readonly meanPromptness: number | null;
  /** Steps between reachability samples promptness was measured with (0 when not measured). */
  readonly promptnessInterval: number;
  /** Reference count increments and decrements. */
  readonly refcountOps: number;
  /** Write-barrier calls. */
  readonly barrierHits: number;
  /** Objects visited by collections. */
  readonly objectsTraced: number;
  /** Reference slots scanned by collections. */
  readonly refsScanned: number;
  /** Weak references cleared. */
  readonly weakrefsCleared: number;
  /** Weak-reference callbacks run. */
  readonly callbacksRun: number;
  /** Finalizers run. */
  readonly finalizersRun: number;
  /** Objects resurrected by their finalizers. */
  readonly resurrections: number;
}

/** Options of {@link Metrics.trackPromptness}. */
export interface PromptnessOptions {
  /** Steps between reachability samples, or `'auto'` (an eighth of the live objects, at least 32). */
  readonly interval?: number | 'auto';
}

/**
 * Counts what happens on a heap: work, pauses, heap size over time, promptness. The heap bumps
 * the counters directly; {@link Metrics.summary} turns them into a {@link MetricsSummary}.
 */
export class Metrics {
  /** Objects allocated. */
  allocations = 0;
  /** Bytes allocated. */
  allocatedBytes = 0;
  /** Objects freed. */
  frees = 0;
  /** Bytes freed. */
  freedBytes = 0;
  /** Slot writes. */
  writes = 0;
  /** Reference count operations. */
  refcountOps = 0;
  /** Write-barrier calls. */
  barrierHits = 0;
  /** Weak references cleared. */
  weakrefsCleared = 0;
  /** Callbacks run. */
  callbacksRun = 0;
  /** Finalizers run. */
  finalizersRun = 0;
  /** Resurrections. */
  resurrections = 0;
  /** Peak live bytes. */
  peakBytes = 0;
  /** Peak live objects. */
  peakObjects = 0;
  /** Unreachable objects left after the end-of-run collection (set by {@link Heap} `finish`). */
  objectsLeaked: number | null = null;
  /** Every collection's report, in order. */
  readonly reports: CollectionReport[] = [];
  /** Live heap bytes over mutator steps. */
  readonly heapBytes = new Series();
  /** Work counters of the running collection (frees are added to them). */
  activeWork: WorkCounts | null = null;
  private promptness: Promptness | null = null;

  /** Creates the metrics of `heap` (done by the heap). */
  constructor(private readonly heap: Heap) {}

  /** Starts measuring promptness by sampling reachability with the oracle. */
  trackPromptness(options: PromptnessOptions = {}): void {
    this.promptness ??= new Promptness(this.heap, options.interval ?? 'auto');
  }

  /** Called by the heap after an allocation. */
  onAllocate(size: number): void {
    const heap = this.heap;
    this.allocations++;
    this.allocatedBytes += size;
    if (heap.liveBytes > this.peakBytes) this.peakBytes = heap.liveBytes;
    if (heap.liveObjects > this.peakObjects) this.peakObjects = heap.liveObjects;
    this.heapBytes.observe(heap.step, heap.liveBytes);
  }

  /** Called by the heap when an auxiliary block changes size. */
  onResize(delta: number): void {
    if (delta > 0) this.allocatedBytes += delta;
    if (this.heap.liveBytes > this.peakBytes) this.peakBytes = this.heap.liveBytes;
    this.heapBytes.observe(this.heap.step, this.heap.liveBytes);
  }

  /** Called by the heap as it frees object `i` of `size` bytes. */
  onFree(i: ObjIndex, size: number): void {
    this.promptness?.onFree(i);
    this.onFrees(1, size, this.heap.liveBytes);
  }

  /** Whether promptness is being measured (every free is then recorded one by one). */
  get measuresPromptness(): boolean {
    return this.promptness !== null;
  }

  /**
   * Called by the heap after `count` frees of `bytes` bytes in all at one step (promptness, when
   * measured, is told of each free by {@link Metrics.onFree}): `liveAfterFirst` is the live size
   * after the first of them, the largest the series would have seen.
   */
  onFrees(count: number, bytes: number, liveAfterFirst: number): void {
    this.frees += count;
    this.freedBytes += bytes;
    const work = this.activeWork;
    if (work !== null) {
      work.objectsFreed += count;
      work.bytesFreed += bytes;
    }
    this.heapBytes.observe(this.heap.step, liveAfterFirst);
  }

  /** Called at safepoints and allocations: samples reachability when one is due. */
  maybeSample(): void {
    const p = this.promptness;
    if (p !== null && this.heap.step >= p.next && this.heap.collecting === 0) p.sample();
  }

  /** Called before every collection. */
  beforeCollection(): void {
    this.promptness?.sample();
  }

  /** Called after every collection. */
  onCollection(report: CollectionReport): void {
    this.reports.push(report);
  }

  /** The figures so far. */
  summary(): MetricsSummary {
    const heap = this.heap;
    let collections = 0;
    let totalWork = 0;
    let maxWork = 0;
    let totalMs = 0;
    let maxMs = 0;
    let traced = 0;
    let scanned = 0;
    for (const r of this.reports) {
      traced += r.objectsVisited;
      scanned += r.refsScanned;
      if (r.reason === 'end') continue;
      collections++;
      totalWork += r.work;
      totalMs += r.ms;
      if (r.work > maxWork) maxWork = r.work;
      if (r.ms > maxMs) maxMs = r.ms;
    }
    const p = this.promptness;
    return {
      collector: heap.collector.name,
      steps: heap.step,
      allocations: this.allocations,
      allocatedBytes: this.allocatedBytes,
      frees: this.frees,
      collections,
      totalPauseWork: totalWork,
      maxPauseWork: maxWork,
      totalPauseMs: totalMs,
      maxPauseMs: maxMs,
      peakBytes: this.peakBytes,
      finalBytes: heap.liveBytes,
      peakObjects: this.peakObjects,
      objectsLeaked: this.objectsLeaked,
      meanPromptness: p === null || p.count === 0 ? null : p.sum / p.count,
      promptnessInterval: p === null ? 0 : p.meanInterval,
      refcountOps: this.refcountOps,
      barrierHits: this.barrierHits,
      objectsTraced: traced,
      refsScanned: scanned,
      weakrefsCleared: this.weakrefsCleared,
      callbacksRun: this.callbacksRun,
      finalizersRun: this.finalizersRun,
      resurrections: this.resurrections,
    };
  }

  /** Heap bytes over time. */
  heapBytesSeries(): SeriesPoint[] {
    return this.heapBytes.points();
  }
}

/**
 * Promptness by sampling: the oracle runs every `interval` steps and before each collection; an
 * object's unreachable-since step is the first sample that found it unreachable. An object freed
 * before any sample saw it unreachable (reference counting) counts as freed at once.
 */
class Promptness {
  private readonly since: ObjectField<Float64Array>;
  next = 0;
  sum = 0;
  count = 0;
  private samples = 0;
  private intervalSum = 0;

  constructor(
    private readonly heap: Heap,
    private readonly interval: number | 'auto',
  ) {
    this.since = heap.createField(Float64Array);
  }

  get meanInterval(): number {
    return this.samples === 0 ? 0 : this.intervalSum / this.samples;
  }

  sample(): void {
    const heap = this.heap;
    const marks = reachableMarks(heap);
    const since = this.since.data;
    const flags = heap.tables.u16;
    const stamp = heap.step + 1;
    for (let i = 1, end = heap.indexBound; i < end; i++) {
      if ((flags[i * R.HALVES + R.FLAGS] & F.ALIVE) === 0) continue;
      if (marks[i]) since[i] = 0;
      else if (since[i] === 0) since[i] = stamp;
    }
    const interval = this.interval === 'auto' ? Math.max(32, Math.ceil(heap.liveObjects / 8)) : this.interval;
    this.samples++;
    this.intervalSum += interval;
    this.next = heap.step + interval;
  }

  onFree(i: ObjIndex): void {
    const since = this.since.data;
    const s = since[i];
    this.sum += s > 0 ? this.heap.step + 1 - s : 0;
    this.count++;
    since[i] = 0;
  }
}
