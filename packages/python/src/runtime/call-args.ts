/**
 * The argument tuples and dicts CPython 3.11 builds when it calls a builtin or class through
 * `tp_call`; heaplab makes them as real heap objects so allocation counts match.
 */
import type { Ref } from '@heaplab/core';
import type { KwArgs, PyType } from './pytype.js';
import type { Runtime } from './runtime.js';
import { dictSet } from './tables.js';

/** Callables CPython 3.11 calls with an argument tuple (see {@link packCallArgs}). */
const TP_CALL_311 = new Set([
  'str',
  'int',
  'property',
  'staticmethod',
  'classmethod',
  'slice',
  'zip',
  'map',
  'str.format',
]);

/**
 * CPython 3.11 calls some builtins through `tp_call` (no vectorcall): the positional arguments
 * are packed into a tuple (and keywords into a dict) that lives for the call. Pushes them for
 * `callable` (a type or builtin name, `str.format` for methods) when it is one of those; the
 * caller drops them after the result, as CPython frees them after the call returns. They are
 * real heap objects: they count as young allocations and come from and go to the free lists.
 */
export function packCallArgs(rt: Runtime, callable: string, args: readonly Ref[], kw: KwArgs | null): void {
  if (rt.profile !== 'cpython-3.11') return;
  if (TP_CALL_311.has(callable)) pushTpCallArgs(rt, args, kw, false);
  // min() and max() take a tuple and a dict too; the list holding their items stands for the tuple.
  else if (kw?.names.length && (callable === 'min' || callable === 'max')) pushTpCallArgs(rt, [], kw, false);
}

/**
 * CPython 3.11 calls a class through `tp_call`: its positional arguments are packed into a
 * tuple, keywords into a dict, and `__init__` gets the keyword names as a tuple; all live
 * until `__init__` returns. Pushes them (above the new instance) for a plain class and returns
 * how many were pushed (the caller drops them after `__init__`).
 */
export function packClassCallArgs(rt: Runtime, cls: Ref, args: readonly Ref[], kw: KwArgs | null): number {
  if (rt.profile !== 'cpython-3.11') return 0;
  const t = rt.pl<PyType>(cls);
  if (t.kind !== 'instance' || rt.isExceptionType(t)) return 0;
  return pushTpCallArgs(rt, args, kw, true);
}

/** Pushes the argument tuple, keyword dict and (for `__init__`) keyword-name tuple; returns how many. */
function pushTpCallArgs(rt: Runtime, args: readonly Ref[], kw: KwArgs | null, kwnames: boolean): number {
  const before = rt.heap.roots.temps;
  if (args.length) rt.newTuple(args);
  if (kw?.names.length) {
    const d = rt.newDict();
    kw.names.forEach((name, k) => {
      dictSet(rt, d, rt.intern(name), kw.values[k]);
    });
    if (kwnames) rt.newTuple(kw.names.map((name) => rt.intern(name)));
  }
  return rt.heap.roots.temps - before;
}
