import { NULL_REF, type Ref } from '@heaplab/core';
import { lookupType } from './attrs.js';
import { formatException } from './exceptions.js';
import { PyErr, StopRun } from './pytype.js';
import { pyRepr } from './repr.js';
import type { Runtime } from './runtime.js';

/** Materializes a pending error into an exception object (pinned) if it has none yet. */
function excOf(rt: Runtime, e: PyErr): Ref {
  if (!e.exc) {
    const cls = rt.builtins.get(e.typeName) ?? rt.builtins.get('RuntimeError')!;
    rt.newStr(e.message);
    const exc = rt.vm.call(cls, e.message ? [rt.peek()] : []);
    rt.heap.roots.pin(exc);
    rt.pop();
    rt.pop();
    e.exc = exc;
  }
  return e.exc;
}

/** Prints `Exception ignored in: ...` with the traceback, as CPython does for errors nobody can catch. */
export function formatUnraisable(rt: Runtime, e: PyErr, context: string): void {
  const exc = excOf(rt, e);
  rt.err(`Exception ignored in: ${context}\n${formatException(rt, exc)}`);
  rt.releaseErr(e);
}

/** Runs host code (a finalizer or callback) so that nothing but a stop escapes into the heap. */
function runGuarded(rt: Runtime, context: () => string, body: () => void): void {
  try {
    body();
  } catch (e) {
    if (e instanceof PyErr) formatUnraisable(rt, e, context());
    else if (e instanceof StopRun) rt.pendingStop ??= e;
    else if (e instanceof RangeError) {
      formatUnraisable(rt, new PyErr('RecursionError', 'maximum recursion depth exceeded'), context());
    } else rt.pendingStop ??= e as Error;
  }
}

/** The heap host: runs `__del__` and weak-reference callbacks as Python code. */
export function pythonHost(rt: Runtime) {
  return {
    runFinalizer(_heap: unknown, obj: Ref): void {
      const del = lookupType(rt, rt.typeOf(obj), '__del__');
      if (!del) return;
      const depth = rt.heap.roots.temps;
      runGuarded(
        rt,
        () => pyRepr(rt, del),
        () => {
          rt.push(obj);
          rt.vm.call(del, [obj]);
        },
      );
      while (rt.heap.roots.temps > depth) rt.pop();
    },
    runWeakrefCallback(_heap: unknown, wr: Ref, cb: Ref): void {
      if (cb === NULL_REF) return;
      const depth = rt.heap.roots.temps;
      runGuarded(
        rt,
        () => pyRepr(rt, cb),
        () => {
          rt.push(cb);
          rt.push(wr);
          rt.vm.call(cb, [wr]);
        },
      );
      while (rt.heap.roots.temps > depth) rt.pop();
    },
  };
}
