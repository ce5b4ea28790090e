import { NULL_REF, type Ref } from '@heaplab/core';
import { deleteAttr, getAttr, lookupType, setAttr, tryGetAttr } from './attrs.js';
import { getIter, type IterData, iterNext, iterToArray, newIterator } from './iter.js';
import { importModule } from './modules.js';
import { binaryOp } from './ops.js';
import { type KwArgs, type NativeFn, PyErr, type PyType, raise } from './pytype.js';
import { formatValue, pyRepr, pyStr } from './repr.js';
import type { Runtime } from './runtime.js';
import { dictEntries, dictSet, hashKey, setAdd } from './tables.js';

function arity(name: string, a: Ref[], min: number, max = min): void {
  if (a.length < min || a.length > max) {
    if (min === max)
      raise(
        'TypeError',
        `${name}() takes exactly ${min === 1 ? 'one argument' : `${min} arguments`} (${a.length} given)`,
      );
    raise(
      'TypeError',
      `${name} expected ${a.length < min ? 'at least' : 'at most'} ${a.length < min ? min : max} argument${(a.length < min ? min : max) === 1 ? '' : 's'}, got ${a.length}`,
    );
  }
}

/** Sorts borrowed values with Python's `<` (and an optional key function); stable. */
export function sortRefs(rt: Runtime, items: Ref[], key: Ref, reverse: boolean): Ref[] {
  let keys = items;
  const holder = rt.newList();
  if (key && key !== rt.None) {
    keys = items.map((v) => {
      const k = rt.vm.call(key, [v]);
      rt.heap.roots.popAppend(holder);
      return k;
    });
  }
  const idx = items.map((_, i) => i);
  const less = (x: Ref, y: Ref): boolean => {
    const r = rt.compare('<', x, y);
    if (typeof r === 'boolean') return r;
    const t = rt.truthy(r);
    rt.pop();
    return t;
  };
  const order = reverse ? idx.reverse() : idx;
  const sorted = mergeSort(order, (x, y) => (less(keys[x], keys[y]) ? -1 : 0));
  if (reverse) sorted.reverse();
  rt.pop();
  void holder;
  return sorted.map((i) => items[i]);
}

function mergeSort(a: number[], cmp: (x: number, y: number) => number): number[] {
  if (a.length <= 1) return a;
  const mid = a.length >> 1;
  const l = mergeSort(a.slice(0, mid), cmp);
  const r = mergeSort(a.slice(mid), cmp);
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < l.length && j < r.length) out.push(cmp(r[j], l[i]) < 0 ? r[j++] : l[i++]);
  return out.concat(l.slice(i), r.slice(j));
}

function minmax(rt: Runtime, name: string, a: Ref[], kw: KwArgs | null): Ref {
  const key = rt.kwarg(kw, 'key');
  const dflt = rt.kwarg(kw, 'default');
  const items = a.length === 1 ? iterToArray(rt, a[0]) : a;
  if (a.length === 1) rt.pop();
  if (items.length === 0) {
    if (dflt) return rt.push(dflt);
    raise('ValueError', `${name}() arg is an empty sequence`);
  }
  const _holder = a.length === 1 ? rt.newList(items) : rt.newList();
  let best = items[0];
  let bestKey = key ? rt.vm.call(key, [best]) : best;
  for (let k = 1; k < items.length; k++) {
    const v = items[k];
    const kv = key ? rt.vm.call(key, [v]) : v;
    const r = rt.compare(name === 'min' ? '<' : '>', kv, bestKey);
    let better: boolean;
    if (typeof r === 'boolean') better = r;
    else {
      better = rt.truthy(r);
      rt.pop();
    }
    if (better) {
      best = v;
      bestKey = kv;
    }
  }
  rt.push(best);
  rt.heap.roots.remove(1);
  const extra = rt.heap.roots.temps;
  void extra;
  return best;
}

