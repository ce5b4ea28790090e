import { NULL_REF, type Ref } from '@heaplab/core';
import type { Code } from '../compiler/code.js';
import { isScalarKind, type PyType, raise } from './pytype.js';
import {
  FN_CLOSURE,
  FN_DEFAULTS,
  FN_DICT,
  type FunctionData,
  type Runtime,
  type TableData,
} from './runtime.js';
import { dictDelete, dictGet, dictSet } from './tables.js';

/**
 * Looks `name` up along a type's MRO: a borrowed reference, or 0. Where it was found is cached
 * per type until a class changes (`rt.classChanged`); a cached slot emptied since (a collector
 * clearing a class in a garbage cycle) falls back to the walk.
 */
export function lookupType(rt: Runtime, t: PyType, name: string): Ref {
  const cache = t.lookupCache;
  if (t.lookupVersion !== rt.classVersion) {
    cache.clear();
    t.lookupVersion = rt.classVersion;
  }
  const hit = cache.get(name);
  if (hit !== undefined) {
    if (hit.owner === null) return hit.value;
    const v = rt.heap.get(hit.owner.ref, hit.slot);
    if (v !== NULL_REF) return v;
    return walkMro(rt, t, name, false);
  }
  return walkMro(rt, t, name, true);
}

function walkMro(rt: Runtime, t: PyType, name: string, remember: boolean): Ref {
  for (const c of t.mro) {
    if (c.user) {
      const slot = c.attrSlots.get(name);
      if (slot !== undefined) {
        const v = rt.heap.get(c.ref, slot);
        if (v !== NULL_REF) {
          if (remember) t.lookupCache.set(name, { owner: c, slot, value: NULL_REF });
          return v;
        }
      }
    } else {
      const v = c.dict.get(name);
      if (v !== undefined) {
        if (remember) t.lookupCache.set(name, { owner: null, slot: 0, value: v });
        return v;
      }
    }
  }
  if (remember) t.lookupCache.set(name, { owner: null, slot: 0, value: NULL_REF });
  return NULL_REF;
}

/** A method defined by a program's class along the MRO (not inherited from a builtin), or 0. */
export function userMethod(rt: Runtime, t: PyType, name: string): Ref {
  for (const c of t.mro) {
    if (!c.user || c.module === 'builtins') return NULL_REF;
    const slot = c.attrSlots.get(name);
    if (slot !== undefined) {
      const v = rt.heap.get(c.ref, slot);
      if (v !== NULL_REF) return v;
    }
  }
  return NULL_REF;
}

/**
 * Whether a type's instances keep their attributes in a separate `__dict__`: int and str subclass
 * instances (slot 1), and instances of list, tuple, dict, set and frozenset subclasses with a
 * dict (a header slot).
 */
function hasDictSlot(t: PyType): boolean {
  return t.user && (isScalarKind(t.kind) || t.dictHeader >= 0);
}

/** The `__dict__` of an instance whose type {@link hasDictSlot} (borrowed), made on first use when `create`. */
function dictSlot(rt: Runtime, obj: Ref, t: PyType, create: boolean): Ref {
  const heap = rt.heap;
  if (t.headerSize) {
    const d = heap.getHeader(obj, t.dictHeader);
    if (d || !create) return d;
    // A tuple subclass's dict is a plain one; the others share their class's keys.
    if (t.kind !== 'tuple') rt.pl<TableData>(rt.newDict()).shared = t;
    else rt.newDict();
    heap.setHeader(obj, t.dictHeader, rt.peek());
    rt.pop();
    return heap.getHeader(obj, t.dictHeader);
  }
  if (heap.length(obj) > 1 || !create) return heap.length(obj) > 1 ? heap.get(obj, 1) : NULL_REF;
  const d = rt.newDict();
  heap.append(obj, d);
  rt.pop();
  return d;
}

/** An attribute in the `__dict__` of an instance whose type {@link hasDictSlot} (borrowed), or 0. */
function dictSlotAttr(rt: Runtime, obj: Ref, t: PyType, name: string): Ref {
  const d = dictSlot(rt, obj, t, false);
  if (!d) return NULL_REF;
  return dictGet(rt, d, rt.intern(name));
}

