import { NULL_REF } from '@heaplab/core';
import { describe, expect, it } from 'vitest';
import { pyHeap } from './helpers.js';

describe('cycle collection (conformance cases at heap level)', () => {
  it('collects a two-instance cycle once (s01)', () => {
    const { heap, gc, T, bind, g, del } = pyHeap();
    gc.collect();
    bind('a', T.A, 1);
    bind('b', T.A, 1);
    heap.set(g('a'), 0, g('b'));
    heap.set(g('b'), 0, g('a'));
    del('a', 'b');
    expect(heap.liveObjects).toBe(2);
    expect(gc.collect()).toBe(2);
    expect(gc.collect()).toBe(0);
    expect(heap.liveObjects).toBe(0);
  });

  it('collects a list holding itself (s02)', () => {
    const { heap, gc, list, g, del } = pyHeap();
    list('l');
    heap.append(g('l'), g('l'));
    del('l');
    expect(gc.collect()).toBe(1);
    expect(heap.liveObjects).toBe(0);
  });

  it('runs finalizers of a garbage cycle in list order, then frees it (s04)', () => {
    const { heap, gc, T, bind, g, del, log } = pyHeap();
    bind('a', T.Del, 1, { name: 'a' });
    bind('b', T.Del, 1, { name: 'b' });
    heap.set(g('a'), 0, g('b'));
    heap.set(g('b'), 0, g('a'));
    del('a', 'b');
    expect(gc.collect()).toBe(2);
    expect(log).toEqual(['del a', 'del b']);
  });

  it('frees by clearing: the second object of a two-cycle dies first, then the first', () => {
    const { heap, gc, T, bind, g, del } = pyHeap();
    const a = bind('a', T.A, 1);
    const b = bind('b', T.A, 1);
    heap.set(a, 0, b);
    heap.set(b, 0, a);
    const freed: string[] = [];
    heap.events.on('freed', (e) => freed.push(e.obj === a ? 'a' : e.obj === b ? 'b' : '?'));
    del('a', 'b');
    void g;
    gc.collect();
    expect(freed).toEqual(['b', 'a']);
  });

  it("clears a subclass instance's header slots first, one by one, keeping its class until it is freed", () => {
    const { heap, gc, T, del, g } = pyHeap();
    const freed: string[] = [];
    heap.events.on('freed', (e) => freed.push(e.type === 'int' ? (heap.payload(e.obj) ?? '?') : e.type));
    const sub = (order: 'reverse' | 'none') =>
      heap.defineType({
        name: order === 'none' ? 'TupleSub' : 'ListSub',
        container: true,
        releaseOrder: 'reverse',
        clearOrder: order,
        deferLastHeader: true,
      });
    const make = (type: number, names: string[], header: number) => {
      const obj = heap.allocGrowable(type);
      heap.roots.popToGlobal('obj');
      for (const name of names) {
        if (name === 'self') heap.append(g('obj'), g('obj'));
        else {
          heap.allocWith(T.int, { payload: name });
          heap.roots.popAppend(obj);
        }
      }
      heap.setHeaderSlots(obj, header);
      del('obj');
    };
    make(sub('reverse'), ['slot', 'dict', 'class', 'item0', 'item1', 'self'], 3);
    gc.collect();
    expect(freed).toEqual(['slot', 'dict', 'item1', 'item0', 'ListSub', 'class']);
    freed.length = 0;
    // A tuple has no clear operation: its items stay until it is freed, then go last first.
    make(sub('none'), ['self', 'class', 'item0', 'item1'], 2);
    gc.collect();
    expect(freed).toEqual(['item1', 'item0', 'TupleSub', 'class']);
  });

  it('keeps an object its finalizer resurrects, finalized, and collects it later (s06)', () => {
    const { heap, gc, T, bind, list, g, del, log, idx } = pyHeap();
    list('saved');
    const a = bind('a', T.Del, 1, { name: 'a', save: true });
    heap.set(a, 0, a);
    del('a');
    expect(gc.collect()).toBe(0);
    expect(log).toEqual(['del a']);
    expect(heap.isAlive(a)).toBe(true);
    expect(gc.isFinalized(idx(a))).toBe(true);
    heap.truncate(g('saved'), 0);
    expect(gc.collect()).toBe(1);
    expect(log).toEqual(['del a']);
    expect(heap.isAlive(a)).toBe(false);
  });

  it('clears weak references to garbage before callbacks, and runs callbacks of live ones (s07)', () => {
    const { heap, gc, T, bind, g, del } = pyHeap();
    const a = bind('a', T.A, 1);
    heap.set(a, 0, a);
    const seen: string[] = [];
    bind('cb', T.callback, 0, (h: typeof heap, wr: typeof a) => {
      seen.push(h.weakTarget(wr) === NULL_REF ? 'None' : 'alive');
    });
    const r = heap.createWeakref(T.weakref, a, { callback: g('cb') });
    heap.roots.popToGlobal('r');
    del('a', 'cb');
    expect(gc.collect()).toBe(1);
    expect(seen).toEqual(['None']);
    expect(heap.weakTarget(r)).toBe(NULL_REF);
  });

  it('never runs the callback of a weak reference that is garbage itself', () => {
    const { heap, gc, T, bind, g, del } = pyHeap();
    const a = bind('a', T.A, 2);
    heap.set(a, 0, a);
    const seen: string[] = [];
    bind('cb', T.callback, 0, () => seen.push('called'));
    heap.createWeakref(T.weakref, a, { callback: g('cb') });
    // a holds itself and its weak reference: both are garbage together.
    heap.roots.popToSlot(a, 1);
    del('a', 'cb');
    expect(gc.collect()).toBe(2);
    expect(seen).toEqual([]);
  });

  it('saves garbage to gc.garbage under DEBUG_SAVEALL (s17)', () => {
    const { heap, gc, list, g, del, idx } = pyHeap();
    const garbage = list('garbage');
    gc.setGarbageList(garbage);
    gc.setDebug(32);
    const l = list('l');
    heap.append(l, l);
    del('l');
    expect(gc.collect()).toBe(1);
    expect(heap.length(garbage)).toBe(1);
    expect(heap.get(garbage, 0)).toBe(l);
    expect(heap.get(l, 0)).toBe(l);
    gc.setDebug(0);
    heap.truncate(g('garbage'), 0);
    expect(gc.collect()).toBe(1);
    expect(heap.isAlive(l)).toBe(false);
    void idx;
  });

  it('calls callbacks with start and stop info (s18)', () => {
    const { heap, gc, list, del } = pyHeap();
    gc.collect();
    const events: string[] = [];
    gc.setCallbackInvoker((phase, info) => events.push(`${phase} ${JSON.stringify(info)}`));
    const l = list('l');
    heap.append(l, l);
    del('l');
    expect(gc.collect()).toBe(1);
    gc.setCallbackInvoker(null);
    expect(events).toEqual([
      'start {"generation":2,"collected":0,"uncollectable":0}',
      'stop {"generation":2,"collected":1,"uncollectable":0}',
    ]);
    expect(gc.collect(0)).toBe(0);
    expect(gc.getStats()[2]).toMatchObject({ collected: 1 });
    // The end-of-run collection is CPython's shutdown collection: no callbacks.
    gc.setCallbackInvoker((phase) => events.push(phase));
    events.length = 0;
    heap.finish();
    expect(events).toEqual([]);
  });

  it.each([
    ['cpython-3.11', 2, 0],
    ['cpython-3.14', 0, 2],
  ] as const)(
    'promotes survivors of collect(0) under %s (s26): collect(1) finds %i, a full one %i',
    (profile, byIncrement, byFull) => {
      const { heap, gc, T, bind, g, del } = pyHeap({ profile });
      gc.disable();
      gc.collect();
      bind('a', T.A, 1);
      bind('b', T.A, 1);
      heap.set(g('a'), 0, g('b'));
      heap.set(g('b'), 0, g('a'));
      gc.collect(0);
      del('a', 'b');
      expect(gc.collect(0)).toBe(0);
      expect(gc.collect(1)).toBe(byIncrement);
      expect(gc.collect()).toBe(byFull);
    },
  );

  it('collects thousands of self-cycles made while disabled (s29)', () => {
    const { heap, gc, T } = pyHeap();
    gc.disable();
    expect(gc.isEnabled()).toBe(false);
    gc.collect();
    for (let i = 0; i < 5000; i++) {
      const a = heap.alloc(T.A, 1);
      heap.set(a, 0, a);
      heap.roots.pop();
    }
    expect(gc.getCount()[0]).toBeGreaterThanOrEqual(5000);
    expect(gc.collect()).toBe(5000);
    gc.enable();
    expect(gc.isEnabled()).toBe(true);
  });
});
