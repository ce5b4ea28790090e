import { F_IMMORTAL, type Heap, NULL_REF, type Ref } from '@heaplab/core';
import type { Profile } from '../options.js';
import type { Interpreter } from '../vm/interp.js';
import { lookupType, setInstanceAttr } from './attrs.js';
import { defineBuiltinTypes } from './builtin-types.js';
import { packCallArgs, packClassCallArgs } from './call-args.js';
import { callClass, classInit, newInstance } from './classes.js';
import { compare, equals } from './compare.js';
import { defineHeapTypes, type HeapTypes } from './heap-types.js';
import { getIter, iterNext } from './iter.js';
import {
  deleteGlobal,
  dictDelStr,
  dictGetStr,
  dictToKw,
  dictUpdate,
  loadGlobal,
  moduleDelete,
  moduleGet,
  moduleName,
  moduleSet,
  newModule,
  popToGlobal,
} from './namespaces.js';
import type { TableData } from './payloads.js';
import { percentFormat } from './percent-format.js';
import { type Kind, type KwArgs, type NativeFn, PyErr, type PyType, raise } from './pytype.js';
import { formatValue } from './repr.js';
import { setOperation, setOrder } from './set-ops.js';
import { intSize, strSize } from './sizes.js';
import { makeSuper } from './super.js';
import { dictSet } from './tables.js';

const STATIC_BASE = 0x55d6c6000000;
const SMALL_MIN = -5;
const SMALL_MAX = 256;

/**
 * The Python object model on a heaplab heap: builtin types, singletons, constructors of values
 * and the bookkeeping the interpreter and builtins share. Values are heap handles ({@link Ref}).
 */
export class Runtime {
  /** Heap types of builtin kinds. */
  readonly ht: HeapTypes;
  /** Builtin Python types by name. */
  readonly types = new Map<string, PyType>();
  /** Python type of every heap type id. */
  readonly typeById: PyType[] = [];
  /** `None`. */
  readonly None: Ref;
  /** `True`. */
  readonly True: Ref;
  /** `False`. */
  readonly False: Ref;
  /** `NotImplemented`. */
  readonly NotImplemented: Ref;
  /** `Ellipsis`. */
  readonly Ellipsis: Ref;
  /** `()`. */
  readonly emptyTuple: Ref;
  /** Interned strings. */
  readonly interned = new Map<string, Ref>();
  /** The builtins namespace. */
  readonly builtins = new Map<string, Ref>();
  /** Imported modules by name. */
  readonly modules = new Map<string, Ref>();
  /** Module factories by name. */
  readonly moduleFactories = new Map<string, (rt: Runtime) => Ref>();
  private readonly smallInts: Ref[] = [];
  private staticNext = STATIC_BASE;
  /** Whether reference counts are maintained by the collector. */
  readonly counting: boolean;
  /** The interpreter (set once it exists). */
  vm!: Interpreter;
  /** Marks an empty method slot on the value stack (CPython's NULL). */
  readonly NULL_MARK: Ref;
  /** Constructors of builtin types, by type. */
  readonly constructors = new Map<PyType, NativeFn>();
  /** Changes whenever a class's attributes change: MRO lookups cached before are stale. */
  classVersion = 0;
  /** Largest number of items one operation may create before raising MemoryError. */
  maxItems = 50_000_000;
  /** Writes to stdout. */
  out: (text: string) => void = () => {};
  /** Writes to stderr. */
  err: (text: string) => void = () => {};
  /** A stop (limit) raised inside host code, rethrown at the next statement. */
  pendingStop: Error | undefined;

