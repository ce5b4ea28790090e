import { EVENT_BITS } from './events.js';
import type { Heap } from './heap.js';
import { guarded } from './host.js';
import { E, F, K, R, Rel } from './layout.js';
import type { ObjIndex } from './ref.js';
import type { HeapTables } from './tables.js';
import { clearWeakrefsOnDeath } from './weakrefs.js';

/** Which of the engine's stacks a walk's stack is, so that a grown copy replaces it. */
enum Keep {
  /** A stack of its own (a nested release's). */
  NONE = 0,
  /** The engine's stack. */
  STACK = 1,
  /** The stack the plain path lends to the general path for objects that are not plain. */
  SPARE = 2,
}

/**
 * Releases objects whose reference count reached zero, in CPython's order: the finalizer first
 * (it may resurrect the object, and runs at most once), then weak references are cleared and
 * their callbacks run, then referents are released in the type's release order, each one fully
 * before the next, and the object's memory is freed last. The walk uses an explicit stack, so a
 * million-long chain is released without deep host recursion, in the order recursion would give.
 */
export class ReleaseEngine {
  /** The walk's (object, cursor) pairs; host code releasing objects meanwhile gets its own. */
  private stack = new Int32Array(256);
  /** The general path's stack while the plain path holds `stack`. */
  private spare = new Int32Array(256);
  private depth = 0;

  /** Creates the engine of `heap`. */
  constructor(private readonly heap: Heap) {}

  /** Releases `root`, whose count just reached zero, and everything that dies with it. */
  release(root: ObjIndex): void {
    // Host code (finalizers, callbacks) can release more objects while we run: give those their own stack.
    const nested = this.depth !== 0;
    this.depth++;
    try {
      if (nested) this.walk(root, new Int32Array(64), Keep.NONE);
      else if (this.plainRoot(root)) this.walkPlain(root);
      else this.walk(root, this.stack, Keep.STACK);
    } finally {
      this.depth--;
    }
  }

  /**
   * Finishes releases another walker began: `stack` holds `sp` values of (object, cursor) pairs
   * in the walk's format, the top object's release not yet begun.
   */
  resume(stack: Int32Array, sp: number): void {
    this.depth++;
    try {
      this.run(stack, sp, Keep.NONE);
    } finally {
      this.depth--;
    }
  }

  /** Whether `root` can start a release on the plain path. */
  private plainRoot(root: ObjIndex): boolean {
    const heap = this.heap;
    if (!heap.plainReleases) return false;
    const t = heap.tables;
    const word = t.i32[root * R.WORDS + R.FLAGS_TYPE];
    return isPlain(t, root, word, heap.types.releaseBits[word >>> 16]);
  }

  /**
   * The walk, one loop over an explicit stack of (object, cursor) pairs. The tables, slots and
   * event mask are read once per visit of an object and again after anything that can run host
   * code (a finalizer, a callback, an event listener, the collector's hook), which can allocate
   * and so replace them.
   */
  private walk(root: ObjIndex, initial: Int32Array, keep: Keep): void {
    initial[0] = root;
    initial[1] = K.START;
    this.run(initial, 2, keep);
  }

