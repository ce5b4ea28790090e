import { NULL_REF, type Ref } from '@heaplab/core';
import { lookupType } from './attrs.js';
import { makeKeyError } from './exceptions.js';
import { getIter, iterNext, iterToArray } from './iter.js';
import { PyErr, type PyType, raise } from './pytype.js';
import type { Runtime } from './runtime.js';
import { dictDelete, dictGet, dictSet, hashKey, setHas } from './tables.js';

const DUNDER: Record<string, [string, string]> = {
  '+': ['__add__', '__radd__'],
  '-': ['__sub__', '__rsub__'],
  '*': ['__mul__', '__rmul__'],
  '/': ['__truediv__', '__rtruediv__'],
  '//': ['__floordiv__', '__rfloordiv__'],
  '%': ['__mod__', '__rmod__'],
  '**': ['__pow__', '__rpow__'],
  '<<': ['__lshift__', '__rlshift__'],
  '>>': ['__rshift__', '__rrshift__'],
  '&': ['__and__', '__rand__'],
  '|': ['__or__', '__ror__'],
  '^': ['__xor__', '__rxor__'],
  '@': ['__matmul__', '__rmatmul__'],
};

const INPLACE_DUNDER: Record<string, string> = {
  '+': '__iadd__',
  '-': '__isub__',
  '*': '__imul__',
  '|': '__ior__',
  '&': '__iand__',
};

type Num = number | bigint;

function big(x: Num): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}

function intArith(op: string, a: Num, b: Num): Num | null {
  if (typeof a === 'number' && typeof b === 'number') {
    let r: number;
    switch (op) {
      case '+':
        r = a + b;
        break;
      case '-':
        r = a - b;
        break;
      case '*':
        r = a * b;
        break;
      case '//':
        if (b === 0) raise('ZeroDivisionError', 'integer division or modulo by zero');
        r = Math.floor(a / b);
        break;
      case '%':
        if (b === 0) raise('ZeroDivisionError', 'integer division or modulo by zero');
        r = ((a % b) + b) % b;
        break;
      case '&':
        if (Math.abs(a) < 2 ** 31 && Math.abs(b) < 2 ** 31) return a & b;
        return big(a) & big(b);
      case '|':
        if (Math.abs(a) < 2 ** 31 && Math.abs(b) < 2 ** 31) return a | b;
        return big(a) | big(b);
      case '^':
        if (Math.abs(a) < 2 ** 31 && Math.abs(b) < 2 ** 31) return a ^ b;
        return big(a) ^ big(b);
      default:
        return intArithBig(op, big(a), big(b));
    }
    if (Number.isSafeInteger(r)) return r;
  }
  return intArithBig(op, big(a), big(b));
}

function intArithBig(op: string, a: bigint, b: bigint): Num | null {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '//': {
      if (b === 0n) raise('ZeroDivisionError', 'integer division or modulo by zero');
      const q = a / b;
      return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
    }
    case '%': {
      if (b === 0n) raise('ZeroDivisionError', 'integer division or modulo by zero');
      const m = a % b;
      return m !== 0n && m < 0n !== b < 0n ? m + b : m;
    }
    case '**':
      if (b < 0n) return null;
      if (b > 100000n) raise('MemoryError', '');
      return a ** b;
    case '<<':
      if (b < 0n) raise('ValueError', 'negative shift count');
      if (b > 1000000n) raise('MemoryError', '');
      return a << b;
    case '>>':
      if (b < 0n) raise('ValueError', 'negative shift count');
      return a >> b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    default:
      return null;
  }
}

function floatArith(op: string, a: number, b: number): number | null {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) raise('ZeroDivisionError', 'float division by zero');
      return a / b;
    case '//':
      if (b === 0) raise('ZeroDivisionError', 'float floor division by zero');
      return Math.floor(a / b);
    case '%': {
      if (b === 0) raise('ZeroDivisionError', 'float modulo');
      const m = a % b;
      return m !== 0 && m < 0 !== b < 0 ? m + b : m;
    }
    case '**':
      if (a === 0 && b < 0) raise('ZeroDivisionError', '0.0 cannot be raised to a negative power');
      return a ** b;
    default:
      return null;
  }
}

