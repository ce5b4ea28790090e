import type {
  CollectionContext,
  CollectionReport,
  CollectKind,
  CollectReason,
  CollectRequest,
  PhaseReport,
  WorkCounts,
} from './collector.js';
import { EVENT_BITS } from './events.js';
import type { Heap } from './heap.js';
import { verifyHeap } from './oracle.js';
import type { ObjIndex } from './ref.js';

const now = (): number => performance.now();

class Context implements CollectionContext {
  readonly work: WorkCounts = { objectsVisited: 0, refsScanned: 0, objectsFreed: 0, bytesFreed: 0 };
  readonly phases: PhaseReport[] = [];
  readonly extra: Record<string, number> = {};
  readonly wantsPhaseObjects: boolean;
  private current: string | null = null;
  private started = 0;
  private shown: readonly ObjIndex[] | undefined;
  private readonly base: WorkCounts = { objectsVisited: 0, refsScanned: 0, objectsFreed: 0, bytesFreed: 0 };

  constructor(
    private readonly heap: Heap,
    readonly collection: number,
    readonly request: Required<CollectRequest>,
  ) {
    this.wantsPhaseObjects = (heap.events.mask & EVENT_BITS['collection-phase']) !== 0;
  }

  phase(name: string, objects?: readonly ObjIndex[]): void {
    this.end();
    this.current = name;
    this.started = now();
    this.shown = objects;
    Object.assign(this.base, this.work);
  }

  show(objects: readonly ObjIndex[]): void {
    this.shown = objects;
  }

  note(key: string, value: number): void {
    this.extra[key] = value;
  }

  end(): void {
    if (this.current === null) {
      // Work done before the first phase (or with no phases) is reported as one phase.
      if (this.work.objectsVisited + this.work.refsScanned + this.work.objectsFreed === 0) return;
      this.current = 'collect';
    }
    const w = this.work;
    const b = this.base;
    const phase: PhaseReport = {
      name: this.current,
      objectsVisited: w.objectsVisited - b.objectsVisited,
      refsScanned: w.refsScanned - b.refsScanned,
      objectsFreed: w.objectsFreed - b.objectsFreed,
      bytesFreed: w.bytesFreed - b.bytesFreed,
      work: 0,
      ms: now() - this.started,
    };
    (phase as { work: number }).work = phase.objectsVisited + phase.refsScanned + phase.objectsFreed;
    this.phases.push(phase);
    if (this.heap.events.mask & EVENT_BITS['collection-phase']) {
      this.heap.events.emit({
        kind: 'collection-phase',
        step: this.heap.step,
        collection: this.collection,
        phase: phase.name,
        work: phase.work,
        ms: phase.ms,
        objects: this.shown?.map((i) => this.heap.ref(i)),
      });
    }
    this.current = null;
    this.shown = undefined;
    Object.assign(this.base, w);
  }
}

/** Runs one collection on `heap` (what {@link Heap.collect} does). */
export function runCollection(heap: Heap, request: CollectRequest): CollectionReport {
  const req: Required<CollectRequest> = {
    kind: request.kind ?? ('full' as CollectKind),
    generation: request.generation ?? -1,
    reason: request.reason ?? ('explicit' as CollectReason),
  };
  if (heap.collecting !== 0) return skippedReport(heap, req);
  heap.metrics.beforeCollection();
  const collection = ++heap.collections;
  const bytesBefore = heap.liveBytes;
  const m = heap.metrics;
  const counters = [m.weakrefsCleared, m.callbacksRun, m.finalizersRun];
  if (heap.events.mask & EVENT_BITS['collection-start']) {
    heap.events.emit({ kind: 'collection-start', step: heap.step, collection, request: req });
  }
  const context = new Context(heap, collection, req);
  heap.collecting = collection;
  m.activeWork = context.work;
  const started = now();
  try {
    heap.collector.doCollect(context);
  } finally {
    heap.collecting = 0;
    m.activeWork = null;
  }
  context.end();
  const ms = now() - started;
  const w = context.work;
  const report: CollectionReport = {
    collection,
    collector: heap.collector.name,
    kind: req.kind,
    generation: req.generation,
    reason: req.reason,
    step: heap.step,
    objectsVisited: w.objectsVisited,
    refsScanned: w.refsScanned,
    objectsFreed: w.objectsFreed,
    bytesFreed: w.bytesFreed,
    work: w.objectsVisited + w.refsScanned + w.objectsFreed,
    ms,
    phases: context.phases,
    bytesBefore,
    bytesAfter: heap.liveBytes,
    objectsAfter: heap.liveObjects,
    weakrefsCleared: m.weakrefsCleared - counters[0],
    callbacksRun: m.callbacksRun - counters[1],
    finalizersRun: m.finalizersRun - counters[2],
    extra: context.extra,
    skipped: false,
  };
  m.onCollection(report);
  if (heap.verify) verifyHeap(heap);
  if (heap.events.mask & EVENT_BITS['collection-end']) {
    heap.events.emit({ kind: 'collection-end', step: heap.step, report });
  }
  return report;
}

function skippedReport(heap: Heap, req: Required<CollectRequest>): CollectionReport {
  return {
    collection: 0,
    collector: heap.collector.name,
    kind: req.kind,
    generation: req.generation,
    reason: req.reason,
    step: heap.step,
    objectsVisited: 0,
    refsScanned: 0,
    objectsFreed: 0,
    bytesFreed: 0,
    work: 0,
    ms: 0,
    phases: [],
    bytesBefore: heap.liveBytes,
    bytesAfter: heap.liveBytes,
    objectsAfter: heap.liveObjects,
    weakrefsCleared: 0,
    callbacksRun: 0,
    finalizersRun: 0,
    extra: {},
    skipped: true,
  };
}
