import { NULL_REF, type Ref } from '@heaplab/core';
import { iterToArray } from './iter.js';
import { raise } from './pytype.js';
import type { Runtime, TableData } from './runtime.js';

const strKeys = new Map<string, string>();

/**
 * The key of a str's text: made once per text and reused (a new concatenation per lookup
 * allocated, and the map then had to flatten and hash it again). Short texts only, and a bounded
 * number of them: names and small keys are the ones looked up over and over.
 */
function strKey(text: string): string {
  let key = strKeys.get(text);
  if (key === undefined) {
    key = `s${text}`;
    if (text.length <= 64) {
      if (strKeys.size >= 8192) strKeys.clear();
      strKeys.set(text, key);
    }
  }
  return key;
}

/**
 * The identity of a value as a dict key or set member: equal Python values give equal keys
 * (`1`, `1.0` and `True` share one), other objects are keyed by identity.
 */
export function hashKey(rt: Runtime, v: Ref): unknown {
  const kind = rt.kindOf(v);
  switch (kind) {
    case 'str':
      return strKey(rt.pl<string>(v));
    case 'int':
    case 'bool':
    case 'float': {
      const x = rt.pl<number | bigint>(v);
      if (typeof x === 'bigint') return `b${x}`;
      return x;
    }
    case 'none':
      return 'N';
    case 'tuple':
    case 'frozenset': {
      const parts = rt.heap.referents(v).map((x) => hashKey(rt, x));
      const inner = kind === 'frozenset' ? parts.map(String).sort() : parts;
      return `${kind === 'tuple' ? 't' : 'f'}(${inner.map((p) => (typeof p === 'number' ? `n${p}` : String(p))).join(',')})`;
    }
    case 'list':
    case 'dict':
    case 'set':
      return raise('TypeError', `unhashable type: '${rt.typeOf(v).name}'`);
    case 'weakref': {
      const cached = rt.pl<{ hash: unknown } | undefined>(v);
      if (cached) return cached.hash;
      const target = rt.heap.weakTarget(v);
      if (target === NULL_REF) return raise('TypeError', 'weak object has gone away');
      const hash = `w${String(hashKey(rt, target))}`;
      rt.heap.setPayload(v, { hash });
      return hash;
    }
    case 'instance': {
      const t = rt.typeOf(v);
      const h = rt.lookupSpecial(v, '__hash__');
      if (h === rt.None) raise('TypeError', `unhashable type: '${t.name}'`);
      if (h && rt.kindOf(h) === 'function') {
        // Equal objects must hash alike; heaplab keys them by the hash alone (unequal objects
        // with the same hash would share an entry).
        const r = rt.vm.call(h, [v]);
        if (!rt.isInt(r)) raise('TypeError', '__hash__ method should return an integer');
        const key = `h${String(rt.pl<number | bigint>(r))}`;
        rt.pop();
        return key;
      }
      return `o${v & 0xffffff}`;
    }
    default:
      return `o${v & 0xffffff}`;
  }
}

/** Whether inserting `v` may make a dict need tracking (CPython's `_PyObject_GC_MAY_BE_TRACKED`). */
function mayBeTracked(rt: Runtime, v: Ref): boolean {
  const heap = rt.heap;
  const i = v & 0xffffff;
  if (!heap.types.get(heap.tables.type(i)).container) return false;
  if (rt.kindOf(v) === 'tuple') return heap.isTracked(v);
  return true;
}

/** The value stored under `key` in dict `d` (borrowed), or 0. */
export function dictGet(rt: Runtime, d: Ref, key: Ref): Ref {
  const data = rt.pl<TableData>(d);
  const k = data.index.get(hashKey(rt, key));
  return k === undefined ? NULL_REF : rt.heap.get(d, 2 * k + 1);
}

/** CPython's table size for at least `n` entries' worth of room (`calculate_log2_keysize`). */
function log2For(n: number): number {
  return 32 - Math.clz32(((n | 8) - 1) | 7);
}

/** Entries a table of 2^log2 slots holds (`USABLE_FRACTION`). */
function capacityOf(log2: number): number {
  return Math.floor((2 << log2) / 3);
}

/** Gives dict `d` a table with room for `need` entries, as CPython's `dictresize` does. */
function resizeKeys(data: TableData, need: number, general: boolean): void {
  const log2 = log2For(need);
  data.keys = { log2, usable: capacityOf(log2) - data.size, general };
}

