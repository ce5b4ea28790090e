import { Heap, NULL_REF, refIndex } from '@heaplab/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRefcountCollector } from '../src/index.js';
import { recordRelease, recursiveRelease } from './recursive-model.js';

function refcountHeap() {
  const heap = new Heap({ collector: createRefcountCollector() });
  const types = {
    node: heap.defineType({ name: 'Node', container: true, weakrefable: true }),
    tuple: heap.defineType({ name: 'Tuple', container: true, weakrefable: true, releaseOrder: 'reverse' }),
    fin: heap.defineType({ name: 'Fin', container: true, weakrefable: true, finalize: () => {} }),
    list: heap.defineType({ name: 'List', container: true }),
    weakref: heap.defineType({ name: 'Weakref', weakref: 'ref', container: true }),
    callback: heap.defineType({ name: 'Callback', weakrefable: true }),
  };
  return { heap, types };
}

const graph = fc.record({
  objects: fc.array(
    fc.record({
      kind: fc.constantFrom('node', 'tuple', 'fin') as fc.Arbitrary<'node' | 'tuple' | 'fin'>,
      slots: fc.integer({ min: 0, max: 3 }),
    }),
    { minLength: 1, maxLength: 30 },
  ),
  edges: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 60 }),
  weakrefs: fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 8 }),
  alsoRooted: fc.array(fc.nat(), { maxLength: 3 }),
});

/** Index of the first element where `a` and `b` differ, or -1 (cheaper than a deep equality on millions). */
function firstDifference(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return k;
  return -1;
}

describe('release order', () => {
  it('matches recursive release on random graphs with finalizers and weak-reference callbacks', () => {
    fc.assert(
      fc.property(graph, ({ objects, edges, weakrefs, alsoRooted }) => {
        const { heap, types } = refcountHeap();
        const roots = heap.roots;
        roots.pushFrame('build', ['root', 'keep']);
        roots.push(heap.allocGrowable(types.list));
        roots.popToLocal(1);
        const keep = roots.getLocal(1);
        const refs = objects.map(({ kind, slots }) => heap.alloc(types[kind], slots));
        for (const [from, slot, to] of edges) {
          const obj = refs[from % refs.length];
          const n = heap.length(obj);
          if (n > 0) heap.set(obj, slot % n, refs[to % refs.length]);
        }
        for (const [target, withCallback] of weakrefs) {
          const callback = withCallback ? heap.alloc(types.callback) : NULL_REF;
          heap.createWeakref(types.weakref, refs[target % refs.length], { callback, share: false });
          roots.popAppend(keep);
          if (withCallback) roots.pop();
        }
        for (const k of alsoRooted) heap.append(keep, refs[k % refs.length]);
        roots.setLocal(0, refs[0]);
        roots.drop(refs.length);
        if (!heap.isAlive(refs[0])) return;
        const expected = recursiveRelease(heap, refIndex(refs[0]));
        const recorder = recordRelease(heap);
        roots.setLocal(0, NULL_REF);
        recorder.stop();
        expect(recorder.steps).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('frees a 1,000,000-long chain deepest first, with no host stack overflow', () => {
    const { heap, types } = refcountHeap();
    const n = 1_000_000;
    heap.roots.pushFrame('build', ['head']);
    const built = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const fresh = heap.alloc(types.node, 1);
      built[k] = refIndex(fresh);
      if (k > 0) heap.set(fresh, 0, heap.roots.getLocal(0));
      heap.roots.popToLocal(0);
    }
    const freed = new Int32Array(n);
    let count = 0;
    const stop = heap.events.on('freed', (e) => {
      freed[count++] = refIndex(e.obj);
    });
    heap.roots.popFrame();
    stop();
    expect(count).toBe(n);
    expect(heap.liveObjects).toBe(0);
    // Recursion releases the head's referent fully before freeing the head: the oldest node goes first.
    expect(firstDifference(freed, built)).toBe(-1);
  }, 120_000);

  it('frees a 1,000,000-wide tree child by child, in slot order, the root last', () => {
    const { heap, types } = refcountHeap();
    const n = 1_000_000;
    heap.roots.pushFrame('build', ['root']);
    heap.alloc(types.node, n);
    heap.roots.popToLocal(0);
    const root = heap.roots.getLocal(0);
    const expected = new Int32Array(2 * n + 1);
    for (let k = 0; k < n; k++) {
      const child = heap.alloc(types.node, 1);
      const leaf = heap.alloc(types.callback);
      heap.roots.popToSlot(child, 0);
      heap.roots.popToSlot(root, k);
      expected[2 * k] = refIndex(leaf);
      expected[2 * k + 1] = refIndex(child);
    }
    expected[2 * n] = refIndex(root);
    const freed = new Int32Array(2 * n + 1);
    let count = 0;
    const stop = heap.events.on('freed', (e) => {
      freed[count++] = refIndex(e.obj);
    });
    heap.roots.popFrame();
    stop();
    expect(count).toBe(2 * n + 1);
    expect(firstDifference(freed, expected)).toBe(-1);
  }, 120_000);

  it('frees a reverse-order container last slot first', () => {
    const { heap, types } = refcountHeap();
    heap.roots.pushFrame('build', ['root']);
    heap.alloc(types.tuple, 3);
    heap.roots.popToLocal(0);
    const root = heap.roots.getLocal(0);
    const children = [0, 1, 2].map((k) => {
      const child = heap.alloc(types.node);
      heap.roots.popToSlot(root, k);
      return refIndex(child);
    });
    const recorder = recordRelease(heap);
    heap.roots.popFrame();
    recorder.stop();
    expect(recorder.steps).toEqual([...children.reverse(), refIndex(root)].map((i) => `free #${i}`));
  });
});
