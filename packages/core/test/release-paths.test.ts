import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap, NULL_REF, type Ref } from '../src/index.js';
import { countingCollector } from './helpers.js';

/**
 * The release engine frees plain objects on its own path when nothing listens to frees or counts
 * (no event to emit), and everything else on its general path. Listening to `freed` events forces
 * the general path for every object, so running one program on two heaps, one listening and one
 * not, must give the same heap: same frees in the same order (seen in the addresses and indices
 * that later allocations reuse), same counts, sizes, metrics and finalizer order. Finalizers and
 * weak-reference callbacks allocate while objects are being released, so the tables grow under
 * the plain path, which must then read them again.
 */

type Op =
  | { kind: 'alloc'; type: number; slots: number }
  | { kind: 'weak'; obj: number }
  | { kind: 'link'; from: number; slot: number; to: number }
  | { kind: 'header'; obj: number; n: number }
  | { kind: 'drop'; obj: number };

/** How many runs had callbacks, finalizers and grown tables: the test must see each. */
const seen = { callbacks: 0, finalizers: 0, grown: 0 };

function run(ops: readonly Op[], listen: boolean) {
  // A small heap, so that allocations by host code during a release grow the tables.
  const heap = new Heap({ collector: countingCollector(), initialCapacity: 16, initialSlots: 16 });
  const log: string[] = [];
  // Host code that allocates while objects are being released (a finalizer, a callback).
  // Each call holds twice as many objects at once as the last, so that it grows the tables.
  let held = 8;
  const churn = (h: Heap, label: string) => {
    held = Math.min(held * 2, 4096);
    for (let k = 0; k < held; k++) h.allocWith(types[0], { slots: 2 });
    for (let k = 0; k < held; k++) h.roots.pop();
    log.push(label);
  };
  const types = [
    heap.defineType({ name: 'plain', container: true, baseSize: 32, slotSize: 8 }),
    heap.defineType({ name: 'list', container: true, releaseOrder: 'reverse', baseSize: 56 }),
    heap.defineType({ name: 'pooled', container: true, freeList: { capacity: 3 } }),
    heap.defineType({ name: 'inst', container: true, deferFirstSlot: true }),
    heap.defineType({
      name: 'sub',
      container: true,
      releaseOrder: 'reverse',
      deferLastHeader: true,
    }),
    heap.defineType({
      name: 'del',
      container: true,
      weakrefable: true,
      finalize: (h, obj) => churn(h, `del ${h.addressOf(obj)}`),
    }),
    heap.defineType({ name: 'big', container: true, baseSize: 600, weakrefable: true }),
  ];
  const Weak = heap.defineType({ name: 'weakref', weakref: 'ref', container: true });
  const Fn = heap.defineType({ name: 'function' });
  if (listen) heap.events.on('freed', () => {});
  heap.roots.pushFrame('main', []);
  const objs: Ref[] = [];
  for (const op of ops) {
    if (op.kind === 'alloc') {
      const r = heap.allocWith(types[op.type], { slots: op.slots, payload: objs.length });
      heap.roots.setGlobal(`o${objs.length}`, r);
      heap.roots.pop();
      objs.push(r);
      continue;
    }
    if (objs.length === 0) continue;
    const at = (k: number) => objs[k % objs.length];
    if (op.kind === 'weak') {
      // A weak reference (kept by a global) with a callback that allocates.
      const target = at(op.obj);
      if (!heap.isAlive(target) || !heap.typeOf(target).weakrefable) continue;
      const cb = heap.allocWith(Fn, { payload: (h: Heap) => churn(h, `callback ${objs.length}`) });
      const wr = heap.createWeakref(Weak, target, { callback: cb });
      heap.roots.setGlobal(`w${objs.length}`, wr);
      heap.roots.pop();
      heap.roots.pop();
      continue;
    }
    if (op.kind === 'link') {
      // Only to older objects: no cycles, so the drops at the end release everything.
      const k = op.from % objs.length;
      const from = objs[k];
      const to = k === 0 ? NULL_REF : objs[op.to % k];
      const n = heap.isAlive(from) ? heap.length(from) : 0;
      if (n > 0 && to !== NULL_REF && heap.isAlive(to)) heap.set(from, op.slot % n, to);
    } else if (op.kind === 'header') {
      const obj = at(op.obj);
      if (heap.isAlive(obj) && heap.headerSlots(obj) === 0 && heap.length(obj) >= op.n) {
        heap.setHeaderSlots(obj, op.n);
      }
    } else {
      heap.roots.setGlobal(`o${op.obj % objs.length}`, NULL_REF);
    }
  }
  // Then every global goes, in creation order: what is not on a cycle dies.
  for (let k = 0; k < objs.length; k++) heap.roots.setGlobal(`o${k}`, NULL_REF);
  // What later allocations get back shows the order the frees went in.
  const reused: string[] = [];
  for (let k = 0; k < 12; k++) {
    const r = heap.alloc(types[k % 2], 1);
    reused.push(`${r}@${heap.addressOf(r)}`);
  }
  const m = heap.metrics;
  seen.callbacks += log.some((l) => l.startsWith('callback')) ? 1 : 0;
  seen.finalizers += log.some((l) => l.startsWith('del')) ? 1 : 0;
  seen.grown += heap.tables.capacity > 16 ? 1 : 0;
  return {
    log,
    reused,
    live: [heap.liveObjects, heap.liveBytes],
    metrics: [m.frees, m.freedBytes, m.refcountOps, m.allocations],
    series: m.heapBytes.points(),
    alive: objs.filter((r) => heap.isAlive(r)).length,
  };
}

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('alloc' as const),
    type: fc.integer({ min: 0, max: 6 }),
    slots: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({ kind: fc.constant('link' as const), from: fc.nat(), slot: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('link' as const), from: fc.nat(), slot: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('header' as const), obj: fc.nat(), n: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant('drop' as const), obj: fc.nat() }),
  fc.record({ kind: fc.constant('weak' as const), obj: fc.nat() }),
);

describe('release paths', () => {
  it('the plain path frees what the general path frees, in the same order', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 120, size: 'max' }), (ops) => {
        expect(run(ops, false)).toEqual(run(ops, true));
      }),
      { numRuns: 300 },
    );
    expect(seen.callbacks).toBeGreaterThan(10);
    expect(seen.finalizers).toBeGreaterThan(10);
    expect(seen.grown).toBeGreaterThan(10);
  });

  it('takes the plain path only while nothing listens', () => {
    const heap = new Heap({ collector: countingCollector() });
    expect(heap.plainReleases).toBe(true);
    const off = heap.events.on('freed', () => {});
    expect(heap.plainReleases).toBe(false);
    off();
    expect(heap.plainReleases).toBe(true);
    heap.metrics.trackPromptness();
    expect(heap.plainReleases).toBe(false);
  });
});
