/**
 * Calls: the CALL instruction (Python functions and simple `__init__`s get a frame in the loop),
 * calls from TypeScript into any callable, and building function objects.
 */
import { NULL_REF, type Ref } from '@heaplab/core';
import type { Code } from '../compiler/code.js';
import { type KwArgs, type PyType, raise } from '../runtime/pytype.js';
import {
  FN_CLOSURE,
  FN_DEFAULTS,
  FN_GLOBALS,
  FN_KWDEFAULTS,
  type FunctionData,
  type Runtime,
} from '../runtime/runtime.js';
import { bindArguments } from './bind.js';
import { enterFrame } from './frame-stack.js';
import { makeGenerator } from './generators.js';
import type { Interpreter } from './interp.js';

/**
 * Calls `callable` with borrowed, rooted arguments from TypeScript (natives, finalizers,
 * callbacks); the result is pushed on the temporaries and returned.
 */
export function callValue(
  vm: Interpreter,
  callable: Ref,
  args: readonly Ref[],
  kw: KwArgs | null = null,
): Ref {
  const rt = vm.rt;
  const kind = rt.kindOf(callable);
  if (kind === 'function') {
    const data = rt.pl<FunctionData>(callable);
    const code = data.code as Code;
    const n = bindArguments(rt, callable, code, args, kw);
    if (code.generator) return makeGenerator(vm, callable, code, n);
    enterFrame(vm, code, callable, n, true, 0);
    vm.run();
    return rt.peek();
  }
  if (kind === 'method') {
    const fn = rt.heap.get(callable, 0);
    const self = rt.heap.get(callable, 1);
    rt.push(fn);
    rt.push(self);
    const r = callValue(vm, fn, [self, ...args], kw);
    rt.dropUnder(2);
    return r;
  }
  if (kind === 'builtin') {
    const p = rt.pl<{ fn: (rt: Runtime, a: Ref[], kw: KwArgs | null) => Ref; name: string }>(callable);
    const self = rt.heap.get(callable, 0);
    const depth = rt.heap.roots.temps;
    if (self === NULL_REF) rt.packCallArgs(p.name, args, kw);
    const r =
      self !== NULL_REF && rt.kindOf(self) !== 'module'
        ? p.fn(rt, [self, ...args], kw)
        : p.fn(rt, args as Ref[], kw);
    return nativeResult(vm, depth, r);
  }
  if (kind === 'descriptor') {
    const p = rt.pl<{
      fn: (rt: Runtime, a: Ref[], kw: KwArgs | null) => Ref;
      name: string;
      owner: { name: string };
    }>(callable);
    if (args.length === 0) raise('TypeError', `unbound method ${p.owner.name}.${p.name}() needs an argument`);
    const depth = rt.heap.roots.temps;
    if (p.owner.name === 'str') rt.packCallArgs(`str.${p.name}`, args.slice(1), kw);
    return nativeResult(vm, depth, p.fn(rt, args as Ref[], kw));
  }
  if (kind === 'type') {
    const depth = rt.heap.roots.temps;
    const t = rt.pl<PyType>(callable);
    if (!t.user) rt.packCallArgs(t.name, args, kw);
    return nativeResult(vm, depth, rt.callType(callable, args, kw));
  }
  if (kind === 'weakref') {
    if (args.length) raise('TypeError', `weakref() takes no arguments (${args.length} given)`);
    const target = rt.heap.weakTarget(callable);
    return rt.push(target === NULL_REF ? rt.None : target);
  }
  const call = rt.lookupSpecial(callable, '__call__');
  if (call) {
    rt.push(call);
    const r = callValue(vm, call, [callable, ...args], kw);
    rt.dropUnder(1);
    return r;
  }
  return raise('TypeError', `'${rt.typeOf(callable).name}' object is not callable`);
}

/** Keeps only a native function's result (the top) above `depth`, dropping what it left below it. */
function nativeResult(vm: Interpreter, depth: number, result: Ref): Ref {
  const roots = vm.rt.heap.roots;
  const extra = roots.temps - depth - 1;
  if (extra < 0 || roots.peek(0) !== result) {
    throw new Error('[heaplab] [python] a native function did not leave its result on the stack');
  }
  for (let k = 0; k < extra; k++) roots.remove(1);
  return result;
}

