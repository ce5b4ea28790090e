import { F_GROWABLE, NULL_REF, type Ref } from '@heaplab/core';
import type { Code } from '../compiler/code.js';
import { lookupType } from './attrs.js';
import { isScalarKind, type Kind, type KwArgs, PyType, raise } from './pytype.js';
import type { FunctionData, Runtime } from './runtime.js';
import { intSize } from './runtime.js';
import { dictEntries, dictSet, setUpdate } from './tables.js';

/** Computes a C3 method resolution order. */
function c3(t: PyType, bases: PyType[]): PyType[] {
  const seqs = [...bases.map((b) => [...b.mro]), [...bases]];
  const out: PyType[] = [t];
  for (;;) {
    const live = seqs.filter((s) => s.length);
    if (live.length === 0) return out;
    const head = live.map((s) => s[0]).find((h) => !live.some((s) => s.indexOf(h) > 0));
    if (!head) raise('TypeError', 'Cannot create a consistent method resolution order (MRO)');
    out.push(head);
    for (const s of live) if (s[0] === head) s.shift();
  }
}

/** Options of {@link createClass}. */
export interface ClassOptions {
  /** `__module__` (default `__main__`). */
  readonly module?: string;
  /** A builtin class: its object is static. */
  readonly builtin?: boolean;
}

/**
 * Creates a class: a Python type, a heap type for its instances and the class object (pushed
 * for program classes; static for builtin ones). Attributes are given as borrowed pairs.
 */
