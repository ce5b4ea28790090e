/** Names by string: globals of `__main__` or a module, string-keyed dict access, module objects. */
import { NULL_REF, type Ref } from '@heaplab/core';
import { iterToArray } from './iter.js';
import type { TableData } from './payloads.js';
import { type KwArgs, raise } from './pytype.js';
import type { Runtime } from './runtime.js';
import { copyDictKeys, dictDelete, dictEntries, dictGet, dictSet } from './tables.js';

/** Pushes the global or builtin `name`; NameError when unbound. */
export function loadGlobal(rt: Runtime, name: string, module: Ref = NULL_REF): Ref {
  const v = module ? moduleGet(rt, module, name) : dictGetStr(rt, rt.mainDict, name);
  if (v) return rt.push(v);
  const b = rt.builtins.get(name);
  if (b !== undefined) return rt.push(b);
  return raise('NameError', `name '${name}' is not defined`);
}

/** Moves the top temporary into global `name` of `module` (0: `__main__`). */
export function popToGlobal(rt: Runtime, name: string, module: Ref): void {
  if (module) moduleSet(rt, module, name, rt.peek());
  else dictSet(rt, rt.mainDict, rt.intern(name), rt.peek());
  rt.pop();
}

/** Deletes global `name` of `module` (0: `__main__`); NameError when unbound. */
export function deleteGlobal(rt: Runtime, name: string, module: Ref): void {
  if (module ? !moduleDelete(rt, module, name) : !dictDelete(rt, rt.mainDict, rt.intern(name)))
    raise('NameError', `name '${name}' is not defined`);
}

/** The value under str key `name` in dict `d` (borrowed), or 0. */
export function dictGetStr(rt: Runtime, d: Ref, name: string): Ref {
  return dictGet(rt, d, rt.intern(name));
}

/** Deletes str key `name` from dict `d`; NameError when absent. */
export function dictDelStr(rt: Runtime, d: Ref, name: string): void {
  if (!dictDelete(rt, d, rt.intern(name))) raise('NameError', `name '${name}' is not defined`);
}

/** Keyword arguments from a dict of str keys. */
export function dictToKw(rt: Runtime, d: Ref): KwArgs {
  const names: string[] = [];
  const values: Ref[] = [];
  for (const [k, v] of dictEntries(rt, d)) {
    names.push(rt.strValue(k, 'keywords'));
    values.push(v);
  }
  return { names, values };
}

/** `d.update(other)` for a dict or an iterable of pairs. */
export function dictUpdate(rt: Runtime, d: Ref, other: Ref): void {
  if (rt.kindOf(other) === 'dict') {
    if (rt.pl<TableData>(d).size === 0) copyDictKeys(rt, d, other);
    for (const [k, v] of dictEntries(rt, other)) dictSet(rt, d, k, v);
    return;
  }
  const items = iterToArray(rt, other);
  for (const pair of items) {
    const kv = iterToArray(rt, pair);
    if (kv.length !== 2)
      raise('ValueError', `dictionary update sequence element has length ${kv.length}; 2 is required`);
    dictSet(rt, d, kv[0], kv[1]);
    rt.pop();
  }
  rt.pop();
}

/** Creates a module object (static) with native attributes. */
export function newModule(rt: Runtime, name: string): Ref {
  const m = rt.staticObject(rt.ht.module, { name, names: new Map<string, number>() }, 88, false, true);
  return m;
}

/** A module's name. */
export function moduleName(rt: Runtime, m: Ref): string {
  return rt.pl<{ name: string }>(m).name;
}

/** A module attribute (borrowed) or 0. */
export function moduleGet(rt: Runtime, m: Ref, name: string): Ref {
  const slot = rt.pl<{ names: Map<string, number> }>(m).names.get(name);
  if (slot === undefined) return NULL_REF;
  const v = rt.heap.get(m, slot);
  return v === NULL_REF ? NULL_REF : v;
}

/** Sets a module attribute. */
export function moduleSet(rt: Runtime, m: Ref, name: string, value: Ref): void {
  const names = rt.pl<{ names: Map<string, number> }>(m).names;
  const slot = names.get(name);
  const i = m & 0xffffff;
  if (slot !== undefined) {
    rt.heap.set(m, slot, value);
    return;
  }
  names.set(name, rt.heap.tables.slotLen(i));
  rt.heap.appendIndex(i, value === NULL_REF ? 0 : value & 0xffffff, false);
}

/** Deletes a module attribute. */
export function moduleDelete(rt: Runtime, m: Ref, name: string): boolean {
  if (!moduleGet(rt, m, name)) return false;
  rt.heap.set(m, rt.pl<{ names: Map<string, number> }>(m).names.get(name)!, NULL_REF);
  return true;
}
