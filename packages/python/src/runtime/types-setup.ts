import { NULL_REF, type Ref } from '@heaplab/core';
import { sortRefs } from './builtins.js';
import { makeKeyError } from './exceptions.js';
import { getIter, type IterData, iterNext, iterToArray } from './iter.js';
import { newWeakref } from './modules.js';
import { type KwArgs, PyErr, type PyType, raise } from './pytype.js';
import { pyRepr, pyStr, reprFloat } from './repr.js';
import type { Runtime, TableData } from './runtime.js';
import {
  dictClear,
  dictDelete,
  dictEntries,
  dictGet,
  dictSet,
  setAdd,
  setClear,
  setDelete,
  setHas,
  setUpdate,
} from './tables.js';

function parseIntText(_rt: Runtime, text: string, base: number): number | bigint {
  let s = text.trim().replace(/_/g, '').toLowerCase();
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let b = base;
  const prefix = s.slice(0, 2);
  const prefixed: Record<string, number> = { '0x': 16, '0o': 8, '0b': 2 };
  if (prefixed[prefix] !== undefined && (b === prefixed[prefix] || b === 0)) {
    b = prefixed[prefix];
    s = s.slice(2);
  }
  if (b === 0) b = 10;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
  if (!s || [...s].some((c) => !digits.includes(c))) {
    raise('ValueError', `invalid literal for int() with base ${base === 0 ? 0 : base}: ${pyReprText(text)}`);
  }
  let v = 0n;
  for (const c of s) v = v * BigInt(b) + BigInt(digits.indexOf(c));
  if (neg) v = -v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

function pyReprText(s: string): string {
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s}'`;
}

function listSort(rt: Runtime, self: Ref, kw: KwArgs | null): void {
  const items = rt.heap.referents(self);
  const key = rt.kwarg(kw, 'key');
  const reverse = rt.kwarg(kw, 'reverse');
  const keep = rt.newList(items);
  const out = sortRefs(rt, items, key, reverse ? rt.truthy(reverse) : false);
  rt.heap.permute(
    self,
    out.map((v) => items.indexOf(v)),
  );
  const heap = rt.heap;
  heap.truncate(self, 0);
  for (const v of out) heap.append(self, v);
  rt.pop();
  void keep;
}

/**
 * Whether CPython's `list(iterable)` learns the length before iterating: containers, and
 * iterators over them (their `__length_hint__`); generators, `map`, `filter`, `zip` and the like
 * give none.
 */
function hasLengthHint(rt: Runtime, v: Ref): boolean {
  switch (rt.kindOf(v)) {
    case 'list':
    case 'tuple':
    case 'dict':
    case 'set':
    case 'frozenset':
    case 'str':
    case 'range':
      return true;
    case 'iterator': {
      const kind = rt.pl<IterData | undefined>(v)?.kind;
      // range iterators carry other data (no kind): they have a hint too.
      return (
        kind === undefined || ['seq', 'str', 'keys', 'values', 'items', 'set', 'reversed'].includes(kind)
      );
    }
    default:
      return false;
  }
}

/**
 * The item array of a list just filled from `src` (CPython 3.11's `list___init__`): exactly the
 * length rounded up to even when the length was known first (`list_preallocate_exact`), else
 * what `list_extend` leaves: room for a guess of 8, grown by appends, cut back at the end.
 */
function sizeFilledList(rt: Runtime, l: Ref, src: Ref): void {
  const n = rt.heap.length(l);
  if (hasLengthHint(rt, src)) {
    rt.heap.setAuxSize(l, ((n + 1) & ~1) * 8);
    return;
  }
  const grow = (size: number) => (size + (size >> 3) + 6) & ~3;
  let allocated = 8;
  for (let k = 9; k <= n; k++) if (k > allocated) allocated = grow(k);
  if (n === 0) allocated = 0;
  else if (!(n >= allocated >> 1)) allocated = grow(n);
  rt.heap.setAuxSize(l, allocated * 8);
}

