// The heap model in one program: types, objects with addresses, roots, slots, a weak reference.
import { createBumpAllocator, Heap, Mutator, NULL_REF } from '@heaplab/core';
import { createCopyingCollector } from '@heaplab/gc-copying';

export function heapModelTour() {
  // #region create
  const heap = new Heap({ collector: createCopyingCollector(), allocator: createBumpAllocator() });
  const Node = heap.defineType({ name: 'Node', container: true, weakrefable: true });
  const Weak = heap.defineType({ name: 'weakref', weakref: 'ref' });
  const m = new Mutator(heap);
  // #endregion create

  // #region objects
  m.new('a', Node, { slots: 1 }); // a global variable `a` holds a new Node with one slot
  m.new('b', Node, { slots: 1 });
  m.link('a', 0, 'b'); // a.slot[0] = b
  m.link('b', 0, 'a'); // b.slot[0] = a: a cycle
  m.weakref('w', Weak, 'a'); // w = weakref(a): does not keep `a` alive
  const a = m.get('a');
  const addressBefore = heap.addressOf(a); // what id(a) shows
  // #endregion objects

  // #region collect
  m.unbind('a');
  m.unbind('b'); // the cycle is now unreachable
  const report = heap.collect(); // the copying collector reclaims it and clears the weak reference
  // #endregion collect

  return {
    addressBefore,
    aliveAfter: heap.isAlive(a),
    weakTargetAfter: heap.weakTarget(m.get('w')),
    freed: report.objectsFreed,
    cleared: report.weakrefsCleared,
    nullRef: NULL_REF,
  };
}
