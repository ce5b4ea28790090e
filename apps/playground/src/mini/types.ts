import { type Heap, NULL_REF, type ObjIndex, type Ref, type TypeId } from '@heaplab/core';

/** What a sketch object is. */
export type SketchKind = 'none' | 'bool' | 'int' | 'str' | 'list' | 'class' | 'instance' | 'weakref';

interface ClassPayload {
  readonly name: string;
  readonly instanceType: TypeId;
}

interface InstancePayload {
  readonly cls: string;
  readonly attrs: string[];
}

const SMALL_INT_BASE = 0x7f3a_1c00_0000;
const registry = new WeakMap<Heap, SketchTypes>();

/**
 * The object model of the sketch engine: CPython-like sizes, immortal `None`, booleans and small
 * ints at fixed addresses, one heap type per class. Every `push*` leaves the value as a new
 * temporary on top of the current frame.
 */
export class SketchTypes {
  /** The weak reference type. */
  readonly weakrefType: TypeId;
  private readonly kinds = new Map<TypeId, SketchKind>();
  private readonly intType: TypeId;
  private readonly strType: TypeId;
  private readonly listType: TypeId;
  private readonly classType: TypeId;
  private readonly constants: Record<'None' | 'True' | 'False', Ref>;
  private readonly smallInts = new Map<number, Ref>();

  /** The model of a heap the sketch engine runs on, if it is one. */
  static of(heap: Heap): SketchTypes | undefined {
    return registry.get(heap);
  }

  /** Defines the types on `heap` and creates its immortal constants. */
  constructor(private readonly heap: Heap) {
    registry.set(heap, this);
    const def = (kind: SketchKind, spec: Parameters<Heap['defineType']>[0]): TypeId => {
      const id = heap.defineType(spec);
      this.kinds.set(id, kind);
      return id;
    };
    const none = def('none', { name: 'NoneType', baseSize: 16 });
    const bool = def('bool', { name: 'bool', baseSize: 28 });
    this.intType = def('int', { name: 'int', baseSize: 28 });
    this.strType = def('str', { name: 'str', baseSize: 41 });
    this.listType = def('list', {
      name: 'list',
      container: true,
      baseSize: 56,
      slotSize: 0,
      releaseOrder: 'reverse',
    });
    this.classType = def('class', { name: 'type', container: true, baseSize: 1072 });
    this.weakrefType = def('weakref', { name: 'weakref', weakref: 'ref', baseSize: 64, slotSize: 0 });
    const fixed = (type: TypeId, address: number, payload: unknown): Ref => {
      const ref = heap.allocWith(type, { address, immortal: true, payload });
      return ref;
    };
    this.constants = {
      None: fixed(none, 0x7f3a_1bf0_0e40, null),
      False: fixed(bool, 0x7f3a_1bf0_1e20, false),
      True: fixed(bool, 0x7f3a_1bf0_1e40, true),
    };
  }

  /** `None`, `True` or `False`. */
  constant(name: 'None' | 'True' | 'False'): Ref {
    return this.constants[name];
  }

  /** What `ref` is. */
  kindOf(ref: Ref): SketchKind {
    return this.kinds.get(this.heap.tables.type[this.heap.index(ref)]) ?? 'instance';
  }

  /** The Python type name of `ref`. */
  typeName(ref: Ref): string {
    return this.heap.typeOf(ref).name;
  }

  /** Pushes an int (small ints are immortal and shared, as in CPython). */
  pushInt(value: number): void {
    if (value >= -5 && value <= 256) {
      let ref = this.smallInts.get(value);
      if (ref === undefined) {
        ref = this.heap.allocWith(this.intType, {
          address: SMALL_INT_BASE + (value + 5) * 32,
          immortal: true,
          payload: value,
        });
        this.smallInts.set(value, ref);
      }
      this.heap.roots.push(ref);
      return;
    }
    this.heap.allocWith(this.intType, { payload: value });
  }