  /** Creates the object model on `heap`. */
  constructor(
    readonly heap: Heap,
    readonly profile: Profile,
  ) {
    this.counting = heap.counting;
    // CPython's startup leaves objects of every small size in use, so no size class starts from
    // an empty pool (a block freed later never empties its pool for another size to take over).
    for (let bytes = 16; bytes <= 512; bytes += 16) heap.allocator.allocate(bytes);
    this.ht = defineHeapTypes(heap, profile);
    const ht = this.ht;
    defineBuiltinTypes(this, ht);
    for (const t of this.types.values()) {
      t.ref = this.staticObject(ht.type, t, 1072);
    }
    this.None = this.staticObject(ht.none, null, 16);
    this.True = this.staticObject(ht.bool, 1, 28);
    this.False = this.staticObject(ht.bool, 0, 28);
    this.NotImplemented = this.staticObject(ht.singleton, 'NotImplemented', 16);
    this.Ellipsis = this.staticObject(ht.singleton, 'Ellipsis', 16);
    this.emptyTuple = this.staticObject(ht.tuple, null, 40, false);
    for (let v = SMALL_MIN; v <= SMALL_MAX; v++) this.smallInts.push(this.staticObject(ht.int, v, 28));
    this.NULL_MARK = this.staticObject(ht.singleton, '<NULL>', 16);
  }

  /** A statically allocated, never freed object (CPython's static singletons). */
  staticObject(
    type: number,
    payload: unknown,
    size: number,
    track?: boolean,
    growable = false,
    slots = 0,
  ): Ref {
    const address = this.staticAddress(size);
    const ref = this.heap.allocWith(type, { address, immortal: true, payload, size, track, growable, slots });
    this.heap.tables.setRc(ref & 0xffffff, 999_999_999);
    return ref;
  }

  private staticAddress(size: number): number {
    const address = this.staticNext;
    this.staticNext += Math.ceil(size / 16) * 16 + 16;
    return address;
  }

  // ------------------------------------------------------------ stack

  /** Invalidates every type's cached MRO lookups: call before changing a class's attributes. */
  classChanged(): void {
    this.classVersion++;
  }

  /** Pushes a borrowed reference on the top frame's temporaries and returns it. */
  push(ref: Ref): Ref {
    this.heap.roots.push(ref);
    return ref;
  }

  /** Pops the top temporary. */
  pop(): void {
    this.heap.roots.pop();
  }

  /** The temporary `n` below the top. */
  peek(n = 0): Ref {
    return this.heap.roots.peek(n);
  }

  /**
   * Removes `n` temporaries below the top one, keeping the top (a result) in place; the deepest
   * goes first, as CPython releases an operation's operands (left before right).
   */
  dropUnder(n: number): void {
    const roots = this.heap.roots;
    for (let k = n; k >= 1; k--) roots.remove(k);
  }

  /**
   * Removes a call's callable and `n - 1` arguments from under the result: the arguments first,
   * in order, then the callable, as CPython's CALL does.
   */
  dropCallUnder(n: number): void {
    const roots = this.heap.roots;
    for (let k = n - 1; k >= 1; k--) roots.remove(k);
    roots.remove(1);
  }

  /**
   * Pushes a new object of heap type `type` with `slots` empty slots (`growable`: a growable
   * container with room for them) and `payload`: `heap.allocWith` without an options object, for
   * the hot paths. `size` 0 takes the type's default.
   */
  alloc(type: number, slots: number, payload: unknown, size = 0, growable = false): Ref {
    const heap = this.heap;
    const ref = growable ? heap.allocGrowable(type, slots, size) : heap.alloc(type, slots, size);
    if (payload !== undefined) heap.tables.setPayload(ref & 0xffffff, payload);
    return ref;
  }

  // ------------------------------------------------------------ values

  /** The payload of a live object (no handle check: for hot paths on values known to be alive). */
  pl<T = unknown>(ref: Ref): T {
    return this.heap.tables.payload[ref & 0xffffff] as T;
  }

  /** The Python type of a value. */
  typeOf(ref: Ref): PyType {
    return this.typeById[this.heap.tables.type(ref & 0xffffff)];
  }

  /** The storage kind of a value. */
  kindOf(ref: Ref): Kind {
    return this.typeById[this.heap.tables.type(ref & 0xffffff)].kind;
  }

  /** Whether a value is an instance of `t` (or a subclass). */
  isInstance(ref: Ref, t: PyType): boolean {
    return this.typeOf(ref).isSubtypeOf(t);
  }

  /** A builtin type by name. */
  type(name: string): PyType {
    const t = this.types.get(name);
    if (!t) throw new Error(`[heaplab] [python] no builtin type ${name}`);
    return t;
  }