export function createClass(
  rt: Runtime,
  name: string,
  bases: PyType[],
  attrs: [string, Ref][],
  options: ClassOptions = {},
): PyType {
  const heap = rt.heap;
  const storage = storageBase(bases);
  for (const b of bases) {
    if (!b.user && b.kind !== 'object' && b !== storage)
      raise('TypeError', `heaplab does not support subclassing '${b.name}' yet`);
  }
  // A class that defines __eq__ but not __hash__ is unhashable, as in Python 3.
  if (attrs.some(([n]) => n === '__eq__') && !attrs.some(([n]) => n === '__hash__')) {
    attrs = [...attrs, ['__hash__', rt.None]];
  }
  const names = new Set(attrs.map(([n]) => n));
  const slotsAttr = attrs.find(([n]) => n === '__slots__');
  let slotNames: string[] | null = null;
  if (slotsAttr) {
    const v = slotsAttr[1];
    const kind = rt.kindOf(v);
    slotNames =
      kind === 'str'
        ? [rt.pl<string>(v)]
        : rt.heap.referents(v).map((x) => rt.strValue(x, '__slots__ items'));
  }
  const inheritedSlots = bases.some((b) => b.user && b.slotNames === null);
  const noDictLayout =
    slotNames !== null && !inheritedSlots && bases.every((b) => !b.user || b.slotNames !== null);
  const weakrefable =
    !noDictLayout || slotNames!.includes('__weakref__') || bases.some((b) => b.weakrefable && b.user);
  const hasDel =
    names.has('__del__') || bases.some((b) => b.mro.some((m) => m.user && m.attrSlots.has('__del__')));
  const ownSlots = slotNames ? slotNames.filter((s) => s !== '__weakref__' && s !== '__dict__') : [];
  for (const s of ownSlots)
    if (names.has(s)) raise('ValueError', `'${s}' in __slots__ conflicts with class variable`);
  const nslots = ownSlots.length;
  const storageInfo = storage ? heap.types.get(storage.heapType) : undefined;
  const layout =
    storage && isContainerKind(storage.kind)
      ? headerLayout(bases, storage, ownSlots, noDictLayout, slotNames)
      : undefined;
  // int and tuple are variable-size objects in CPython: their subclasses get no weak-reference slot.
  const weak =
    storage?.kind === 'int' || storage?.kind === 'tuple'
      ? false
      : storageInfo?.weakrefable || weakrefable || (storage !== undefined && !layout);
  const heapType = heap.defineType({
    name,
    container: true,
    weakrefable: weak,
    finalizer: hasDel,
    baseSize: layout
      ? // The base's object, the __slots__ values, the dict pointer (CPython 3.11 keeps two words
        // before the object for it; a tuple's is one word at its end) and a weak-reference word.
        storageInfo!.baseSize +
        8 * layout.names.length +
        (layout.hasDict ? (storage!.kind === 'tuple' ? 8 : 16) : 0) +
        (weak && !storageInfo!.weakrefable ? 8 : 0)
      : storageInfo
        ? storageInfo.baseSize + 16
        : noDictLayout
          ? 32 + 8 * nslots + (weakrefable ? 8 : 0)
          : 56,
    slotSize: 0,
    releaseOrder: storageInfo?.releaseOrder,
    clearOrder: storageInfo?.clearOrder,
    // The class is the last header slot: CPython drops it after the base has freed the instance.
    deferLastHeader: layout !== undefined,
    deferFirstSlot: layout === undefined,
    description: `instances of class ${name}`,
  });
  const t = new PyType(
    name,
    heapType,
    storage ? storage.kind : 'instance',
    options.module ?? '__main__',
    true,
  );
  t.bases = bases.length ? bases : [rt.type('object')];
  t.mro = c3(t, t.bases);
  t.weakrefable = weak;
  t.headerOffset = noDictLayout || storage ? 16 : 32;
  if (storage && isScalarKind(storage.kind)) t.slotNames = null;
  const base = t.bases.find((b) => b.user);
  if (layout) {
    for (const [k, n] of layout.names.entries()) t.instanceKeys.set(n, k);
    t.dictHeader = layout.hasDict ? layout.names.length : -1;
    t.headerSize = layout.names.length + (layout.hasDict ? 2 : 1);
    t.slotNames = layout.hasDict ? null : layout.names;
  } else if (base) for (const [k, v] of base.instanceKeys) t.instanceKeys.set(k, v);
  if (noDictLayout && !layout) {
    t.slotNames = [...(base?.slotNames ?? []), ...slotNames!.filter((s) => s !== '__weakref__')];
    for (const s of t.slotNames) if (!t.instanceKeys.has(s)) t.instanceKeys.set(s, t.instanceKeys.size + 1);
  }
  rt.typeById[heapType] = t;
  const cls = options.builtin
    ? rt.staticObject(rt.ht.type, t, 1072, undefined, true)
    : heap.allocWith(rt.ht.type, { growable: true, payload: t });
  t.ref = cls;
  rt.newTuple(t.bases.map((b) => b.ref));
  if (options.builtin) {
    heap.append(cls, rt.peek());
    rt.pop();
  } else {
    rt.heap.roots.popAppend(cls);
    // CPython's __mro__ tuple starts with the class: a program's class is always in a cycle,
    // freed by the cycle collector, never by reference count.
    t.mroSlot = heap.length(cls);
    rt.newTuple(t.mro.map((c) => c.ref));
    rt.heap.roots.popAppend(cls);
  }
  rt.classChanged();
  for (const [n, v] of attrs) {
    t.attrSlots.set(n, heap.length(cls));
    heap.append(cls, v);
  }
  return t;
}

/**
 * `BUILD_CLASS n`: the stack holds the class body function, the name and `n` bases; runs the
 * body with a fresh namespace, creates the class and leaves it in their place.
 */
export function buildClass(rt: Runtime, nbases: number): void {
  const roots = rt.heap.roots;
  const bases: PyType[] = [];
  for (let k = nbases - 1; k >= 0; k--) {
    const b = roots.peek(k);
    if (rt.kindOf(b) !== 'type') raise('TypeError', 'bases must be types');
    bases.push(rt.pl<PyType>(b));
  }
  const name = rt.pl<string>(roots.peek(nbases));
  const body = roots.peek(nbases + 1);
  const ns = rt.newDict();
  const globals = rt.vm.current?.globals ?? 0;
  const module = globals ? rt.moduleName(globals) : '__main__';
  rt.newStr('__module__');
  rt.newStr(module);
  dictSet(rt, ns, roots.peek(1), roots.peek(0));
  roots.drop(2);
  rt.newStr('__qualname__');
  rt.newStr((rt.pl<FunctionData>(body).code as Code).qualname);
  dictSet(rt, ns, roots.peek(1), roots.peek(0));
  roots.drop(2);
  rt.vm.call(body, [ns]);
  roots.pop();
  const attrs: [string, Ref][] = dictEntries(rt, ns)
    .map(([k, v]) => [rt.pl<string>(k), v] as [string, Ref])
    .filter(([k]) => k !== '__qualname__');
  createClass(rt, name, bases, attrs, { module });
  rt.dropUnder(nbases + 3);
}

