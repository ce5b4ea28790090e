import { NULL_REF, type Ref } from '@heaplab/core';
import { lookupType } from './attrs.js';
import { PyErr, raise } from './pytype.js';
import type { Runtime, TableData } from './runtime.js';

/** Payload of iterator objects. */
export interface IterData {
  /** What is iterated. */
  readonly kind:
    | 'seq'
    | 'str'
    | 'keys'
    | 'values'
    | 'items'
    | 'set'
    | 'enumerate'
    | 'zip'
    | 'map'
    | 'filter'
    | 'reversed'
    | 'callable';
  /** Position. */
  index: number;
  /** Dict or set size at creation (changes during iteration are errors). */
  size: number;
  /**
   * Laid out as CPython 3.11's: a zip's slot 0 holds the tuple of iterators, an enumerate's its
   * iterator; slot 1 the result tuple either reuses.
   */
  packed?: boolean;
}

/** Payload of range iterators. */
export interface RangeIterData {
  /** Next value. */
  cur: number;
  /** Stop. */
  readonly stop: number;
  /** Step. */
  readonly step: number;
}

/** Pushes a new iterator object of `kind` over the borrowed `refs` (slots). */
export function newIterator(rt: Runtime, kind: IterData['kind'], refs: readonly Ref[], index = 0): Ref {
  const heap = rt.heap;
  const data: IterData = { kind, index, size: 0 };
  const it = rt.alloc(rt.ht.iterator, refs.length, data);
  for (let k = 0; k < refs.length; k++) heap.set(it, k, refs[k]);
  if ((kind === 'keys' || kind === 'values' || kind === 'items' || kind === 'set') && refs.length) {
    data.size = rt.pl<TableData>(refs[0]).size;
  }
  return it;
}

/** `iter(obj)`: pushes an iterator. */
export function getIter(rt: Runtime, obj: Ref): Ref {
  switch (rt.kindOf(obj)) {
    case 'list':
    case 'tuple':
      return newIterator(rt, 'seq', [obj]);
    case 'str':
      return newIterator(rt, 'str', [obj]);
    case 'dict':
      return newIterator(rt, 'keys', [obj]);
    case 'set':
    case 'frozenset':
      return newIterator(rt, 'set', [obj]);
    case 'range': {
      const r = rt.pl<{ start: number; stop: number; step: number }>(obj);
      const data: RangeIterData = { cur: r.start, stop: r.stop, step: r.step };
      return rt.alloc(rt.ht.plainIterator, 0, data);
    }
    case 'iterator':
    case 'generator':
      return rt.push(obj);
    default: {
      const t = rt.typeOf(obj);
      const it = t.user ? lookupType(rt, t, '__iter__') : 0;
      if (it) {
        const r = rt.vm.call(it, [obj]);
        return r;
      }
      const gi = t.user ? lookupType(rt, t, '__getitem__') : 0;
      if (gi) raise('TypeError', `heaplab iterates only objects with __iter__, not '${t.name}'`);
      return raise('TypeError', `'${t.name}' object is not iterable`);
    }
  }
}

/** Advances an iterator: pushes and returns the next value, or returns 0 when exhausted. */
export function iterNext(rt: Runtime, it: Ref): Ref {
  const heap = rt.heap;
  const kind = rt.kindOf(it);
  if (kind === 'iterator') {
    if (heap.tables.type(it & 0xffffff) === rt.ht.plainIterator) {
      const r = rt.pl<RangeIterData>(it);
      if (r.step > 0 ? r.cur >= r.stop : r.cur <= r.stop) return NULL_REF;
      const v = r.cur;
      r.cur += r.step;
      return rt.newInt(v);
    }
    return nextOf(rt, it, rt.pl<IterData>(it));
  }
  if (kind === 'generator') {
    if (rt.vm.resume(it, rt.None)) return rt.peek();
    rt.pop();
    return NULL_REF;
  }
  const t = rt.typeOf(it);
  const next = t.user ? lookupType(rt, t, '__next__') : 0;
  if (!next) raise('TypeError', `'${t.name}' object is not an iterator`);
  try {
    return rt.vm.call(next, [it]);
  } catch (e) {
    if (e instanceof PyErr && rt.errorIs(e, 'StopIteration')) {
      rt.releaseErr(e);
      return NULL_REF;
    }
    throw e;
  }
}

