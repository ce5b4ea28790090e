/**
 * The interpreter's frame stack: entering a frame (root frame, cells, closure), popping one (its
 * frame object takes over the locals), and returning from one.
 */
import { NULL_REF, type Ref } from '@heaplab/core';
import type { Code } from '../compiler/code.js';
import { raise } from '../runtime/pytype.js';
import { FN_CLOSURE, type FunctionData } from '../runtime/runtime.js';
import type { Frame } from './frame.js';
import type { GeneratorData } from './generators.js';
import type { Interpreter } from './interp.js';

/** Pushes a frame for `code` whose `args` arguments are pushed; they become its first locals. */
export function enterFrame(
  vm: Interpreter,
  code: Code,
  fn: Ref,
  args: number,
  entry: boolean,
  callerDrop: number,
  init = false,
  module: Ref | -1 = -1,
): Frame {
  if (vm.frames.length >= vm.options.recursionLimit) {
    raise('RecursionError', 'maximum recursion depth exceeded');
  }
  const frame: Frame = {
    code,
    pc: 0,
    lastPc: 0,
    blocks: [],
    gen: NULL_REF,
    entry,
    callerDrop,
    init,
    classBody: code.kind === 'class',
    fn,
    globals:
      module !== -1 ? module : fn ? vm.rt.pl<FunctionData>(fn).globals : (vm.current?.globals ?? NULL_REF),
    frameObj: NULL_REF,
    callTemps: 0,
  };
  vm.rt.heap.roots.pushFrame(code.name, code.localNames, args);
  vm.frames.push(frame);
  initCells(vm, frame, fn);
  return frame;
}

function initCells(vm: Interpreter, frame: Frame, fn: Ref): void {
  const code = frame.code;
  const rt = vm.rt;
  const roots = rt.heap.roots;
  for (let k = 0; k < code.cellArgs.length; k++) {
    const cell = rt.heap.alloc(rt.ht.cell, 1);
    const from = code.cellArgs[k];
    if (from >= 0) {
      const v = roots.getLocal(from);
      if (v !== NULL_REF) rt.heap.set(cell, 0, v);
    }
    roots.popToLocal(code.cellStart + k);
  }
  if (code.freeStart < code.localNames.length && fn !== 0) {
    const closure = rt.heap.get(fn, FN_CLOSURE);
    const cells = rt.heap.referents(closure);
    for (let k = 0; k < cells.length; k++) roots.setLocal(code.freeStart + k, cells[k]);
  }
}

/** Pops `frame`, handing its locals to its frame object if a traceback holds one. */
export function popFrame(vm: Interpreter, frame: Frame): void {
  vm.frames.pop();
  const heap = vm.rt.heap;
  if (frame.frameObj && heap.isAlive(frame.frameObj)) {
    // A traceback holds this frame: its object takes over the locals, as CPython's frame objects do.
    const roots = heap.roots;
    for (let k = 0; k < frame.code.localNames.length; k++) heap.append(frame.frameObj, roots.getLocal(k));
  }
  heap.roots.popFrame();
  if (frame.gen) {
    const data = vm.rt.pl<GeneratorData>(frame.gen);
    data.frame = null;
  }
}

/** Pops the entry frame just pushed for a run that cannot start. */
export function abandonEntry(vm: Interpreter): void {
  const f = vm.current;
  if (f?.entry) popFrame(vm, f);
}

/** RETURN_VALUE: pops the frame and hands its result to the caller; true if it was the entry frame. */
export function returnOp(vm: Interpreter, f: Frame): boolean {
  const rt = vm.rt;
  const roots = rt.heap.roots;
  const v = roots.peek(0);
  if (f.init && v !== rt.None) {
    raise('TypeError', `__init__() should return None, not '${rt.typeOf(v).name}'`);
  }
  // Hold the result across the pop: a counted reference (what C code holds in CPython) where
  // counts are kept, else a pin (tracing collectors only see roots).
  const counted = rt.counting;
  if (counted) rt.heap.incref(v);
  else roots.pin(v);
  popFrame(vm, f);
  if (!f.init) roots.push(v);
  else for (let k = 0; k < f.callTemps; k++) roots.pop();
  if (counted) rt.heap.decref(v);
  else roots.unpin(v);
  if (f.callerDrop) rt.dropCallUnder(f.callerDrop);
  return f.entry;
}