/** Registers constructors and methods of builtin types. */
export function setupTypes(rt: Runtime): void {
  const ctor = (name: string, fn: (rt: Runtime, a: Ref[], kw: KwArgs | null) => Ref) =>
    rt.constructors.set(rt.type(name), fn);
  const method = (type: string, name: string, fn: (rt: Runtime, a: Ref[], kw: KwArgs | null) => Ref) =>
    rt.defMethod(rt.type(type), name, fn);

  ctor('object', (rt, a) => {
    if (a.length) raise('TypeError', 'object() takes no arguments');
    return rt.heap.allocWith(rt.ht.object, {});
  });
  ctor('int', (rt, a) => {
    if (a.length === 0) return rt.newInt(0);
    const v = a[0];
    const k = rt.kindOf(v);
    if (k === 'str') return rt.newInt(parseIntText(rt, rt.pl<string>(v), a.length > 1 ? rt.index(a[1]) : 10));
    if (k === 'int' || k === 'bool') return rt.newInt(rt.pl<number | bigint>(v));
    if (k === 'float') {
      const x = rt.pl<number>(v);
      if (!Number.isFinite(x))
        raise(
          Number.isNaN(x) ? 'ValueError' : 'OverflowError',
          Number.isNaN(x)
            ? 'cannot convert float NaN to integer'
            : 'cannot convert float infinity to integer',
        );
      const t = Math.trunc(x);
      return rt.newInt(Number.isSafeInteger(t) ? t : BigInt(t));
    }
    const f = rt.lookupSpecial(v, '__int__') || rt.lookupSpecial(v, '__index__');
    if (f) return rt.vm.call(f, [v]);
    return raise(
      'TypeError',
      `int() argument must be a string, a bytes-like object or a real number, not '${rt.typeOf(v).name}'`,
    );
  });
  ctor('float', (rt, a) => {
    if (a.length === 0) return rt.newFloat(0);
    const v = a[0];
    const k = rt.kindOf(v);
    if (k === 'str') {
      const s = rt.pl<string>(v).trim().toLowerCase().replace(/_/g, '');
      const special: Record<string, number> = {
        inf: Infinity,
        '+inf': Infinity,
        '-inf': -Infinity,
        infinity: Infinity,
        '-infinity': -Infinity,
        nan: NaN,
        '-nan': NaN,
      };
      if (s in special) return rt.newFloat(special[s]);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s))
        raise('ValueError', `could not convert string to float: ${pyRepr(rt, v)}`);
      return rt.newFloat(Number(s));
    }
    if (k === 'int' || k === 'bool' || k === 'float') return rt.newFloat(Number(rt.pl<number | bigint>(v)));
    const f = rt.lookupSpecial(v, '__float__');
    if (f) return rt.vm.call(f, [v]);
    return raise(
      'TypeError',
      `float() argument must be a string or a real number, not '${rt.typeOf(v).name}'`,
    );
  });
  ctor('str', (rt, a) => (a.length ? rt.newStr(pyStr(rt, a[0])) : rt.newStr('')));
  ctor('bool', (rt, a) => rt.newBool(a.length ? rt.truthy(a[0]) : false));
  // list() and dict() allocate through tp_alloc in CPython: never from the free list.
  ctor('list', (rt, a) => {
    if (!a.length) return rt.newList([], true);
    const kind = rt.kindOf(a[0]);
    let l: Ref;
    if (kind === 'list' || kind === 'tuple') l = rt.newList(rt.heap.referents(a[0]), true);
    else {
      // Filled straight from the iterator, as CPython's list() extends the new list.
      l = rt.newList([], true);
      getIter(rt, a[0]);
      const it = rt.peek();
      for (let v = iterNext(rt, it); v !== 0; v = iterNext(rt, it)) {
        rt.heap.roots.popAppend(l);
        rt.checkSize(rt.heap.length(l));
      }
      rt.pop();
      rt.heap.setAuxSize(l, rt.heap.length(l) * 8);
    }
    sizeFilledList(rt, l, a[0]);
    return l;
  });
  ctor('tuple', (rt, a) => {
    if (!a.length) return rt.push(rt.emptyTuple);
    if (rt.typeOf(a[0]) === rt.type('tuple')) return rt.push(a[0]);
    const items = iterToArray(rt, a[0]);
    const t = rt.newTuple(items);
    rt.untrackAtBirth(t);
    rt.dropUnder(1);
    return t;
  });
  ctor('dict', (rt, a, kw) => {
    const d = rt.newDict(true);
    if (a.length) rt.dictUpdate(d, a[0]);
    if (kw) {
      kw.names.forEach((n, i) => {
        rt.newStr(n);
        dictSet(rt, d, rt.peek(), kw.values[i]);
        rt.pop();
      });
    }
    return d;
  });
  const setCtor = (frozen: boolean) => (rt: Runtime, a: Ref[]) => {
    if (frozen && a.length && rt.kindOf(a[0]) === 'frozenset') return rt.push(a[0]);
    const s = rt.newSet(frozen);
    if (a.length) setUpdate(rt, s, a[0]);
    return s;
  };
  ctor('set', setCtor(false));
  ctor('frozenset', setCtor(true));
  ctor('type', (rt, a) => {
    if (a.length !== 1)
      raise('TypeError', 'type() takes 1 argument (heaplab does not create classes with type())');
    return rt.push(rt.typeOf(a[0]).ref);
  });
  ctor('range', (rt, a) => {
    if (a.length < 1 || a.length > 3)
      raise('TypeError', `range expected at least 1 argument, got ${a.length}`);
    const n = a.map((x) => rt.index(x));
    const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
    if (step === 0) raise('ValueError', 'range() arg 3 must not be zero');
    return rt.heap.allocWith(rt.ht.range, { payload: { start, stop, step } });
  });
  const wrapper =
    (kind: 'property' | 'staticmethod' | 'classmethod') => (rt: Runtime, a: Ref[], kw: KwArgs | null) => {
      const heapType = rt.ht[kind];
      const o = rt.heap.allocWith(heapType, { slots: kind === 'property' ? 3 : 1 });
      const fget = a[0] ?? rt.kwarg(kw, 'fget');
      if (fget) rt.heap.set(o, 0, fget);
      if (kind === 'property') {
        const fset = a[1] ?? rt.kwarg(kw, 'fset');
        if (fset) rt.heap.set(o, 1, fset);
      }
      return o;
    };
  ctor('property', wrapper('property'));
  ctor('staticmethod', wrapper('staticmethod'));
  ctor('classmethod', wrapper('classmethod'));
  method('property', 'setter', (rt, a) => {
    const p = rt.heap.allocWith(rt.ht.property, { slots: 3 });
    rt.heap.set(p, 0, rt.heap.get(a[0], 0));
    rt.heap.set(p, 1, a[1]);
    return p;
  });
  method('property', 'getter', (rt, a) => {
    const p = rt.heap.allocWith(rt.ht.property, { slots: 3 });
    rt.heap.set(p, 0, a[1]);
    rt.heap.set(p, 1, rt.heap.get(a[0], 1));
    return p;
  });
  ctor('slice', (rt, a) => {
    const s = rt.heap.allocWith(rt.ht.slice, { slots: 3 });
    const parts = a.length === 1 ? [rt.None, a[0], rt.None] : [a[0], a[1], a[2] ?? rt.None];
    for (let k = 0; k < 3; k++) rt.heap.set(s, k, parts[k]);
    return s;
  });
  ctor('ReferenceType', (rt, a) => newWeakref(rt, rt.ht.weakref, a));

  // ---------------------------------------------------------------- object
  method('object', '__init__', (rt) => rt.pushNone());
  method('object', '__repr__', (rt, a) =>
    rt.newStr(`<${rt.typeOf(a[0]).qualName} object at 0x${rt.id(a[0]).toString(16)}>`),
  );
  method('object', '__eq__', (rt, a) => rt.push(a[0] === a[1] ? rt.True : rt.NotImplemented));
  method('object', '__ne__', (rt, a) => rt.push(a[0] !== a[1] ? rt.True : rt.False));
  method('object', '__setattr__', (rt, a) => {
    const t = rt.typeOf(a[0]);
    const name = rt.strValue(a[1], 'attribute name');
    if (t.slotNames && !t.instanceKeys.has(name))
      raise('AttributeError', `'${t.name}' object has no attribute '${name}'`);
    rt.setInstanceAttr(a[0], name, a[2]);
    return rt.pushNone();
  });
  method('object', '__hash__', (rt, a) => rt.newInt(rt.id(a[0]) >> 4));

  // ---------------------------------------------------------------- list
  method('list', '__init__', (rt, a) => {
    rt.heap.truncate(a[0], 0);
    if (a.length > 1) {
      for (const v of iterToArray(rt, a[1])) rt.heap.append(a[0], v);
      rt.pop();
    }
    if (a.length > 1) sizeFilledList(rt, a[0], a[1]);
    else rt.resizeList(a[0]);
    return rt.pushNone();
  });
  method('dict', '__init__', (rt, a, kw) => {
    if (a.length > 1) rt.dictUpdate(a[0], a[1]);
    if (kw) {
      kw.names.forEach((n, i) => {
        rt.newStr(n);
        dictSet(rt, a[0], rt.peek(), kw.values[i]);
        rt.pop();
      });
    }
    return rt.pushNone();
  });
  method('set', '__init__', (rt, a) => {
    if (a.length > 1) setUpdate(rt, a[0], a[1]);
    return rt.pushNone();
  });
  method('list', 'append', (rt, a) => {
    if (a.length !== 2)
      raise('TypeError', `list.append() takes exactly one argument (${a.length - 1} given)`);
    rt.heap.append(a[0], a[1]);
    rt.resizeList(a[0]);
    return rt.pushNone();
  });
  method('list', 'extend', (rt, a) => {
    const items = iterToArray(rt, a[1]);
    for (const v of items) rt.heap.append(a[0], v);
    rt.pop();
    rt.resizeList(a[0]);
    return rt.pushNone();
  });
  method('list', 'insert', (rt, a) => {
    const n = rt.heap.length(a[0]);
    let i = rt.index(a[1]);
    if (i < 0) i = Math.max(0, i + n);
    rt.heap.insert(a[0], Math.min(i, n), a[2]);
    rt.resizeList(a[0]);
    return rt.pushNone();
  });
  method('list', 'pop', (rt, a) => {
    const n = rt.heap.length(a[0]);
    if (n === 0) raise('IndexError', 'pop from empty list');
    let i = a.length > 1 ? rt.index(a[1]) : n - 1;
    if (i < 0) i += n;
    if (i < 0 || i >= n) raise('IndexError', 'pop index out of range');
    const v = rt.push(rt.heap.get(a[0], i));
    rt.heap.removeAt(a[0], i);
    rt.resizeList(a[0]);
    return v;
  });
  method('list', 'remove', (rt, a) => {
    const items = rt.heap.referents(a[0]);
    const i = items.findIndex((x) => x === a[1] || rt.equals(x, a[1]));
    if (i < 0) raise('ValueError', 'list.remove(x): x not in list');
    rt.heap.removeAt(a[0], i);
    rt.resizeList(a[0]);
    return rt.pushNone();
  });
  const indexOf = (type: string) => (rt: Runtime, a: Ref[]) => {
    const i = rt.heap.referents(a[0]).findIndex((x) => x === a[1] || rt.equals(x, a[1]));
    if (i < 0)
      raise(
        'ValueError',
        type === 'list' ? `${pyRepr(rt, a[1])} is not in list` : 'tuple.index(x): x not in tuple',
      );
    return rt.newInt(i);
  };
  const countOf = (rt: Runtime, a: Ref[]) =>
    rt.newInt(rt.heap.referents(a[0]).filter((x) => x === a[1] || rt.equals(x, a[1])).length);
  method('list', 'index', indexOf('list'));
  method('list', 'count', countOf);
  method('tuple', 'index', indexOf('tuple'));
  method('tuple', 'count', countOf);
  method('list', 'clear', (rt, a) => {
    rt.heap.truncate(a[0], 0);
    rt.resizeList(a[0]);
    return rt.pushNone();
  });
  method('list', 'copy', (rt, a) => rt.newList(rt.heap.referents(a[0])));
  method('list', 'reverse', (rt, a) => {
    const n = rt.heap.length(a[0]);
    rt.heap.permute(
      a[0],
      Array.from({ length: n }, (_, k) => n - 1 - k),
    );
    return rt.pushNone();
  });
  method('list', 'sort', (rt, a, kw) => {
    listSort(rt, a[0], kw);
    return rt.pushNone();
  });

  // ---------------------------------------------------------------- dict
  method('dict', 'get', (rt, a) => rt.push(dictGet(rt, a[0], a[1]) || (a[2] ?? rt.None)));
  const view = (kind: 'keys' | 'values' | 'items') => (rt: Runtime, a: Ref[]) => {
    const entries = dictEntries(rt, a[0]);
    if (kind === 'keys') return rt.newList(entries.map(([k]) => k));
    if (kind === 'values') return rt.newList(entries.map(([, v]) => v));
    for (const [k, v] of entries) rt.newTuple([k, v]);
    return rt.packList(entries.length);
  };
  method('dict', 'keys', view('keys'));
  method('dict', 'values', view('values'));
  method('dict', 'items', view('items'));
  method('dict', 'pop', (rt, a) => {
    const v = dictGet(rt, a[0], a[1]);
    if (!v) {
      if (a.length > 2) return rt.push(a[2]);
      makeKeyError(rt, a[1]);
      return rt.vm.raiseObject(rt.peek());
    }
    rt.push(v);
    dictDelete(rt, a[0], a[1]);
    return v;
  });
  method('dict', 'popitem', (rt, a) => {
    const entries = dictEntries(rt, a[0]);
    if (!entries.length) raise('KeyError', 'popitem(): dictionary is empty');
    const [k, v] = entries[entries.length - 1];
    const t = rt.newTuple([k, v]);
    dictDelete(rt, a[0], k);
    return t;
  });
  method('dict', 'setdefault', (rt, a) => {
    const v = dictGet(rt, a[0], a[1]);
    if (v) return rt.push(v);
    dictSet(rt, a[0], a[1], a[2] ?? rt.None);
    return rt.push(a[2] ?? rt.None);
  });
  method('dict', 'update', (rt, a, kw) => {
    if (a.length > 1) rt.dictUpdate(a[0], a[1]);
    if (kw)
      kw.names.forEach((n, i) => {
        rt.newStr(n);
        dictSet(rt, a[0], rt.peek(), kw.values[i]);
        rt.pop();
      });
    return rt.pushNone();
  });
  method('dict', 'clear', (rt, a) => {
    dictClear(rt, a[0]);
    return rt.pushNone();
  });
  method('dict', 'copy', (rt, a) => {
    const d = rt.newDict();
    rt.dictUpdate(d, a[0]);
    return d;
  });

  // ---------------------------------------------------------------- set
  method('set', 'add', (rt, a) => {
    setAdd(rt, a[0], a[1]);
    return rt.pushNone();
  });
  method('set', 'discard', (rt, a) => {
    setDelete(rt, a[0], a[1]);
    return rt.pushNone();
  });
  method('set', 'remove', (rt, a) => {
    if (!setDelete(rt, a[0], a[1])) {
      makeKeyError(rt, a[1]);
      rt.vm.raiseObject(rt.peek());
    }
    return rt.pushNone();
  });
  method('set', 'pop', (rt, a) => {
    const items = rt.setOrder(a[0]);
    if (!items.length) raise('KeyError', 'pop from an empty set');
    const v = rt.push(items[0]);
    setDelete(rt, a[0], v);
    return v;
  });
  method('set', 'clear', (rt, a) => {
    setClear(rt, a[0]);
    return rt.pushNone();
  });
  method('set', 'update', (rt, a) => {
    for (const x of a.slice(1)) setUpdate(rt, a[0], x);
    return rt.pushNone();
  });
  method('set', 'copy', (rt, a) => {
    const s = rt.newSet();
    setUpdate(rt, s, a[0]);
    return s;
  });
  for (const [name, op] of [
    ['union', '|'],
    ['intersection', '&'],
    ['difference', '-'],
    ['symmetric_difference', '^'],
  ] as const) {
    const fn = (rt: Runtime, a: Ref[]) => {
      rt.push(a[0]);
      for (const x of a.slice(1)) {
        const other =
          rt.kindOf(x) === 'set' || rt.kindOf(x) === 'frozenset'
            ? rt.push(x)
            : rt.callType(rt.type('set').ref, [x], null);
        rt.setOperation(op, rt.peek(1), other, false);
        rt.dropUnder(2);
      }
      return rt.peek();
    };
    method('set', name, fn);
    method('frozenset', name, fn);
  }
  method('set', 'issubset', (rt, a) => rt.newBool(rt.heap.referents(a[0]).every((v) => setHas(rt, a[1], v))));
  method('set', 'issuperset', (rt, a) =>
    rt.newBool(rt.heap.referents(a[1]).every((v) => setHas(rt, a[0], v))),
  );

  // ---------------------------------------------------------------- str
  const s = (rt: Runtime, r: Ref) => rt.pl<string>(r);
  const strMethod = (name: string, fn: (rt: Runtime, self: string, a: Ref[], kw: KwArgs | null) => Ref) =>
    method('str', name, (rt, a, kw) => fn(rt, s(rt, a[0]), a, kw));
  strMethod('join', (rt, self, a) => {
    const items = iterToArray(rt, a[1]);
    const parts = items.map((v, i) => {
      if (rt.kindOf(v) !== 'str')
        raise('TypeError', `sequence item ${i}: expected str instance, ${rt.typeOf(v).name} found`);
      return s(rt, v);
    });
    rt.pop();
    return rt.newStr(parts.join(self));
  });
  strMethod('split', (rt, self, a, kw) => {
    const sepRef = a[1] ?? rt.kwarg(kw, 'sep');
    const max = a[2] ? rt.index(a[2]) : -1;
    let parts: string[];
    if (!sepRef || sepRef === rt.None) {
      parts = self
        .trim()
        .split(/\s+/)
        .filter((x) => x);
      if (max >= 0 && parts.length > max + 1) {
        const rest = self.trim().split(/\s+/);
        parts = [...rest.slice(0, max), rest.slice(max).join(' ')];
      }
    } else {
      const sep = s(rt, sepRef);
      if (!sep) raise('ValueError', 'empty separator');
      parts = self.split(sep);
      if (max >= 0 && parts.length > max + 1) parts = [...parts.slice(0, max), parts.slice(max).join(sep)];
    }
    for (const p of parts) rt.newStr(p);
    return rt.packList(parts.length);
  });
  strMethod('splitlines', (rt, self) => {
    const parts = self.split(/\r?\n/);
    if (parts.length && parts[parts.length - 1] === '') parts.pop();
    for (const p of parts) rt.newStr(p);
    return rt.packList(parts.length);
  });
  const chars = (rt: Runtime, a: Ref[]) => (a[1] && a[1] !== rt.None ? s(rt, a[1]) : null);
  const strip = (self: string, set: string | null, left: boolean, right: boolean) => {
    let i = 0;
    let j = self.length;
    const test = (c: string) => (set === null ? /\s/.test(c) : set.includes(c));
    if (left) while (i < j && test(self[i])) i++;
    if (right) while (j > i && test(self[j - 1])) j--;
    return self.slice(i, j);
  };
  strMethod('strip', (rt, self, a) => rt.newStr(strip(self, chars(rt, a), true, true)));
  strMethod('lstrip', (rt, self, a) => rt.newStr(strip(self, chars(rt, a), true, false)));
  strMethod('rstrip', (rt, self, a) => rt.newStr(strip(self, chars(rt, a), false, true)));
  strMethod('upper', (rt, self) => rt.newStr(self.toUpperCase()));
  strMethod('lower', (rt, self) => rt.newStr(self.toLowerCase()));
  strMethod('title', (rt, self) =>
    rt.newStr(self.replace(/[A-Za-z]+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase())),
  );
  strMethod('capitalize', (rt, self) =>
    rt.newStr(self.charAt(0).toUpperCase() + self.slice(1).toLowerCase()),
  );
  strMethod('replace', (rt, self, a) => rt.newStr(self.split(s(rt, a[1])).join(s(rt, a[2]))));
  strMethod('startswith', (rt, self, a) => {
    const p = rt.kindOf(a[1]) === 'tuple' ? rt.heap.referents(a[1]).map((x) => s(rt, x)) : [s(rt, a[1])];
    return rt.newBool(p.some((x) => self.startsWith(x)));
  });
  strMethod('endswith', (rt, self, a) => {
    const p = rt.kindOf(a[1]) === 'tuple' ? rt.heap.referents(a[1]).map((x) => s(rt, x)) : [s(rt, a[1])];
    return rt.newBool(p.some((x) => self.endsWith(x)));
  });
  strMethod('find', (rt, self, a) => rt.newInt(self.indexOf(s(rt, a[1]))));
  strMethod('rfind', (rt, self, a) => rt.newInt(self.lastIndexOf(s(rt, a[1]))));
  strMethod('index', (rt, self, a) => {
    const i = self.indexOf(s(rt, a[1]));
    if (i < 0) raise('ValueError', 'substring not found');
    return rt.newInt(i);
  });
  strMethod('count', (rt, self, a) => rt.newInt(self.split(s(rt, a[1])).length - 1));
  strMethod('isdigit', (rt, self) => rt.newBool(/^\d+$/.test(self)));
  strMethod('isalpha', (rt, self) => rt.newBool(/^[A-Za-z]+$/.test(self)));
  strMethod('isalnum', (rt, self) => rt.newBool(/^[A-Za-z0-9]+$/.test(self)));
  strMethod('isspace', (rt, self) => rt.newBool(/^\s+$/.test(self)));
  strMethod('isupper', (rt, self) => rt.newBool(/[A-Z]/.test(self) && self === self.toUpperCase()));
  strMethod('islower', (rt, self) => rt.newBool(/[a-z]/.test(self) && self === self.toLowerCase()));
  strMethod('isidentifier', (rt, self) => rt.newBool(/^[A-Za-z_][A-Za-z0-9_]*$/.test(self)));
  const padMethod = (name: string, f: (self: string, w: number, fill: string) => string) =>
    strMethod(name, (rt, self, a) => rt.newStr(f(self, rt.index(a[1]), a[2] ? s(rt, a[2]) : ' ')));
  padMethod('ljust', (x, w, c) => x.padEnd(w, c));
  padMethod('rjust', (x, w, c) => x.padStart(w, c));
  padMethod('center', (x, w, c) => {
    const n = w - x.length;
    if (n <= 0) return x;
    const left = (n >> 1) + (n & w & 1);
    return c.repeat(left) + x + c.repeat(n - left);
  });
  strMethod('zfill', (rt, self, a) => {
    const w = rt.index(a[1]);
    const sign = /^[+-]/.test(self) ? self[0] : '';
    return rt.newStr(sign + self.slice(sign.length).padStart(w - sign.length, '0'));
  });
  strMethod('partition', (rt, self, a) => {
    const sep = s(rt, a[1]);
    const i = self.indexOf(sep);
    const parts = i < 0 ? [self, '', ''] : [self.slice(0, i), sep, self.slice(i + sep.length)];
    for (const p of parts) rt.newStr(p);
    return rt.packTuple(3);
  });
  strMethod('format', (rt, self, a, kw) => {
    let auto = 1;
    const out = self.replace(
      /\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g,
      (m, field: string, conv: string, spec: string) => {
        if (m === '{{') return '{';
        if (m === '}}') return '}';
        let v: Ref;
        if (field === '') v = a[auto++];
        else if (/^\d+$/.test(field)) v = a[Number(field) + 1];
        else v = rt.kwarg(kw, field);
        if (!v)
          raise(
            field === '' || /^\d+$/.test(field) ? 'IndexError' : 'KeyError',
            field === '' || /^\d+$/.test(field)
              ? `Replacement index ${field || auto - 2} out of range for positional args tuple`
              : `'${field}'`,
          );
        const text = conv === 'r' ? pyRepr(rt, v) : conv === 's' ? pyStr(rt, v) : null;
        return rt.formatText(text ?? v, spec ?? '', text !== null);
      },
    );
    return rt.newStr(out);
  });
  method('str', '__len__', (rt, a) => rt.newInt(s(rt, a[0]).length));

  // ---------------------------------------------------------------- numbers
  method('int', 'bit_length', (rt, a) => {
    const v = rt.intValue(a[0]);
    const abs = typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(v);
    return rt.newInt(abs.toString(2) === '0' ? 0 : abs.toString(2).length);
  });
  method('float', 'is_integer', (rt, a) => rt.newBool(Number.isInteger(rt.pl<number>(a[0]))));
  // The builtin repr of a value whose class derives from these (`tuple.__repr__(self)`).
  for (const name of ['int', 'str', 'tuple', 'list', 'dict', 'set'])
    method(name, '__repr__', (rt, a) => rt.newStr(pyRepr(rt, a[0], new Set(), true)));
  method('float', '__repr__', (rt, a) => rt.newStr(reprFloat(rt.pl<number>(a[0]))));

  // ---------------------------------------------------------------- generators
  method('generator', 'send', (rt, a) => {
    const gen = a[0];
    if (rt.vm.resume(gen, a[1] ?? rt.None)) return rt.peek();
    return rt.raiseStopIteration();
  });
  method('generator', 'close', (rt, a) => {
    const data = rt.pl<{ frame: unknown }>(a[0]);
    if (data.frame) {
      try {
        if (rt.vm.resume(a[0], rt.None, new PyErr('GeneratorExit', ''))) {
          rt.pop();
          raise('RuntimeError', 'generator ignored GeneratorExit');
        }
        rt.pop();
      } catch (e) {
        if (!(e instanceof PyErr) || !(rt.errorIs(e, 'GeneratorExit') || rt.errorIs(e, 'StopIteration')))
          throw e;
        rt.releaseErr(e);
      }
    }
    return rt.pushNone();
  });
  method('generator', 'throw', (rt, a) => {
    const exc = rt.kindOf(a[1]) === 'type' ? rt.vm.call(a[1], a.slice(2)) : rt.push(a[1]);
    rt.heap.roots.pin(exc);
    const err = new PyErr(rt.typeOf(exc).name, '', exc);
    if (rt.vm.resume(a[0], rt.None, err)) {
      rt.dropUnder(1);
      return rt.peek();
    }
    rt.pop();
    return raise('StopIteration', '');
  });

  // ---------------------------------------------------------------- exceptions
  const base = rt.pl<PyType>(rt.builtins.get('BaseException')!);
  const init = rt.nativeDescriptor(base, '__init__', (rt, a) => {
    rt.newTuple(a.slice(1));
    rt.setInstanceAttr(a[0], 'args', rt.peek());
    rt.pop();
    return rt.pushNone();
  });
  rt.classChanged();
  base.attrSlots.set('__init__', rt.heap.length(base.ref));
  rt.heap.append(base.ref, init);
  const withTb = rt.nativeDescriptor(base, 'with_traceback', (rt, a) => {
    rt.setInstanceAttr(a[0], '__traceback__', a[1]);
    return rt.push(a[0]);
  });
  rt.classChanged();
  base.attrSlots.set('with_traceback', rt.heap.length(base.ref));
  rt.heap.append(base.ref, withTb);
  void TableDataCheck;
  void NULL_REF;
}

function TableDataCheck(d: TableData): number {
  return d.size;
}