  /** Pushes an int. */
  newInt(v: number | bigint): Ref {
    if (typeof v === 'bigint') {
      const n = Number(v);
      if (Number.isSafeInteger(n)) v = n;
    }
    if (typeof v === 'number' && v >= SMALL_MIN && v <= SMALL_MAX)
      return this.push(this.smallInts[v - SMALL_MIN]);
    const size = intSize(v);
    return this.alloc(this.ht.int, 0, v, size);
  }

  /** Pushes a bool. */
  newBool(b: boolean): Ref {
    return this.push(b ? this.True : this.False);
  }

  /** Pushes None. */
  pushNone(): Ref {
    return this.push(this.None);
  }

  /** Pushes a float. */
  newFloat(x: number): Ref {
    return this.alloc(this.ht.float, 0, x);
  }

  /** Pushes a new str (the empty string and one-character Latin-1 strings are shared, as in CPython). */
  newStr(s: string): Ref {
    if (s.length <= 1 && (s.length === 0 || s.charCodeAt(0) < 256)) {
      return this.push(this.intern(s));
    }
    return this.alloc(this.ht.str, 0, s, strSize(s));
  }

  /** The interned (shared, never freed) str with this text. */
  intern(s: string): Ref {
    let ref = this.interned.get(s);
    if (ref === undefined) {
      ref = this.staticObject(this.ht.str, s, strSize(s));
      this.interned.set(s, ref);
    }
    return ref;
  }

  /** Pushes a tuple made of the top `n` temporaries, which it takes over. */
  packTuple(n: number): Ref {
    if (n === 0) return this.push(this.emptyTuple);
    const heap = this.heap;
    const t = heap.alloc(this.ht.tuple, n);
    const roots = heap.roots;
    for (let k = 0; k < n; k++) heap.set(t, k, roots.peek(n - k));
    this.dropUnder(n);
    return t;
  }

  /** Pushes a tuple of borrowed, rooted values. */
  newTuple(items: readonly Ref[]): Ref {
    if (items.length === 0) return this.push(this.emptyTuple);
    const t = this.heap.alloc(this.ht.tuple, items.length);
    for (let k = 0; k < items.length; k++) this.heap.set(t, k, items[k]);
    return t;
  }

  /** 3.14's `tuple(iterable)` does not track a new tuple none of whose items is a container. */
  untrackAtBirth(t: Ref): void {
    if (this.profile !== 'cpython-3.14') return;
    const heap = this.heap;
    const types = heap.types;
    const tables = heap.tables;
    for (const item of heap.referents(t)) if (types.get(tables.type(item & 0xffffff)).container) return;
    heap.untrack(t);
  }

  /** Pushes a list of borrowed, rooted values (`fresh`: past the free list, as `list()` allocates). */
  newList(items: readonly Ref[] = [], fresh = false): Ref {
    const l = fresh
      ? this.heap.allocWith(this.ht.list, { slots: items.length, growable: true, fresh })
      : this.heap.allocGrowable(this.ht.list, items.length);
    for (const item of items) this.heap.append(l, item);
    this.heap.setAuxSize(l, items.length * 8);
    return l;
  }

  /** Pushes a list made of the top `n` temporaries. */
  packList(n: number): Ref {
    const heap = this.heap;
    const l = heap.allocGrowable(this.ht.list, n);
    for (let k = 0; k < n; k++) heap.append(l, heap.roots.peek(n - k));
    this.dropUnder(n);
    // CPython builds displays of three or more constants by extending an empty list.
    heap.setAuxSize(l, (n >= 3 ? (n + 1) & ~1 : n) * 8);
    return l;
  }

  /** Keeps a list's item array (an auxiliary block, as CPython allocates it) in step with its length. */
  resizeList(l: Ref): void {
    const heap = this.heap;
    const n = heap.length(l);
    const aux = heap.tables.auxSize;
    const allocated = aux.length ? aux[l & 0xffffff] / 8 : 0;
    if (n <= allocated && n >= allocated >> 1) return;
    // CPython's list_resize over-allocation; a first fill of several items is exact, rounded to even.
    const cap = n === 0 ? 0 : allocated === 0 && n > 1 ? (n + 1) & ~1 : (n + (n >> 3) + 6) & ~3;
    heap.setAuxSize(l, cap * 8);
  }