/** `a op b`: pushes and returns the result. */
export function binaryOp(rt: Runtime, op: string, a: Ref, b: Ref, inplace = false): Ref {
  const ka = rt.kindOf(a);
  const kb = rt.kindOf(b);
  const intA = ka === 'int' || ka === 'bool';
  const intB = kb === 'int' || kb === 'bool';
  if (intA && intB) {
    const x = rt.pl<Num>(a);
    const y = rt.pl<Num>(b);
    if (op === '/') {
      if (y === 0 || y === 0n) raise('ZeroDivisionError', 'division by zero');
      return rt.newFloat(Number(x) / Number(y));
    }
    if (ka === 'bool' && kb === 'bool' && (op === '&' || op === '|' || op === '^')) {
      return rt.newBool(Boolean(intArith(op, x, y)));
    }
    const r = intArith(op, x, y);
    if (r !== null) return rt.newInt(r);
    if (op === '**') return rt.newFloat(Number(x) ** Number(y));
  }
  if ((intA || ka === 'float') && (intB || kb === 'float') && (ka === 'float' || kb === 'float')) {
    const r = floatArith(op, Number(rt.pl<Num>(a)), Number(rt.pl<Num>(b)));
    if (r !== null) return rt.newFloat(r);
  }
  const seq = sequenceOp(rt, op, a, b, ka, kb, inplace);
  if (seq) return seq;
  return dunderBinary(rt, op, a, b, inplace);
}

function sequenceOp(rt: Runtime, op: string, a: Ref, b: Ref, ka: string, kb: string, inplace: boolean): Ref {
  const heap = rt.heap;
  if (op === '+') {
    if (ka === 'str' && kb === 'str') return rt.newStr(rt.pl<string>(a) + rt.pl<string>(b));
    if (ka === 'list' && kb === 'list') {
      if (inplace) {
        for (const v of heap.referents(b)) heap.append(a, v);
        rt.resizeList(a);
        return rt.push(a);
      }
      return rt.newList([...heap.referents(a), ...heap.referents(b)]);
    }
    if (ka === 'tuple' && kb === 'tuple') return rt.newTuple([...heap.referents(a), ...heap.referents(b)]);
    if (ka === 'list' && inplace) {
      for (const v of iterToArray(rt, b)) heap.append(a, v);
      rt.pop();
      rt.resizeList(a);
      return rt.push(a);
    }
  }
  if (op === '*') {
    const seqA = ka === 'str' || ka === 'list' || ka === 'tuple';
    const seqB = kb === 'str' || kb === 'list' || kb === 'tuple';
    if ((seqA && (kb === 'int' || kb === 'bool')) || (seqB && (ka === 'int' || ka === 'bool'))) {
      const [s, n, k] = seqA ? [a, rt.index(b), ka] : [b, rt.index(a), kb];
      const count = Math.max(0, n);
      if (k === 'str') {
        rt.checkSize(rt.pl<string>(s).length * count);
        return rt.newStr(rt.pl<string>(s).repeat(count));
      }
      const items = heap.referents(s);
      rt.checkSize(items.length * count);
      const out: Ref[] = [];
      for (let i = 0; i < count; i++) out.push(...items);
      return k === 'list' ? rt.newList(out) : rt.newTuple(out);
    }
  }
  if (op === '%' && ka === 'str') return rt.newStr(rt.percentFormat(rt.pl<string>(a), b));
  if ((ka === 'set' || ka === 'frozenset') && (kb === 'set' || kb === 'frozenset')) {
    return rt.setOperation(op, a, b, inplace);
  }
  if (ka === 'dict' && kb === 'dict' && op === '|') {
    if (inplace) {
      rt.dictUpdate(a, b);
      return rt.push(a);
    }
    const d = rt.newDict();
    rt.dictUpdate(d, a);
    rt.dictUpdate(d, b);
    return d;
  }
  return NULL_REF;
}

/**
 * Calls method `name` of type `t` (looked up along its MRO) with `self` and `other`: its result
 * (pushed), or {@link NULL_REF} with nothing pushed when the type has no such method or the
 * method returned `NotImplemented`.
 */
export function callDunder(rt: Runtime, t: PyType, name: string, self: Ref, other: Ref): Ref {
  const f = lookupType(rt, t, name);
  if (!f) return NULL_REF;
  const r = rt.vm.call(f, [self, other]);
  if (r !== rt.NotImplemented) return r;
  rt.pop();
  return NULL_REF;
}

function dunderBinary(rt: Runtime, op: string, a: Ref, b: Ref, inplace: boolean): Ref {
  const ta = rt.typeOf(a);
  const tb = rt.typeOf(b);
  if (inplace && INPLACE_DUNDER[op] && ta.user) {
    const r = callDunder(rt, ta, INPLACE_DUNDER[op], a, b);
    if (r !== NULL_REF) return r;
  }
  const [name, rname] = DUNDER[op];
  if (ta.user) {
    const r = callDunder(rt, ta, name, a, b);
    if (r !== NULL_REF) return r;
  }
  if (tb.user) {
    const r = callDunder(rt, tb, rname, b, a);
    if (r !== NULL_REF) return r;
  }
  const sym = inplace ? `${op}=` : op;
  return raise('TypeError', `unsupported operand type(s) for ${sym}: '${ta.name}' and '${tb.name}'`);
}

