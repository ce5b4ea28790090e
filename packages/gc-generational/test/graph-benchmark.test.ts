import { describe, expect, it } from 'vitest';
import { runGraphBenchmark } from '../src/index.js';

describe('graph benchmark', () => {
  // `freed` as printed by `python3 bench/graph_gc.py 1000 5000 20000` on CPython 3.11.7.
  it.each([
    [1000, 1940],
    [5000, 9824],
    [20000, 39210],
  ])('builds graph_gc.py graph for n=%i and frees what CPython frees (%i)', (n, freed) => {
    const result = runGraphBenchmark({ n });
    expect(result).toMatchObject({ impl: 'heaplab', n, degree: 4, tracked: 2 * n, refs: 5 * n, freed });
    expect(result.live_ms).toBeGreaterThanOrEqual(0);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => runGraphBenchmark({ n: 0 })).toThrow(/n must be a positive integer/);
  });
});
