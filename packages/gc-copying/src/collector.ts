import {
  COLLECTOR_SPEC_VERSION,
  type CollectionContext,
  type Collector,
  type CollectorTraits,
  clearWeakrefsToGarbage,
  DEFAULT_TRAITS,
  F_ALIVE,
  F_STATIC,
  type Heap,
  type ObjectField,
  type ObjIndex,
  runWeakrefCallbacks,
  sweepObjects,
  type WorkCounts,
} from '@heaplab/core';
import { type CopyingOptions, resolveCopyingOptions } from './options.js';
import { isSemispaceAllocator } from './semispace-allocator.js';

/** The copying collector's name in reports and the registry. */
export const COPYING_COLLECTOR_NAME = 'copying';

/** What the copying collector can do, as data. */
export const COPYING_TRAITS: CollectorTraits = {
  ...DEFAULT_TRAITS,
  reclaimsCycles: true,
  movesObjects: true,
};

/**
 * Creates a semispace copying collector. A collection copies every object reachable from the
 * roots into to-space in Cheney's breadth-first order, using the to-space itself as the queue:
 * a scan pointer walks the copies while a free pointer marks where the next copy goes. Each
 * copied object gets a forwarding mark so it is copied once; what is left behind is garbage,
 * reclaimed all at once. Objects move, so their addresses (what `id()` shows) change.
 *
 * With the heap's allocator set to {@link createSemispaceAllocator} the copies land contiguously
 * in the other semispace; with any other allocator model each copy gets a fresh block from it.
 */