/** Unary operator `UNARY_OPS[n]` on `v`: pushes the result. */
export function unaryOp(rt: Runtime, n: number, v: Ref): Ref {
  const k = rt.kindOf(v);
  if (n === 2) return rt.newBool(!rt.truthy(v));
  if (k === 'int' || k === 'bool') {
    const x = rt.pl<Num>(v);
    if (n === 0) return rt.newInt(typeof x === 'bigint' ? -x : x === 0 ? 0 : -x);
    if (n === 1) return rt.newInt(x);
    return rt.newInt(typeof x === 'bigint' ? ~x : -x - 1);
  }
  if (k === 'float' && n !== 3) return rt.newFloat(n === 0 ? -rt.pl<number>(v) : rt.pl<number>(v));
  const t = rt.typeOf(v);
  const name = ['__neg__', '__pos__', '', '__invert__'][n];
  const f = t.user ? lookupType(rt, t, name) : 0;
  if (f) return rt.vm.call(f, [v]);
  return raise('TypeError', `bad operand type for unary ${['-', '+', 'not', '~'][n]}: '${t.name}'`);
}

/** Rich comparison: pushes the result. */
export function compareOp(rt: Runtime, op: string, a: Ref, b: Ref): Ref {
  const r = rt.compare(op, a, b);
  if (typeof r === 'boolean') return rt.newBool(r);
  return r;
}

/** `item in container`. */
export function containsOp(rt: Runtime, container: Ref, item: Ref): boolean {
  const heap = rt.heap;
  switch (rt.kindOf(container)) {
    case 'dict':
      return dictGet(rt, container, item) !== 0;
    case 'set':
    case 'frozenset':
      return setHas(rt, container, item);
    case 'str':
      return rt
        .pl<string>(container)
        .includes(
          rt.strValue(
            item,
            "'in <string>' requires string as left operand, not " + rt.typeOf(item).name + ' and',
          ),
        );
    case 'list':
    case 'tuple':
      return heap.referents(container).some((x) => x === item || rt.equals(x, item));
    case 'range': {
      const r = rt.pl<{ start: number; stop: number; step: number }>(container);
      if (!rt.isInt(item)) return false;
      const v = rt.index(item);
      return r.step > 0
        ? v >= r.start && v < r.stop && (v - r.start) % r.step === 0
        : v <= r.start && v > r.stop && (r.start - v) % -r.step === 0;
    }
    default: {
      const t = rt.typeOf(container);
      const f = t.user ? lookupType(rt, t, '__contains__') : 0;
      if (f) {
        rt.vm.call(f, [container, item]);
        const r = rt.truthy(rt.peek());
        rt.pop();
        return r;
      }
      getIter(rt, container);
      const it = rt.peek();
      for (;;) {
        const v = iterNext(rt, it);
        if (v === 0) break;
        const eq = v === item || rt.equals(v, item);
        rt.pop();
        if (eq) {
          rt.pop();
          return true;
        }
      }
      rt.pop();
      return false;
    }
  }
}

/** Truthiness. */
export function isTrue(rt: Runtime, v: Ref): boolean {
  return rt.truthy(v);
}

function normIndex(rt: Runtime, i: Ref, n: number, what: string): number {
  let k = rt.index(i);
  if (k < 0) k += n;
  if (k < 0 || k >= n) raise('IndexError', `${what} index out of range`);
  return k;
}

/** Resolves a slice against a length: start, stop, step and the count of items. */
export function sliceIndices(rt: Runtime, s: Ref, n: number): [number, number, number, number] {
  const heap = rt.heap;
  const get = (k: number) => {
    const v = heap.get(s, k);
    return v === rt.None ? null : rt.index(v);
  };
  const step = get(2) ?? 1;
  if (step === 0) raise('ValueError', 'slice step cannot be zero');
  const clamp = (v: number | null, def: number, lo: number, hi: number) => {
    if (v === null) return def;
    if (v < 0) v += n;
    return Math.min(Math.max(v, lo), hi);
  };
  const start = step > 0 ? clamp(get(0), 0, 0, n) : clamp(get(0), n - 1, -1, n - 1);
  const stop = step > 0 ? clamp(get(1), n, 0, n) : clamp(get(1), -1, -1, n - 1);
  const count =
    step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return [start, stop, step, count];
}

