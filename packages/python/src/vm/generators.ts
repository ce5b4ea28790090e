/**
 * Generators: a generator object keeps its suspended frame, with its locals and value stack saved
 * in the object's slots while it is not running.
 */
import { NULL_REF, type Ref } from '@heaplab/core';
import type { Code } from '../compiler/code.js';
import { type PyErr, raise } from '../runtime/pytype.js';
import type { Frame } from './frame.js';
import { enterFrame } from './frame-stack.js';
import type { Interpreter } from './interp.js';

/** Payload of a generator object. */
export interface GeneratorData {
  /** The suspended frame (null once finished). */
  frame: Frame | null;
  /** Number of locals saved in the object's slots. */
  nlocals: number;
  /** Whether it runs now. */
  running: boolean;
  /** `__name__`. */
  readonly name: string;
  /** `__qualname__`. */
  readonly qualname: string;
}

/** Creates a generator object for a call of a generator function whose arguments are pushed. */
export function makeGenerator(vm: Interpreter, fn: Ref, code: Code, nargs: number): Ref {
  const rt = vm.rt;
  const frame = enterFrame(vm, code, fn, nargs, true, 0);
  const data: GeneratorData = {
    frame,
    nlocals: code.localNames.length,
    running: false,
    name: code.name,
    qualname: code.qualname,
  };
  vm.frames.pop();
  const roots = rt.heap.roots;
  const locals: Ref[] = [];
  for (let k = 0; k < code.localNames.length; k++) locals.push(roots.getLocal(k));
  const gen = rt.heap.allocWith(rt.ht.generator, { growable: true, payload: data });
  for (const v of locals) rt.heap.append(gen, v);
  rt.heap.roots.pin(gen);
  roots.popFrame();
  rt.push(gen);
  rt.heap.roots.unpin(gen);
  return gen;
}

/**
 * Resumes a generator with `value` (borrowed): returns true with the yielded value pushed, or
 * false with the return value pushed when it finished.
 */
export function resumeGenerator(
  vm: Interpreter,
  gen: Ref,
  value: Ref,
  throwing: PyErr | null = null,
): boolean {
  const rt = vm.rt;
  const data = rt.pl<GeneratorData>(gen);
  if (data.running) raise('ValueError', 'generator already executing');
  const frame = data.frame;
  if (!frame) {
    if (throwing) throw throwing;
    rt.pushNone();
    return false;
  }
  if (vm.frames.length >= vm.options.recursionLimit)
    raise('RecursionError', 'maximum recursion depth exceeded');
  const heap = rt.heap;
  const all: Ref[] = [];
  const n = heap.length(gen);
  for (let k = 0; k < n; k++) all.push(heap.get(gen, k));
  heap.roots.pushFrame(frame.code.name, frame.code.localNames, 0);
  for (let k = 0; k < data.nlocals; k++) if (all[k] !== NULL_REF) heap.roots.setLocal(k, all[k]);
  for (let k = data.nlocals; k < n; k++) heap.roots.push(all[k]);
  heap.truncate(gen, 0);
  frame.entry = true;
  frame.gen = gen;
  data.running = true;
  vm.frames.push(frame);
  if (frame.pc > 0) heap.roots.push(value);
  if (throwing) return finishResume(data, () => vm.run(throwing));
  return finishResume(data, () => vm.run());
}

function finishResume(data: GeneratorData, go: () => boolean): boolean {
  try {
    const yielded = go();
    if (!yielded) data.frame = null;
    return yielded;
  } catch (e) {
    data.frame = null;
    throw e;
  } finally {
    data.running = false;
  }
}

/** YIELD_VALUE: saves the frame's locals and stack in its generator object and pops the frame. */
export function yieldOp(vm: Interpreter, f: Frame): void {
  const rt = vm.rt;
  const heap = rt.heap;
  const roots = heap.roots;
  const gen = f.gen;
  const v = roots.peek(0);
  roots.pin(v);
  roots.pop();
  const nlocals = f.code.localNames.length;
  for (let k = 0; k < nlocals; k++) heap.append(gen, roots.getLocal(k));
  const temps = roots.temps;
  for (let k = temps - 1; k >= 0; k--) heap.append(gen, roots.peek(k));
  vm.frames.pop();
  roots.popFrame();
  roots.push(v);
  roots.unpin(v);
}