/** The header slot of a `__slots__` name of a container subclass, or -1. */
function headerKey(t: PyType, name: string): number {
  if (!t.headerSize) return -1;
  return t.instanceKeys.get(name) ?? -1;
}

/** Whether `obj.name = v` may store an attribute on an instance of user class `t`. */
function canStore(t: PyType, name: string): boolean {
  if (t.headerSize) return t.instanceKeys.has(name) || t.dictHeader >= 0;
  if (hasDictSlot(t)) return true;
  return t.kind === 'instance' && (!t.slotNames || t.instanceKeys.has(name));
}

/** An instance attribute stored inline (borrowed), or 0. */
export function instanceAttr(rt: Runtime, obj: Ref, t: PyType, name: string): Ref {
  const k = t.instanceKeys.get(name);
  if (rt.pl<InstanceData | undefined>(obj)?.dict && !(k !== undefined && k <= fixedFields(rt, t))) {
    const d = rt.heap.get(obj, fixedFields(rt, t) + 1);
    return d === NULL_REF ? NULL_REF : dictGet(rt, d, rt.intern(name));
  }
  if (k === undefined || k >= rt.heap.length(obj)) return NULL_REF;
  return rt.heap.get(obj, k);
}

/** Payload of an instance of a program's class (exceptions keep more in it). */
interface InstanceData {
  /** Set once the instance's `__dict__` is materialized: its attributes live in that dict. */
  dict?: boolean;
}

const MATERIALIZED: InstanceData = Object.freeze({ dict: true });

/** Whether an instance's attributes have moved into its materialized `__dict__` (not inline any more). */
export function hasMaterializedDict(rt: Runtime, obj: Ref): boolean {
  return rt.pl<InstanceData | undefined>(obj)?.dict === true;
}

/**
 * Leading instance keys that are fields of the object rather than attributes: an exception's
 * `args`, `__traceback__`, `__context__` and `__cause__`. They stay inline when the `__dict__`
 * is materialized, in the slot before it.
 */
function fixedFields(rt: Runtime, t: PyType): number {
  return rt.isExceptionType(t) ? 4 : 0;
}

/**
 * The `__dict__` of an instance of a program's class (borrowed). Attributes live inline (slots
 * after the class) until it is first asked for; then, as in CPython 3.11, a dict is made from
 * them, takes their place (the slot after the class and any fixed fields) and holds every
 * attribute from then on.
 */
function materializedDict(rt: Runtime, obj: Ref, t: PyType): Ref {
  const heap = rt.heap;
  const fixed = fixedFields(rt, t);
  const data = rt.pl<InstanceData | undefined>(obj);
  if (data?.dict && heap.get(obj, fixed + 1) !== NULL_REF) return heap.get(obj, fixed + 1);
  const d = rt.newDict();
  if (!fixed) rt.pl<TableData>(d).shared = t;
  if (data?.dict) {
    // `del obj.__dict__` left none: a new, empty one takes its place.
    heap.set(obj, fixed + 1, d);
    rt.pop();
    return d;
  }
  const n = heap.length(obj);
  for (const [name, k] of t.instanceKeys) {
    if (k <= fixed || k >= n) continue;
    const v = heap.get(obj, k);
    if (v !== NULL_REF) dictSet(rt, d, rt.intern(name), v);
  }
  while (heap.length(obj) <= fixed) heap.append(obj, NULL_REF);
  heap.truncate(obj, fixed + 1);
  rt.heap.roots.popAppend(obj);
  if (data) data.dict = true;
  else heap.setPayload(obj, MATERIALIZED);
  return heap.get(obj, fixed + 1);
}

/** Stores an instance attribute inline, growing the object's slots as CPython grows its values array. */
export function setInstanceAttr(rt: Runtime, obj: Ref, t: PyType, name: string, value: Ref): void {
  const h = headerKey(t, name);
  if (h >= 0) {
    rt.heap.setHeader(obj, h, value);
    return;
  }
  if (hasDictSlot(t)) {
    dictSet(rt, dictSlot(rt, obj, t, true), rt.intern(name), value);
    return;
  }
  let k = t.instanceKeys.get(name);
  const materialized = rt.pl<InstanceData | undefined>(obj)?.dict;
  if (k === undefined) {
    k = t.instanceKeys.size + 1;
    t.instanceKeys.set(name, k);
    if (t.sharedUsable > 0) t.sharedUsable--;
  }
  if (materialized && k > fixedFields(rt, t)) {
    dictSet(rt, materializedDict(rt, obj, t), rt.intern(name), value);
    return;
  }
  storeInstanceSlot(rt, obj, k, value);
}