  /** Runs the walk on a stack holding `sp` values (`keep` says which stack it is). */
  private run(initial: Int32Array, sp: number, keep: Keep): void {
    const heap = this.heap;
    const metrics = heap.metrics;
    const releaseBits = heap.types.releaseBits;
    let stack = initial;
    while (sp > 0) {
      const obj = stack[sp - 2];
      let cursor = stack[sp - 1];
      if (cursor === K.START) {
        if (!this.begin(obj)) {
          sp -= 2;
          continue;
        }
        cursor = 0;
      }
      let t = heap.tables;
      let data = heap.slots.data;
      const w = obj * R.WORDS;
      let off = t.i32[w + R.SLOT_OFF];
      const len = t.i32[w + R.SLOT_LEN];
      const bits = releaseBits[t.i32[w + R.FLAGS_TYPE] >>> 16];
      const reverse = (bits & Rel.REVERSE) !== 0;
      // Header slots go first, in order; the release order applies to the items after them.
      const h = (t.i32[w + R.CLASS_HEADER] >>> 8) & 0xff;
      const deferred =
        bits & Rel.DEFER_LAST_HEADER && h > 0 ? h - 1 : bits & Rel.DEFER_FIRST_SLOT && len > 0 ? 0 : -1;
      const zeroHook = heap.collector.doRefcountZero;
      // Counting inline is only for when nobody listens to counts (a listener is host code).
      const inline = (heap.events.mask & E.REFCOUNT) === 0;
      let descend = 0;
      let words = t.i32;
      let ops = 0;
      while (cursor < len && descend === 0) {
        const k = reverse && cursor >= h ? len - 1 - (cursor - h) : cursor;
        cursor++;
        if (k === deferred) continue;
        const child = data[off + k];
        if (child === 0) continue;
        data[off + k] = 0;
        let zero: boolean;
        if (inline) {
          ops++;
          const cw = child * R.WORDS;
          zero = --words[cw + R.RC] === 0 && (words[cw + R.FLAGS_TYPE] & F.RELEASING) === 0;
        } else {
          zero = heap.decReachesZero(child);
          t = heap.tables;
          words = t.i32;
          data = heap.slots.data;
          off = words[w + R.SLOT_OFF];
        }
        if (!zero) continue;
        if (zeroHook) {
          metrics.refcountOps += ops;
          ops = 0;
          zeroHook.call(heap.collector, child);
          t = heap.tables;
          words = t.i32;
          data = heap.slots.data;
          off = words[w + R.SLOT_OFF];
          continue;
        }
        descend = child;
        break;
      }
      metrics.refcountOps += ops;
      if (descend !== 0) {
        stack[sp - 1] = cursor;
        stack = this.pushStart(stack, sp, descend, keep);
        sp += 2;
        continue;
      }
      sp -= 2;
      if (deferred < 0) {
        heap.freeIndex(obj, heap.freeCause);
        continue;
      }
      const p = heap.tables.i32[w + R.SLOT_OFF] + deferred;
      const last = heap.slots.data[p];
      heap.slots.data[p] = 0;
      heap.freeIndex(obj, heap.freeCause);
      if (last === 0 || !heap.decReachesZero(last)) continue;
      if (zeroHook) zeroHook.call(heap.collector, last);
      else {
        stack = this.pushStart(stack, sp, last, keep);
        sp += 2;
      }
    }
  }

  /**
   * The walk when nothing listens to counts or frees and the collector has no hook for counts
   * reaching zero ({@link Heap.plainReleases}): objects with nothing to run or defer (no pending
   * finalizer, no weak references, no header slots, no free list, an ordinary block of their
   * own) are released here with the heap's arrays read once, and freed by
   * {@link Heap.freePlain}. Any other object is released by {@link ReleaseEngine.walk}, which may
   * run host code, so the arrays are read again after it. Same order as `walk`.
   */
  private walkPlain(root: ObjIndex): void {
    const heap = this.heap;
    const releaseBits = heap.types.releaseBits;
    let t = heap.tables;
    let words = t.i32;
    let data = heap.slots.data;
    let stack: Int32Array = this.stack;
    let sp = 0;
    let ops = 0;
    // Frees reported to the metrics together (see Metrics.onFrees).
    let freed = 0;
    let bytes = 0;
    let liveAfterFirst = 0;
    let obj = root;
    let cursor: number = K.START;
    for (;;) {
      const w = obj * R.WORDS;
      const word = words[w + R.FLAGS_TYPE];
      const bits = releaseBits[word >>> 16];
      if (cursor === K.START) {
        if (!isPlain(t, obj, word, bits)) {
          report(heap, ops, freed, bytes, liveAfterFirst);
          ops = 0;
          freed = 0;
          bytes = 0;
          this.walk(obj, this.spare, Keep.SPARE);
          if (!heap.plainReleases) {
            // Host code started listening: the rest goes the general way (same stack format).
            this.run(stack, sp, Keep.STACK);
            return;
          }
          t = heap.tables;
          words = t.i32;
          data = heap.slots.data;
          if (sp === 0) break;
          sp -= 2;
          obj = stack[sp];
          cursor = stack[sp + 1];
          continue;
        }
        // Marked as being released and untracked in one write, as `begin` does.
        words[w + R.FLAGS_TYPE] = (word | F.RELEASING) & ~F.TRACKED;
        if (word & F.TRACKED) heap.collector.doUntrack?.(obj);
        cursor = 0;
      }
      const off = words[w + R.SLOT_OFF];
      const len = words[w + R.SLOT_LEN];
      const reverse = (bits & Rel.REVERSE) !== 0;
      let descend = 0;
      for (; cursor < len; cursor++) {
        const p = reverse ? off + len - 1 - cursor : off + cursor;
        const child = data[p];
        if (child === 0) continue;
        data[p] = 0;
        ops++;
        const cw = child * R.WORDS;
        if (--words[cw + R.RC] !== 0 || (words[cw + R.FLAGS_TYPE] & F.RELEASING) !== 0) continue;
        descend = child;
        cursor++;
        break;
      }
      if (descend !== 0) {
        if (sp + 2 > stack.length) stack = this.grown(stack, Keep.STACK);
        stack[sp] = obj;
        stack[sp + 1] = cursor;
        sp += 2;
        obj = descend;
        cursor = K.START;
        continue;
      }
      bytes += heap.freePlain(obj);
      if (freed++ === 0) liveAfterFirst = heap.liveBytes;
      if (sp === 0) break;
      sp -= 2;
      obj = stack[sp];
      cursor = stack[sp + 1];
    }
    report(heap, ops, freed, bytes, liveAfterFirst);
  }

