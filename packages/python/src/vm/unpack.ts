/** Sequence unpacking (`a, b = ...`, `a, *b, c = ...`) on the value stack. */
import type { Ref } from '@heaplab/core';
import { iterToArray } from '../runtime/iter.js';
import { raise } from '../runtime/pytype.js';
import type { Interpreter } from './interp.js';

/** UNPACK_SEQUENCE / UNPACK_EX: replaces the sequence on top with its items, the first on top (`after` < 0: exactly `before` items; else a starred list between). */
export function unpack(vm: Interpreter, before: number, after: number): void {
  const rt = vm.rt;
  const roots = rt.heap.roots;
  const seq = roots.peek(0);
  const items = iterToArray(rt, seq);
  roots.remove(1);
  for (const v of items) roots.push(v);
  const n = items.length;
  if (after < 0) {
    if (n !== before) {
      rt.heap.roots.drop(n);
      if (n > before) raise('ValueError', `too many values to unpack (expected ${before})`);
      raise('ValueError', `not enough values to unpack (expected ${before}, got ${n})`);
    }
    // items pushed in order; reverse so the first is on top
    for (let k = 0; k < n; k++) roots.push(roots.peek(2 * k));
    for (let k = 0; k < n; k++) roots.remove(n);
    roots.remove(n);
    return;
  }
  if (n < before + after) {
    roots.drop(n);
    raise('ValueError', `not enough values to unpack (expected at least ${before + after}, got ${n})`);
  }
  // stack: seq, items...; build: after-items reversed, star list, before-items reversed
  const out: Ref[] = [];
  const all = items;
  for (let k = n - 1; k >= n - after; k--) out.push(all[k]);
  for (const v of out) roots.push(v);
  rt.newList(all.slice(before, n - after));
  for (let k = before - 1; k >= 0; k--) roots.push(all[k]);
  const pushed = after + 1 + before;
  for (let k = 0; k < n + 1; k++) roots.remove(pushed);
}
