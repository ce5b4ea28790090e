import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CollectionContext,
  clearWeakrefsToGarbage,
  createNoneCollector,
  DEFAULT_TRAITS,
  type Heap,
  Marker,
  sweepObjects,
} from '../../src/index.js';
import {
  type KitCheckPoint,
  KitFailure,
  type KitOp,
  kitProgram,
  runKitProgram,
} from '../../src/testing/index.js';

const program: KitOp[] = [
  { op: 'new', v: 0, kind: 'plain', slots: 1, resurrect: false },
  { op: 'collect', kind: 'full', generation: 0 },
  { op: 'unbind', v: 0 },
];

describe('runKitProgram inspect hook', () => {
  it('runs with every check and says when', () => {
    const seen: [KitCheckPoint, number][] = [];
    runKitProgram(createNoneCollector as never, program, {
      inspect: (_heap, oracle, when) => {
        seen.push([when, oracle.unreachable.length]);
        return undefined;
      },
    });
    expect(seen).toEqual([
      ['operation', 0],
      ['full-collection', 0],
      ['operation', 1],
      ['end', 1],
    ]);
  });

  it('fails the program at the operation where it reports a problem', () => {
    const run = () =>
      runKitProgram(createNoneCollector as never, program, {
        inspect: (_heap, oracle) => (oracle.unreachable.length > 0 ? ['garbage left'] : undefined),
      });
    expect(run).toThrow(KitFailure);
    expect(run).toThrow(/^operation 2 \(\{"op":"unbind","v":0\}\): garbage left$/);
  });
});

describe('kitProgram', () => {
  it('spreads program lengths over the whole range by default', () => {
    const lengths = fc.sample(kitProgram({ maxLength: 200 }), { numRuns: 300, seed: 7 }).map((p) => p.length);
    expect(Math.max(...lengths)).toBeGreaterThan(150);
    expect(lengths.reduce((a, b) => a + b, 0) / lengths.length).toBeGreaterThan(60);
    const small = fc.sample(kitProgram({ maxLength: 200, size: 'small' }), { numRuns: 300, seed: 7 });
    expect(Math.max(...small.map((p) => p.length))).toBeLessThan(50);
  });
});

describe('runKitProgram cycle expectations', () => {
  const counting = () => ({
    ...createNoneCollector(),
    name: 'counting',
    traits: { ...DEFAULT_TRAITS, maintainsRefcounts: true },
  });
  const cycleHoldingWeakref: KitOp[] = [
    { op: 'new', v: 0, kind: 'plain', slots: 2, resurrect: false },
    { op: 'new', v: 1, kind: 'plain', slots: 1, resurrect: false },
    { op: 'link', v: 0, slot: 0, to: 1 },
    { op: 'link', v: 1, slot: 0, to: 0 },
    { op: 'new', v: 2, kind: 'leaf', slots: 1, resurrect: false },
    { op: 'weakref', v: 3, target: 2, callback: true },
    { op: 'link', v: 0, slot: 1, to: 3 },
    { op: 'unbind', v: 0 },
    { op: 'unbind', v: 1 },
    { op: 'unbind', v: 3 },
    { op: 'unbind', v: 2 },
  ];

  it('lets a weak reference on a garbage cycle drop its callback when the referent dies', () => {
    const result = runKitProgram(counting as never, cycleHoldingWeakref);
    expect(result.callbacks).toBe(1);
  });

  it('still fails a counting collector that frees an object on a garbage cycle', () => {
    let heap: Heap;
    const sweeping = () => ({
      ...counting(),
      doAttach(h: Heap) {
        heap = h;
      },
      doCollect(context: CollectionContext) {
        const marker = new Marker(heap);
        marker.markFromRoots(context.work);
        const garbage = marker.unmarked();
        clearWeakrefsToGarbage(heap, garbage, (i) => !marker.isMarked(i));
        sweepObjects(heap, garbage, 'sweep', context.work);
      },
    });
    const cycleOnly = cycleHoldingWeakref.slice(0, 9);
    expect(() =>
      runKitProgram(sweeping as never, [...cycleOnly, { op: 'collect', kind: 'full', generation: 0 }]),
    ).toThrow(/operation 9 .*freed Plain on a garbage cycle/);
  });
});
