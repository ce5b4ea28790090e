import { describe, expect, it } from 'vitest';
import { CPYTHON_311, GcError } from '../src/index.js';
import { pyHeap } from './helpers.js';

describe('counts, thresholds and the choice of generation', () => {
  it('counts container allocations and frees; free lists and non-containers bypass (s11)', () => {
    const { heap, gc, T, list } = pyHeap();
    gc.disable();
    gc.collect();
    expect(gc.getCount()).toEqual([0, 0, 0]);
    const keep = list('keep');
    for (let i = 0; i < 100; i++) {
      heap.alloc(T.A);
      heap.roots.popAppend(keep);
    }
    heap.alloc(T.int);
    heap.roots.pop();
    expect(gc.getCount()).toEqual([101, 0, 0]);
    heap.roots.deleteGlobal('keep');
    // The list went to its type's free list (no decrement); the 100 instances were freed.
    expect(gc.getCount()).toEqual([1, 0, 0]);
    list('again');
    expect(gc.getCount()).toEqual([1, 0, 0]);
    heap.alloc(T.A);
    heap.roots.pop();
    heap.alloc(T.A);
    heap.roots.pop();
    expect(gc.getCount()).toEqual([1, 0, 0]);
  });

  it.each([
    ['cpython-3.11', [...Array(11).fill(0), 1, ...Array(11).fill(0), 1, 0, 0, 0, 0, 0], [700, 10, 10]],
    // 3.14: every automatic collection is an increment, reported as generation 1.
    ['cpython-3.14', Array(10).fill(1), [2000, 10, 0]],
  ] as const)(
    'triggers automatic collections of the right generations under %s (s12)',
    (profile, expected, thresholds) => {
      const { heap, gc, list, T } = pyHeap({ profile });
      gc.collect();
      const generations: number[] = [];
      gc.setCallbackInvoker((phase, info) => {
        if (phase === 'start') generations.push(info.generation);
      });
      const keep = list('keep');
      for (let i = 0; i < 700 * 30; i++) {
        heap.allocGrowable(T.list);
        heap.roots.popAppend(keep);
        heap.safepoint();
      }
      expect(generations).toEqual(expected);
      expect(gc.getThreshold()).toEqual(thresholds);
    },
  );

  it('runs the collection synchronously in 3.11 and at the next safepoint from 3.12', () => {
    for (const profile of ['cpython-3.11', 'cpython-3.12'] as const) {
      const { heap, gc, T } = pyHeap({ profile });
      gc.setThreshold([5]);
      const starts: number[] = [];
      gc.setCallbackInvoker((phase) => {
        if (phase === 'start') starts.push(heap.liveObjects);
      });
      for (let i = 0; i < 6; i++) heap.alloc(T.A);
      const synchronous = starts.length;
      heap.safepoint();
      expect([synchronous, starts.length]).toEqual(profile === 'cpython-3.11' ? [1, 1] : [0, 1]);
    }
  });

  it('skips the full collection while long-lived pending objects are under a quarter of the total', () => {
    const { heap, gc, T, list } = pyHeap({ thresholds: [1, 0, 0] });
    gc.disable();
    const keep = list('keep');
    for (let i = 0; i < 100; i++) {
      heap.alloc(T.A);
      heap.roots.popAppend(keep);
    }
    gc.collect();
    gc.enable();
    const generations: number[] = [];
    gc.setCallbackInvoker((phase, info) => {
      if (phase === 'start') generations.push(info.generation);
    });
    // 101 long-lived objects: a full collection waits for 25 new survivors of generation 1.
    for (let i = 0; i < 12; i++) {
      heap.alloc(T.A);
      heap.roots.popAppend(keep);
      heap.alloc(T.A);
      heap.roots.popAppend(keep);
    }
    expect(generations).not.toContain(2);
    expect(generations).toContain(1);
    for (let i = 0; i < 20; i++) {
      heap.alloc(T.A);
      heap.roots.popAppend(keep);
      heap.alloc(T.A);
      heap.roots.popAppend(keep);
    }
    expect(generations).toContain(2);
  });

  it('freezes every tracked object into the permanent generation and unfreezes into the oldest (s14)', () => {
    const { heap, gc, T, bind, del, idx } = pyHeap();
    gc.collect();
    const a = bind('a', T.A, 1);
    heap.set(a, 0, a);
    del('a');
    gc.freeze();
    expect(gc.getCount()).toEqual([0, 0, 0]);
    expect(gc.getFreezeCount()).toBe(1);
    expect(gc.getObjects()).toEqual([]);
    expect(gc.collect()).toBe(0);
    gc.unfreeze();
    expect(gc.getFreezeCount()).toBe(0);
    expect(gc.getObjects(2)).toEqual([idx(a)]);
    expect(gc.collect()).toBe(1);
  });

  it('raises CPython errors for bad arguments', () => {
    const { gc } = pyHeap();
    const error = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof GcError ? `${e.pythonType}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    expect(error(() => gc.collect(3))).toBe('ValueError: invalid generation');
    expect(error(() => gc.collect(-1))).toBe('ValueError: invalid generation');
    expect(error(() => gc.collect(1.5))).toBe(
      "TypeError: 'float' object cannot be interpreted as an integer",
    );
    expect(error(() => gc.getObjects(3))).toBe(
      'ValueError: generation parameter must be less than the number of available generations (3)',
    );
    expect(error(() => gc.getObjects(-2))).toBe('ValueError: generation parameter cannot be negative');
    expect(error(() => gc.setThreshold([]))).toBe(
      'TypeError: set_threshold() takes at least 1 argument (0 given)',
    );
    expect(error(() => gc.setThreshold([1, 2, 3, 4]))).toBe(
      'TypeError: set_threshold() takes at most 3 arguments (4 given)',
    );
    expect(error(() => gc.setThreshold([2 ** 31]))).toBe(
      'OverflowError: signed integer is greater than maximum',
    );
    expect(gc.getThreshold()).toEqual(CPYTHON_311.thresholds);
    gc.setThreshold([100, 5]);
    expect(gc.getThreshold()).toEqual([100, 5, 10]);
  });
});