/** Stores into instance slot `k`, growing the object's slots up to it. */
export function storeInstanceSlot(rt: Runtime, obj: Ref, k: number, value: Ref): void {
  const heap = rt.heap;
  while (heap.length(obj) <= k) heap.append(obj, NULL_REF);
  heap.set(obj, k, value);
}

/**
 * What an attribute instruction found for objects of one class: while the class version is
 * `version`, `getattr`/`setattr` of the instruction's name on instances of `type` reads or writes
 * instance slot `slot` and nothing else (-1: not so, take the general path).
 */
export interface AttrSite {
  /** The class of the objects. */
  readonly type: PyType;
  /** `rt.classVersion` when found. */
  readonly version: number;
  /** The instance slot, or -1. */
  readonly slot: number;
  /** How many attribute names instances of `type` had then (a new one can make -1 a slot). */
  readonly keys: number;
}

/**
 * The instance slot `site` gives for `obj`, of class `t`, or -1 (take the general path): an
 * instance whose `__dict__` was materialized keeps its attributes there.
 */
export function siteSlot(rt: Runtime, site: AttrSite | undefined, t: PyType, obj: Ref): number {
  if (site === undefined || site.type !== t || site.version !== rt.classVersion) return -1;
  return hasMaterializedDict(rt, obj) ? -1 : site.slot;
}

/** Whether `site` says nothing (any more) about instances of `t`. */
export function staleSite(rt: Runtime, site: AttrSite | undefined, t: PyType): boolean {
  return (
    site === undefined ||
    site.type !== t ||
    site.version !== rt.classVersion ||
    (site.slot < 0 && site.keys !== t.instanceKeys.size)
  );
}

/**
 * The {@link AttrSite} for reading (`store` false) or writing attribute `name` of instances of
 * `t`: a slot when they are plain instances of a program's class with `name` among their inline
 * attributes, no property of that name along the MRO and, for writes, no `__setattr__` of the
 * program's and room for `name` under `__slots__`.
 */
export function attrSite(rt: Runtime, t: PyType, name: string, store: boolean): AttrSite {
  const k = t.instanceKeys.get(name);
  let slot = -1;
  if (
    k !== undefined &&
    t.user &&
    t.kind === 'instance' &&
    !hasDictSlot(t) &&
    t.headerSize === 0 &&
    name !== '__class__' &&
    name !== '__dict__' &&
    !mroHasProperty(rt, t, name)
  ) {
    const setattr = store ? lookupType(rt, t, '__setattr__') : NULL_REF;
    if (!setattr || rt.kindOf(setattr) !== 'function') slot = k;
  }
  return { type: t, version: rt.classVersion, slot, keys: t.instanceKeys.size };
}

/** Whether any class along `t`'s MRO has a property called `name` (even one a subclass hides). */
function mroHasProperty(rt: Runtime, t: PyType, name: string): boolean {
  for (const c of t.mro) {
    const slot = c.user ? c.attrSlots.get(name) : undefined;
    const v = slot !== undefined ? rt.heap.get(c.ref, slot) : (c.dict.get(name) ?? NULL_REF);
    if (v !== NULL_REF && rt.kindOf(v) === 'property') return true;
  }
  return false;
}

function bind(rt: Runtime, descr: Ref, obj: Ref, type: Ref): Ref {
  const kind = rt.kindOf(descr);
  const heap = rt.heap;
  switch (kind) {
    case 'function': {
      const m = heap.alloc(rt.ht.method, 2);
      heap.set(m, 0, descr);
      heap.set(m, 1, obj);
      return m;
    }
    case 'descriptor': {
      const p = rt.pl<{ name: string; fn: never }>(descr);
      return rt.newBuiltin(p.name, p.fn, obj);
    }
    case 'classmethod': {
      const m = heap.alloc(rt.ht.method, 2);
      heap.set(m, 0, heap.get(descr, 0));
      heap.set(m, 1, type);
      return m;
    }
    case 'staticmethod':
      return rt.push(heap.get(descr, 0));
    case 'property': {
      const fget = heap.get(descr, 0);
      if (fget === NULL_REF || fget === rt.None) raise('AttributeError', `property object has no getter`);
      return rt.vm.call(fget, [obj]);
    }
    default:
      return rt.push(descr);
  }
}

