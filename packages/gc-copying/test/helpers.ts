import { Heap, Mutator } from '@heaplab/core';
import { type CopyingOptions, createCopyingCollector, createSemispaceAllocator } from '../src/index.js';

/** A verifying heap with the copying collector and the semispace allocator, and a node type. */
export function semispaceHeap(options: CopyingOptions = {}) {
  const heap = new Heap({
    collector: createCopyingCollector(options),
    allocator: createSemispaceAllocator(),
    verify: true,
  });
  const node = heap.defineType({ name: 'Node', container: true, weakrefable: true });
  return { heap, m: new Mutator(heap), node };
}
