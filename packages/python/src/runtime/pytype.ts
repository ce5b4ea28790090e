import { NULL_REF, type Ref, type TypeId } from '@heaplab/core';
import type { Runtime } from './runtime.js';

/** Keyword arguments passed to a native function. */
export interface KwArgs {
  /** Keyword names, in call order. */
  readonly names: string[];
  /** Their values (borrowed; rooted by the caller). */
  readonly values: Ref[];
}

/**
 * A function implemented in TypeScript. Arguments are borrowed (the caller keeps them rooted);
 * the function leaves exactly one new temporary (its result) on the heap's root stack and returns
 * it. Errors are thrown as {@link PyErr}.
 */
export type NativeFn = (rt: Runtime, args: Ref[], kw: KwArgs | null) => Ref;

/** What kind of builtin storage instances of a type use. */
export type Kind =
  | 'object'
  | 'int'
  | 'bool'
  | 'float'
  | 'str'
  | 'none'
  | 'tuple'
  | 'list'
  | 'dict'
  | 'set'
  | 'frozenset'
  | 'function'
  | 'builtin'
  | 'descriptor'
  | 'method'
  | 'cell'
  | 'type'
  | 'module'
  | 'weakref'
  | 'proxy'
  | 'generator'
  | 'range'
  | 'iterator'
  | 'slice'
  | 'property'
  | 'staticmethod'
  | 'classmethod'
  | 'singleton'
  | 'super'
  | 'instance';

/** Whether instances of a builtin kind hold their value as a payload (int, str): classes deriving from these keep attributes inline. */
export function isScalarKind(kind: Kind): boolean {
  return kind === 'int' || kind === 'str';
}

/**
 * Where a name was found along a type's MRO: in slot `slot` of user class `owner`'s object, or,
 * when `owner` is null, the value itself (a builtin type's attribute, or 0 for not found).
 */
export interface TypeLookup {
  /** The user class holding the attribute, or null. */
  readonly owner: PyType | null;
  /** Its slot in the class object. */
  readonly slot: number;
  /** The value when `owner` is null. */
  readonly value: Ref;
}

/** A Python type: builtin or a class made by a program. */
export class PyType {
  /** The type object on the heap. */
  ref: Ref = NULL_REF;
  /** Method resolution order, this type first. */
  mro: PyType[] = [];
  /** Attributes of builtin types (static objects: native methods, constants). */
  readonly dict = new Map<string, Ref>();
  /** User classes: class attribute name to slot of the class object. */
  readonly attrSlots = new Map<string, number>();
  /** Instances of user classes: attribute name to instance slot (CPython's shared keys). */
  readonly instanceKeys = new Map<string, number>();
  /** `__slots__` names, or null when instances take any attribute. */
  slotNames: string[] | null = null;
  /**
   * Classes deriving from list, tuple, dict, set or frozenset: heap header slots before the items
   * (the `__slots__` values named by {@link instanceKeys}, then the `__dict__` if any, then the
   * class), in the order CPython's traversal visits them; 0 for other types.
   */
  headerSize = 0;
  /** The header slot of the `__dict__` (-1: instances have none). */
  dictHeader = -1;
  /**
   * Room left in the class's shared attribute keys (CPython 3.11's cached keys: 30 entries; each
   * new attribute name takes one, and each instance made takes one while more than one is left).
   * A `__dict__` sharing them measures 64 bytes plus 8 per entry and room.
   */
  sharedUsable = 30;
  /** Whether instances accept weak references. */
  weakrefable = false;
  /** Bytes between an object's block and its `id` (GC header and, for instances, the pre-header). */
  headerOffset = 0;
  /** Python-level base classes. */
  bases: PyType[] = [];
  /** The slot of the class object holding its `__mro__` tuple (program classes), or -1. */
  mroSlot = -1;
  /** Whether this type derives from BaseException (computed on first use). */
  isException: boolean | undefined;
  /** Where MRO lookups of names found them (see `lookupType`), valid while {@link lookupVersion} is current. */
  readonly lookupCache = new Map<string, TypeLookup>();
  /** The runtime's class version the cache was filled under. */
  lookupVersion = -1;

  /** Creates a type descriptor. */
  constructor(
    /** The type's `__name__`. */
    readonly name: string,
    /** The heap type of instances. */
    public heapType: TypeId,
    /** Storage kind of instances. */
    readonly kind: Kind,
    /** `__module__`. */
    readonly module = 'builtins',
    /** Whether this is a class made by the program (attributes live in the class object's slots). */
    readonly user = false,
  ) {}

  /** Whether `other` is this type or one of its bases. */
  isSubtypeOf(other: PyType): boolean {
    return this === other || this.mro.includes(other);
  }

  /** The qualified name shown in reprs: `__main__.A` or `int`. */
  get qualName(): string {
    return this.module === 'builtins' ? this.name : `${this.module}.${this.name}`;
  }
}

/** A Python exception in flight through TypeScript code. */
export class PyErr extends Error {
  /** The exception object (pinned while in flight), or 0 when not made yet. */
  exc: Ref;
  /** The type to make the exception with, when `exc` is 0. */
  readonly typeName: string;
  /** Creates an error carrying either an exception object or a type and message. */
  constructor(typeName: string, message: string, exc: Ref = NULL_REF) {
    super(message);
    this.typeName = typeName;
    this.exc = exc;
  }
}

/** Raises a Python exception of builtin type `typeName`. */
export function raise(typeName: string, message: string): never {
  throw new PyErr(typeName, message);
}

/** Stops a run (step, time or heap limit) without a Python traceback. */
export class StopRun extends Error {
  /** Why the run stopped. */
  readonly reason: 'steps' | 'time' | 'heap' | 'exit';
  /** Exit code for `sys.exit`. */
  readonly code: number;
  /** Creates the stop. */
  constructor(reason: 'steps' | 'time' | 'heap' | 'exit', message: string, code = 1) {
    super(message);
    this.reason = reason;
    this.code = code;
  }
}