/** `getattr(obj, name)`: pushes the value and returns it; AttributeError when missing. */
export function getAttr(rt: Runtime, obj: Ref, name: string): Ref {
  const v = tryGetAttr(rt, obj, name);
  if (v !== 0) return v;
  const t = rt.typeOf(obj);
  if (t.kind === 'type') {
    raise('AttributeError', `type object '${rt.pl<PyType>(obj).name}' has no attribute '${name}'`);
  }
  if (t.kind === 'module')
    raise('AttributeError', `module '${rt.moduleName(obj)}' has no attribute '${name}'`);
  const getattr = t.user ? lookupType(rt, t, '__getattr__') : 0;
  if (getattr) {
    rt.newStr(name);
    const r = rt.vm.call(getattr, [obj, rt.peek()]);
    rt.dropUnder(1);
    return r;
  }
  return raise('AttributeError', `'${t.name}' object has no attribute '${name}'`);
}

/** Like {@link getAttr} but returns 0 (pushing nothing) when the attribute is missing. */
export function tryGetAttr(rt: Runtime, obj: Ref, name: string): Ref {
  const _heap = rt.heap;
  const t = rt.typeOf(obj);
  if (name === '__class__') return rt.push(t.ref);
  switch (t.kind) {
    case 'type':
      return classAttr(rt, obj, name);
    case 'module': {
      const v = rt.moduleGet(obj, name);
      return v ? rt.push(v) : NULL_REF;
    }
    case 'function':
      return functionAttr(rt, obj, name);
    case 'super':
      return superAttr(rt, obj, name);
    default:
      break;
  }
  const descr = lookupType(rt, t, name);
  if (descr && rt.kindOf(descr) === 'property') return bind(rt, descr, obj, t.ref);
  const h = headerKey(t, name);
  if (h >= 0) {
    const v = rt.heap.getHeader(obj, h);
    if (v) return rt.push(v);
  }
  if (hasDictSlot(t)) {
    const v = dictSlotAttr(rt, obj, t, name);
    if (v) return rt.push(v);
    if (name === '__dict__') return rt.push(dictSlot(rt, obj, t, true));
  }
  if (t.user && t.kind === 'instance') {
    const v = instanceAttr(rt, obj, t, name);
    if (v) return rt.push(v);
    if (name === '__dict__' && !t.slotNames) return rt.push(materializedDict(rt, obj, t));
  }
  if (descr) return bind(rt, descr, obj, t.ref);
  return specialAttr(rt, obj, name);
}

function superAttr(rt: Runtime, sup: Ref, name: string): Ref {
  const start = rt.pl<{ start: PyType }>(sup).start;
  const obj = rt.heap.get(sup, 0);
  const isClass = rt.kindOf(obj) === 'type';
  const mro = isClass ? rt.pl<PyType>(obj).mro : rt.typeOf(obj).mro;
  for (const c of mro.slice(mro.indexOf(start) + 1)) {
    const v = c.user
      ? c.attrSlots.has(name)
        ? rt.heap.get(c.ref, c.attrSlots.get(name)!)
        : 0
      : (c.dict.get(name) ?? 0);
    if (v)
      return isClass && rt.kindOf(v) === 'function'
        ? rt.push(v)
        : bind(rt, v, obj, isClass ? obj : rt.typeOf(obj).ref);
  }
  return NULL_REF;
}

