// Running the copying collector on the semispace allocator: survivors move, addresses change.
import { Heap, Mutator } from '@heaplab/core';
import { createCopyingCollector, createSemispaceAllocator } from '@heaplab/gc-copying';

export function copyingRun() {
  // #region setup
  const heap = new Heap({
    collector: createCopyingCollector({ semispaceBytes: 64 * 1024 }),
    allocator: createSemispaceAllocator(),
  });
  const Node = heap.defineType({ name: 'Node', container: true });
  const m = new Mutator(heap);
  const moves: string[] = [];
  heap.events.on('moved', (e) => moves.push(`${e.from.toString(16)} -> ${e.to.toString(16)}`));
  // #endregion setup

  // #region run
  m.new('keep', Node, { slots: 1 });
  m.new('child', Node);
  m.link('keep', 0, 'child');
  m.unbind('child'); // still reachable through keep.slot[0]
  m.new('garbage', Node);
  m.unbind('garbage');
  const report = heap.collect();
  // #endregion run

  return { moves, freed: report.objectsFreed, copied: report.extra.copied, phases: report.phases };
}