/** MAKE_FUNCTION: builds a function object from `code` and the defaults/closure `flags` says are pushed. */
export function makeFunction(vm: Interpreter, code: Code, flags: number): void {
  const rt = vm.rt;
  const heap = rt.heap;
  const roots = heap.roots;
  const closure = flags & 8 ? roots.peek(0) : 0;
  let k = flags & 8 ? 1 : 0;
  const kwdefaults = flags & 2 ? roots.peek(k++) : 0;
  const defaults = flags & 1 ? roots.peek(k++) : 0;
  const data: FunctionData = {
    code,
    name: code.name,
    qualname: code.qualname,
    globals: vm.current!.globals,
  };
  const fn = rt.alloc(rt.ht.function, 5, data);
  if (!data.globals) heap.set(fn, FN_GLOBALS, rt.mainDict);
  if (defaults) heap.set(fn, FN_DEFAULTS, defaults);
  if (closure) heap.set(fn, FN_CLOSURE, closure);
  if (kwdefaults) heap.set(fn, FN_KWDEFAULTS, kwdefaults);
  rt.dropUnder(k);
}

/**
 * CALL with `argc` values (keyword values last, named by `kwnames`) above the callable, which
 * sits `argc` below the top. Python functions get a frame in this loop (no host recursion).
 */
export function callOp(vm: Interpreter, argc: number, kwnames: string[] | null): void {
  const rt = vm.rt;
  const heap = rt.heap;
  const roots = heap.roots;
  const callable = roots.peek(argc);
  const kind = rt.kindOf(callable);
  if (kind === 'function' && kwnames === null) {
    const code = rt.pl<FunctionData>(callable).code as Code;
    if (!code.generator && argc === code.argcount && code.kwonlycount === 0 && !code.varargs && !code.varkw) {
      enterFrame(vm, code, callable, argc, false, 1);
      return;
    }
  }
  if (kind === 'type' && kwnames === null && simpleInit(vm, callable, argc)) return;
  if (kind === 'function' || (kind === 'method' && rt.kindOf(heap.get(callable, 0)) === 'function')) {
    const fn = kind === 'function' ? callable : heap.get(callable, 0);
    const args: Ref[] = [];
    if (kind === 'method') args.push(heap.get(callable, 1));
    const npos = argc - (kwnames?.length ?? 0);
    for (let k = argc - 1; k >= argc - npos; k--) args.push(roots.peek(k));
    const kw = kwnames
      ? { names: kwnames, values: kwnames.map((_, i) => roots.peek(kwnames.length - 1 - i)) }
      : null;
    const code = rt.pl<FunctionData>(fn).code as Code;
    const n = bindArguments(rt, fn, code, args, kw);
    if (code.generator) {
      makeGenerator(vm, fn, code, n);
      rt.dropCallUnder(argc + 1);
      return;
    }
    enterFrame(vm, code, fn, n, false, argc + 1);
    return;
  }
  const args: Ref[] = [];
  const npos = argc - (kwnames?.length ?? 0);
  for (let k = argc - 1; k >= argc - npos; k--) args.push(roots.peek(k));
  const kw = kwnames
    ? { names: kwnames, values: kwnames.map((_, i) => roots.peek(kwnames.length - 1 - i)) }
    : null;
  const init = kind === 'type' ? rt.classInit(callable) : NULL_REF;
  if (init) {
    const inst = rt.newInstance(callable, args);
    const temps = rt.packClassCallArgs(callable, args, kw);
    const iargs = [inst, ...args];
    const icode = rt.pl<FunctionData>(init).code as Code;
    const n = bindArguments(rt, init, icode, iargs, kw);
    enterFrame(vm, icode, init, n, false, argc + 1, true).callTemps = temps;
    return;
  }
  callValue(vm, callable, args, kw);
  rt.dropCallUnder(argc + 1);
}

/**
 * Calls a class whose `__init__` takes exactly the given positional arguments: the instance
 * and copies of the arguments become the frame's locals; the instance stays for the result.
 */
function simpleInit(vm: Interpreter, cls: Ref, argc: number): boolean {
  const rt = vm.rt;
  const init = rt.classInit(cls);
  if (!init) return false;
  const code = rt.pl<FunctionData>(init).code as Code;
  if (code.generator || code.argcount !== argc + 1 || code.kwonlycount || code.varargs || code.varkw)
    return false;
  if (rt.isExceptionType(rt.pl<PyType>(cls))) return false;
  const roots = rt.heap.roots;
  rt.newInstance(cls);
  let temps = 0;
  if (argc && rt.profile === 'cpython-3.11') {
    const args: Ref[] = [];
    for (let j = argc; j >= 1; j--) args.push(roots.peek(j));
    temps = rt.packClassCallArgs(cls, args, null);
  }
  roots.push(roots.peek(temps));
  for (let j = 0; j < argc; j++) roots.push(roots.peek(argc + 1 + temps));
  enterFrame(vm, code, init, argc + 1, false, argc + 1, true).callTemps = temps;
  return true;
}