function classAttr(rt: Runtime, cls: Ref, name: string): Ref {
  const t = rt.pl<PyType>(cls);
  switch (name) {
    case '__name__':
      return rt.newStr(t.name);
    case '__qualname__':
      return rt.newStr(t.name);
    case '__module__':
      return rt.newStr(t.module);
    case '__mro__':
      return t.mroSlot >= 0 ? rt.push(rt.heap.get(cls, t.mroSlot)) : rt.newTuple(t.mro.map((c) => c.ref));
    case '__bases__':
      return rt.newTuple(t.bases.map((c) => c.ref));
    case '__base__':
      return rt.push(t.bases[0]?.ref ?? rt.None);
  }
  const v = lookupType(rt, t, name);
  if (v) {
    const kind = rt.kindOf(v);
    if (kind === 'classmethod' || kind === 'staticmethod') return bind(rt, v, cls, cls);
    return rt.push(v);
  }
  const meta = rt.type('type').dict.get(name);
  if (meta) return bind(rt, meta, cls, rt.type('type').ref);
  return NULL_REF;
}

function functionAttr(rt: Runtime, fn: Ref, name: string): Ref {
  const data = rt.pl<FunctionData>(fn);
  const heap = rt.heap;
  switch (name) {
    case '__name__':
      return rt.newStr(data.name);
    case '__qualname__':
      return rt.newStr(data.qualname);
    case '__module__':
      return rt.newStr('__main__');
    case '__defaults__': {
      const d = heap.get(fn, FN_DEFAULTS);
      return rt.push(d === NULL_REF ? rt.None : d);
    }
    case '__closure__': {
      const c = heap.get(fn, FN_CLOSURE);
      return rt.push(c === NULL_REF ? rt.None : c);
    }
    case '__code__':
      return rt.newStr(`<code object ${(data.code as Code).name}>`);
    case '__dict__':
      return rt.push(functionDict(rt, fn));
  }
  const d = heap.get(fn, FN_DICT);
  if (d !== NULL_REF) {
    rt.newStr(name);
    const v = dictGet(rt, d, rt.peek());
    rt.pop();
    if (v) return rt.push(v);
  }
  const descr = lookupType(rt, rt.typeOf(fn), name);
  return descr ? bind(rt, descr, fn, rt.typeOf(fn).ref) : NULL_REF;
}

function functionDict(rt: Runtime, fn: Ref): Ref {
  let d = rt.heap.get(fn, FN_DICT);
  if (d === NULL_REF) {
    d = rt.newDict();
    rt.heap.set(fn, FN_DICT, d);
    rt.pop();
  }
  return d;
}

function specialAttr(rt: Runtime, obj: Ref, name: string): Ref {
  const heap = rt.heap;
  const kind = rt.kindOf(obj);
  if (kind === 'method') {
    if (name === '__self__') return rt.push(heap.get(obj, 1));
    if (name === '__func__') return rt.push(heap.get(obj, 0));
    if (name === '__name__' || name === '__qualname__') return getAttr(rt, heap.get(obj, 0), name);
  }
  if (kind === 'builtin' || kind === 'descriptor') {
    if (name === '__name__' || name === '__qualname__') return rt.newStr(rt.pl<{ name: string }>(obj).name);
    if (name === '__self__') {
      const s = kind === 'builtin' ? heap.get(obj, 0) : NULL_REF;
      return rt.push(s === NULL_REF ? rt.None : s);
    }
  }
  if (kind === 'instance' && rt.isException(obj)) {
    if (name === '__context__' || name === '__cause__' || name === '__traceback__') return rt.push(rt.None);
    if (name === '__suppress_context__') return rt.newBool(rt.pl<{ suppress: boolean }>(obj).suppress);
    if (name === 'value' && rt.typeOf(obj).name === 'StopIteration') {
      const args = instanceAttr(rt, obj, rt.typeOf(obj), 'args');
      const items = args ? heap.referents(args) : [];
      return rt.push(items[0] ?? rt.None);
    }
  }
  if (kind === 'cell' && name === 'cell_contents') {
    const v = heap.get(obj, 0);
    if (v === NULL_REF) raise('ValueError', 'Cell is empty');
    return rt.push(v);
  }
  if (kind === 'weakref' && name === '__callback__') {
    const cb = heap.get(obj, 0);
    return rt.push(cb === NULL_REF ? rt.None : cb);
  }
  if (kind === 'generator' && (name === '__name__' || name === '__qualname__')) {
    const d = rt.pl<{ name: string; qualname: string }>(obj);
    return rt.newStr(name === '__name__' ? d.name : d.qualname);
  }
  if (kind === 'proxy') {
    const target = heap.weakTarget(obj);
    if (target === NULL_REF) raise('ReferenceError', 'weakly-referenced object no longer exists');
    return tryGetAttr(rt, target, name);
  }
  if ((kind === 'int' || kind === 'bool') && (name === 'real' || name === 'numerator')) return rt.push(obj);
  if (kind === 'slice' && (name === 'start' || name === 'stop' || name === 'step')) {
    return rt.push(heap.get(obj, ['start', 'stop', 'step'].indexOf(name)));
  }
  return NULL_REF;
}

