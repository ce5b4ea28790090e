import type { Heap, TypeId, TypeSpec } from '@heaplab/core';

/** The type ids workloads allocate with, by role. */
export interface WorkloadTypes {
  /** A plain container object (an instance of a Python class): weakrefable, takes part in cycles. */
  readonly node: TypeId;
  /** A scalar object that holds no references (an int or a str). */
  readonly leaf: TypeId;
  /** A growable list. */
  readonly list: TypeId;
  /** A container with a finalizer (`__del__`). */
  readonly fin: TypeId;
  /** A weak reference. */
  readonly weakref: TypeId;
  /** A weak-reference callback object. */
  readonly callback: TypeId;
}

/**
 * The types of the workload suite, in definition order. Plain data (no JavaScript finalizer
 * bodies), so a recorded trace can define them again on another heap.
 */
export const WORKLOAD_TYPE_SPECS: readonly (TypeSpec & { readonly role: keyof WorkloadTypes })[] = [
  { role: 'node', name: 'object', container: true, weakrefable: true, baseSize: 48 },
  { role: 'leaf', name: 'int', baseSize: 28 },
  { role: 'list', name: 'list', container: true, releaseOrder: 'reverse', baseSize: 56 },
  { role: 'fin', name: 'Finalized', container: true, weakrefable: true, finalizer: true, baseSize: 48 },
  { role: 'weakref', name: 'weakref', weakref: 'ref', container: true, baseSize: 80 },
  { role: 'callback', name: 'function', baseSize: 136 },
];

/** Defines the workload types on `heap` and returns their ids. */
export function defineWorkloadTypes(heap: Heap): WorkloadTypes {
  const ids: Partial<Record<keyof WorkloadTypes, TypeId>> = {};
  for (const { role, ...spec } of WORKLOAD_TYPE_SPECS) ids[role] = heap.defineType(spec);
  return ids as WorkloadTypes;
}
