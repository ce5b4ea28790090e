import { EVENT_BITS } from './events.js';
import type { Heap } from './heap.js';
import { guarded } from './host.js';
import { F, K, R } from './layout.js';
import type { ObjIndex } from './ref.js';
import { clearWeakrefsOnDeath } from './weakrefs.js';

/**
 * Releases objects whose reference count reached zero, in CPython's order: the finalizer first
 * (it may resurrect the object, and runs at most once), then weak references are cleared and
 * their callbacks run, then referents are released in the type's release order, each one fully
 * before the next, and the object's memory is freed last. The walk uses an explicit stack, so a
 * million-long chain is released without deep host recursion, in the order recursion would give.
 */
export class ReleaseEngine {
  private readonly stack: number[] = [];
  private depth = 0;

  /** Creates the engine of `heap`. */
  constructor(private readonly heap: Heap) {}

  /** Releases `root`, whose count just reached zero, and everything that dies with it. */
  release(root: ObjIndex): void {
    // Host code (finalizers, callbacks) can release more objects while we run: give those their own stack.
    const stack = this.depth === 0 ? this.stack : [];
    const base = stack.length;
    this.depth++;
    try {
      stack.push(root, K.START);
      while (stack.length > base) this.advance(stack);
    } finally {
      this.depth--;
      // Pops, not a length assignment: emptying by length drops the array's storage, and every
      // release then allocated it again (half of what a Python loop making objects allocated).
      while (stack.length > base) stack.pop();
    }
  }

  private advance(stack: number[]): void {
    const heap = this.heap;
    const n = stack.length;
    const obj = stack[n - 2];
    let cursor = stack[n - 1];
    if (cursor === K.START) {
      if (!this.begin(obj)) {
        // Popping is cheaper than setting the length, which calls into the engine.
        stack.pop();
        stack.pop();
        return;
      }
      cursor = 0;
    }
    let t = heap.tables;
    const w = obj * R.WORDS;
    const len = t.i32[w + R.SLOT_LEN];
    const info = heap.types.get(t.u16[obj * R.HALVES + R.TYPE]);
    const reverse = info.releaseOrder === 'reverse';
    // Header slots go first, in order; the release order applies to the items after them.
    const h = t.u8[obj * R.BYTES + R.HEADER];
    const deferred = info.deferLastHeader && h > 0 ? h - 1 : info.deferFirstSlot && len > 0 ? 0 : -1;
    const zeroHook = heap.collector.doRefcountZero;
    while (cursor < len) {
      const k = reverse && cursor >= h ? len - 1 - (cursor - h) : cursor;
      cursor++;
      if (k === deferred) continue;
      const data = heap.slots.data;
      const p = t.i32[w + R.SLOT_OFF] + k;
      const child = data[p];
      if (child === 0) continue;
      data[p] = 0;
      if (!heap.decReachesZero(child)) continue;
      if (zeroHook) {
        zeroHook.call(heap.collector, child);
        t = heap.tables;
        continue;
      }
      stack[n - 1] = cursor;
      stack.push(child, K.START);
      return;
    }
    stack.pop();
    stack.pop();
    if (deferred < 0) {
      heap.freeIndex(obj, heap.freeCause);
      return;
    }
    const p = t.i32[w + R.SLOT_OFF] + deferred;
    const last = heap.slots.data[p];
    heap.slots.data[p] = 0;
    heap.freeIndex(obj, heap.freeCause);
    if (last === 0 || !heap.decReachesZero(last)) return;
    if (zeroHook) zeroHook.call(heap.collector, last);
    else stack.push(last, K.START);
  }

  /** Runs the finalizer and clears weak references; false if the object was resurrected. */
  private begin(obj: ObjIndex): boolean {
    const heap = this.heap;
    const u16 = heap.tables.u16;
    const at = obj * R.HALVES + R.FLAGS;
    const flags = u16[at];
    u16[at] = flags | F.RELEASING;
    if (flags & F.TRACKED) heap.untrackIndex(obj);
    if ((flags & (F.FINALIZER | F.FINALIZED)) === F.FINALIZER && !this.finalize(obj)) return false;
    const wrHead = heap.tables.wrHead;
    if (wrHead.length !== 0 && wrHead[obj] !== 0) clearWeakrefsOnDeath(heap, obj);
    return true;
  }

  /** Runs the finalizer of `obj`, held by one reference meanwhile; false if it was resurrected. */
  private finalize(obj: ObjIndex): boolean {
    const heap = this.heap;
    const t = heap.tables;
    const container = heap.types.get(t.type(obj)).container;
    t.setFlags(obj, t.flags(obj) | F.FINALIZED);
    t.setRc(obj, 1);
    // CPython tracks the object again while its finalizer runs.
    if (container) heap.trackIndex(obj);
    heap.runFinalizer(obj);
    const left = heap.tables.rc(obj) - 1;
    heap.tables.setRc(obj, left);
    if (left > 0) {
      heap.tables.setFlags(obj, heap.tables.flags(obj) & ~F.RELEASING);
      heap.metrics.resurrections++;
      if (heap.events.mask & EVENT_BITS.resurrected) {
        heap.events.emit({ kind: 'resurrected', step: heap.step, obj: heap.ref(obj) });
      }
      return false;
    }
    if (heap.tables.flags(obj) & F.TRACKED) heap.untrackIndex(obj);
    return true;
  }
}

/** Runs `obj`'s finalizer through the heap's host, recording the run. */
export function runFinalizerOf(heap: Heap, obj: ObjIndex): void {
  heap.tables.setFlags(obj, heap.tables.flags(obj) | F.FINALIZED);
  heap.metrics.finalizersRun++;
  const ref = heap.ref(obj);
  if (heap.events.mask & EVENT_BITS['finalizer-run']) {
    heap.events.emit({
      kind: 'finalizer-run',
      step: heap.step,
      obj: ref,
      type: heap.types.get(heap.tables.type(obj)).name,
    });
  }
  guarded(heap, () => heap.host.runFinalizer(heap, ref));
}
