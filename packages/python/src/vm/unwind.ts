/**
 * Raising and unwinding: turning host errors into Python exceptions, routing an exception to the
 * innermost handler, and recording tracebacks and exception context.
 */
import { HeapLimitError, NULL_REF, type Ref } from '@heaplab/core';
import { excAttr, makeException, normalizeRaise, setExcAttr } from '../runtime/exceptions.js';
import { PyErr, raise, StopRun } from '../runtime/pytype.js';
import type { Frame, TracebackEntry } from './frame.js';
import { popFrame } from './frame-stack.js';
import type { Interpreter } from './interp.js';

/** Turns what the loop caught into a PyErr (host stack overflow and a full heap included); rethrows anything else. */
export function toPyErr(vm: Interpreter, e: unknown): PyErr {
  if (e instanceof PyErr) return e;
  if (e instanceof StopRun) throw e;
  if (e instanceof RangeError) {
    return new PyErr('RecursionError', 'maximum recursion depth exceeded');
  }
  if (e instanceof HeapLimitError) {
    // The heap is full: raise the MemoryError made at startup, as CPython keeps one ready.
    const exc = vm.rt.memoryError;
    vm.rt.heap.roots.pin(exc);
    return new PyErr('MemoryError', '', exc);
  }
  throw e;
}

/** Routes an exception to the innermost handler, unwinding frames; rethrows past the entry frame. */
export function handleError(vm: Interpreter, err: PyErr): void {
  const rt = vm.rt;
  if (err.exc === 0) {
    const exc = makeException(rt, err.typeName, err.message);
    rt.heap.roots.pin(exc);
    rt.pop();
    err.exc = exc;
    setContext(vm, exc);
  }
  let frame = vm.current!;
  if (!frame) throw new Error(`no frame for ${err.typeName}: ${err.message}`);
  if (!(err as { reraise?: boolean }).reraise) tracebackHere(vm, err.exc, frame);
  (err as { reraise?: boolean }).reraise = false;
  for (;;) {
    if (frame.blocks.length) {
      const depth = frame.blocks.pop()!;
      const handler = frame.blocks.pop()!;
      const roots = rt.heap.roots;
      while (roots.temps > depth) roots.pop();
      roots.push(err.exc);
      roots.unpin(err.exc);
      frame.pc = handler;
      return;
    }
    popFrame(vm, frame);
    if (frame.entry) throw err;
    frame = vm.current!;
    tracebackHere(vm, err.exc, frame);
  }
}

function setContext(vm: Interpreter, exc: Ref): void {
  const ctx = vm.handling[vm.handling.length - 1];
  if (ctx === undefined || ctx === exc) return;
  if (excAttr(vm.rt, exc, '__context__')) return;
  // Avoid a cycle in the context chain, as CPython does.
  for (let c: Ref = ctx; c; c = excAttr(vm.rt, c, '__context__')) if (c === exc) return;
  setExcAttr(vm.rt, exc, '__context__', ctx);
}

function tracebackHere(vm: Interpreter, exc: Ref, frame: Frame): void {
  try {
    addTraceback(vm, exc, frame);
  } catch (e) {
    // No room for the traceback object: the exception goes on without this entry.
    if (!(e instanceof HeapLimitError)) throw e;
  }
}

/** Adds the frame's current line to the exception's traceback (a traceback object holding a frame object). */
function addTraceback(vm: Interpreter, exc: Ref, frame: Frame): void {
  const rt = vm.rt;
  const heap = rt.heap;
  const code = frame.code;
  const at = code.pos[frame.lastPc] ?? -1;
  const line = at >= 0 ? code.lines.line(at) : code.firstLine;
  const entry: TracebackEntry = {
    file: code.filename,
    line,
    name: code.name,
    from: at,
    to: code.posEnd[frame.lastPc] ?? at,
    anchor: code.anchor[frame.lastPc] ?? -1,
    code,
  };
  if (!frame.frameObj || !heap.isAlive(frame.frameObj)) {
    const fo = heap.allocWith(rt.ht.frame, { growable: true, payload: { code } });
    frame.frameObj = fo;
  } else rt.push(frame.frameObj);
  const tb = heap.allocWith(rt.ht.traceback, { slots: 2, payload: entry });
  const old = excAttr(rt, exc, '__traceback__');
  if (old) heap.set(tb, 0, old);
  heap.set(tb, 1, frame.frameObj);
  setExcAttr(rt, exc, '__traceback__', tb);
  rt.pop();
  rt.pop();
}

/** Raises the exception object `exc` (borrowed). */
export function throwObject(vm: Interpreter, exc: Ref, reraise = false): never {
  vm.rt.heap.roots.pin(exc);
  const err = new PyErr(vm.rt.typeOf(exc).name, '', exc);
  (err as { reraise?: boolean }).reraise = reraise;
  if (!reraise) setContext(vm, exc);
  throw err;
}

/** RAISE_VARARGS with `n` operands: re-raise, raise, or raise ... from .... */
export function raiseOp(vm: Interpreter, n: number): void {
  const rt = vm.rt;
  const roots = rt.heap.roots;
  if (n === 0) {
    const exc = vm.handling[vm.handling.length - 1];
    if (exc === undefined) raise('RuntimeError', 'No active exception to reraise');
    throwObject(vm, exc, true);
  }
  const cause = n === 2 ? roots.peek(0) : NULL_REF;
  const exc = normalizeRaise(rt, roots.peek(n === 2 ? 1 : 0));
  if (n === 2) {
    if (cause !== rt.None && !rt.isException(cause) && !(rt.kindOf(cause) === 'type')) {
      raise('TypeError', 'exception causes must derive from BaseException');
    }
    setExcAttr(rt, exc, '__cause__', cause === rt.None ? rt.None : normalizeRaise(rt, cause));
    rt.pl<{ suppress: boolean }>(exc).suppress = true;
  }
  throwObject(vm, exc);
}
