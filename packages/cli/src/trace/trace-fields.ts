import type { MutatorOpName } from '@heaplab/workloads';

/** The kinds of value a trace field holds. */
export type FieldKind =
  | 'string'
  | 'name'
  | 'nameOrNull'
  | 'index'
  | 'boolean'
  | 'scalar'
  | 'names'
  | 'collectKind'
  | 'id'
  | 'idOrNull'
  | 'indices'
  | 'ops'
  | 'object';

/** A field of a trace line: its kind and whether it must be present. */
export interface FieldSpec {
  /** What it holds. */
  readonly kind: FieldKind;
  /** Whether it must be present. */
  readonly required: boolean;
}

const req = (kind: FieldKind): FieldSpec => ({ kind, required: true });
const opt = (kind: FieldKind): FieldSpec => ({ kind, required: false });

/** The trace format's name, in every header. */
export const TRACE_FORMAT = 'heaplab-trace';

/** The trace format version of recorded workloads (operations on named variables); still read. */
export const TRACE_VERSION = 1;

/** The trace format version recorded from a heap's event stream (operations on numbered objects). */
export const HEAP_TRACE_VERSION = 2;

/** The versions this heaplab reads. */
export const TRACE_VERSIONS: readonly number[] = [TRACE_VERSION, HEAP_TRACE_VERSION];

/** The fields of each operation line (besides `op`), by operation: the format, as data. */
export const OP_FIELDS: Readonly<Record<MutatorOpName, Readonly<Record<string, FieldSpec>>>> = {
  new: {
    name: req('name'),
    type: req('string'),
    slots: opt('index'),
    size: opt('index'),
    growable: opt('boolean'),
    payload: opt('scalar'),
  },
  bind: { name: req('name'), value: req('nameOrNull') },
  link: { obj: req('name'), slot: req('index'), target: req('nameOrNull') },
  append: { obj: req('name'), value: req('nameOrNull') },
  load: { name: req('name'), obj: req('name'), slot: req('index') },
  weakref: { name: req('name'), type: req('string'), target: req('name'), callback: opt('name') },
  deref: { name: req('name'), weakref: req('name') },
  remove: { obj: req('name'), at: req('index') },
  truncate: { obj: req('name'), length: req('index') },
  push: { frame: req('string'), locals: req('names') },
  pop: {},
  collect: { kind: opt('collectKind'), generation: opt('index') },
};

/** The fields of a type in the header (the plain-data part of core's `TypeSpec`). */
export const TYPE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  name: req('string'),
  container: opt('boolean'),
  trackOnAlloc: opt('boolean'),
  weakrefable: opt('boolean'),
  finalizer: opt('boolean'),
  deferLastHeader: opt('boolean'),
  deferFirstSlot: opt('boolean'),
  baseSize: opt('index'),
  slotSize: opt('index'),
  description: opt('string'),
};

/** Fields of a type that take one of a few words. */
export const TYPE_ENUMS: Readonly<Record<string, readonly string[]>> = {
  weakref: ['ref', 'proxy'],
  releaseOrder: ['forward', 'reverse'],
  clearOrder: ['forward', 'reverse', 'none'],
  untrack: ['never', 'each-collection', 'full-collection'],
};

/**
 * The fields of each version-2 line (besides `op`): heap operations on objects numbered in
 * allocation order (`id` 1, 2, ...; `null` for none), recorded from a heap's event stream.
 */
export const HEAP_OP_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldSpec>>>> = {
  type: { id: req('index'), spec: req('object') },
  alloc: {
    id: req('id'),
    type: req('index'),
    slots: req('index'),
    size: req('index'),
    growable: opt('boolean'),
    track: opt('boolean'),
    address: opt('index'),
    immortal: opt('boolean'),
  },
  set: { obj: req('id'), slot: req('index'), value: req('idOrNull') },
  append: { obj: req('id'), value: req('idOrNull') },
  insert: { obj: req('id'), at: req('index'), value: req('idOrNull') },
  'move-slot': { obj: req('id'), slot: req('index') },
  'move-append': { obj: req('id') },
  remove: { obj: req('id'), at: req('index') },
  truncate: { obj: req('id'), length: req('index') },
  permute: { obj: req('id'), order: req('indices') },
  push: { value: req('id') },
  pop: {},
  'remove-temp': { depth: req('index') },
  pin: { value: req('id') },
  unpin: { value: req('id') },
  'set-local': { slot: req('index'), value: req('idOrNull') },
  'move-local': { slot: req('index') },
  'set-global': { name: req('string'), value: req('idOrNull') },
  'move-global': { name: req('string') },
  frame: { name: req('string'), locals: req('names'), args: req('index') },
  return: {},
  weakref: {
    id: req('id'),
    type: req('index'),
    target: req('id'),
    callback: req('idOrNull'),
    share: req('boolean'),
    slots: req('index'),
  },
  aux: { obj: req('id'), bytes: req('index') },
  track: { obj: req('id') },
  untrack: { obj: req('id') },
  incref: { obj: req('id') },
  decref: { obj: req('id') },
  collect: { kind: opt('collectKind'), generation: opt('index') },
  finalizer: { obj: req('id'), ops: req('ops') },
  callback: { weakref: req('id'), ops: req('ops') },
};
