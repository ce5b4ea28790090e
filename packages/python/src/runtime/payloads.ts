/** Payload shapes and slot numbers of dicts, sets and functions, shared by the runtime modules. */
import type { Ref } from '@heaplab/core';
import type { PyType } from './pytype.js';

/** Payload of a dict or set: key identity to the slot of its entry. */
export interface TableData {
  /** Hash key to entry number (a dict's entry k uses slots 2k and 2k+1; a set's entry k slot k). */
  readonly index: Map<unknown, number>;
  /** Live entries. */
  size: number;
  /** A `__dict__` made from an instance's attributes: the class whose shared keys it uses. */
  shared?: PyType;
  /** A dict's CPython 3.11 key table, for `sys.getsizeof` (see `dictKeysSize`). */
  keys?: DictKeys;
  /** A set's CPython 3.11 hash table once it outgrows the object's own 8 slots (see `setTableSize`). */
  table?: { mask: number; fill: number };
}

/** The shape of a dict's key table in CPython 3.11: what `sys.getsizeof` measures beyond the object. */
export interface DictKeys {
  /** log2 of the table size. */
  log2: number;
  /** Entries that may still be added before the table is resized. */
  usable: number;
  /** Whether some key is not a str (24-byte entries instead of 16). */
  general: boolean;
}

/** Payload of a function object. */
export interface FunctionData {
  /** The compiled code. */
  readonly code: unknown;
  /** `__name__`. */
  name: string;
  /** `__qualname__`. */
  qualname: string;
  /** The module whose attributes are the function's globals (0: `__main__`). */
  readonly globals: Ref;
}

/** Slots of a function object. */
export const FN_DEFAULTS = 0;
/** Slot of a function's closure tuple. */
export const FN_CLOSURE = 1;
/** Slot of a function's keyword-only defaults dict. */
export const FN_KWDEFAULTS = 2;
/** Slot of a function's `__dict__`. */
export const FN_DICT = 3;
/** Slot of a function's globals (`__main__`'s dict; empty for functions of heaplab's own modules). */
export const FN_GLOBALS = 4;
