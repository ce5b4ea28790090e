import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COLLECTOR_SPEC_VERSION,
  type Collector,
  checkHeap,
  DEFAULT_TRAITS,
  F_ALIVE,
  Heap,
  Mutator,
  OracleError,
  retainerPath,
  verifyHeap,
} from '../src/index.js';
import { kitProgram, runKitProgram } from '../src/testing/index.js';

/** Frees the live object with the highest index at every collection, reachable or not. */
function brokenCollector(): Collector {
  let heap: Heap;
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: 'broken',
    traits: DEFAULT_TRAITS,
    doAttach(h) {
      heap = h;
    },
    doCollect() {
      for (let i = heap.indexBound - 1; i > 0; i--) {
        if (heap.tables.flags(i) & F_ALIVE) {
          heap.freeIndex(i, 'sweep');
          return;
        }
      }
    },
  };
}

describe('the reachability oracle', () => {
  it('catches a collector that frees a live object, naming it and how it is reached', () => {
    const heap = new Heap({ collector: brokenCollector(), verify: true });
    const Node = heap.defineType({ name: 'Node', container: true });
    const m = new Mutator(heap);
    m.new('root', Node, { slots: 1 });
    m.new('child', Node, { slots: 0 });
    m.link('root', 0, 'child');
    m.unbind('child');
    const error = (() => {
      try {
        heap.collect();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(OracleError);
    const message = (error as OracleError).message;
    expect(message).toMatch(/collector "broken" freed a reachable object: Node at 0x[0-9a-f]+/);
    expect(message).toContain('slot 0 of Node at');
    expect(message).toContain("reachable from global 'root'");
  });

  it('fails the kit property for the broken collector', () => {
    const outcome = fc.check(
      fc.property(kitProgram({ maxLength: 60 }), (program) => {
        runKitProgram(brokenCollector as never, program);
      }),
      { numRuns: 200, seed: 42 },
    );
    expect(outcome.failed).toBe(true);
    expect(String(outcome.errorInstance)).toMatch(/freed a reachable object/);
  });

  it('lists unreachable objects and finds the shortest retainer path', () => {
    const heap = new Heap();
    const Node = heap.defineType({ name: 'Node', container: true });
    const m = new Mutator(heap);
    m.new('a', Node, { slots: 2 });
    m.new('b', Node, { slots: 1 });
    m.new('c', Node, { slots: 0 });
    m.link('a', 1, 'b');
    m.link('b', 0, 'c');
    const c = heap.index(m.get('c'));
    m.unbind('b');
    m.unbind('c');
    const path = retainerPath(heap, c)!;
    expect(path.root).toBe("global 'a'");
    expect(path.hops.map((h) => h.slot)).toEqual([-1, 1, 0]);
    m.link('a', 1, null);
    expect(retainerPath(heap, c)).toBeNull();
    expect(checkHeap(heap).unreachable).toHaveLength(2);
    expect(verifyHeap(heap).reachable).toBe(1);
  });
});
