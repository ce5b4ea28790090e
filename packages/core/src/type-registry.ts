import type { Heap } from './heap.js';
import { Rel } from './layout.js';
import type { Ref } from './ref.js';

/** Identifies a registered object type. */
export type TypeId = number;

/** Order in which an object's strong references are released when it dies or is cleared. */
export type ReleaseOrder = 'forward' | 'reverse';

/**
 * When a generational collector may stop tracking a container whose referents can no longer form
 * a cycle: tuples are re-examined at every collection, dicts only at full collections (CPython).
 */
export type UntrackPolicy = 'never' | 'each-collection' | 'full-collection';

/** A type-level free list: freed objects keep their memory block for the next allocation. */
export interface FreeListSpec {
  /** How many freed objects the list keeps (per length when `byLength` is set). */
  readonly capacity: number;
  /** Keep one list per slot count (CPython tuples); lengths at or above `maxLength` bypass it. */
  readonly byLength?: boolean;
  /** With `byLength`: the first length that is not kept (CPython: 20). */
  readonly maxLength?: number;
}

/** Describes a kind of heap object. Everything but `name` is optional. */
export interface TypeSpec {
  /** The name shown in reports, events and `repr`s. */
  readonly name: string;
  /** A container that can take part in reference cycles (CPython: has a GC header). */
  readonly container?: boolean;
  /** Containers of this type start tracked by a cycle collector (default: true for containers). */
  readonly trackOnAlloc?: boolean;
  /** Whether weak references to instances may be created. */
  readonly weakrefable?: boolean;
  /** This type is a weak reference: `'ref'` or `'proxy'` decides where new ones go in the referent's list. */
  readonly weakref?: 'ref' | 'proxy';
  /** Instances have a finalizer, run at most once before the object is freed. */
  readonly finalizer?: boolean;
  /** A JavaScript finalizer body, called by the default host when an instance is finalized. */
  readonly finalize?: (heap: Heap, obj: Ref) => void;
  /** Order of releasing references when an instance dies by reference count (default forward). */
  readonly releaseOrder?: ReleaseOrder;
  /**
   * Order in which a cycle collector's clear step drops references, or `'none'` for types
   * without a clear operation (CPython tuples). Default: forward.
   */
  readonly clearOrder?: ReleaseOrder | 'none';
  /**
   * The last header slot of an instance is released after everything else, once the instance's
   * memory is freed (a Python subclass instance's class: CPython's `subtype_dealloc` drops the
   * type at the very end). Default false.
   */
  readonly deferLastHeader?: boolean;
  /**
   * For instances without header slots: slot 0 is released last, once the instance is freed,
   * and a cycle collector's clear step leaves it (a Python instance's class). Default false.
   */
  readonly deferFirstSlot?: boolean;
  /** When a generational collector may untrack an instance (default never). */
  readonly untrack?: UntrackPolicy;
  /** A per-type free list. */
  readonly freeList?: FreeListSpec;
  /** Bytes of an instance with no slots (default 16). */
  readonly baseSize?: number;
  /** Bytes added per reference slot (default 8). */
  readonly slotSize?: number;
  /** A one-line description for documentation and `heaplab` listings. */
  readonly description?: string;
}

/** A registered type, with defaults filled in. */
export interface TypeInfo
  extends Required<Omit<TypeSpec, 'finalize' | 'freeList' | 'weakref' | 'description'>> {
  /** The type's id. */
  readonly id: TypeId;
  /** See {@link TypeSpec.finalize}. */
  readonly finalize: ((heap: Heap, obj: Ref) => void) | undefined;
  /** See {@link TypeSpec.freeList}. */
  readonly freeList: FreeListSpec | undefined;
  /** See {@link TypeSpec.weakref}. */
  readonly weakref: 'ref' | 'proxy' | undefined;
  /** See {@link TypeSpec.description}. */
  readonly description: string;
}

/** The largest number of types a heap can register. */
export const MAX_TYPES = 65535;

/**
 * The types a heap knows. Types are added at any time (a Python class becomes a type when it is
 * created); names need not be unique, ids are.
 */
export class TypeRegistry {
  private readonly infos: TypeInfo[] = [];
  /**
   * Per type id, how its objects are released (`Rel` bits), for the release engine: one
   * byte read instead of three fields of the type's description.
   */
  readonly releaseBits = new Uint8Array(MAX_TYPES + 1);
  private readonly byName = new Map<string, TypeId>();

  /** Registers a type and returns its id. */
  define(spec: TypeSpec): TypeId {
    if (this.infos.length >= MAX_TYPES) throw new Error(`[heaplab] too many types (limit ${MAX_TYPES})`);
    if (!spec.name) throw new Error('[heaplab] a type needs a name');
    const container = spec.container ?? false;
    const id = this.infos.length;
    const info: TypeInfo = {
      id,
      name: spec.name,
      container,
      trackOnAlloc: spec.trackOnAlloc ?? container,
      weakrefable: spec.weakrefable ?? false,
      weakref: spec.weakref,
      finalizer: spec.finalizer ?? spec.finalize !== undefined,
      finalize: spec.finalize,
      releaseOrder: spec.releaseOrder ?? 'forward',
      clearOrder: spec.clearOrder ?? 'forward',
      deferLastHeader: spec.deferLastHeader ?? false,
      deferFirstSlot: spec.deferFirstSlot ?? false,
      untrack: spec.untrack ?? 'never',
      freeList: spec.freeList,
      baseSize: spec.baseSize ?? 16,
      slotSize: spec.slotSize ?? 8,
      description: spec.description ?? '',
    };
    this.infos.push(info);
    this.releaseBits[id] =
      (info.releaseOrder === 'reverse' ? Rel.REVERSE : 0) |
      (info.deferLastHeader ? Rel.DEFER_LAST_HEADER : 0) |
      (info.deferFirstSlot ? Rel.DEFER_FIRST_SLOT : 0) |
      (info.freeList !== undefined ? Rel.FREE_LIST : 0);
    if (!this.byName.has(spec.name)) this.byName.set(spec.name, id);
    return id;
  }

  /** The type with this id; throws for an unknown id. */
  get(id: TypeId): TypeInfo {
    const info = this.infos[id];
    if (!info) throw new Error(`[heaplab] unknown type id ${id}`);
    return info;
  }

  /** The first type registered under `name`, if any. */
  lookup(name: string): TypeInfo | undefined {
    const id = this.byName.get(name);
    return id === undefined ? undefined : this.infos[id];
  }

  /** The first type registered under `name`, registering `spec` if there is none. */
  ensure(spec: TypeSpec): TypeId {
    return this.byName.get(spec.name) ?? this.define(spec);
  }

  /** Every registered type, in id order. */
  all(): readonly TypeInfo[] {
    return this.infos;
  }

  /** Number of registered types. */
  get size(): number {
    return this.infos.length;
  }
}
