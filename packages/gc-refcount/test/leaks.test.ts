import {
  checkHeap,
  cycleBoundGarbage,
  Heap,
  isCyclic,
  type ObjIndex,
  type Ref,
  refIndex,
} from '@heaplab/core';
import { kitProgram, runKitProgram } from '@heaplab/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRefcountCollector, type RefcountCollector } from '../src/index.js';

const sorted = (objects: readonly ObjIndex[]) => [...objects].sort((a, b) => a - b);

describe('leak report', () => {
  it('names the leaked objects and the cycles holding them, and the oracle agrees', () => {
    const heap = new Heap({ collector: createRefcountCollector() });
    const node = heap.defineType({ name: 'Node', container: true });
    heap.roots.pushFrame('leaky', []);
    const [a, b, tail, self, kept] = [2, 1, 0, 1, 0].map((slots) => heap.alloc(node, slots));
    heap.set(a, 0, b);
    heap.set(b, 0, a);
    heap.set(a, 1, tail);
    heap.set(self, 0, self);
    heap.roots.setGlobal('kept', kept);
    heap.roots.popFrame();
    expect(heap.isAlive(tail)).toBe(true);
    const { leaks, unreachable } = heap.finish();
    const index = (refs: Ref[]) => refs.map((ref) => refIndex(ref));
    expect(leaks?.leaked).toEqual(sorted(index([a, b, tail, self])));
    expect(unreachable).toEqual(leaks?.leaked);
    expect(leaks?.cycles.map(sorted)).toEqual([sorted(index([a, b])), index([self])]);
    expect(heap.metrics.summary().objectsLeaked).toBe(4);
  });

  it('is empty when nothing leaked, and can be turned off', () => {
    const heap = new Heap({ collector: createRefcountCollector() });
    heap.alloc(heap.defineType({ name: 'Leaf' }));
    heap.roots.pop();
    expect(heap.finish().leaks).toEqual({ leaked: [], cycles: [] });
    const quiet = new Heap({ collector: createRefcountCollector({ reportLeaks: false }) });
    expect(quiet.finish().leaks).toBeUndefined();
  });

  it('lets go of a weakref callback hanging below a garbage cycle once the referent dies', () => {
    // Found by the property below: a list cycle holds a weakref whose referent is a resurrected
    // finalizer object; when that object finally dies, clearing the weakref drops its callback,
    // which is freed by its count although it hung below a cycle.
    const program = [
      { op: 'new', v: 4, kind: 'fin', slots: 1, resurrect: true },
      { op: 'weakref', v: 1, target: 4, callback: true },
      { op: 'new', v: 2, kind: 'list', slots: 1, resurrect: false },
      { op: 'link', v: 2, slot: 0, to: 2 },
      { op: 'link', v: 2, slot: 0, to: 1 },
      { op: 'new', v: 4, kind: 'plain', slots: 1, resurrect: false },
      { op: 'new', v: 2, kind: 'plain', slots: 1, resurrect: false },
      { op: 'new', v: 1, kind: 'plain', slots: 1, resurrect: false },
      { op: 'unsave' },
      { op: 'collect', kind: 'full', generation: 0 },
    ] as const;
    const result = runKitProgram(createRefcountCollector as never, program as never);
    expect(result.callbacks).toBe(1);
  });

  it('matches the oracle at the end of random programs: every leak is on or under a reported cycle', () => {
    let leakingRuns = 0;
    fc.assert(
      fc.property(kitProgram({ maxLength: 150 }), (program) => {
        runKitProgram(createRefcountCollector as never, program, {
          inspect: (heap, oracle, when) => {
            if (when !== 'end') return undefined;
            const { leaked, cycles } = (heap.collector as RefcountCollector).leakReport();
            const problems: string[] = [];
            if (cycles.length > 0) leakingRuns++;
            if (leaked.join() !== oracle.unreachable.join())
              problems.push('leaked objects differ from the oracle');
            const inCycles = cycles.flat();
            if (!cycles.every((c) => isCyclic(heap, c))) problems.push('a reported cycle has no cycle');
            if (new Set(inCycles).size !== inCycles.length) problems.push('cycles overlap');
            if (!inCycles.every((i) => leaked.includes(i))) problems.push('a cycle member is not leaked');
            if (cycleBoundGarbage(heap, leaked).size !== leaked.length)
              problems.push('a leaked object is neither on nor under a cycle');
            if (checkHeap(heap).violations.length > 0) problems.push('oracle violation');
            return problems;
          },
        });
      }),
      // Bounded like the kit's properties: a slowly shrinking counterexample fails instead of hanging.
      { numRuns: 1000, interruptAfterTimeLimit: 240_000, markInterruptAsFailure: true },
    );
    // The programs must actually leak cycles for the property to say anything.
    expect(leakingRuns).toBeGreaterThan(30);
  });
});
