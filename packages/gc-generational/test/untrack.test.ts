import { describe, expect, it } from 'vitest';
import { pyHeap } from './helpers.js';

describe('tracked and untracked containers', () => {
  it('untracks tuples of untracked items at any collection; nested ones need two (s15)', () => {
    const { heap, gc, T, bind, idx } = pyHeap();
    const int = () => heap.alloc(T.int);
    const t1 = bind('t1', T.tuple, 2);
    int();
    heap.roots.popToSlot(t1, 0);
    int();
    heap.roots.popToSlot(t1, 1);
    const t2 = bind('t2', T.tuple, 2);
    heap.allocGrowable(T.list);
    heap.roots.popToSlot(t2, 0);
    int();
    heap.roots.popToSlot(t2, 1);
    heap.alloc(T.tuple, 1);
    int();
    heap.roots.popToSlot(heap.roots.peek(1), 0);
    const t3 = bind('t3', T.tuple, 2);
    heap.roots.popToSlot(t3, 0);
    int();
    heap.roots.popToSlot(t3, 1);
    const tracked = (...refs: (typeof t1)[]) => refs.map((r) => gc.isTracked(idx(r)));
    expect(tracked(t1, t2, t3)).toEqual([true, true, true]);
    gc.collect();
    expect(tracked(t1, t2, t3)).toEqual([false, true, true]);
    gc.collect();
    expect(tracked(t3)).toEqual([false]);
  });

  it('re-examines dicts only at full collections (s16)', () => {
    const { heap, gc, T, bind, idx } = pyHeap();
    const d = bind('d', T.dict, 2);
    expect(gc.isTracked(idx(d))).toBe(false);
    heap.alloc(T.int);
    heap.roots.popToSlot(d, 0);
    heap.allocGrowable(T.list);
    heap.roots.popToSlot(d, 1);
    heap.track(d); // the language tracks a dict when a container is stored in it
    expect(gc.isTracked(idx(d))).toBe(true);
    heap.alloc(T.int);
    heap.roots.popToSlot(d, 1);
    expect(gc.isTracked(idx(d))).toBe(true);
    gc.collect(0);
    expect(gc.isTracked(idx(d))).toBe(true);
    gc.collect(1);
    expect(gc.isTracked(idx(d))).toBe(true);
    gc.collect();
    expect(gc.isTracked(idx(d))).toBe(false);
  });
});

describe('list order', () => {
  it('reverses a chain found from its far end, as move_unreachable does', () => {
    const { heap, gc, T, bind, idx } = pyHeap();
    gc.disable();
    // a <- b <- c, c referenced from outside: a and b are moved out and back, ending c, b, a.
    const a = bind('a', T.A, 0);
    const b = bind('b', T.A, 1);
    const c = bind('c', T.A, 1);
    heap.set(b, 0, a);
    heap.set(c, 0, b);
    heap.roots.deleteGlobal('a');
    heap.roots.deleteGlobal('b');
    expect(gc.getObjects(0)).toEqual([idx(a), idx(b), idx(c)]);
    gc.collect(0);
    expect(gc.getObjects(1)).toEqual([idx(c), idx(b), idx(a)]);
    gc.collect(1);
    expect(gc.getObjects(2)).toEqual([idx(c), idx(b), idx(a)]);
  });

  it('reports referrers in generation order and referents in slot order', () => {
    const { heap, gc, T, bind, list, idx } = pyHeap();
    const x = bind('x', T.A, 0);
    const l = list('l');
    heap.append(l, x);
    heap.append(l, x);
    const a = bind('a', T.A, 2);
    heap.set(a, 1, x);
    expect(gc.getReferrers([idx(x)])).toEqual([idx(l), idx(a)]);
    expect(gc.getReferents([idx(l), idx(a)])).toEqual([idx(x), idx(x), idx(x)]);
    heap.alloc(T.int);
    heap.roots.popToGlobal('i');
    expect(gc.getReferents([idx(heap.roots.getGlobal('i'))])).toEqual([]);
    expect(gc.isTracked(idx(heap.roots.getGlobal('i')))).toBe(false);
  });
});
