import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNoneCollector } from '../../src/index.js';
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
