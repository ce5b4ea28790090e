import { NULL_REF, type Ref } from '@heaplab/core';
import { describe, expect, it } from 'vitest';
import { pyHeap } from './helpers.js';

/** A self-referencing instance `a` with weak references from live `r0`..`r{n-1}`, callbacks logging. */
function garbageWithWeakrefs(n: number, dropInCallback = false) {
  const p = pyHeap();
  const { heap, T, bind, g, del } = p;
  const a = bind('a', T.A, 1);
  heap.set(a, 0, a);
  const order: string[] = [];
  for (let k = 0; k < n; k++) {
    bind(`cb${k}`, T.callback, 0, (h: typeof heap, wr: Ref) => {
      order.push(`cb${k}:${h.weakTarget(wr) === NULL_REF ? 'cleared' : 'alive'}`);
      if (dropInCallback) h.roots.deleteGlobal(`r${k}`);
    });
    heap.createWeakref(T.weakref, a, { callback: g(`cb${k}`) });
    heap.roots.popToGlobal(`r${k}`);
    del(`cb${k}`);
  }
  del('a');
  return { ...p, a, order };
}

describe('weak references at cycle collection', () => {
  it('clears every weak reference before any callback runs, callbacks in list order', () => {
    const { gc, order, heap, g } = garbageWithWeakrefs(3);
    expect(gc.collect()).toBe(1);
    // The referent's list holds the newest first, as CPython inserts callback refs at the front.
    expect(order).toEqual(['cb2:cleared', 'cb1:cleared', 'cb0:cleared']);
    expect(heap.weakTarget(g('r0'))).toBe(NULL_REF);
  });

  it('counts weak references that die in their own callback as collected', () => {
    const { gc, order } = garbageWithWeakrefs(2, true);
    // The instance plus the two weak references freed while their callbacks ran.
    expect(gc.collect()).toBe(3);
    expect(order).toHaveLength(2);
  });

  it('clears a list by releasing its items last to first', () => {
    const { heap, gc, T, list, del } = pyHeap();
    const l = list('l');
    heap.append(l, l);
    const items: Ref[] = [];
    for (let k = 0; k < 3; k++) {
      items.push(heap.alloc(T.A));
      heap.roots.popAppend(l);
    }
    const freed: number[] = [];
    heap.events.on('freed', (e) => freed.push(items.indexOf(e.obj)));
    del('l');
    gc.collect();
    expect(freed).toEqual([2, 1, 0, -1]);
  });
});

describe('debug output', () => {
  it('writes what CPython writes under DEBUG_STATS and DEBUG_COLLECTABLE', () => {
    const { heap, gc, T, bind, del } = pyHeap();
    gc.collect();
    const a = bind('a', T.A, 1);
    heap.set(a, 0, a);
    bind('keep', T.A, 0);
    const address = heap.addressOf(a).toString(16);
    del('a');
    const out: string[] = [];
    gc.setDebugOutput?.((text) => out.push(text));
    gc.setDebug(1 | 2);
    expect(gc.collect()).toBe(1);
    expect(out.join('').replace(/\d+\.\d{4}s/, 'Ts')).toBe(
      'gc: collecting generation 2...\n' +
        'gc: objects in each generation: 2 0 0\n' +
        'gc: objects in permanent generation: 0\n' +
        `gc: collectable <A 0x${address}>\n` +
        'gc: done, 1 unreachable, 0 uncollectable, Ts elapsed\n',
    );
    gc.setDebug(0);
    out.length = 0;
    gc.collect();
    expect(out).toEqual([]);
  });
});