export function createCopyingCollector(options: CopyingOptions = {}): Collector {
  // #region state
  const opts = resolveCopyingOptions(options);
  let heap: Heap;
  let forwarded: ObjectField<Uint32Array>;
  let epoch = 0;
  // The to-space, in copy order: [scan, free) are copies whose slots are not scanned yet.
  let toSpace = new Int32Array(1024);
  let scan = 0;
  let free = 0;
  // From-space blocks of copied objects, as (address, bytes) pairs, released after the scan.
  let vacated = new Float64Array(2048);
  let vacatedLength = 0;
  let semispaceBytes = opts.semispaceBytes;
  let copiedBytes = 0;
  let allocatedSinceFlip = 0;

  // #endregion state

  // #region copy
  /** Appends `i` to to-space and gives it its forwarding mark. */
  const forward = (i: ObjIndex): void => {
    forwarded.data[i] = epoch;
    if (free === toSpace.length) {
      const next = new Int32Array(toSpace.length * 2);
      next.set(toSpace);
      toSpace = next;
    }
    toSpace[free++] = i;
  };

  const vacate = (address: number, bytes: number): void => {
    if (vacatedLength + 2 > vacated.length) {
      const next = new Float64Array(vacated.length * 2);
      next.set(vacated);
      vacated = next;
    }
    vacated[vacatedLength++] = address;
    vacated[vacatedLength++] = bytes;
  };

  /** Gives the from-space blocks of this collection's copies back to the allocator model. */
  const releaseVacated = (): void => {
    for (let k = 0; k < vacatedLength; k += 2) heap.allocator.free(vacated[k], vacated[k + 1]);
    vacatedLength = 0;
  };

  /** Copies `i` to to-space unless it was copied this collection (its forwarding mark). */
  const copy = (i: ObjIndex): void => {
    if (forwarded.data[i] === epoch) return;
    forward(i);
    const t = heap.tables;
    copiedBytes += t.size(i);
    // Statically placed objects live outside both semispaces: scanned, never moved.
    if (t.flags(i) & F_STATIC) return;
    const aux = t.auxSize.length === 0 ? 0 : t.auxSize[i];
    const bytes = t.size(i) - aux;
    vacate(t.addr(i), bytes);
    heap.moveTo(i, heap.allocator.allocate(bytes));
    if (aux !== 0) {
      vacate(t.auxAddr[i], aux);
      t.auxAddr[i] = heap.allocator.allocate(aux);
    }
  };

  // #endregion copy

  // #region scan
  /** Cheney's scan: copies every referent of every copy until scan catches up with free. */
  const scanToSpace = (work: WorkCounts): void => {
    const t = heap.tables;
    const data = heap.slots.data;
    const marks = forwarded.data;
    while (scan < free) {
      const o = toSpace[scan++];
      work.objectsVisited++;
      for (let p = t.slotOff(o), end = p + t.slotLen(o); p < end; p++) {
        const c = data[p];
        if (c === 0) continue;
        work.refsScanned++;
        if (marks[c] !== epoch) copy(c);
      }
    }
  };

  const copyFromRoots = (work: WorkCounts): void => {
    heap.roots.forEach((i) => {
      work.refsScanned++;
      copy(i);
    });
    scanToSpace(work);
  };

  // #endregion scan

  // #region collect
  const collect = (context: CollectionContext): void => {
    const { work } = context;
    epoch++;
    scan = free = 0;
    copiedBytes = 0;
    if (isSemispaceAllocator(heap.allocator)) heap.allocator.flip();
    context.phase('copy');
    copyFromRoots(work);
    releaseVacated();
    // Left behind in from-space: nothing reachable points at it. Found before any mutator code runs.
    const garbage: ObjIndex[] = [];
    const t = heap.tables;
    for (let i = 1, end = heap.indexBound; i < end; i++) {
      if (t.flags(i) & F_ALIVE && forwarded.data[i] !== epoch) garbage.push(i);
    }
    const isGarbage = (i: ObjIndex) => forwarded.data[i] !== epoch;
    context.phase('weakrefs', context.wantsPhaseObjects ? garbage : undefined);
    runWeakrefCallbacks(heap, clearWeakrefsToGarbage(heap, garbage, isGarbage));
    context.phase('finalize');
    let finalized = 0;
    for (const i of garbage) {
      if (heap.tables.flags(i) & F_ALIVE && heap.hasPendingFinalizer(i)) {
        heap.runFinalizer(i);
        finalized++;
      }
    }
    if (finalized > 0) {
      // Finalizers may have stored garbage in objects already scanned: scan all of to-space again.
      scan = 0;
      copyFromRoots(work);
      releaseVacated();
    }
    const dead = garbage.filter(isGarbage);
    const resurrected = garbage.length - dead.length;
    heap.metrics.resurrections += resurrected;
    context.note('resurrected', resurrected);
    runWeakrefCallbacks(heap, clearWeakrefsToGarbage(heap, dead, isGarbage));
    context.phase('reclaim', context.wantsPhaseObjects ? dead : undefined);
    sweepObjects(heap, dead, 'sweep', work);
    // Type free lists would hand out from-space blocks after the flip: give them back.
    heap.clearFreeLists();
    context.note('copied', free);
    context.note('copiedBytes', copiedBytes);
    if (copiedBytes > semispaceBytes * opts.growAbove) {
      while (copiedBytes > semispaceBytes * opts.growAbove) semispaceBytes *= 2;
    }
    context.note('semispaceBytes', semispaceBytes);
    allocatedSinceFlip = 0;
  };
  // #endregion collect

  // #region contract
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: COPYING_COLLECTOR_NAME,
    traits: COPYING_TRAITS,
    doAttach(h) {
      heap = h;
      forwarded = h.createField(Uint32Array);
    },
    doCollect: collect,
    doAllocate(i) {
      // Finalizers and callbacks allocate during a collection: their objects are born in to-space.
      if (heap.collecting !== 0) return forward(i);
      allocatedSinceFlip += heap.tables.size(i);
      if (
        opts.collectOnAllocation &&
        heap.collecting === 0 &&
        copiedBytes + allocatedSinceFlip > semispaceBytes
      ) {
        heap.collect({ kind: 'full', reason: 'allocation' });
      }
    },
  };
  // #endregion contract
}

export default createCopyingCollector;