/** A new key goes into dict `d`'s table: make it, widen it for a non-str key or grow it when full. */
function keysInsert(rt: Runtime, data: TableData, key: Ref): void {
  const str = rt.typeOf(key) === rt.type('str');
  const keys = data.keys;
  if (keys === undefined) data.keys = { log2: 3, usable: capacityOf(3), general: !str };
  else {
    if (!keys.general && !str) resizeKeys(data, data.size * 3, true);
    if (data.keys!.usable <= 0) resizeKeys(data, data.size * 3, data.keys!.general);
  }
  data.keys!.usable--;
}

/**
 * A dict display of `n` items (keys and values on the stack under the new dict `d`) starts with
 * room for them when there are more than five, as CPython's `_PyDict_FromItems` does.
 */
export function presizeDisplay(rt: Runtime, d: Ref, n: number): void {
  if (n <= 5) return;
  const str = rt.type('str');
  let general = false;
  for (let k = 1; k <= n; k++) if (rt.typeOf(rt.peek(2 * k)) !== str) general = true;
  resizeKeys(rt.pl<TableData>(d), (n * 3 + 1) >> 1, general);
}

/**
 * `dict(other)`, `d.copy()`, `{**other}` into an empty dict: CPython copies a compact table
 * whole, else makes room for the entries before inserting them (`dict_merge`).
 */
export function copyDictKeys(rt: Runtime, d: Ref, other: Ref): void {
  const data = rt.pl<TableData>(d);
  const src = rt.pl<TableData>(other);
  const keys = src.keys;
  if (keys === undefined || src.size === 0 || data.keys !== undefined) return;
  const entries = capacityOf(keys.log2) - keys.usable;
  // A copied table comes with the entries the caller is about to insert.
  if (entries === src.size && (keys.log2 === 3 || capacityOf(keys.log2 - 1) < src.size))
    data.keys = { ...keys, usable: keys.usable + src.size };
  else resizeKeys(data, (src.size * 3 + 1) >> 1, keys.general);
}

/** Bytes of dict `d`'s key table as `sys.getsizeof` counts them (0 while it has none). */
export function dictKeysSize(rt: Runtime, d: Ref): number {
  const keys = rt.pl<TableData>(d).keys;
  if (keys === undefined) return 0;
  const slots = 1 << keys.log2;
  const indexBytes = slots <= 128 ? 1 : slots <= 0x8000 ? 2 : 4;
  return 32 + slots * indexBytes + capacityOf(keys.log2) * (keys.general ? 24 : 16);
}

/** The entry number of `key` in dict `d` (its key in slot 2n, its value in 2n + 1), or -1. */
export function dictFind(rt: Runtime, d: Ref, key: Ref): number {
  return rt.pl<TableData>(d).index.get(hashKey(rt, key)) ?? -1;
}

/** Stores `value` under `key` in dict `d` (both borrowed). */
export function dictSet(rt: Runtime, d: Ref, key: Ref, value: Ref): void {
  const heap = rt.heap;
  const data = rt.pl<TableData>(d);
  const h = hashKey(rt, key);
  const k = data.index.get(h);
  if (!heap.isTracked(d) && (mayBeTracked(rt, key) || mayBeTracked(rt, value))) heap.track(d);
  if (k !== undefined) {
    heap.set(d, 2 * k + 1, value);
    return;
  }
  keysInsert(rt, data, key);
  const n = heap.length(d) / 2;
  heap.append(d, key);
  heap.append(d, value);
  data.index.set(h, n);
  data.size++;
}

/** Removes `key` from dict `d`; returns false when it was not there. */
export function dictDelete(rt: Runtime, d: Ref, key: Ref): boolean {
  const data = rt.pl<TableData>(d);
  const h = hashKey(rt, key);
  const k = data.index.get(h);
  if (k === undefined) return false;
  data.index.delete(h);
  data.size--;
  const heap = rt.heap;
  const oldKey = heap.get(d, 2 * k);
  const oldValue = heap.get(d, 2 * k + 1);
  rt.push(oldKey);
  rt.push(oldValue);
  heap.set(d, 2 * k, NULL_REF);
  heap.set(d, 2 * k + 1, NULL_REF);
  rt.pop();
  rt.pop();
  if (data.size === 0) {
    heap.truncate(d, 0);
    data.index.clear();
  }
  return true;
}