  /** Items a list has room for (CPython's `allocated`). */
  listAllocated(l: Ref): number {
    const aux = this.heap.tables.auxSize;
    return aux.length ? aux[l & 0xffffff] / 8 : 0;
  }

  /** Pushes an empty dict (`fresh`: past the free list, as `dict()` allocates). */
  newDict(fresh = false): Ref {
    const data: TableData = { index: new Map(), size: 0 };
    if (fresh) return this.heap.allocWith(this.ht.dict, { growable: true, payload: data, fresh });
    return this.alloc(this.ht.dict, 0, data, 0, true);
  }

  /** Pushes an empty set (or frozenset). */
  newSet(frozen = false): Ref {
    const data: TableData = { index: new Map(), size: 0 };
    return this.alloc(frozen ? this.ht.frozenset : this.ht.set, 0, data, 0, true);
  }

  /** Pushes a native function object. */
  newBuiltin(name: string, fn: NativeFn, self: Ref = NULL_REF): Ref {
    const b = this.alloc(this.ht.builtin, 1, { name, fn });
    if (self !== NULL_REF) this.heap.set(b, 0, self);
    return b;
  }

  /** A static native function (a builtin such as `len`). */
  staticBuiltin(name: string, fn: NativeFn): Ref {
    return this.staticObject(this.ht.builtin, { name, fn }, 72, false, false, 1);
  }

  /** Adds a native method to a builtin type. */
  defMethod(t: PyType, name: string, fn: NativeFn): void {
    this.classChanged();
    t.dict.set(name, this.staticObject(this.ht.descriptor, { name, fn, owner: t }, 88, false));
  }

  // ------------------------------------------------------------ scalars

  /** The JS value of an int or bool. */
  intValue(ref: Ref): number | bigint {
    return this.pl<number | bigint>(ref);
  }

  /** Whether a value is an int (or bool). */
  isInt(ref: Ref): boolean {
    const k = this.kindOf(ref);
    return k === 'int' || k === 'bool';
  }

  /** A JS string of a str value (TypeError for anything else). */
  strValue(ref: Ref, what = 'argument'): string {
    if (this.kindOf(ref) !== 'str') raise('TypeError', `${what} must be str, not ${this.typeOf(ref).name}`);
    return this.pl<string>(ref);
  }

  /** A JS integer of an int value (TypeError for anything else). */
  index(ref: Ref): number {
    if (!this.isInt(ref)) {
      raise('TypeError', `'${this.typeOf(ref).name}' object cannot be interpreted as an integer`);
    }
    const v = this.pl<number | bigint>(ref);
    return typeof v === 'bigint' ? Number(v) : v;
  }

  /** `id(obj)`: the object's address. */
  id(ref: Ref): number {
    const i = ref & 0xffffff;
    return this.heap.tables.addr(i) + this.typeById[this.heap.tables.type(i)].headerOffset;
  }

  /** Whether a value is immortal (static). */
  isImmortal(ref: Ref): boolean {
    return (this.heap.tables.flags(ref & 0xffffff) & F_IMMORTAL) !== 0;
  }

  /** Items (borrowed) of a tuple or list. */
  items(ref: Ref): Ref[] {
    return this.heap.referents(ref);
  }

  /** Keyword argument value by name, or 0. */
  kwarg(kw: KwArgs | null, name: string): Ref {
    if (!kw) return NULL_REF;
    const k = kw.names.indexOf(name);
    return k < 0 ? NULL_REF : kw.values[k];
  }

  /** Raises TypeError when keyword arguments were given to a function taking none. */
  noKw(kw: KwArgs | null, name: string): void {
    if (kw?.names.length) raise('TypeError', `${name}() takes no keyword arguments`);
  }

  /** A static native method object for a class whose attributes live in slots (builtin exceptions). */
  nativeDescriptor(owner: PyType, name: string, fn: NativeFn): Ref {
    return this.staticObject(this.ht.descriptor, { name, fn, owner }, 88, false);
  }

