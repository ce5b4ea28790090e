import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildGraph } from '../src/index.js';
import { wasmCollection } from '../src/wasm/collect-wasm.js';

// Where WebAssembly cannot run (a page's policy forbids instantiating modules) or its memory
// cannot grow, the collector's JavaScript loop clears all garbage, with the same result. Its own
// file: the collector keeps the outcome of a failed instantiation for the rest of the process,
// so that test comes last.

/** The graph benchmark's garbage at 2,000 nodes, collected: what was freed and where the next objects go. */
function collectGraph() {
  const { heap, collector } = buildGraph(2000);
  heap.roots.clearLocal(0);
  const freed = collector.gc.collect();
  return {
    freed,
    live: heap.liveObjects,
    next: Array.from({ length: 200 }, (_, k) => heap.addressOf(heap.alloc(k % 2, 1))),
  };
}

describe('clearing garbage where WebAssembly cannot run', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    wasmCollection.use = 'auto';
  });

  it('leaves it to the JavaScript loop when the memory cannot grow for its scratch space', () => {
    wasmCollection.use = 'never';
    const loop = collectGraph();
    const { heap, collector } = buildGraph(2000);
    heap.roots.clearLocal(0);
    // Built: from here on the heap's memory refuses to grow, as at WebAssembly's 4 GiB.
    const grow = vi.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });
    wasmCollection.use = 'always';
    wasmCollection.runs = 0;
    const freed = collector.gc.collect();
    expect(grow).toHaveBeenCalled();
    grow.mockRestore();
    expect(wasmCollection.runs).toBe(0);
    expect({
      freed,
      live: heap.liveObjects,
      next: Array.from({ length: 200 }, (_, k) => heap.addressOf(heap.alloc(k % 2, 1))),
    }).toEqual(loop);
  });

  it('leaves it to the JavaScript loop where instantiating fails, with the same result', () => {
    wasmCollection.use = 'never';
    const loop = collectGraph();
    const real = globalThis.WebAssembly;
    vi.stubGlobal('WebAssembly', {
      ...real,
      Memory: real.Memory,
      Module: real.Module,
      Instance: class {
        constructor() {
          throw new Error('instantiating WebAssembly is not allowed here');
        }
      },
    });
    wasmCollection.use = 'always';
    wasmCollection.runs = 0;
    const fallback = collectGraph();
    expect(wasmCollection.runs).toBe(0);
    expect(fallback.freed).toBeGreaterThan(3000);
    expect(fallback).toEqual(loop);
  });
});