/** Entries of dict `d` as borrowed key and value pairs, in insertion order. */
export function dictEntries(rt: Runtime, d: Ref): [Ref, Ref][] {
  const slots = rt.heap.referents(d);
  const out: [Ref, Ref][] = [];
  const heap = rt.heap;
  const n = heap.length(d);
  for (let k = 0; k < n; k += 2) {
    const key = heap.get(d, k);
    if (key !== NULL_REF) out.push([key, heap.get(d, k + 1)]);
  }
  void slots;
  return out;
}

/** Removes every entry of dict `d`. */
export function dictClear(rt: Runtime, d: Ref): void {
  const data = rt.pl<TableData>(d);
  data.index.clear();
  data.size = 0;
  data.keys = undefined;
  // CPython drops the old entries in insertion order (keys and values), after emptying the dict.
  const old = rt.heap.referents(d);
  rt.newList(old);
  rt.heap.truncate(d, 0);
  const holder = rt.peek();
  for (let k = 0; k < old.length; k++) rt.heap.set(holder, k, NULL_REF);
  rt.pop();
}

/** Adds `v` to set `s`. */
export function setAdd(rt: Runtime, s: Ref, v: Ref): void {
  const data = rt.pl<TableData>(s);
  const h = hashKey(rt, v);
  if (data.index.has(h)) return;
  const heap = rt.heap;
  data.index.set(h, heap.length(s));
  heap.append(s, v);
  data.size++;
  // CPython's set_add_entry: a slot more in use, and a bigger table at 60 % full.
  const table = (data.table ??= { mask: 7, fill: 0 });
  table.fill++;
  if (table.fill * 5 >= table.mask * 3) resizeSet(data, data.size > 50000 ? data.size * 2 : data.size * 4);
}

/** Gives a set a table of more than `minused` slots (`set_table_resize`). */
function resizeSet(data: TableData, minused: number): void {
  let size = 8;
  while (size <= minused) size <<= 1;
  data.table = { mask: size - 1, fill: data.size };
}

/**
 * Before the items of a set, frozenset or dict of `n` entries go into set `s`: CPython's
 * `set_merge` makes room for them all at once.
 */
export function setMergeRoom(rt: Runtime, s: Ref, n: number): void {
  const data = rt.pl<TableData>(s);
  const table = (data.table ??= { mask: 7, fill: 0 });
  if ((table.fill + n) * 5 >= table.mask * 3) resizeSet(data, (data.size + n) * 2);
}

/** How many different values the top `n` temporaries under the top one hold (a set display's members). */
export function distinctCount(rt: Runtime, n: number): number {
  const keys = new Set<unknown>();
  for (let k = 1; k <= n; k++) keys.add(hashKey(rt, rt.peek(k)));
  return keys.size;
}

/** Adds every item of `src` to set `s`, merging whole when `src` is a set, frozenset or dict. */
export function setUpdate(rt: Runtime, s: Ref, src: Ref): void {
  const kind = rt.kindOf(src);
  if (kind === 'set' || kind === 'frozenset' || kind === 'dict')
    setMergeRoom(rt, s, rt.pl<TableData>(src).size);
  for (const v of iterToArray(rt, src)) setAdd(rt, s, v);
  rt.pop();
}

/** Bytes of set `s`'s table beyond the object's own 8 slots, as `sys.getsizeof` counts them. */
export function setTableSize(rt: Runtime, s: Ref): number {
  const table = rt.pl<TableData>(s).table;
  return table !== undefined && table.mask > 7 ? (table.mask + 1) * 16 : 0;
}

/** Empties set `s` (its table shrinks back to the object's own). */
export function setClear(rt: Runtime, s: Ref): void {
  for (const v of rt.heap.referents(s)) setDelete(rt, s, v);
  rt.pl<TableData>(s).table = undefined;
}

/** Whether set `s` holds `v`. */
export function setHas(rt: Runtime, s: Ref, v: Ref): boolean {
  return rt.pl<TableData>(s).index.has(hashKey(rt, v));
}

/** Removes `v` from set `s`; false when absent. */
export function setDelete(rt: Runtime, s: Ref, v: Ref): boolean {
  const data = rt.pl<TableData>(s);
  const h = hashKey(rt, v);
  const k = data.index.get(h);
  if (k === undefined) return false;
  data.index.delete(h);
  data.size--;
  rt.heap.set(s, k, NULL_REF);
  if (data.size === 0) {
    rt.heap.truncate(s, 0);
    data.index.clear();
  }
  return true;
}

/** Members of set `s` (borrowed), in insertion order. */
export function setItems(rt: Runtime, s: Ref): Ref[] {
  return rt.heap.referents(s);
}