/** Registers the builtin functions, type constructors and methods. */
export function setupBuiltins(rt: Runtime): void {
  const def = (name: string, fn: NativeFn) => rt.builtins.set(name, rt.staticBuiltin(name, fn));
  const typ = (name: string) => rt.type(name);
  for (const n of [
    'object',
    'int',
    'float',
    'str',
    'bool',
    'list',
    'tuple',
    'dict',
    'set',
    'frozenset',
    'type',
    'range',
    'property',
    'staticmethod',
    'classmethod',
    'slice',
  ]) {
    rt.builtins.set(n, typ(n).ref);
  }
  rt.builtins.set('None', rt.None);
  rt.builtins.set('True', rt.True);
  rt.builtins.set('False', rt.False);
  rt.builtins.set('NotImplemented', rt.NotImplemented);
  rt.builtins.set('Ellipsis', rt.Ellipsis);

  def('print', (rt, a, kw) => {
    const sepRef = rt.kwarg(kw, 'sep');
    const endRef = rt.kwarg(kw, 'end');
    const sep = sepRef && sepRef !== rt.None ? rt.strValue(sepRef, 'sep') : ' ';
    const end = endRef && endRef !== rt.None ? rt.strValue(endRef, 'end') : '\n';
    const text = a.map((v) => pyStr(rt, v)).join(sep) + end;
    const file = rt.kwarg(kw, 'file');
    if (!file || file === rt.None || file === rt.stdoutObject) rt.out(text);
    else if (file === rt.stderrObject) rt.err(text);
    else {
      // CPython writes each piece separately to a file object.
      const pieces = a.flatMap((v, i) => (i === 0 ? [pyStr(rt, v)] : [sep, pyStr(rt, v)]));
      pieces.push(end);
      getAttr(rt, file, 'write');
      for (const piece of pieces) {
        rt.newStr(piece);
        rt.vm.call(rt.peek(1), [rt.peek()]);
        rt.pop();
        rt.pop();
      }
      rt.pop();
    }
    return rt.pushNone();
  });
  def('id', (rt, a) => {
    arity('id', a, 1);
    return rt.newInt(rt.id(a[0]));
  });
  def('hex', (rt, a) => {
    const v = rt.intValue(a[0]);
    if (!rt.isInt(a[0]))
      raise('TypeError', `'${rt.typeOf(a[0]).name}' object cannot be interpreted as an integer`);
    const neg = v < 0;
    const abs = typeof v === 'bigint' ? (neg ? -v : v) : Math.abs(v);
    return rt.newStr(`${neg ? '-' : ''}0x${abs.toString(16)}`);
  });
  def('oct', (rt, a) => rt.newStr(`0o${rt.index(a[0]).toString(8)}`));
  def('bin', (rt, a) => {
    const v = rt.index(a[0]);
    return rt.newStr(`${v < 0 ? '-' : ''}0b${Math.abs(v).toString(2)}`);
  });
  def('len', (rt, a) => {
    arity('len', a, 1);
    return rt.newInt(rt.length(a[0]));
  });
  def('repr', (rt, a) => rt.newStr(pyRepr(rt, a[0])));
  def('ascii', (rt, a) => rt.newStr(pyRepr(rt, a[0])));
  def('abs', (rt, a) => {
    const k = rt.kindOf(a[0]);
    if (k === 'float') return rt.newFloat(Math.abs(rt.pl<number>(a[0])));
    if (rt.isInt(a[0])) {
      const v = rt.intValue(a[0]);
      return rt.newInt(typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(v));
    }
    const f = rt.lookupSpecial(a[0], '__abs__');
    if (f) return rt.vm.call(f, [a[0]]);
    return raise('TypeError', `bad operand type for abs(): '${rt.typeOf(a[0]).name}'`);
  });
  def('round', (rt, a) => {
    const x = Number(rt.pl<number>(a[0]));
    if (a.length < 2 || a[1] === rt.None) {
      const r = Math.round(x);
      const even = Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
      return rt.newInt(even);
    }
    const n = rt.index(a[1]);
    if (rt.isInt(a[0])) return rt.push(a[0]);
    return rt.newFloat(Number(x.toFixed(Math.max(0, n))));
  });
  def('divmod', (rt, a) => {
    binaryOp(rt, '//', a[0], a[1]);
    binaryOp(rt, '%', a[0], a[1]);
    return rt.packTuple(2);
  });
  def('pow', (rt, a) => {
    if (a.length === 3) {
      const r = BigInt(rt.index(a[0])) ** BigInt(rt.index(a[1])) % BigInt(rt.index(a[2]));
      return rt.newInt(r);
    }
    return binaryOp(rt, '**', a[0], a[1]);
  });
  def('chr', (rt, a) => rt.newStr(String.fromCodePoint(rt.index(a[0]))));
  def('ord', (rt, a) => {
    const s = rt.strValue(a[0], 'ord() argument');
    if ([...s].length !== 1)
      raise('TypeError', `ord() expected a character, but string of length ${s.length} found`);
    return rt.newInt(s.codePointAt(0)!);
  });
  def('hash', (rt, a) => {
    const own = rt.typeOf(a[0]).user ? rt.lookupSpecial(a[0], '__hash__') : NULL_REF;
    if (own && rt.kindOf(own) === 'function') return rt.vm.call(own, [a[0]]);
    const k = hashKey(rt, a[0]);
    if (typeof k === 'number')
      return rt.newInt(Number.isInteger(k) ? (k === -1 ? -2 : k) : Math.floor(k * 1e6));
    if (rt.isInt(a[0])) return rt.push(a[0]);
    let h = 0;
    for (const ch of String(k)) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
    return rt.newInt(rt.kindOf(a[0]) === 'str' || rt.kindOf(a[0]) === 'tuple' ? h : rt.id(a[0]) >> 4);
  });
  def('callable', (rt, a) => {
    const k = rt.kindOf(a[0]);
    const ok =
      ['function', 'builtin', 'descriptor', 'method', 'type', 'weakref'].includes(k) ||
      !!rt.lookupSpecial(a[0], '__call__');
    return rt.newBool(ok);
  });
  def('isinstance', (rt, a) => {
    arity('isinstance', a, 2);
    return rt.newBool(isInstanceOf(rt, a[0], a[1]));
  });
  def('issubclass', (rt, a) => {
    if (rt.kindOf(a[0]) !== 'type') raise('TypeError', 'issubclass() arg 1 must be a class');
    const t = rt.pl<PyType>(a[0]);
    const check = (c: Ref): boolean =>
      rt.kindOf(c) === 'tuple' ? rt.heap.referents(c).some(check) : t.isSubtypeOf(rt.pl<PyType>(c));
    return rt.newBool(check(a[1]));
  });
  def('getattr', (rt, a) => {
    arity('getattr', a, 2, 3);
    const name = rt.strValue(a[1], 'attribute name');
    if (a.length === 3) {
      try {
        return getAttr(rt, a[0], name);
      } catch (e) {
        if (e instanceof PyErr && rt.errorIs(e, 'AttributeError')) {
          rt.releaseErr(e);
          return rt.push(a[2]);
        }
        throw e;
      }
    }
    return getAttr(rt, a[0], name);
  });
  def('setattr', (rt, a) => {
    arity('setattr', a, 3);
    setAttr(rt, a[0], rt.strValue(a[1], 'attribute name'), a[2]);
    return rt.pushNone();
  });
  def('delattr', (rt, a) => {
    deleteAttr(rt, a[0], rt.strValue(a[1], 'attribute name'));
    return rt.pushNone();
  });
  def('hasattr', (rt, a) => {
    arity('hasattr', a, 2);
    try {
      const v = tryGetAttr(rt, a[0], rt.strValue(a[1], 'attribute name'));
      if (v) rt.pop();
      return rt.newBool(v !== 0);
    } catch (e) {
      if (e instanceof PyErr && rt.errorIs(e, 'AttributeError')) {
        rt.releaseErr(e);
        return rt.newBool(false);
      }
      throw e;
    }
  });
  def('iter', (rt, a) => {
    if (a.length === 2) return newIterator(rt, 'callable', [a[0], a[1]]);
    return getIter(rt, a[0]);
  });
  def('next', (rt, a) => {
    const k = rt.kindOf(a[0]);
    if (k !== 'iterator' && k !== 'generator' && !rt.lookupSpecial(a[0], '__next__')) {
      raise('TypeError', `'${rt.typeOf(a[0]).name}' object is not an iterator`);
    }
    if (k === 'generator') {
      if (rt.vm.resume(a[0], rt.None)) return rt.peek();
      if (a.length > 1) {
        rt.pop();
        return rt.push(a[1]);
      }
      return rt.raiseStopIteration();
    }
    const v = iterNext(rt, a[0]);
    if (v) return v;
    if (a.length > 1) return rt.push(a[1]);
    return raise('StopIteration', '');
  });
  def('enumerate', (rt, a, kw) => {
    getIter(rt, a[0]);
    const start = a.length > 1 ? rt.index(a[1]) : rt.kwarg(kw, 'start') ? rt.index(rt.kwarg(kw, 'start')) : 0;
    if (rt.profile !== 'cpython-3.11') {
      const it = newIterator(rt, 'enumerate', [rt.peek()], start);
      rt.dropUnder(1);
      return it;
    }
    // CPython 3.11 keeps a result tuple it refills in place while nothing else holds it.
    rt.newTuple([rt.None, rt.None]);
    const it = newIterator(rt, 'enumerate', [rt.peek(1), rt.peek(0)], start);
    rt.pl<IterData>(it).packed = true;
    rt.dropUnder(2);
    return it;
  });
  def('zip', (rt, a) => {
    for (const x of a) getIter(rt, x);
    const its = a.map((_, k) => rt.peek(a.length - 1 - k));
    if (rt.profile === 'cpython-3.11' && a.length) {
      // CPython 3.11 keeps the iterators in a tuple, and a result tuple it reuses.
      rt.newTuple(its);
      rt.newTuple(its.map(() => rt.None));
      const z = newIterator(rt, 'zip', [rt.peek(1), rt.peek(0)]);
      rt.pl<IterData>(z).packed = true;
      rt.dropUnder(a.length + 2);
      return z;
    }
    const z = newIterator(rt, 'zip', its);
    rt.dropUnder(a.length);
    return z;
  });
  def('map', (rt, a) => {
    for (const x of a.slice(1)) getIter(rt, x);
    const its = a.slice(1).map((_, k) => rt.peek(a.length - 2 - k));
    const m = newIterator(rt, 'map', [rt.None, a[0], ...its]);
    rt.dropUnder(a.length - 1);
    return m;
  });
  def('filter', (rt, a) => {
    getIter(rt, a[1]);
    const f = newIterator(rt, 'filter', [rt.peek(), a[0]]);
    rt.dropUnder(1);
    return f;
  });
  def('reversed', (rt, a) => {
    const k = rt.kindOf(a[0]);
    if (k === 'list' || k === 'tuple') return newIterator(rt, 'reversed', [a[0]], rt.heap.length(a[0]) - 1);
    const items = iterToArray(rt, a[0]);
    const l = rt.newList([...items].reverse());
    const it = newIterator(rt, 'reversed', [l], items.length - 1);
    rt.dropUnder(2);
    return it;
  });
  def('sorted', (rt, a, kw) => {
    const items = iterToArray(rt, a[0]);
    const key = rt.kwarg(kw, 'key');
    const reverse = rt.kwarg(kw, 'reverse');
    const out = sortRefs(rt, items, key, reverse ? rt.truthy(reverse) : false);
    const l = rt.newList(out);
    rt.dropUnder(1);
    return l;
  });
  def('sum', (rt, a, kw) => {
    const items = iterToArray(rt, a[0]);
    const start = a[1] ?? rt.kwarg(kw, 'start');
    rt.push(start || rt.smallInt(0));
    for (const v of items) {
      binaryOp(rt, '+', rt.peek(), v);
      rt.dropUnder(1);
    }
    rt.dropUnder(1);
    return rt.peek();
  });
  def('any', (rt, a) => {
    let found = false;
    rt.forEachItem(a[0], (v) => {
      if (!found && rt.truthy(v)) found = true;
    });
    return rt.newBool(found);
  });
  def('all', (rt, a) => {
    let ok = true;
    rt.forEachItem(a[0], (v) => {
      if (ok && !rt.truthy(v)) ok = false;
    });
    return rt.newBool(ok);
  });
  def('min', (rt, a, kw) => minmax(rt, 'min', a, kw));
  def('max', (rt, a, kw) => minmax(rt, 'max', a, kw));
  def('format', (rt, a) => rt.newStr(formatValue(rt, a[0], a.length > 1 ? rt.strValue(a[1]) : '', false)));
  def('__import__', (rt, a) => importModule(rt, rt.strValue(a[0], '__import__() argument 1')));
  def('globals', (rt) => {
    const module = rt.vm.current?.globals ?? NULL_REF;
    if (!module) return rt.push(rt.mainDict);
    // Other modules keep their names in slots: a snapshot of them.
    const d = rt.newDict();
    for (const name of rt.pl<{ names: Map<string, number> }>(module).names.keys()) {
      const v = rt.moduleGet(module, name);
      if (v) dictSet(rt, d, rt.intern(name), v);
    }
    return d;
  });
  def('vars', (rt, a) => {
    const d = tryGetAttr(rt, a[0], '__dict__');
    return d || raise('TypeError', 'vars() argument must have __dict__ attribute');
  });
  def('dir', (rt, a) => {
    const t = rt.typeOf(a[0]);
    const names = new Set<string>();
    for (const c of t.mro) for (const n of [...c.attrSlots.keys(), ...c.dict.keys()]) names.add(n);
    // __slots__ names are class attributes in CPython; other attributes come from the __dict__.
    if (t.user) for (const n of t.headerSize ? t.instanceKeys.keys() : (t.slotNames ?? [])) names.add(n);
    if (t.user && t.kind !== 'type') {
      const d = tryGetAttr(rt, a[0], '__dict__');
      if (d && rt.kindOf(d) === 'dict') for (const [k] of dictEntries(rt, d)) names.add(pyStr(rt, k));
      if (d) rt.pop();
    }
    const sorted = [...names].sort();
    for (const n of sorted) rt.newStr(n);
    return rt.packList(sorted.length);
  });
  def('super', (rt, a) => rt.makeSuper(a));
  def('input', () => raise('EOFError', 'EOF when reading a line'));
  def('open', () => raise('OSError', '[heaplab] files are not available to simulated programs'));
  def('exit', (rt, a) => {
    const exc = rt.vm.call(rt.builtins.get('SystemExit')!, a);
    return rt.vm.raiseObject(exc);
  });
  rt.builtins.set('quit', rt.builtins.get('exit')!);
}

/** `isinstance(v, spec)`. */
export function isInstanceOf(rt: Runtime, v: Ref, spec: Ref): boolean {
  if (rt.kindOf(spec) === 'tuple') return rt.heap.referents(spec).some((s) => isInstanceOf(rt, v, s));
  if (rt.kindOf(spec) !== 'type')
    raise('TypeError', 'isinstance() arg 2 must be a type, a tuple of types, or a union');
  return rt.typeOf(v).isSubtypeOf(rt.pl<PyType>(spec));
}

export { lookupType, NULL_REF, setAdd };