  /** Pushes a new str. */
  pushStr(text: string): void {
    this.heap.allocWith(this.strType, { payload: text, size: 41 + text.length });
  }

  /** Pushes a new empty list. */
  pushList(): Ref {
    return this.heap.allocGrowable(this.listType, 0);
  }

  /** Sizes a list's item array after its length changed. */
  sizeList(list: Ref): void {
    const n = this.heap.tables.slotCap[this.heap.index(list)];
    this.heap.setAuxSize(list, n * 8);
  }

  /** Pushes a new class object named `name`, with its own instance type. */
  pushClass(name: string): void {
    const instanceType = this.heap.defineType({
      name,
      container: true,
      weakrefable: true,
      baseSize: 48,
      slotSize: 0,
    });
    this.kinds.set(instanceType, 'instance');
    const payload: ClassPayload = { name, instanceType };
    this.heap.allocWith(this.classType, { payload });
  }

  /** The name of class object `cls`. */
  className(cls: Ref): string {
    return this.heap.payload<ClassPayload>(cls).name;
  }

  /** Pushes a new instance of class object `cls`. */
  pushInstance(cls: Ref): void {
    const { name, instanceType } = this.heap.payload<ClassPayload>(cls);
    const payload: InstancePayload = { cls: name, attrs: [] };
    this.heap.allocWith(instanceType, { growable: true, payload });
  }

  /** The slot of attribute `name` of an instance, -1 if none; `create` adds it (the caller appends). */
  attrSlot(obj: Ref, name: string, create: boolean): number {
    if (this.kindOf(obj) !== 'instance') return -1;
    const attrs = this.heap.payload<InstancePayload>(obj).attrs;
    const k = attrs.indexOf(name);
    if (k >= 0 || !create) return k;
    attrs.push(name);
    return attrs.length - 1;
  }

  /** `str(ref)`. */
  str(ref: Ref): string {
    return this.kindOf(ref) === 'str' ? this.heap.payload<string>(ref) : this.repr(ref);
  }

  /** `repr(ref)`. */
  repr(ref: Ref): string {
    const heap = this.heap;
    const at = (r: Ref): string => `0x${heap.addressOf(r).toString(16)}`;
    switch (this.kindOf(ref)) {
      case 'none':
        return 'None';
      case 'bool':
        return heap.payload<boolean>(ref) ? 'True' : 'False';
      case 'int':
        return String(heap.payload<number>(ref));
      case 'str':
        return `'${heap.payload<string>(ref).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
      case 'list':
        return `[${heap
          .referents(ref)
          .map((r) => this.repr(r))
          .join(', ')}]`;
      case 'class':
        return `<class '__main__.${this.className(ref)}'>`;
      case 'weakref': {
        const target = heap.weakTarget(ref);
        if (target === NULL_REF) return `<weakref at ${at(ref)}; dead>`;
        return `<weakref at ${at(ref)}; to '${this.typeName(target)}' at ${at(target)}>`;
      }
      default:
        return `<__main__.${this.typeName(ref)} object at ${at(ref)}>`;
    }
  }

  /** A short text for the object at `i` (an int's value, a str's text, a class name). */
  label(i: ObjIndex): string | undefined {
    const ref = this.heap.ref(i);
    const kind = this.kindOf(ref);
    if (kind === 'int' || kind === 'bool' || kind === 'none') return this.repr(ref);
    if (kind === 'str') {
      const r = this.repr(ref);
      return r.length > 18 ? `${r.slice(0, 16)}…'` : r;
    }
    if (kind === 'class') return this.className(ref);
    return undefined;
  }

  /** The name of slot `slot` of the object at `i`. */
  slotName(i: ObjIndex, slot: number): string | undefined {
    const ref = this.heap.ref(i);
    const kind = this.kindOf(ref);
    if (kind === 'instance') return this.heap.payload<InstancePayload>(ref).attrs[slot];
    if (kind === 'list') return `[${slot}]`;
    if (kind === 'weakref') return 'callback';
    return undefined;
  }
}
