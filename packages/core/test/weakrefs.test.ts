import { describe, expect, it } from 'vitest';
import { NULL_REF, type Ref } from '../src/index.js';
import { countingHeap } from './helpers.js';

describe('weak references', () => {
  it('runs callbacks newest first, proxies before refs, after the finalizer (CPython refcount death)', () => {
    const { heap, A, Weak, WeakProxy, Fn, log } = countingHeap();
    const a = heap.allocWith(A, { payload: 'a' });
    heap.roots.popToGlobal('a');
    const callback = (label: string) => {
      const cb = heap.allocWith(Fn, {
        payload: (h: typeof heap, wr: Ref) =>
          log.push(`${label} (cleared: ${h.weakTarget(wr) === NULL_REF})`),
      });
      return cb;
    };
    for (let i = 0; i < 3; i++) {
      const cb = callback(`cb ${i}`);
      heap.createWeakref(Weak, a, { callback: cb });
      heap.roots.remove(1);
    }
    const pcb = callback('proxy cb');
    heap.createWeakref(WeakProxy, a, { callback: pcb });
    heap.roots.remove(1);
    heap.roots.deleteGlobal('a');
    expect(log).toEqual([
      'del a',
      'proxy cb (cleared: true)',
      'cb 2 (cleared: true)',
      'cb 1 (cleared: true)',
      'cb 0 (cleared: true)',
    ]);
  });

  it('shares callback-less references and keeps the basic ref and proxy at the head', () => {
    const { heap, Plain, Weak, WeakProxy, Fn } = countingHeap();
    const t = heap.alloc(Plain);
    const cb = heap.alloc(Fn);
    const withCb = heap.createWeakref(Weak, t, { callback: cb });
    const r1 = heap.createWeakref(Weak, t);
    const r2 = heap.createWeakref(Weak, t);
    const p1 = heap.createWeakref(WeakProxy, t);
    const p2 = heap.createWeakref(WeakProxy, t);
    const unshared = heap.createWeakref(Weak, t, { share: false });
    expect(r1).toBe(r2);
    expect(p1).toBe(p2);
    expect(withCb).not.toBe(r1);
    expect(heap.weakrefsTo(t)).toEqual([r1, p1, unshared, withCb]);
    expect(heap.refcount(r1)).toBe(2);
  });

  it('does not keep the referent alive, and reads empty once it dies', () => {
    const { heap, Plain, Weak } = countingHeap();
    const t = heap.alloc(Plain);
    const w = heap.createWeakref(Weak, t);
    expect(heap.weakTarget(w)).toBe(t);
    heap.roots.remove(1);
    expect(heap.isAlive(t)).toBe(false);
    expect(heap.weakTarget(w)).toBe(NULL_REF);
    expect(heap.metrics.weakrefsCleared).toBe(1);
  });

  it('refuses weak references to types that do not allow them', () => {
    const { heap, List, Weak } = countingHeap();
    const l = heap.allocGrowable(List);
    expect(() => heap.createWeakref(Weak, l)).toThrow("cannot create weak reference to 'list' object");
  });

  it('a weak reference that dies first is unlinked and never calls back', () => {
    const { heap, Plain, Weak, Fn } = countingHeap();
    let calls = 0;
    const t = heap.alloc(Plain);
    heap.roots.popToGlobal('t');
    const cb = heap.allocWith(Fn, { payload: () => calls++ });
    heap.createWeakref(Weak, t, { callback: cb });
    heap.roots.drop(2);
    expect(heap.weakrefsTo(t)).toEqual([]);
    heap.roots.deleteGlobal('t');
    expect(calls).toBe(0);
  });
});
