import { type CollectionContext, checkHeap, type Heap } from '@heaplab/core';
import { kitProgram, runKitProgram } from '@heaplab/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMarkSweepCollector, type MarkSweepCollector, type MarkSweepOptions } from '../src/index.js';

/**
 * The collector, checking after each of its collections (requested or triggered by allocation)
 * that every unreachable object was freed, or with lazy sweeping, awaits the sweep.
 */
function checkedFactory(problems: string[]) {
  return (options?: MarkSweepOptions): MarkSweepCollector => {
    const inner = createMarkSweepCollector(options);
    let heap: Heap | undefined;
    return {
      ...inner,
      doAttach(h: Heap) {
        heap = h;
        inner.doAttach(h);
      },
      doCollect(context: CollectionContext) {
        inner.doCollect(context);
        const left = checkHeap(heap!).unreachable.length;
        const pending = inner.state().pendingSweep;
        if (left !== pending)
          problems.push(
            `${context.request.reason} collection left ${left} unreachable, ${pending} pending sweep`,
          );
      },
    };
  };
}

const optionSets: MarkSweepOptions[] = [
  { minimumBytes: 64, growth: 0.5 },
  { minimumBytes: 256, growth: 2, heapLimit: 2048 },
  { minimumBytes: 64, sweep: 'lazy', sweepBudget: 2 },
];

describe('mark-sweep on random programs', () => {
  for (const options of optionSets) {
    it(`frees every unreachable object at each full collection (${JSON.stringify(options)})`, () => {
      let collections = 0;
      fc.assert(
        fc.property(kitProgram({ maxLength: 200 }), (program) => {
          const problems: string[] = [];
          const result = runKitProgram(checkedFactory(problems) as never, program, {
            collectorOptions: options,
            // Lazy sweeping leaves garbage after a collection by design; checked above instead.
            expect: { fullCollectionFreesAllUnreachable: options.sweep !== 'lazy' },
            inspect: (heap, oracle, when) => {
              if (when === 'end' && oracle.unreachable.length > 0) problems.push('garbage left at the end');
              const pending = (heap.collector as MarkSweepCollector).state().pendingSweep;
              if (oracle.unreachable.length < pending) problems.push('more pending sweep than garbage');
              return problems.splice(0);
            },
          });
          collections += result.collections;
        }),
        { numRuns: 1500 },
      );
      // The programs must collect, at requests and allocations, for the property to mean anything.
      expect(collections).toBeGreaterThan(3000);
    }, 300_000);
  }
});