/** `setattr(obj, name, value)`. */
export function setAttr(rt: Runtime, obj: Ref, name: string, value: Ref): void {
  const t = rt.typeOf(obj);
  if (t.kind === 'type') {
    setClassAttr(rt, rt.pl<PyType>(obj), name, value);
    return;
  }
  if (t.kind === 'module') {
    rt.moduleSet(obj, name, value);
    return;
  }
  if (t.kind === 'function') {
    const data = rt.pl<FunctionData>(obj);
    if (name === '__name__') data.name = rt.strValue(value);
    else if (name === '__qualname__') data.qualname = rt.strValue(value);
    else {
      const d = functionDict(rt, obj);
      rt.newStr(name);
      dictSet(rt, d, rt.peek(), value);
      rt.pop();
    }
    return;
  }
  if (t.kind === 'proxy') {
    const target = rt.heap.weakTarget(obj);
    if (target === NULL_REF) raise('ReferenceError', 'weakly-referenced object no longer exists');
    setAttr(rt, target, name, value);
    return;
  }
  const descr = t.user || t.kind === 'instance' ? lookupType(rt, t, name) : 0;
  if (descr && rt.kindOf(descr) === 'property') {
    const fset = rt.heap.get(descr, 1);
    if (fset === NULL_REF || fset === rt.None)
      raise('AttributeError', `property '${name}' of '${t.name}' object has no setter`);
    rt.vm.call(fset, [obj, value]);
    rt.pop();
    return;
  }
  if (!t.user) {
    if (descr || lookupType(rt, t, name))
      raise('AttributeError', `'${t.name}' object attribute '${name}' is read-only`);
    raise('AttributeError', `'${t.name}' object has no attribute '${name}'`);
  }
  if (name === '__dict__' && (hasDictSlot(t) || (t.kind === 'instance' && !t.slotNames))) {
    replaceDict(rt, obj, t, value);
    return;
  }
  if (!canStore(t, name)) raise('AttributeError', `'${t.name}' object has no attribute '${name}'`);
  const setattr = lookupType(rt, t, '__setattr__');
  if (setattr && rt.kindOf(setattr) === 'function') {
    rt.newStr(name);
    rt.vm.call(setattr, [obj, rt.peek(), value]);
    rt.pop();
    rt.pop();
    return;
  }
  setInstanceAttr(rt, obj, t, name, value);
}

/** `obj.__dict__ = value`: the instance's attributes become the dict's entries. */
function replaceDict(rt: Runtime, obj: Ref, t: PyType, value: Ref): void {
  if (rt.typeOf(value).kind !== 'dict')
    raise('TypeError', `__dict__ must be set to a dictionary, not a '${rt.typeOf(value).name}'`);
  const heap = rt.heap;
  if (t.headerSize) heap.setHeader(obj, t.dictHeader, value);
  else if (t.kind === 'instance') {
    if (!hasMaterializedDict(rt, obj)) materializedDict(rt, obj, t);
    heap.set(obj, fixedFields(rt, t) + 1, value);
  } else {
    dictSlot(rt, obj, t, true);
    heap.set(obj, 1, value);
  }
}

/**
 * `del obj.__dict__`: the instance drops its dict (attributes kept inline are gathered into one
 * first, as CPython 3.11 does, so they go with it); the next use makes a new, empty one. Deleting
 * when there is none is no error.
 */
function deleteDict(rt: Runtime, obj: Ref, t: PyType): void {
  const heap = rt.heap;
  if (t.headerSize) heap.setHeader(obj, t.dictHeader, NULL_REF);
  else if (t.kind === 'instance') {
    materializedDict(rt, obj, t);
    heap.set(obj, fixedFields(rt, t) + 1, NULL_REF);
  } else if (heap.length(obj) > 1) heap.truncate(obj, 1);
}

