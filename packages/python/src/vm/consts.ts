import type { Ref } from '@heaplab/core';
import type { Constant } from '../ast.js';
import type { Code } from '../compiler/code.js';
import type { Runtime } from '../runtime/runtime.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The object of constant `k` of `code`, made on first use and kept for the program's life
 * (CPython's code objects hold their constants; identifier-like strings are interned).
 */
export function materializeConst(rt: Runtime, code: Code, k: number): Ref {
  const cached = code.constRefs[k];
  if (cached !== undefined) return cached;
  const ref = makeConst(rt, code.consts[k]);
  code.constRefs[k] = ref;
  return ref;
}

/**
 * Makes every constant of `code` and of its nested code objects, as CPython's compiler does
 * before a module runs: constant tuples then exist (tracked) before the program's first
 * statement, so they count as old allocations and a collection can untrack them.
 */
export function materializeAllConsts(rt: Runtime, code: Code): void {
  for (let k = 0; k < code.consts.length; k++) materializeConst(rt, code, k);
  for (const nested of code.codes) materializeAllConsts(rt, nested);
}

function makeConst(rt: Runtime, c: Constant | readonly Constant[]): Ref {
  if (Array.isArray(c)) {
    const items = (c as Constant[]).map((x) => makeConst(rt, x));
    const t = rt.newTuple(items);
    // CPython 3.12's compiler untracks constant tuples that hold nothing trackable.
    if (rt.profile === 'cpython-3.12' && !items.some((x) => rt.heap.isTracked(x))) rt.heap.untrack(t);
    rt.heap.roots.pin(t);
    rt.pop();
    return t;
  }
  const k = c as Constant;
  switch (k.kind) {
    case 'none':
      return rt.None;
    case 'bool':
      return k.value ? rt.True : rt.False;
    case 'ellipsis':
      return rt.Ellipsis;
    case 'str':
      if (IDENTIFIER.test(k.value) || k.value.length <= 1) return rt.intern(k.value);
      return pinned(rt, rt.newStr(k.value));
    case 'int':
      return pinned(rt, rt.newInt(k.value));
    case 'float':
      return pinned(rt, rt.newFloat(k.value));
  }
}

function pinned(rt: Runtime, ref: Ref): Ref {
  rt.heap.roots.pin(ref);
  rt.pop();
  return ref;
}