  /** The shared object of a small int. */
  smallInt(v: number): Ref {
    return this.smallInts[v - SMALL_MIN];
  }

  /** Stores an instance attribute of a user object. */
  setInstanceAttr(obj: Ref, name: string, value: Ref): void {
    setInstanceAttr(this, obj, this.typeOf(obj), name, value);
  }

  /** Formats a value or text with a format spec. */
  formatText(v: Ref | string, spec: string, converted: boolean): string {
    return formatValue(this, v, spec, converted);
  }

  /** Raises StopIteration carrying the pushed return value of a generator (popped). */
  raiseStopIteration(): never {
    const value = this.peek();
    const exc = this.vm.call(this.builtins.get('StopIteration')!, value === this.None ? [] : [value]);
    this.setInstanceAttr(exc, 'value', value);
    return this.vm.raiseObject(exc);
  }

  /** A MemoryError made at startup, raised when the heap is full. */
  memoryError: Ref = NULL_REF;

  /** The object `print(..., file=...)` treats as stderr (`sys.stderr`), or 0. */
  stderrObject: Ref = NULL_REF;

  /** `sys.stdout`. */
  stdoutObject: Ref = NULL_REF;

  /** `len(v)`. */
  length(v: Ref): number {
    const t = this.typeOf(v);
    switch (t.kind) {
      case 'str':
        return this.pl<string>(v).length;
      case 'list':
      case 'tuple':
        return this.heap.length(v);
      case 'dict':
      case 'set':
      case 'frozenset':
        return this.pl<TableData>(v).size;
      case 'range':
        return this.rangeLength(v);
      default:
        break;
    }
    const f = t.user ? lookupType(this, t, '__len__') : 0;
    if (f) {
      const r = this.vm.call(f, [v]);
      const n = this.index(r);
      this.pop();
      if (n < 0) raise('ValueError', '__len__() should return >= 0');
      return n;
    }
    return raise('TypeError', `object of type '${t.name}' has no len()`);
  }

  /** `super(...)`: pushes a super object. */
  makeSuper(args: Ref[]): Ref {
    return makeSuper(this, args);
  }

  // ------------------------------------------------------------ names and modules

  /**
   * `__main__`'s namespace: a tracked heap dict, pinned for the whole run as the module holding it
   * would be. It is what keeps the program's globals alive.
   */
  mainDict: Ref = NULL_REF;

  /** Makes {@link mainDict} with the names CPython starts a script with (`__file__` when a file runs). */
  makeMainDict(fileName: string): void {
    const data: TableData = { index: new Map(), size: 0 };
    const address = this.staticAddress(64);
    const d = this.heap.allocWith(this.ht.dict, { address, growable: true, payload: data, track: true });
    this.heap.roots.pin(d);
    this.pop();
    this.mainDict = d;
    const put = (name: string, value: Ref) => dictSet(this, d, this.intern(name), value);
    put('__name__', this.intern('__main__'));
    put('__doc__', this.None);
    put('__package__', this.None);
    put('__spec__', this.None);
    put('__annotations__', this.staticObject(this.ht.dict, { index: new Map(), size: 0 }, 64, false, true));
    put('__builtins__', this.newModule('builtins'));
    // Made outside the allocator model, like the rest of start-up, so the program's addresses stay put.
    if (!fileName.startsWith('<'))
      put('__file__', this.staticObject(this.ht.str, fileName, strSize(fileName)));
    put('__cached__', this.None);
  }

  private reprState: Ref = NULL_REF;

  /**
   * CPython 3.11's `Py_ReprEnter`: the first repr of a non-empty container makes the thread
   * state's dict and, in it, the list of objects being repr'd; both stay for the whole run.
   */
  reprEnter(): void {
    if (this.reprState !== NULL_REF || this.profile !== 'cpython-3.11') return;
    const d = this.newDict();
    this.newList();
    dictSet(this, d, this.intern('Py_Repr'), this.peek());
    this.pop();
    this.heap.roots.pin(d);
    this.pop();
    this.reprState = d;
  }

  /** Pushes the global or builtin `name`; NameError when unbound. */
  loadGlobal(name: string, module: Ref = NULL_REF): Ref {
    return loadGlobal(this, name, module);
  }

