import { HeapError } from './errors.js';
import { EVENT_BITS } from './events.js';
import type { Heap } from './heap.js';
import { guarded } from './host.js';
import { F } from './layout.js';
import { NULL_REF, type ObjIndex, type Ref } from './ref.js';
import type { TypeId } from './type-registry.js';

/** Options of {@link Heap.createWeakref}. */
export interface WeakrefOptions {
  /** The callback object, called with the weak reference when the referent dies. */
  readonly callback?: Ref;
  /**
   * Whether a callback-less weak reference may be shared: asking twice gives the same object, as
   * `weakref.ref(x) is weakref.ref(x)` in CPython (default true; false for subclasses).
   */
  readonly share?: boolean;
  /** Reference slots of the weak-reference object; slot 0 holds the callback (default 1). */
  readonly slots?: number;
}

/**
 * Creates (or, when shareable, reuses) a weak reference of weak-reference type `type` to
 * `target`, pushed on the temporaries. Placement in the referent's list follows CPython: the
 * shared plain reference first, the shared proxy next, then the others newest first, which is
 * the order their callbacks run when the referent dies by reference count.
 */
export function createWeakref(heap: Heap, type: TypeId, target: Ref, options: WeakrefOptions = {}): Ref {
  const info = heap.types.get(type);
  if (info.weakref === undefined)
    throw new HeapError(`[heaplab] type ${info.name} is not a weak reference type`);
  const ti = heap.index(target);
  const targetType = heap.types.get(heap.tables.type(ti));
  if (!targetType.weakrefable) {
    throw new HeapError(`[heaplab] cannot create weak reference to '${targetType.name}' object`);
  }
  const callback = options.callback ?? NULL_REF;
  const proxy = info.weakref === 'proxy';
  const basic = callback === NULL_REF && (options.share ?? true);
  heap.tables.ensureWeakTables();
  let t = heap.tables;
  let basicRef = 0;
  let basicProxy = 0;
  let second = t.wrHead[ti];
  if (second !== 0 && (t.flags(second) & (F.WR_BASIC | F.WR_PROXY)) === F.WR_BASIC) {
    basicRef = second;
    second = t.wrNext[second];
  }
  if (second !== 0 && (t.flags(second) & (F.WR_BASIC | F.WR_PROXY)) === (F.WR_BASIC | F.WR_PROXY))
    basicProxy = second;
  if (basic) {
    const existing = proxy ? basicProxy : basicRef;
    if (existing !== 0) {
      const ref = heap.ref(existing);
      heap.roots.push(ref);
      return ref;
    }
  }
  const wr = heap.alloc(type, Math.max(1, options.slots ?? 1));
  const w = heap.index(wr);
  t = heap.tables;
  t.setFlags(w, t.flags(w) | (F.WEAKREF | (basic ? F.WR_BASIC : 0) | (proxy ? F.WR_PROXY : 0)));
  t.wrTarget[w] = ti;
  if (callback !== NULL_REF) heap.writeSlot(w, 0, heap.index(callback));
  // The referent may have changed its list while the allocation ran a collection: look again.
  basicRef =
    t.wrHead[ti] !== 0 && (t.flags(t.wrHead[ti]) & (F.WR_BASIC | F.WR_PROXY)) === F.WR_BASIC
      ? t.wrHead[ti]
      : 0;
  const afterRef = basicRef !== 0 ? t.wrNext[basicRef] : t.wrHead[ti];
  basicProxy =
    afterRef !== 0 && (t.flags(afterRef) & (F.WR_BASIC | F.WR_PROXY)) === (F.WR_BASIC | F.WR_PROXY)
      ? afterRef
      : 0;
  let prev = 0;
  if (basic && !proxy) prev = 0;
  else if (basic && proxy) prev = basicRef;
  else prev = basicProxy || basicRef;
  linkAfter(heap, ti, w, prev);
  if (heap.events.mask & EVENT_BITS.mutation) {
    heap.mutated({ action: 'weakref', obj: wr, target, callback, share: basic, slots: t.slotLen(w) });
  }
  return wr;
}

function linkAfter(heap: Heap, target: ObjIndex, w: ObjIndex, prev: ObjIndex): void {
  const t = heap.tables;
  const next = prev === 0 ? t.wrHead[target] : t.wrNext[prev];
  t.wrPrev[w] = prev;
  t.wrNext[w] = next;
  if (next !== 0) t.wrPrev[next] = w;
  if (prev === 0) t.wrHead[target] = w;
  else t.wrNext[prev] = w;
}