/** Whether a builtin kind stores items in slots: its subclasses' instances keep header slots before them. */
export function isContainerKind(kind: Kind): boolean {
  return kind === 'list' || kind === 'tuple' || kind === 'dict' || kind === 'set' || kind === 'frozenset';
}

/**
 * The header of a class deriving from a container: its `__slots__` values (its own first, then its
 * bases', as CPython's traversal visits them) and whether it has a `__dict__`.
 */
function headerLayout(
  bases: PyType[],
  storage: PyType,
  ownSlots: string[],
  noDictLayout: boolean,
  slotNames: string[] | null,
): { names: string[]; hasDict: boolean } {
  if (storage.kind === 'tuple' && ownSlots.length)
    raise('TypeError', `nonempty __slots__ not supported for subtype of '${storage.name}'`);
  const base = bases.find((b) => b.user && b.headerSize > 0);
  const inherited = base ? [...base.instanceKeys.keys()] : [];
  return {
    names: [...ownSlots, ...inherited.filter((n) => !ownSlots.includes(n))],
    hasDict: !noDictLayout || (slotNames?.includes('__dict__') ?? false) || (base?.dictHeader ?? -1) >= 0,
  };
}

/** Whether a builtin kind is immutable: its subclasses' instances are made whole by the base's constructor. */
function isImmutableKind(kind: Kind): boolean {
  return isScalarKind(kind) || kind === 'tuple';
}

/** The builtin a class derives from (list, dict, set, tuple, int or str), if any. */
function storageBase(bases: PyType[]): PyType | undefined {
  for (const b of bases) {
    for (const m of b.mro) if (!m.user && (isContainerKind(m.kind) || isImmutableKind(m.kind))) return m;
  }
  return undefined;
}

/**
 * Pushes an instance of a subclass of int, str or tuple: the base's constructor makes the value from
 * the arguments; the instance carries it as payload, its class in slot 0 and, once an attribute
 * is set, its `__dict__` in slot 1 (a separate dict, as CPython has for these variable-size
 * bases). It is a container, tracked from birth, as CPython tracks instances with a dict.
 */
function newScalarInstance(rt: Runtime, cls: Ref, args: readonly Ref[], kw: KwArgs | null): Ref {
  const t = rt.pl<PyType>(cls);
  const base = t.mro.find((m) => !m.user)!;
  const plain = rt.callType(base.ref, args, kw);
  if (base.kind === 'tuple') {
    // The items move into an object of the subclass, after its header (the dict, the class).
    const items = rt.heap.referents(plain);
    const size = rt.heap.types.get(t.heapType).baseSize + 8 * items.length;
    const tup = rt.heap.allocWith(t.heapType, { slots: t.headerSize + items.length, size });
    writeHeader(rt, tup, t);
    for (let k = 0; k < items.length; k++) rt.heap.set(tup, k, items[k]);
    rt.dropUnder(1);
    return tup;
  }
  const value = rt.pl<number | bigint | string>(plain);
  const size =
    base.kind === 'int' ? intSize(value as number | bigint) + 16 : strSubclassSize(value as string);
  const obj = rt.heap.allocWith(t.heapType, { growable: true, payload: value, size });
  rt.heap.append(obj, cls);
  rt.dropUnder(1);
  return obj;
}

/** `sys.getsizeof` of a str subclass instance: CPython's non-compact str layout plus its data. */
function strSubclassSize(s: string): number {
  let max = 0;
  let n = 0;
  for (const ch of s) {
    max = Math.max(max, ch.codePointAt(0)!);
    n++;
  }
  const width = max < 256 ? 1 : max < 65536 ? 2 : 4;
  return 112 + (n + 1) * width;
}

/** Fills the header slots of a new container subclass instance: empty slots and dict, then the class. */
function writeHeader(rt: Runtime, obj: Ref, t: PyType): void {
  const heap = rt.heap;
  if (heap.tables.flags(obj & 0xffffff) & F_GROWABLE)
    for (let k = 0; k < t.headerSize; k++) heap.append(obj, NULL_REF);
  heap.setHeaderSlots(obj, t.headerSize);
  heap.setHeader(obj, t.headerSize - 1, t.ref);
}

