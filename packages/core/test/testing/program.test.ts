import { describe, expect, it } from 'vitest';
import { createNoneCollector } from '../../src/index.js';
import { type KitCheckPoint, KitFailure, type KitOp, runKitProgram } from '../../src/testing/index.js';

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