function nextOf(rt: Runtime, it: Ref, d: IterData): Ref {
  const heap = rt.heap;
  const src = heap.length(it) > 0 ? heap.get(it, 0) : NULL_REF;
  switch (d.kind) {
    case 'seq': {
      if (src === NULL_REF || d.index >= heap.length(src)) return finish(rt, it);
      return rt.push(heap.get(src, d.index++));
    }
    case 'reversed': {
      if (src === NULL_REF || d.index < 0) return finish(rt, it);
      if (d.index >= heap.length(src)) {
        d.index = -1;
        return finish(rt, it);
      }
      return rt.push(heap.get(src, d.index--));
    }
    case 'str': {
      const s = rt.pl<string>(src);
      if (d.index >= s.length) return NULL_REF;
      return rt.newStr(s[d.index++]);
    }
    case 'keys':
    case 'values':
    case 'items':
    case 'set': {
      if (src === NULL_REF) return NULL_REF;
      const data = rt.pl<TableData>(src);
      if (data.size !== d.size) {
        d.size = -1;
        raise('RuntimeError', `${d.kind === 'set' ? 'Set' : 'dictionary'} changed size during iteration`);
      }
      const n = heap.length(src);
      const stride = d.kind === 'set' ? 1 : 2;
      while (d.index < n && heap.get(src, d.index) === NULL_REF) d.index += stride;
      if (d.index >= n) return finish(rt, it);
      const at = d.index;
      d.index += stride;
      if (d.kind === 'keys' || d.kind === 'set') return rt.push(heap.get(src, at));
      if (d.kind === 'values') return rt.push(heap.get(src, at + 1));
      return rt.newTuple([heap.get(src, at), heap.get(src, at + 1)]);
    }
    case 'enumerate': {
      const v = iterNext(rt, src);
      if (v === 0) return NULL_REF;
      rt.newInt(d.index++);
      if (d.packed && rt.counting && heap.refcount(heap.get(it, 1)) === 1) {
        const result = heap.get(it, 1);
        heap.set(result, 0, rt.peek());
        heap.set(result, 1, v);
        heap.roots.drop(2);
        if (!heap.isTracked(result)) heap.track(result);
        return rt.push(result);
      }
      const t = rt.newTuple([rt.peek(), v]);
      rt.dropUnder(2);
      return t;
    }
    case 'zip': {
      if (d.packed) return zipNext(rt, it);
      const n = heap.length(it);
      for (let k = 0; k < n; k++) {
        const v = iterNext(rt, heap.get(it, k));
        if (v === 0) {
          rt.heap.roots.drop(k);
          return NULL_REF;
        }
      }
      return rt.packTuple(n);
    }
    case 'map': {
      const fn = heap.get(it, 1);
      const n = heap.length(it);
      const args: Ref[] = [];
      for (let k = 2; k < n; k++) {
        const v = iterNext(rt, heap.get(it, k));
        if (v === 0) {
          rt.heap.roots.drop(args.length);
          return NULL_REF;
        }
        args.push(v);
      }
      const r = rt.vm.call(fn, args);
      rt.dropUnder(args.length);
      return r;
    }
    case 'filter': {
      const fn = heap.get(it, 1);
      for (;;) {
        const v = iterNext(rt, src);
        if (v === 0) return NULL_REF;
        let keep: boolean;
        if (fn === rt.None) keep = rt.truthy(v);
        else {
          rt.vm.call(fn, [v]);
          keep = rt.truthy(rt.peek());
          rt.pop();
        }
        if (keep) return v;
        rt.pop();
      }
    }
    case 'callable': {
      const fn = heap.get(it, 0);
      const sentinel = heap.get(it, 1);
      const v = rt.vm.call(fn, []);
      if (rt.equals(v, sentinel)) {
        rt.pop();
        return NULL_REF;
      }
      return v;
    }
  }
}

/**
 * Next item of a CPython 3.11 zip: the result tuple is refilled in place while the zip alone
 * holds it (reference counts tell), else a new tuple is made.
 */
function zipNext(rt: Runtime, it: Ref): Ref {
  const heap = rt.heap;
  const its = heap.get(it, 0);
  const result = heap.get(it, 1);
  const n = heap.length(its);
  for (let k = 0; k < n; k++) {
    const v = iterNext(rt, heap.get(its, k));
    if (v === 0) {
      heap.roots.drop(k);
      return NULL_REF;
    }
  }
  if (!rt.counting || heap.refcount(result) !== 1) return rt.packTuple(n);
  for (let k = 0; k < n; k++) heap.set(result, k, heap.roots.peek(n - 1 - k));
  heap.roots.drop(n);
  if (!heap.isTracked(result)) heap.track(result);
  return rt.push(result);
}

function finish(rt: Runtime, it: Ref): Ref {
  // An exhausted sequence iterator drops its sequence, as CPython's does.
  if (rt.heap.length(it) > 0) rt.heap.set(it, 0, NULL_REF);
  return NULL_REF;
}

/**
 * The items of an iterable as borrowed references, kept alive by one pushed holder (the
 * sequence itself, or a list of the items): pop it when done.
 */
export function iterToArray(rt: Runtime, obj: Ref): Ref[] {
  const kind = rt.kindOf(obj);
  if (kind === 'list' || kind === 'tuple') {
    rt.push(obj);
    return rt.heap.referents(obj);
  }
  const list = rt.newList();
  getIter(rt, obj);
  const it = rt.peek();
  for (;;) {
    const v = iterNext(rt, it);
    if (v === 0) break;
    rt.heap.roots.popAppend(list);
    rt.checkSize(rt.heap.length(list));
  }
  rt.pop();
  rt.resizeList(list);
  return rt.heap.referents(list);
}
