import { NULL_REF, type Ref } from '@heaplab/core';
import type { Code } from '../compiler/code.js';
import type { KwArgs } from '../runtime/pytype.js';
import { raise } from '../runtime/pytype.js';
import { FN_DEFAULTS, FN_KWDEFAULTS, type FunctionData, type Runtime } from '../runtime/runtime.js';
import { dictGet, dictSet } from '../runtime/tables.js';

/**
 * Binds call arguments (borrowed, rooted) to `code`'s parameters and pushes the parameter values
 * in slot order, ready to become the new frame's first locals; returns how many were pushed.
 */
export function bindArguments(
  rt: Runtime,
  fn: Ref,
  code: Code,
  args: readonly Ref[],
  kw: KwArgs | null,
): number {
  if (
    kw === null &&
    args.length === code.argcount &&
    code.kwonlycount === 0 &&
    !code.varargs &&
    !code.varkw
  ) {
    for (let k = 0; k < args.length; k++) rt.push(args[k]);
    return args.length;
  }
  const heap = rt.heap;
  const data = rt.pl<FunctionData>(fn);
  const nparams = code.argcount + code.kwonlycount + (code.varargs ? 1 : 0) + (code.varkw ? 1 : 0);
  const values: Ref[] = new Array(nparams).fill(NULL_REF);
  const name = data.qualname;
  const npos = code.argcount;
  if (args.length > npos && !code.varargs) {
    const defaults = heap.get(fn, FN_DEFAULTS);
    const nd = defaults === NULL_REF ? 0 : heap.length(defaults);
    const takes = nd ? `from ${npos - nd} to ${npos}` : `${npos}`;
    raise(
      'TypeError',
      `${name}() takes ${takes} positional argument${npos === 1 && !nd ? '' : 's'} but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`,
    );
  }
  for (let k = 0; k < Math.min(args.length, npos); k++) values[k] = args[k];
  let kwdict: Ref = NULL_REF;
  if (code.varkw) {
    kwdict = rt.newDict();
  }
  if (kw) {
    for (let j = 0; j < kw.names.length; j++) {
      const kname = kw.names[j];
      const slot = code.localNames.indexOf(kname);
      if (slot >= 0 && slot < code.argcount + code.kwonlycount) {
        if (values[slot] !== NULL_REF)
          raise('TypeError', `${name}() got multiple values for argument '${kname}'`);
        values[slot] = kw.values[j];
      } else if (kwdict) {
        rt.newStr(kname);
        dictSet(rt, kwdict, rt.peek(), kw.values[j]);
        rt.pop();
      } else raise('TypeError', `${name}() got an unexpected keyword argument '${kname}'`);
    }
  }
  const defaults = heap.get(fn, FN_DEFAULTS);
  if (defaults !== NULL_REF) {
    const nd = heap.length(defaults);
    for (let k = 0; k < nd; k++) {
      const slot = npos - nd + k;
      if (values[slot] === NULL_REF) values[slot] = heap.get(defaults, k);
    }
  }
  const missing = code.localNames.slice(0, npos).filter((_, k) => values[k] === NULL_REF);
  if (missing.length) {
    const list = missing.map((m) => `'${m}'`);
    const text = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
    raise(
      'TypeError',
      `${name}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${text}`,
    );
  }
  if (code.kwonlycount) {
    const kwd = heap.get(fn, FN_KWDEFAULTS);
    for (let k = npos; k < npos + code.kwonlycount; k++) {
      if (values[k] !== NULL_REF) continue;
      const v = kwd !== NULL_REF ? dictGet(rt, kwd, rt.intern(code.localNames[k])) : 0;
      if (!v)
        raise('TypeError', `${name}() missing 1 required keyword-only argument: '${code.localNames[k]}'`);
      values[k] = v;
    }
  }
  let at = npos + code.kwonlycount;
  let varargs: Ref = NULL_REF;
  if (code.varargs) {
    varargs = rt.newTuple(args.slice(npos));
    values[at++] = varargs;
  }
  if (code.varkw) values[at] = kwdict;
  for (const v of values) rt.push(v);
  // The *args tuple and **kwargs dict were pushed when made: drop those extra references.
  const extras = (varargs ? 1 : 0) + (kwdict ? 1 : 0);
  if (extras) {
    for (let k = 0; k < extras; k++) heap.roots.remove(nparams);
  }
  return nparams;
}