  /** Moves the top temporary into global `name` of `module` (0: `__main__`). */
  popToGlobal(name: string, module: Ref): void {
    popToGlobal(this, name, module);
  }

  /** Deletes global `name` of `module` (0: `__main__`); NameError when unbound. */
  deleteGlobal(name: string, module: Ref): void {
    deleteGlobal(this, name, module);
  }

  /** The value under str key `name` in dict `d` (borrowed), or 0. */
  dictGetStr(d: Ref, name: string): Ref {
    return dictGetStr(this, d, name);
  }

  /** Deletes str key `name` from dict `d`; NameError when absent. */
  dictDelStr(d: Ref, name: string): void {
    dictDelStr(this, d, name);
  }

  /** Keyword arguments from a dict of str keys. */
  dictToKw(d: Ref): KwArgs {
    return dictToKw(this, d);
  }

  /** `d.update(other)` for a dict or an iterable of pairs. */
  dictUpdate(d: Ref, other: Ref): void {
    dictUpdate(this, d, other);
  }

  /** Creates a module object (static) with native attributes. */
  newModule(name: string): Ref {
    return newModule(this, name);
  }

  /** A module's name. */
  moduleName(m: Ref): string {
    return moduleName(this, m);
  }

  /** A module attribute (borrowed) or 0. */
  moduleGet(m: Ref, name: string): Ref {
    return moduleGet(this, m, name);
  }

  /** Sets a module attribute. */
  moduleSet(m: Ref, name: string, value: Ref): void {
    moduleSet(this, m, name, value);
  }

  /** Deletes a module attribute. */
  moduleDelete(m: Ref, name: string): boolean {
    return moduleDelete(this, m, name);
  }

  // ------------------------------------------------------------ classes and calls

  /**
   * CPython 3.11 calls some builtins through `tp_call` (no vectorcall): the positional arguments
   * are packed into a tuple (and keywords into a dict) that lives for the call. Pushes them for
   * `callable` (a type or builtin name, `str.format` for methods) when it is one of those; the
   * caller drops them after the result, as CPython frees them after the call returns. They are
   * real heap objects: they count as young allocations and come from and go to the free lists.
   */
  packCallArgs(callable: string, args: readonly Ref[], kw: KwArgs | null): void {
    packCallArgs(this, callable, args, kw);
  }

  /**
   * CPython 3.11 calls a class through `tp_call`: its positional arguments are packed into a
   * tuple, keywords into a dict, and `__init__` gets the keyword names as a tuple; all live
   * until `__init__` returns. Pushes them (above the new instance) for a plain class and returns
   * how many were pushed (the caller drops them after `__init__`).
   */
  packClassCallArgs(cls: Ref, args: readonly Ref[], kw: KwArgs | null): number {
    return packClassCallArgs(this, cls, args, kw);
  }

  /** Calls a class: pushes the new object. */
  callType(cls: Ref, args: readonly Ref[], kw: KwArgs | null): Ref {
    const t = this.pl<PyType>(cls);
    if (t.user) return callClass(this, cls, args, kw);
    const ctor = this.constructors.get(t);
    if (!ctor) raise('TypeError', `cannot create '${t.name}' instances`);
    return ctor(this, args as Ref[], kw);
  }

  /** A special method looked up on the type (borrowed), or 0. */
  lookupSpecial(obj: Ref, name: string): Ref {
    return lookupType(this, this.typeOf(obj), name);
  }

  /** The Python `__init__` of a class, or 0. */
  classInit(cls: Ref): Ref {
    return classInit(this, cls);
  }

  /** Pushes a new instance of a user class. */
  newInstance(cls: Ref, args: readonly Ref[] = []): Ref {
    return newInstance(this, cls, args);
  }

  /** Whether `t` derives from BaseException. */
  isExceptionType(t: PyType): boolean {
    if (t.isException === undefined) {
      const base = this.builtins.get('BaseException');
      if (base === undefined) return false;
      t.isException = t.mro.some((m) => m.ref === base);
    }
    return t.isException;
  }

  /** Whether a value is an exception instance. */
  isException(v: Ref): boolean {
    return this.isExceptionType(this.typeOf(v));
  }