  /**
   * Puts `obj`, its release not begun, at `sp` of the walk's stack, which is returned: a copy
   * twice as long when it was full (replacing the engine stack `keep` names).
   */
  private pushStart(stack: Int32Array, sp: number, obj: ObjIndex, keep: Keep): Int32Array {
    const s = sp + 2 > stack.length ? this.grown(stack, keep) : stack;
    s[sp] = obj;
    s[sp + 1] = K.START;
    return s;
  }

  /** A copy of `stack` twice as long, replacing the engine stack `keep` names. */
  private grown(stack: Int32Array, keep: Keep): Int32Array {
    const next = new Int32Array(stack.length * 2);
    next.set(stack);
    if (keep === Keep.STACK) this.stack = next;
    else if (keep === Keep.SPARE) this.spare = next;
    return next;
  }

  /** Runs the finalizer and clears weak references; false if the object was resurrected. */
  private begin(obj: ObjIndex): boolean {
    const heap = this.heap;
    const i32 = heap.tables.i32;
    const at = obj * R.WORDS + R.FLAGS_TYPE;
    const word = i32[at];
    const flags = word & 0xffff;
    // Marked as being released and, if it was tracked, untracked (what `untrackIndex` does), in one write.
    i32[at] = (word | F.RELEASING) & ~F.TRACKED;
    if (flags & F.TRACKED) heap.collector.doUntrack?.(obj);
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

/**
 * Whether `obj` (its record's first word `word`, its type's release bits `bits`), whose release
 * has not begun, is plain: alive, mortal, in a block of its own (not
 * static, no auxiliary block, no free list), with no pending finalizer, no weak reference to it or
 * from it, no header slots and no slot released after its free.
 */
function isPlain(t: HeapTables, obj: ObjIndex, word: number, bits: number): boolean {
  return (
    (word & (F.ALIVE | F.IMMORTAL | F.STATIC | F.WEAKREF | F.FINALIZER)) === F.ALIVE &&
    (bits & Rel.NOT_PLAIN) === 0 &&
    (t.i32[obj * R.WORDS + R.CLASS_HEADER] & 0xff00) === 0 &&
    (t.wrHead.length === 0 || t.wrHead[obj] === 0) &&
    (t.auxSize.length === 0 || t.auxSize[obj] === 0)
  );
}

/**
 * Reports what the plain path counted since its last report: `ops` count changes, and `freed`
 * frees of `bytes` bytes in all, the live size `liveAfterFirst` after the first of them.
 */
function report(heap: Heap, ops: number, freed: number, bytes: number, liveAfterFirst: number): void {
  heap.metrics.refcountOps += ops;
  if (freed !== 0) heap.metrics.onFrees(freed, bytes, liveAfterFirst);
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
