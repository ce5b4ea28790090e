import { describe, expect, it } from 'vitest';
import { type HeapEvent, type MutationEvent, NULL_REF, type WriteEvent } from '../src/index.js';
import { countingHeap } from './helpers.js';

/** Every event of `run`, with steps and handles dropped so the shape reads plainly. */
function record(heap: ReturnType<typeof countingHeap>['heap'], run: () => void): string[] {
  const out: string[] = [];
  const off = heap.events.onAny((e: HeapEvent) => {
    if (e.kind === 'refcount') return;
    const { step, ...rest } = e as HeapEvent & { step: number };
    out.push(JSON.stringify(rest));
  });
  run();
  off();
  return out;
}

describe('events for recording a mutator', () => {
  it('allocation events carry slots, growable, tracking and placement', () => {
    const { heap, List } = countingHeap();
    const seen: HeapEvent[] = [];
    heap.events.on('allocated', (e) => seen.push(e));
    heap.allocGrowable(List, 3);
    heap.allocWith(List, { slots: 2, track: false, immortal: true });
    expect(seen).toMatchObject([
      { slots: 3, growable: true, tracked: true, static: false, immortal: false },
      { slots: 2, growable: false, tracked: false, static: false, immortal: true },
    ]);
  });

  it('writes say how the value came in; list shape changes are mutation events', () => {
    const { heap, List, Plain } = countingHeap();
    const list = heap.allocGrowable(List, 0);
    const a = heap.alloc(Plain);
    const events: (WriteEvent | MutationEvent)[] = [];
    heap.events.onAny((e) => {
      if (e.kind === 'write' || e.kind === 'mutation') events.push(e);
    });
    heap.append(list, a);
    heap.insert(list, 0, a);
    heap.permute(list, [1, 0]);
    heap.roots.popAppend(list);
    heap.removeAt(list, 1);
    heap.truncate(list, 1);
    expect(events.map((e) => (e.kind === 'write' ? `${e.via}${e.owned ? ' owned' : ''}` : e.action))).toEqual(
      ['append', 'insert', 'permute', 'append owned', 'remove', 'truncate'],
    );
    expect(events[2]).toMatchObject({ order: [1, 0] });
  });

  it('every root change is an event: temporaries, pins, locals, globals and frames with their locals', () => {
    const { heap, Plain } = countingHeap();
    const lines = record(heap, () => {
      const a = heap.alloc(Plain);
      heap.roots.push(a);
      heap.roots.pin(a);
      heap.roots.unpin(a);
      heap.roots.pushFrame('f', ['x', 'y'], 1);
      heap.roots.setLocal(1, a);
      heap.roots.popFrame();
      heap.roots.push(a);
      heap.roots.remove(1);
      heap.roots.popToGlobal('g');
      heap.roots.setGlobal('g', NULL_REF);
    });
    const roots = lines.map((l) => JSON.parse(l)).filter((e) => e.kind === 'root' || e.kind === 'frame');
    expect(
      roots.map((e) => (e.kind === 'frame' ? `${e.action} ${e.name}` : `${e.action} ${e.root}`)),
    ).toEqual([
      'push temp:<root>',
      'pin pin',
      'unpin pin',
      'push f',
      'set local:f:y',
      'pop f',
      'push temp:<root>',
      'remove temp:<root>',
      'move global:g',
      'set global:g',
    ]);
    expect(roots[3]).toMatchObject({ locals: ['x', 'y'], args: 1 });
    expect(roots[4]).toMatchObject({ slot: 1 });
    expect(roots[7]).toMatchObject({ depth: 1 });
    expect(roots[8]).toMatchObject({ name: 'g' });
  });

  it('weak reference creation, aux blocks, tracking and held references are mutation events', () => {
    const { heap, Plain, Weak, Fn } = countingHeap();
    const a = heap.alloc(Plain);
    const cb = heap.alloc(Fn);
    const actions: string[] = [];
    heap.events.on('mutation', (e) => actions.push(e.action));
    const w = heap.createWeakref(Weak, a, { callback: cb });
    heap.setAuxSize(a, 64);
    heap.untrack(a);
    heap.track(a);
    heap.incref(a);
    heap.decref(a);
    expect(actions).toEqual(['weakref', 'aux', 'untrack', 'track', 'incref', 'decref']);
    const created: HeapEvent[] = [];
    heap.events.on('mutation', (e) => created.push(e));
    heap.createWeakref(Weak, a, { callback: cb });
    expect(created[0]).toMatchObject({ action: 'weakref', target: a, callback: cb, share: false, slots: 1 });
    expect(heap.isAlive(w)).toBe(true);
  });

  it('host depth is one more while a finalizer runs', () => {
    const { heap, A } = countingHeap();
    let depth = -1;
    heap.host = {
      runFinalizer: (h) => {
        depth = h.hostDepth;
      },
      runWeakrefCallback: () => {},
    };
    heap.alloc(A);
    heap.roots.pop();
    expect(depth).toBe(1);
    expect(heap.hostDepth).toBe(0);
  });

  it('builds no event when nobody listens', () => {
    const { heap, Plain } = countingHeap();
    heap.alloc(Plain);
    heap.roots.pop();
    expect(heap.events.mask).toBe(0);
  });
});
