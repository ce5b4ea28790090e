import type { Heap, TypeId } from '@heaplab/core';

/** Heap type ids of the builtin kinds of object. */
export interface HeapTypes {
  readonly object: TypeId;
  readonly int: TypeId;
  readonly bool: TypeId;
  readonly float: TypeId;
  readonly str: TypeId;
  readonly none: TypeId;
  readonly tuple: TypeId;
  readonly list: TypeId;
  readonly dict: TypeId;
  readonly set: TypeId;
  readonly frozenset: TypeId;
  readonly function: TypeId;
  readonly builtin: TypeId;
  readonly descriptor: TypeId;
  readonly method: TypeId;
  readonly cell: TypeId;
  readonly type: TypeId;
  readonly module: TypeId;
  readonly weakref: TypeId;
  readonly proxy: TypeId;
  readonly generator: TypeId;
  readonly range: TypeId;
  readonly iterator: TypeId;
  readonly plainIterator: TypeId;
  readonly slice: TypeId;
  readonly property: TypeId;
  readonly staticmethod: TypeId;
  readonly classmethod: TypeId;
  readonly singleton: TypeId;
  readonly traceback: TypeId;
  readonly frame: TypeId;
  readonly super: TypeId;
}

/**
 * Registers the heap types of CPython's builtin objects for a profile, with 3.11's sizes on a
 * 64-bit build (containers include the 16-byte GC header) and their free lists.
 */
export function defineHeapTypes(heap: Heap, profile = 'cpython-3.11'): HeapTypes {
  const d = heap.types;
  // 3.14 removed lazy dict tracking: every dict is tracked from birth and stays tracked.
  const eagerDicts = profile === 'cpython-3.14';
  return {
    object: d.define({ name: 'object', baseSize: 16 }),
    int: d.define({ name: 'int', baseSize: 28 }),
    bool: d.define({ name: 'bool', baseSize: 28 }),
    float: d.define({ name: 'float', baseSize: 24, freeList: { capacity: 100 } }),
    str: d.define({ name: 'str', baseSize: 49 }),
    none: d.define({ name: 'NoneType', baseSize: 16 }),
    tuple: d.define({
      name: 'tuple',
      container: true,
      baseSize: 40,
      slotSize: 8,
      releaseOrder: 'reverse',
      clearOrder: 'none',
      untrack: 'each-collection',
      freeList: { capacity: 2000, byLength: true, maxLength: 20 },
    }),
    list: d.define({
      name: 'list',
      container: true,
      baseSize: 56,
      slotSize: 0,
      releaseOrder: 'reverse',
      clearOrder: 'reverse',
      freeList: { capacity: 80 },
    }),
    dict: d.define({
      name: 'dict',
      container: true,
      trackOnAlloc: eagerDicts,
      baseSize: 64,
      slotSize: 0,
      untrack: eagerDicts ? 'never' : 'full-collection',
      freeList: { capacity: 80 },
    }),
    set: d.define({ name: 'set', container: true, weakrefable: true, baseSize: 216, slotSize: 0 }),
    frozenset: d.define({
      name: 'frozenset',
      container: true,
      weakrefable: true,
      baseSize: 216,
      slotSize: 0,
    }),
    function: d.define({ name: 'function', container: true, weakrefable: true, baseSize: 160, slotSize: 0 }),
    builtin: d.define({ name: 'builtin_function_or_method', container: true, baseSize: 72, slotSize: 0 }),
    descriptor: d.define({ name: 'method_descriptor', container: true, baseSize: 88, slotSize: 0 }),
    method: d.define({ name: 'method', container: true, baseSize: 64, slotSize: 0 }),
    cell: d.define({ name: 'cell', container: true, baseSize: 40, slotSize: 0 }),
    type: d.define({ name: 'type', container: true, weakrefable: true, baseSize: 1072, slotSize: 0 }),
    module: d.define({ name: 'module', container: true, weakrefable: true, baseSize: 88, slotSize: 0 }),
    weakref: d.define({ name: 'weakref', container: true, weakref: 'ref', baseSize: 80, slotSize: 0 }),
    proxy: d.define({ name: 'weakproxy', container: true, weakref: 'proxy', baseSize: 80, slotSize: 0 }),
    generator: d.define({
      name: 'generator',
      container: true,
      weakrefable: true,
      baseSize: 216,
      slotSize: 0,
    }),
    range: d.define({ name: 'range', baseSize: 48 }),
    iterator: d.define({ name: 'iterator', container: true, baseSize: 48, slotSize: 0 }),
    plainIterator: d.define({ name: 'range_iterator', baseSize: 48 }),
    slice: d.define({ name: 'slice', container: true, baseSize: 56, slotSize: 0 }),
    property: d.define({ name: 'property', container: true, baseSize: 88, slotSize: 0 }),
    staticmethod: d.define({ name: 'staticmethod', container: true, baseSize: 56, slotSize: 0 }),
    classmethod: d.define({ name: 'classmethod', container: true, baseSize: 56, slotSize: 0 }),
    singleton: d.define({ name: 'singleton', baseSize: 16 }),
    traceback: d.define({ name: 'traceback', container: true, baseSize: 64, slotSize: 0 }),
    super: d.define({ name: 'super', container: true, baseSize: 64, slotSize: 0 }),
    frame: d.define({ name: 'frame', container: true, baseSize: 120, slotSize: 8 }),
  };
}
