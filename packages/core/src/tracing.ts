import type { WorkCounts } from './collector.js';
import type { FreeCause } from './events.js';
import type { Heap } from './heap.js';
import { F, R } from './layout.js';
import type { ObjIndex } from './ref.js';
import type { ObjectField } from './tables.js';

/** Objects {@link Marker.drain} takes off the worklist at a time (measured best on the core bench). */
const SCAN_BATCH = 8;

/**
 * Marking with an explicit worklist (no recursion), for tracing collectors. Marks live in a
 * per-object byte compared against an epoch, so starting a new marking costs nothing (the bytes
 * are only wiped once every 255 markings).
 */
export class Marker {
  private readonly marks: ObjectField<Uint8Array>;
  private epoch = 0;
  private stack = new Int32Array(4096);
  private sp = 0;
  private readonly batchOff = new Int32Array(SCAN_BATCH);
  private readonly batchLen = new Int32Array(SCAN_BATCH);
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: written so the batch's early reads are kept
  private touched = 0;

  /** Creates a marker for `heap`. */
  constructor(private readonly heap: Heap) {
    this.marks = heap.createField(Uint8Array);
    this.begin();
  }

  /** Starts a new marking: nothing is marked. */
  begin(): void {
    this.epoch++;
    if (this.epoch === 256) {
      this.marks.data.fill(0);
      this.epoch = 1;
    }
    this.sp = 0;
  }

  /** Whether `i` is marked in the current marking. */
  isMarked(i: ObjIndex): boolean {
    return this.marks.data[i] === this.epoch;
  }

  /** Marks `i` and queues it for scanning; false if it was already marked. */
  mark(i: ObjIndex): boolean {
    const m = this.marks.data;
    if (m[i] === this.epoch) return false;
    m[i] = this.epoch;
    if (this.sp === this.stack.length) {
      const next = new Int32Array(this.stack.length * 2);
      next.set(this.stack);
      this.stack = next;
    }
    this.stack[this.sp++] = i;
    return true;
  }

  /** Marks every root. */
  markRoots(work: WorkCounts): void {
    this.heap.roots.forEach((i) => {
      work.refsScanned++;
      this.mark(i);
    });
  }

  /**
   * Scans queued objects until the worklist is empty, marking what they reference. Objects are
   * taken off the worklist in batches of eight: first the slot regions of the whole
   * batch are located and their first words read, then each is scanned. The reads of a batch do
   * not depend on one another, so the processor waits for their cache misses together instead of
   * one after another; on a heap far larger than the caches this is most of a trace's time.
   * Within a batch the top of the worklist is scanned last and children are pushed last slot
   * first, so slot 0 is scanned next: close to the order of a recursive depth-first walk, which
   * follows allocation-order links.
   */
  drain(work: WorkCounts): void {
    const heap = this.heap;
    const t = heap.tables;
    const words = t.i32;
    const data = heap.slots.data;
    const marks = this.marks.data;
    const epoch = this.epoch;
    // Every object is pushed at most once per marking, so this bound means no checks in the loop.
    if (this.stack.length < heap.indexBound + this.sp) {
      const next = new Int32Array(heap.indexBound + this.sp + 1024);
      next.set(this.stack.subarray(0, this.sp));
      this.stack = next;
    }
    const stack = this.stack;
    const offs = this.batchOff;
    const lens = this.batchLen;
    let sp = this.sp;
    let visited = 0;
    let scanned = 0;
    let touched = 0;
    while (sp > 0) {
      const k = Math.min(sp, SCAN_BATCH);
      for (let j = 0; j < k; j++) {
        const o = stack[sp - 1 - j];
        offs[j] = words[o * R.WORDS + R.SLOT_OFF];
        lens[j] = words[o * R.WORDS + R.SLOT_LEN];
      }
      for (let j = 0; j < k; j++) touched ^= data[offs[j]];
      sp -= k;
      visited += k;
      for (let j = k - 1; j >= 0; j--) {
        const off = offs[j];
        for (let p = off + lens[j] - 1; p >= off; p--) {
          const c = data[p];
          if (c === 0) continue;
          scanned++;
          if (marks[c] === epoch) continue;
          marks[c] = epoch;
          stack[sp++] = c;
        }
      }
    }
    // Keeps the batch's early reads from being optimized away.
    this.touched = touched;
    this.sp = 0;
    work.objectsVisited += visited;
    work.refsScanned += scanned;
  }

  /** Marks everything reachable from the roots; returns nothing, see {@link isMarked}. */
  markFromRoots(work: WorkCounts): void {
    this.begin();
    this.markRoots(work);
    this.drain(work);
  }

  /** Live objects that are not marked, in index order. */
  unmarked(): ObjIndex[] {
    const out: ObjIndex[] = [];
    const t = this.heap.tables;
    const marks = this.marks.data;
    for (let i = 1, end = this.heap.indexBound; i < end; i++) {
      if (t.flags(i) & F.ALIVE && marks[i] !== this.epoch) out.push(i);
    }
    return out;
  }
}

/** Frees every object of `garbage` (already known unreachable, weak references already cleared). */
export function sweepObjects(
  heap: Heap,
  garbage: readonly ObjIndex[],
  cause: FreeCause,
  work: WorkCounts,
): void {
  const t = heap.tables;
  for (const i of garbage) {
    work.objectsVisited++;
    if (t.flags(i) & F.ALIVE) heap.freeIndex(i, cause);
  }
}
