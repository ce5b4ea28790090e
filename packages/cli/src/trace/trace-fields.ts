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
  | 'collectKind';

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

/** The trace format version this heaplab writes and reads. */
export const TRACE_VERSION = 1;

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