/** `obj[key]`: pushes the value. */
export function getItem(rt: Runtime, obj: Ref, key: Ref): Ref {
  const heap = rt.heap;
  const kind = rt.kindOf(obj);
  const isSlice = rt.kindOf(key) === 'slice';
  switch (kind) {
    case 'list':
    case 'tuple': {
      const n = heap.length(obj);
      if (isSlice) {
        const [start, , step, count] = sliceIndices(rt, key, n);
        const out: Ref[] = [];
        for (let i = 0, p = start; i < count; i++, p += step) out.push(heap.get(obj, p));
        return kind === 'list' ? rt.newList(out) : rt.newTuple(out);
      }
      if (!rt.isInt(key))
        raise('TypeError', `${kind} indices must be integers or slices, not ${rt.typeOf(key).name}`);
      return rt.push(heap.get(obj, normIndex(rt, key, n, kind)));
    }
    case 'str': {
      const s = rt.pl<string>(obj);
      if (isSlice) {
        const [start, , step, count] = sliceIndices(rt, key, s.length);
        let out = '';
        for (let i = 0, p = start; i < count; i++, p += step) out += s[p];
        return rt.newStr(out);
      }
      if (!rt.isInt(key)) raise('TypeError', `string indices must be integers, not '${rt.typeOf(key).name}'`);
      return rt.newStr(s[normIndex(rt, key, s.length, 'string')]);
    }
    case 'dict': {
      const v = dictGet(rt, obj, key);
      if (v === 0) {
        makeKeyError(rt, key);
        rt.vm.raiseObject(rt.peek());
      }
      return rt.push(v);
    }
    case 'range': {
      const r = rt.pl<{ start: number; stop: number; step: number }>(obj);
      const n = rt.rangeLength(obj);
      if (isSlice) raise('TypeError', 'heaplab does not slice ranges');
      return rt.newInt(r.start + r.step * normIndex(rt, key, n, 'range object'));
    }
    default: {
      const t = rt.typeOf(obj);
      const f = t.user ? lookupType(rt, t, '__getitem__') : 0;
      if (f) return rt.vm.call(f, [obj, key]);
      if (t.kind === 'type') {
        return rt.push(obj);
      }
      return raise('TypeError', `'${t.name}' object is not subscriptable`);
    }
  }
}

/** `obj[key] = value`. */
export function setItem(rt: Runtime, obj: Ref, key: Ref, value: Ref): void {
  const heap = rt.heap;
  const kind = rt.kindOf(obj);
  if (kind === 'list') {
    if (rt.kindOf(key) === 'slice') {
      const n = heap.length(obj);
      const [start, stop, step] = sliceIndices(rt, key, n);
      if (step !== 1) raise('ValueError', 'heaplab supports only step 1 slice assignment');
      const items = iterToArray(rt, value);
      const keep = heap.referents(obj);
      const end = Math.max(start, stop);
      const next = [...keep.slice(0, start), ...items, ...keep.slice(end)];
      rt.newList(keep);
      heap.truncate(obj, 0);
      for (const v of next) heap.append(obj, v);
      rt.pop();
      rt.pop();
      rt.resizeList(obj);
      return;
    }
    if (!rt.isInt(key))
      raise('TypeError', `list indices must be integers or slices, not ${rt.typeOf(key).name}`);
    heap.set(obj, normIndex(rt, key, heap.length(obj), 'list assignment'), value);
    return;
  }
  if (kind === 'dict') {
    dictSet(rt, obj, key, value);
    return;
  }
  const t = rt.typeOf(obj);
  const f = t.user ? lookupType(rt, t, '__setitem__') : 0;
  if (f) {
    rt.vm.call(f, [obj, key, value]);
    rt.pop();
    return;
  }
  raise('TypeError', `'${t.name}' object does not support item assignment`);
}

/** `del obj[key]`. */
export function delItem(rt: Runtime, obj: Ref, key: Ref): void {
  const heap = rt.heap;
  const kind = rt.kindOf(obj);
  if (kind === 'list') {
    const n = heap.length(obj);
    if (rt.kindOf(key) === 'slice') {
      const [start, , step, count] = sliceIndices(rt, key, n);
      const drop = new Set<number>();
      for (let i = 0, p = start; i < count; i++, p += step) drop.add(p);
      const keep = heap.referents(obj);
      rt.newList(keep);
      heap.truncate(obj, 0);
      keep.forEach((v, i) => {
        if (!drop.has(i)) heap.append(obj, v);
      });
      rt.pop();
      rt.resizeList(obj);
      return;
    }
    heap.removeAt(obj, normIndex(rt, key, n, 'list assignment'));
    rt.resizeList(obj);
    return;
  }
  if (kind === 'dict') {
    if (!dictDelete(rt, obj, key)) {
      makeKeyError(rt, key);
      rt.vm.raiseObject(rt.peek());
    }
    return;
  }
  const t = rt.typeOf(obj);
  const f = t.user ? lookupType(rt, t, '__delitem__') : 0;
  if (f) {
    rt.vm.call(f, [obj, key]);
    rt.pop();
    return;
  }
  raise('TypeError', `'${t.name}' object does not support item deletion`);
}

export { hashKey, NULL_REF, PyErr };