  /** Whether an error in flight is (a subclass of) builtin exception `typeName`. */
  errorIs(e: PyErr, typeName: string): boolean {
    const cls = this.builtins.get(typeName);
    if (!cls) return false;
    if (e.exc) return this.typeOf(e.exc).isSubtypeOf(this.pl<PyType>(cls));
    const own = this.builtins.get(e.typeName);
    return own !== undefined && this.pl<PyType>(own).isSubtypeOf(this.pl<PyType>(cls));
  }

  /** Drops an error that was handled in TypeScript (unpins its exception). */
  releaseErr(e: PyErr): void {
    if (e.exc) {
      this.heap.roots.unpin(e.exc);
      e.exc = NULL_REF;
    }
  }

  /** Raises MemoryError when an operation would make more than {@link maxItems} items. */
  checkSize(n: number): void {
    if (n > this.maxItems) raise('MemoryError', '');
  }

  // ------------------------------------------------------------ truth, equality, order

  /** Truthiness (`bool(v)`). */
  truthy(v: Ref): boolean {
    if (v === this.True) return true;
    if (v === this.False || v === this.None) return false;
    const heap = this.heap;
    const t = this.typeOf(v);
    switch (t.kind) {
      case 'int':
      case 'float': {
        const x = this.pl<number | bigint>(v);
        return x !== 0 && x !== 0n;
      }
      case 'str':
        return this.pl<string>(v).length > 0;
      case 'tuple':
      case 'list':
        return heap.length(v) > 0;
      case 'dict':
      case 'set':
      case 'frozenset':
        return this.pl<TableData>(v).size > 0;
      case 'range':
        return this.rangeLength(v) > 0;
      default:
        break;
    }
    if (t.user) {
      const b = lookupType(this, t, '__bool__');
      if (b) {
        const r = this.vm.call(b, [v]);
        if (this.kindOf(r) !== 'bool')
          raise('TypeError', `__bool__ should return bool, returned ${this.typeOf(r).name}`);
        this.pop();
        return r === this.True;
      }
      const l = lookupType(this, t, '__len__');
      if (l) {
        const r = this.vm.call(l, [v]);
        const n = this.index(r);
        this.pop();
        return n > 0;
      }
    }
    return true;
  }

  /** `len(range)`. */
  rangeLength(r: Ref): number {
    const { start, stop, step } = this.pl<{ start: number; stop: number; step: number }>(r);
    return step > 0
      ? Math.max(0, Math.ceil((stop - start) / step))
      : Math.max(0, Math.ceil((start - stop) / -step));
  }

  /** `a == b` as a JS boolean. */
  equals(a: Ref, b: Ref): boolean {
    return equals(this, a, b);
  }

  /**
   * A comparison: a JS boolean for builtin values, or the pushed result of a user `__eq__`-style
   * method.
   */
  compare(op: string, a: Ref, b: Ref): boolean | Ref {
    return compare(this, op, a, b);
  }

  /** Members of a set in CPython's iteration order for small ints (hash order), else insertion order. */
  setOrder(s: Ref): Ref[] {
    return setOrder(this, s);
  }

  /** Set algebra: pushes the result. */
  setOperation(op: string, a: Ref, b: Ref, inplace: boolean): Ref {
    return setOperation(this, op, a, b, inplace);
  }

  /** `fmt % args` for str. */
  percentFormat(fmt: string, args: Ref): string {
    return percentFormat(this, fmt, args);
  }

  /** Iterates any iterable from TypeScript: `visit` gets each item while it is rooted. */
  forEachItem(obj: Ref, visit: (v: Ref) => void): void {
    getIter(this, obj);
    const it = this.peek();
    for (;;) {
      const v = iterNext(this, it);
      if (v === 0) break;
      visit(v);
      this.pop();
    }
    this.pop();
  }
}

export {
  type DictKeys,
  FN_CLOSURE,
  FN_DEFAULTS,
  FN_DICT,
  FN_GLOBALS,
  FN_KWDEFAULTS,
  type FunctionData,
  type TableData,
} from './payloads.js';
export { intSize } from './sizes.js';
export { PyErr };
