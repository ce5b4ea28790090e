/** Set algebra (`|`, `&`, `-`, `^` and their in-place forms) and a set's iteration order. */
import type { Ref } from '@heaplab/core';
import { raise } from './pytype.js';
import type { Runtime } from './runtime.js';
import { setAdd, setDelete, setHas, setMergeRoom } from './tables.js';

/** Members of a set in CPython's iteration order for small ints (hash order), else insertion order. */
export function setOrder(rt: Runtime, s: Ref): Ref[] {
  const items = rt.heap.referents(s);
  if (!items.every((v) => rt.isInt(v) && typeof rt.pl(v) === 'number')) return items;
  let size = 8;
  while (items.length * 5 >= size * 3) size *= 4;
  const slot = (v: Ref) => {
    const x = rt.pl<number>(v);
    const h = x === -1 ? -2 : x;
    return ((h % size) + size) % size;
  };
  return [...items].sort((p, q) => slot(p) - slot(q) || 0);
}

/** Set algebra: pushes the result. */
export function setOperation(rt: Runtime, op: string, a: Ref, b: Ref, inplace: boolean): Ref {
  const frozen = rt.kindOf(a) === 'frozenset';
  const xs = setOrder(rt, a);
  const ys = setOrder(rt, b);
  let out: Ref[];
  switch (op) {
    case '|':
      out = [...xs, ...ys];
      break;
    case '&':
      out = xs.filter((v) => setHas(rt, b, v));
      break;
    case '-':
      out = xs.filter((v) => !setHas(rt, b, v));
      break;
    case '^':
      out = [...xs.filter((v) => !setHas(rt, b, v)), ...ys.filter((v) => !setHas(rt, a, v))];
      break;
    default:
      return raise(
        'TypeError',
        `unsupported operand type(s) for ${op}: '${rt.typeOf(a).name}' and '${rt.typeOf(b).name}'`,
      );
  }
  // `a | b` copies a then merges b, as CPython's set_or does; `a |= b` merges b.
  const kb = rt.kindOf(b);
  const merge = op === '|' && (kb === 'set' || kb === 'frozenset');
  if (inplace && !frozen) {
    const keep = new Set(out);
    for (const v of xs) if (!keep.has(v)) setDelete(rt, a, v);
    if (merge) setMergeRoom(rt, a, ys.length);
    for (const v of out) setAdd(rt, a, v);
    return rt.push(a);
  }
  const s = rt.newSet(frozen);
  if (merge) setMergeRoom(rt, s, xs.length);
  for (let k = 0; k < out.length; k++) {
    if (merge && k === xs.length) setMergeRoom(rt, s, ys.length);
    setAdd(rt, s, out[k]);
  }
  return s;
}