/** Sets a class attribute (a slot of the class object). */
export function setClassAttr(rt: Runtime, t: PyType, name: string, value: Ref): void {
  if (!t.user) raise('TypeError', `cannot set '${name}' attribute of immutable type '${t.name}'`);
  const heap = rt.heap;
  rt.classChanged();
  let slot = t.attrSlots.get(name);
  if (slot === undefined) {
    slot = heap.length(t.ref);
    t.attrSlots.set(name, slot);
    heap.append(t.ref, value);
  } else heap.set(t.ref, slot, value);
}

/** `delattr(obj, name)`. */
export function deleteAttr(rt: Runtime, obj: Ref, name: string): void {
  const t = rt.typeOf(obj);
  if (t.kind === 'type') {
    const c = rt.pl<PyType>(obj);
    const slot = c.attrSlots.get(name);
    if (!c.user || slot === undefined || rt.heap.get(c.ref, slot) === NULL_REF) {
      raise('AttributeError', `type object '${c.name}' has no attribute '${name}'`);
    }
    rt.classChanged();
    rt.heap.set(c.ref, slot, NULL_REF);
    return;
  }
  if (t.kind === 'module') {
    if (!rt.moduleDelete(obj, name))
      raise('AttributeError', `module '${rt.moduleName(obj)}' has no attribute '${name}'`);
    return;
  }
  if (t.kind === 'function') {
    const d = rt.heap.get(obj, FN_DICT);
    rt.newStr(name);
    const ok = d !== NULL_REF && dictDelete(rt, d, rt.peek());
    rt.pop();
    if (!ok) raise('AttributeError', `'function' object has no attribute '${name}'`);
    return;
  }
  if (name === '__dict__' && t.user && (hasDictSlot(t) || (t.kind === 'instance' && !t.slotNames))) {
    deleteDict(rt, obj, t);
    return;
  }
  const h = headerKey(t, name);
  if (h >= 0) {
    // An empty __slots__ member names only itself, as CPython's member descriptor does.
    if (rt.heap.getHeader(obj, h) === NULL_REF) raise('AttributeError', name);
    rt.heap.setHeader(obj, h, NULL_REF);
    return;
  }
  if (hasDictSlot(t)) {
    const d = dictSlot(rt, obj, t, false);
    const ok = d !== NULL_REF && dictDelete(rt, d, rt.intern(name));
    if (!ok) raise('AttributeError', `'${t.name}' object has no attribute '${name}'`);
    return;
  }
  const k = t.user ? t.instanceKeys.get(name) : undefined;
  if (t.user && rt.pl<InstanceData | undefined>(obj)?.dict && !(k !== undefined && k <= fixedFields(rt, t))) {
    const d = rt.heap.get(obj, fixedFields(rt, t) + 1);
    if (d === NULL_REF || !dictDelete(rt, d, rt.intern(name)))
      raise('AttributeError', `'${t.name}' object has no attribute '${name}'`);
    return;
  }
  if (k === undefined || k >= rt.heap.length(obj) || rt.heap.get(obj, k) === NULL_REF) {
    raise(
      'AttributeError',
      t.slotNames?.includes(name) ? name : `'${t.name}' object has no attribute '${name}'`,
    );
  }
  rt.heap.set(obj, k, NULL_REF);
}

/**
 * `LOAD_METHOD`: pushes [function, self] when `name` is a plain method of the type (no bound
 * method is made, as CPython 3.11), else [attribute, NULL marker].
 */
export function loadMethod(rt: Runtime, obj: Ref, name: string): void {
  const t = rt.typeOf(obj);
  if (t.kind !== 'type' && t.kind !== 'module' && t.kind !== 'proxy' && t.kind !== 'super') {
    const descr = lookupType(rt, t, name);
    if (descr) {
      const kind = rt.kindOf(descr);
      if (
        (kind === 'function' || kind === 'descriptor') &&
        !(t.user && t.kind === 'instance' && instanceAttr(rt, obj, t, name)) &&
        !(hasDictSlot(t) && dictSlotAttr(rt, obj, t, name))
      ) {
        rt.push(descr);
        rt.push(obj);
        return;
      }
    }
  }
  getAttr(rt, obj, name);
  rt.push(rt.NULL_MARK);
}
