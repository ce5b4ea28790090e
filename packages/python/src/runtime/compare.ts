/** Equality and ordering of values: `==`, `<` and friends for builtin values and user methods. */
import { NULL_REF, type Ref } from '@heaplab/core';
import { lookupType } from './attrs.js';
import { callDunder } from './ops.js';
import type { TableData } from './payloads.js';
import { raise } from './pytype.js';
import { pyRepr } from './repr.js';
import type { Runtime } from './runtime.js';
import { dictEntries, dictGet, setHas } from './tables.js';

/** `a == b` as a JS boolean. */
export function equals(rt: Runtime, a: Ref, b: Ref): boolean {
  if (a === b) return true;
  const r = compare(rt, '==', a, b);
  if (typeof r === 'boolean') return r;
  const t = rt.truthy(r);
  rt.pop();
  return t;
}

/**
 * A comparison: a JS boolean for builtin values, or the pushed result of a user `__eq__`-style
 * method.
 */
export function compare(rt: Runtime, op: string, a: Ref, b: Ref): boolean | Ref {
  const ka = rt.kindOf(a);
  const kb = rt.kindOf(b);
  const num = (k: string) => k === 'int' || k === 'bool' || k === 'float';
  if (num(ka) && num(kb)) {
    const x = rt.pl<number | bigint>(a);
    const y = rt.pl<number | bigint>(b);
    return cmp(op, x, y);
  }
  if (ka === 'str' && kb === 'str') return cmp(op, rt.pl<string>(a), rt.pl<string>(b));
  const ta = rt.typeOf(a);
  const tb = rt.typeOf(b);
  const names: Record<string, [string, string]> = {
    '==': ['__eq__', '__eq__'],
    '!=': ['__ne__', '__ne__'],
    '<': ['__lt__', '__gt__'],
    '>': ['__gt__', '__lt__'],
    '<=': ['__le__', '__ge__'],
    '>=': ['__ge__', '__le__'],
  };
  const [own, reflected] = names[op];
  if (ta.user) {
    if (lookupType(rt, ta, own)) {
      const r = callDunder(rt, ta, own, a, b);
      if (r !== NULL_REF) return r;
    } else if (op === '!=') {
      // Without its own __ne__, != is the negation of __eq__.
      const r = callDunder(rt, ta, '__eq__', a, b);
      if (r !== NULL_REF) {
        const t = rt.truthy(r);
        rt.pop();
        return !t;
      }
    }
  }
  if (tb.user) {
    const r = callDunder(rt, tb, reflected, b, a);
    if (r !== NULL_REF) return r;
  }
  if (ka === kb && (ka === 'list' || ka === 'tuple')) return compareSeq(rt, op, a, b);
  if (op === '==' || op === '!=') {
    let eq = a === b;
    if (!eq && ka === kb && ka === 'dict') eq = dictEquals(rt, a, b);
    if (!eq && (ka === 'set' || ka === 'frozenset') && (kb === 'set' || kb === 'frozenset'))
      eq = setEquals(rt, a, b);
    if (!eq && ka === 'range' && kb === 'range') eq = pyRepr(rt, a) === pyRepr(rt, b);
    if (!eq && ka === 'proxy') eq = rt.heap.weakTarget(a) === b;
    if (!eq && ka === 'weakref' && kb === 'weakref') {
      const x = rt.heap.weakTarget(a);
      const y = rt.heap.weakTarget(b);
      eq = x !== NULL_REF && y !== NULL_REF ? equals(rt, x, y) : false;
    }
    return op === '==' ? eq : !eq;
  }
  if ((ka === 'set' || ka === 'frozenset') && (kb === 'set' || kb === 'frozenset')) {
    const sub = (x: Ref, y: Ref) => rt.heap.referents(x).every((v) => setHas(rt, y, v));
    const la = rt.pl<TableData>(a).size;
    const lb = rt.pl<TableData>(b).size;
    if (op === '<=') return sub(a, b);
    if (op === '>=') return sub(b, a);
    if (op === '<') return la < lb && sub(a, b);
    return la > lb && sub(b, a);
  }
  return raise('TypeError', `'${op}' not supported between instances of '${ta.name}' and '${tb.name}'`);
}

/** Lexicographic comparison of two tuples or two lists. */
function compareSeq(rt: Runtime, op: string, a: Ref, b: Ref): boolean {
  const x = rt.heap.referents(a);
  const y = rt.heap.referents(b);
  const n = Math.min(x.length, y.length);
  for (let k = 0; k < n; k++) {
    if (x[k] === y[k] || equals(rt, x[k], y[k])) continue;
    if (op === '==') return false;
    if (op === '!=') return true;
    const r = compare(rt, op, x[k], y[k]);
    if (typeof r === 'boolean') return r;
    const t = rt.truthy(r);
    rt.pop();
    return t;
  }
  return cmp(op, x.length, y.length);
}

/** Whether two dicts hold equal values under the same keys. */
function dictEquals(rt: Runtime, a: Ref, b: Ref): boolean {
  const ea = dictEntries(rt, a);
  if (ea.length !== rt.pl<TableData>(b).size) return false;
  return ea.every(([k, v]) => {
    const w = dictGet(rt, b, k);
    return w !== 0 && (w === v || equals(rt, v, w));
  });
}

/** Whether two sets hold the same members. */
function setEquals(rt: Runtime, a: Ref, b: Ref): boolean {
  if (rt.pl<TableData>(a).size !== rt.pl<TableData>(b).size) return false;
  return rt.heap.referents(a).every((v) => setHas(rt, b, v));
}

/** `x op y` for two JS numbers, bigints or strings. */
function cmp<T extends number | bigint | string>(op: string, x: T, y: T): boolean {
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '==':
      // biome-ignore lint/suspicious/noDoubleEquals: int and float compare by value
      return x == y;
    default:
      // biome-ignore lint/suspicious/noDoubleEquals: int and float compare by value
      return x != y;
  }
}