/** Removes weak reference `w` from its referent's list and clears it (no callback). */
export function unlinkWeakref(heap: Heap, w: ObjIndex): void {
  const t = heap.tables;
  const target = t.wrTarget[w];
  if (target === 0) return;
  const prev = t.wrPrev[w];
  const next = t.wrNext[w];
  if (prev !== 0) t.wrNext[prev] = next;
  else t.wrHead[target] = next;
  if (next !== 0) t.wrPrev[next] = prev;
  t.wrPrev[w] = t.wrNext[w] = t.wrTarget[w] = 0;
}

/** Clears weak reference `w` (its referent is dying), recording it. */
export function clearWeakref(heap: Heap, w: ObjIndex): void {
  const target = heap.tables.wrTarget[w];
  if (target === 0) return;
  unlinkWeakref(heap, w);
  heap.metrics.weakrefsCleared++;
  if (heap.events.mask & EVENT_BITS['weakref-cleared']) {
    heap.events.emit({
      kind: 'weakref-cleared',
      step: heap.step,
      weakref: heap.ref(w),
      target: heap.ref(target),
    });
  }
}

/** The weak references to `target`, in list order. */
export function weakrefsOf(heap: Heap, target: ObjIndex): ObjIndex[] {
  const t = heap.tables;
  const out: ObjIndex[] = [];
  if (t.wrHead.length === 0) return out;
  for (let w = t.wrHead[target]; w !== 0; w = t.wrNext[w]) out.push(w);
  return out;
}

/** Calls weak reference `w`'s callback `callback` through the host, recording it. */
export function invokeWeakrefCallback(heap: Heap, w: ObjIndex, callback: ObjIndex): void {
  heap.metrics.callbacksRun++;
  const wr = heap.ref(w);
  const cb = heap.ref(callback);
  if (heap.events.mask & EVENT_BITS['callback-run']) {
    heap.events.emit({ kind: 'callback-run', step: heap.step, weakref: wr, callback: cb });
  }
  guarded(heap, () => heap.host.runWeakrefCallback(heap, wr, cb));
}

/**
 * Death by reference count: clears every weak reference to `obj`, then runs the callbacks in
 * list order. Each weak reference gives up its callback first and is kept alive while they run.
 */
export function clearWeakrefsOnDeath(heap: Heap, obj: ObjIndex): void {
  const pending: number[] = [];
  for (const w of weakrefsOf(heap, obj)) {
    const t = heap.tables;
    let callback = 0;
    if (t.slotLen(w) > 0) {
      const p = t.slotOff(w);
      callback = heap.slots.data[p];
      heap.slots.data[p] = 0;
    }
    clearWeakref(heap, w);
    if (callback !== 0) {
      heap.inc(w);
      pending.push(w, callback);
    }
  }
  for (let k = 0; k < pending.length; k += 2) invokeWeakrefCallback(heap, pending[k], pending[k + 1]);
  for (let k = pending.length - 2; k >= 0; k -= 2) {
    heap.dec(pending[k + 1]);
    heap.dec(pending[k]);
  }
}

/**
 * Death by collection: clears every weak reference to the objects of `garbage` (in order) and
 * returns, in order, the surviving weak references whose callbacks must run (a weak reference
 * that is garbage itself is cleared and its callback never runs). Run them with
 * {@link runWeakrefCallbacks} once nothing else is left to clear.
 */
export function clearWeakrefsToGarbage(
  heap: Heap,
  garbage: Iterable<ObjIndex>,
  isGarbage: (i: ObjIndex) => boolean,
): ObjIndex[] {
  const withCallbacks: ObjIndex[] = [];
  const t = heap.tables;
  if (t.wrHead.length === 0) return withCallbacks;
  for (const obj of garbage) {
    if (t.flags(obj) & F.WEAKREF) clearWeakref(heap, obj);
    for (let w = t.wrHead[obj]; w !== 0; w = t.wrHead[obj]) {
      clearWeakref(heap, w);
      if (!isGarbage(w) && t.slotLen(w) > 0 && heap.slots.data[t.slotOff(w)] !== 0) withCallbacks.push(w);
    }
  }
  return withCallbacks;
}

/** Runs the callbacks of weak references returned by {@link clearWeakrefsToGarbage}. */
export function runWeakrefCallbacks(heap: Heap, weakrefs: readonly ObjIndex[]): void {
  for (const w of weakrefs) {
    const t = heap.tables;
    if (t.slotLen(w) === 0) continue;
    const callback = heap.slots.data[t.slotOff(w)];
    if (callback !== 0) invokeWeakrefCallback(heap, w, callback);
  }
}