/**
 * The block of an instance in CPython 3.13, which keeps its attribute values inside the object:
 * GC header, pre-header and object (48 bytes), then a byte per entry of the class's shared keys
 * (rounded to a word) and a word per entry plus one. Each instance made shrinks the keys' room by
 * one, so consecutive instances take smaller blocks, often of another size class.
 */
function inlineValuesBlock(t: PyType): number {
  const entries = t.instanceKeys.size + t.sharedUsable;
  return 48 + 8 * Math.ceil(entries / 8) + 8 * (entries + 1);
}

/** Pushes a new, uninitialized instance of class `cls` (exceptions get `args`). */
export function newInstance(rt: Runtime, cls: Ref, args: readonly Ref[] = []): Ref {
  const t = rt.pl<PyType>(cls);
  const heap = rt.heap;
  if (isImmutableKind(t.kind)) return newScalarInstance(rt, cls, args, null);
  if (t.kind === 'list') {
    const obj = heap.allocGrowable(t.heapType, t.headerSize);
    writeHeader(rt, obj, t);
    return obj;
  }
  if (t.kind === 'dict' || t.kind === 'set' || t.kind === 'frozenset') {
    const obj = heap.allocWith(t.heapType, {
      growable: true,
      slots: t.headerSize,
      payload: { index: new Map(), size: 0 },
    });
    writeHeader(rt, obj, t);
    // A frozenset is filled when made, as frozenset's __new__ does.
    if (t.kind === 'frozenset' && args.length) setUpdate(rt, obj, args[0]);
    return obj;
  }
  const exception = rt.isExceptionType(t);
  const size = !exception && !t.slotNames && rt.profile === 'cpython-3.13' ? inlineValuesBlock(t) : 0;
  const obj = rt.alloc(t.heapType, 0, exception ? { suppress: false } : undefined, size, true);
  // CPython 3.11 gives each new instance's values one entry less of the class's shared keys.
  if (!exception && t.sharedUsable > 1) t.sharedUsable--;
  heap.append(obj, cls);
  if (rt.isExceptionType(t)) {
    rt.newTuple(args);
    const k = t.instanceKeys.get('args')!;
    while (heap.length(obj) <= k) heap.append(obj, NULL_REF);
    heap.set(obj, k, rt.peek());
    rt.pop();
  }
  return obj;
}

/** The class's Python `__init__` (a function), or 0 when it has none of its own kind. */
export function classInit(rt: Runtime, cls: Ref): Ref {
  const t = rt.pl<PyType>(cls);
  // Subclasses of int and str need the arguments to make the value: the general call path.
  if (!t.user || isImmutableKind(t.kind)) return NULL_REF;
  const init = lookupType(rt, t, '__init__');
  return init && rt.kindOf(init) === 'function' ? init : NULL_REF;
}

/** Calls a user class: makes the instance and runs `__init__`; pushes the instance. */
export function callClass(
  rt: Runtime,
  cls: Ref,
  args: readonly Ref[],
  kw: { names: string[]; values: Ref[] } | null,
): Ref {
  const t = rt.pl<PyType>(cls);
  const scalar = isImmutableKind(t.kind);
  const inst = scalar ? newScalarInstance(rt, cls, args, kw) : newInstance(rt, cls, args);
  const init = lookupType(rt, t, '__init__');
  if (init && rt.kindOf(init) === 'function') {
    const temps = rt.packClassCallArgs(cls, args, kw);
    const r = rt.vm.call(init, [inst, ...args], kw);
    if (r !== rt.None) raise('TypeError', `__init__() should return None, not '${rt.typeOf(r).name}'`);
    rt.pop();
    for (let k = 0; k < temps; k++) rt.pop();
  } else if (scalar) {
    // The base's constructor took the arguments; object's __init__ ignores them.
  } else if (t.kind !== 'instance') {
    // A subclass of list, dict or set without its own __init__: fill it as the builtin would.
    const fill = lookupType(rt, t, '__init__');
    if (fill) {
      rt.vm.call(fill, [inst, ...args], kw);
      rt.pop();
    }
  } else if (!rt.isExceptionType(t) && (args.length || kw?.names.length)) {
    raise('TypeError', `${t.name}() takes no arguments`);
  }
  return inst;
}

export { NULL_REF };
