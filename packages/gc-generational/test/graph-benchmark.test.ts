import { describe, expect, it } from 'vitest';
import { buildGraph, runGraphBenchmark } from '../src/index.js';

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

  it('buildGraph leaves the list, n nodes and n lists alive, every node with one slot', () => {
    const { heap, collector } = buildGraph(300);
    expect(heap.liveObjects).toBe(601);
    expect(collector.gc.isEnabled()).toBe(false);
    const nodes = heap.roots.getLocal(0);
    expect(heap.length(nodes)).toBe(300);
    const node = heap.get(nodes, 7);
    expect(heap.length(heap.get(node, 0))).toBe(4);
    heap.roots.clearLocal(0);
    // Nodes nothing points to died with the list; the collection frees the rest, as the benchmark's.
    const freed = collector.gc.collect();
    expect(heap.liveObjects).toBe(0);
    expect(freed).toBe(runGraphBenchmark({ n: 300 }).freed);
    expect(freed).toBeGreaterThan(500);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => runGraphBenchmark({ n: 0 })).toThrow(/n must be a positive integer/);
  });
});
