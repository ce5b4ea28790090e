import { HeapLimitError, NULL_REF, type Ref } from '@heaplab/core';
import type { Code, NameSite } from '../compiler/code.js';
import { BINARY_OPS, COMPARE_OPS, Op } from '../opcodes.js';
import {
  attrSite,
  deleteAttr,
  getAttr,
  loadMethod,
  setAttr,
  siteSlot,
  staleSite,
  storeInstanceSlot,
} from '../runtime/attrs.js';
import { buildClass } from '../runtime/classes.js';
import {
  excAttr,
  exceptionMatches,
  makeException,
  normalizeRaise,
  setExcAttr,
} from '../runtime/exceptions.js';
import { getIter, iterNext, iterToArray } from '../runtime/iter.js';
import { importModule } from '../runtime/modules.js';
import {
  binaryOp,
  compareOp,
  containsOp,
  delItem,
  getItem,
  isTrue,
  setItem,
  unaryOp,
} from '../runtime/ops.js';
import { type KwArgs, PyErr, type PyType, raise, StopRun } from '../runtime/pytype.js';
import { formatValue, pyRepr, pyStr } from '../runtime/repr.js';
import {
  FN_CLOSURE,
  FN_DEFAULTS,
  FN_GLOBALS,
  FN_KWDEFAULTS,
  type FunctionData,
  type Runtime,
} from '../runtime/runtime.js';
import {
  dictFind,
  dictSet,
  distinctCount,
  presizeDisplay,
  setAdd,
  setMergeRoom,
  setUpdate,
} from '../runtime/tables.js';
import { bindArguments } from './bind.js';
import { materializeConst } from './consts.js';
import type { Frame, TracebackEntry } from './frame.js';

/** Limits and hooks of a run. */
export interface InterpreterOptions {
  /** Statements allowed. */
  readonly maxSteps: number;
  /** Deadline (Date.now() value). */
  readonly deadline: number;
  /** Python recursion limit. */
  recursionLimit: number;
  /** Called before each statement. */
  readonly onStatement?: (line: number, step: number) => void;
}

const MAX_NESTING = 150;

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

/**
 * heaplab's Python interpreter: a loop over bytecode with an explicit frame stack, whose locals
 * and value stacks are the heap's root frames, so every value the program holds is rooted.
 */
export class Interpreter {
  /** Running frames, outermost first. */
  readonly frames: Frame[] = [];
  /** Exceptions being handled (`except` blocks), innermost last; each pinned. */
  readonly handling: Ref[] = [];
  /** Statements run. */
  steps = 0;
  private nesting = 0;

  /** Creates the interpreter. */
  constructor(
    readonly rt: Runtime,
    readonly options: InterpreterOptions,
  ) {}

  /** The innermost running frame. */
  get current(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  // ------------------------------------------------------------ entering code

  /** Runs module code; returns when it finishes (throws PyErr on an uncaught exception). */
  runModule(code: Code, module: Ref = NULL_REF): void {
    this.enterFrame(code, NULL_REF, 0, true, 0, false, module);
    this.run();
    this.rt.pop();
  }

  private enterFrame(
    code: Code,
    fn: Ref,
    args: number,
    entry: boolean,
    callerDrop: number,
    init = false,
    module: Ref | -1 = -1,
  ): Frame {
    if (this.frames.length >= this.options.recursionLimit) {
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
        module !== -1
          ? module
          : fn
            ? this.rt.pl<FunctionData>(fn).globals
            : (this.current?.globals ?? NULL_REF),
      frameObj: NULL_REF,
      callTemps: 0,
    };
    this.rt.heap.roots.pushFrame(code.name, code.localNames, args);
    this.frames.push(frame);
    this.initCells(frame, fn);
    return frame;
  }

  private initCells(frame: Frame, fn: Ref): void {
    const code = frame.code;
    const rt = this.rt;
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

  /**
   * Calls `callable` with borrowed, rooted arguments from TypeScript (natives, finalizers,
   * callbacks); the result is pushed on the temporaries and returned.
   */
  call(callable: Ref, args: readonly Ref[], kw: KwArgs | null = null): Ref {
    const rt = this.rt;
    const kind = rt.kindOf(callable);
    if (kind === 'function') {
      const data = rt.pl<FunctionData>(callable);
      const code = data.code as Code;
      const n = bindArguments(rt, callable, code, args, kw);
      if (code.generator) return this.makeGenerator(callable, code, n);
      this.enterFrame(code, callable, n, true, 0);
      this.run();
      return rt.peek();
    }
    if (kind === 'method') {
      const fn = rt.heap.get(callable, 0);
      const self = rt.heap.get(callable, 1);
      rt.push(fn);
      rt.push(self);
      const r = this.call(fn, [self, ...args], kw);
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
      return this.nativeResult(depth, r);
    }
    if (kind === 'descriptor') {
      const p = rt.pl<{
        fn: (rt: Runtime, a: Ref[], kw: KwArgs | null) => Ref;
        name: string;
        owner: { name: string };
      }>(callable);
      if (args.length === 0)
        raise('TypeError', `unbound method ${p.owner.name}.${p.name}() needs an argument`);
      const depth = rt.heap.roots.temps;
      if (p.owner.name === 'str') rt.packCallArgs(`str.${p.name}`, args.slice(1), kw);
      return this.nativeResult(depth, p.fn(rt, args as Ref[], kw));
    }
    if (kind === 'type') {
      const depth = rt.heap.roots.temps;
      const t = rt.pl<PyType>(callable);
      if (!t.user) rt.packCallArgs(t.name, args, kw);
      return this.nativeResult(depth, rt.callType(callable, args, kw));
    }
    if (kind === 'weakref') {
      if (args.length) raise('TypeError', `weakref() takes no arguments (${args.length} given)`);
      const target = rt.heap.weakTarget(callable);
      return rt.push(target === NULL_REF ? rt.None : target);
    }
    const call = rt.lookupSpecial(callable, '__call__');
    if (call) {
      rt.push(call);
      const r = this.call(call, [callable, ...args], kw);
      rt.dropUnder(1);
      return r;
    }
    return raise('TypeError', `'${rt.typeOf(callable).name}' object is not callable`);
  }

  /** Keeps only a native function's result (the top) above `depth`, dropping what it left below it. */
  private nativeResult(depth: number, result: Ref): Ref {
    const roots = this.rt.heap.roots;
    const extra = roots.temps - depth - 1;
    if (extra < 0 || roots.peek(0) !== result) {
      throw new Error('[heaplab] [python] a native function did not leave its result on the stack');
    }
    for (let k = 0; k < extra; k++) roots.remove(1);
    return result;
  }

  /** Creates a generator object for a call of a generator function whose arguments are pushed. */
  private makeGenerator(fn: Ref, code: Code, nargs: number): Ref {
    const rt = this.rt;
    const frame = this.enterFrame(code, fn, nargs, true, 0);
    const data: GeneratorData = {
      frame,
      nlocals: code.localNames.length,
      running: false,
      name: code.name,
      qualname: code.qualname,
    };
    this.frames.pop();
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
  resume(gen: Ref, value: Ref, throwing: PyErr | null = null): boolean {
    const rt = this.rt;
    const data = rt.pl<GeneratorData>(gen);
    if (data.running) raise('ValueError', 'generator already executing');
    const frame = data.frame;
    if (!frame) {
      if (throwing) throw throwing;
      rt.pushNone();
      return false;
    }
    if (this.frames.length >= this.options.recursionLimit)
      raise('RecursionError', 'maximum recursion depth exceeded');
    const heap = rt.heap;
    const saved = heap.referents(gen);
    const all: Ref[] = [];
    const n = heap.length(gen);
    for (let k = 0; k < n; k++) all.push(heap.get(gen, k));
    void saved;
    heap.roots.pushFrame(frame.code.name, frame.code.localNames, 0);
    for (let k = 0; k < data.nlocals; k++) if (all[k] !== NULL_REF) heap.roots.setLocal(k, all[k]);
    for (let k = data.nlocals; k < n; k++) heap.roots.push(all[k]);
    heap.truncate(gen, 0);
    frame.entry = true;
    frame.gen = gen;
    data.running = true;
    this.frames.push(frame);
    if (frame.pc > 0) heap.roots.push(value);
    if (throwing) return this.finishResume(data, () => this.run(throwing));
    return this.finishResume(data, () => this.run());
  }

  private finishResume(data: GeneratorData, go: () => boolean): boolean {
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

  // ------------------------------------------------------------ the loop

  /**
   * Runs frames until the entry frame returns (false, result pushed on the caller) or yields
   * (true, value pushed on the caller).
   */
  run(initial: PyErr | null = null): boolean {
    const pending: PyErr | null = initial;
    // Python code re-entered from TypeScript (repr, __del__, callbacks...) uses the host stack:
    // bound it well below the host's limit.
    if (this.nesting >= MAX_NESTING) {
      this.abandonEntry();
      raise('RecursionError', 'maximum recursion depth exceeded');
    }
    this.nesting++;
    try {
      return this.runLoop(pending);
    } finally {
      this.nesting--;
    }
  }

  /** Pops the entry frame just pushed for a run that cannot start. */
  private abandonEntry(): void {
    const f = this.current;
    if (f?.entry) this.popFrame(f);
  }

  private runLoop(initial: PyErr | null): boolean {
    let pending: PyErr | null = initial;
    for (;;) {
      if (pending) {
        const e = pending;
        pending = null;
        // Rethrows past the entry frame: outside the try below on purpose.
        this.handle(e);
      }
      try {
        return this.loop();
      } catch (e) {
        pending = this.toPyErr(e);
      }
    }
  }

  private toPyErr(e: unknown): PyErr {
    if (e instanceof PyErr) return e;
    if (e instanceof StopRun) throw e;
    if (e instanceof RangeError) {
      return new PyErr('RecursionError', 'maximum recursion depth exceeded');
    }
    if (e instanceof HeapLimitError) {
      // The heap is full: raise the MemoryError made at startup, as CPython keeps one ready.
      const exc = this.rt.memoryError;
      this.rt.heap.roots.pin(exc);
      return new PyErr('MemoryError', '', exc);
    }
    throw e;
  }

  /** Routes an exception to the innermost handler, unwinding frames; rethrows past the entry frame. */
  private handle(err: PyErr): void {
    const rt = this.rt;
    if (err.exc === 0) {
      const exc = makeException(rt, err.typeName, err.message);
      rt.heap.roots.pin(exc);
      rt.pop();
      err.exc = exc;
      this.setContext(exc);
    }
    let frame = this.current!;
    if (!frame) throw new Error(`no frame for ${err.typeName}: ${err.message}`);
    if (!(err as { reraise?: boolean }).reraise) this.tracebackHere(err.exc, frame);
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
      this.popFrame(frame);
      if (frame.entry) throw err;
      frame = this.current!;
      this.tracebackHere(err.exc, frame);
    }
  }

  private popFrame(frame: Frame): void {
    this.frames.pop();
    const heap = this.rt.heap;
    if (frame.frameObj && heap.isAlive(frame.frameObj)) {
      // A traceback holds this frame: its object takes over the locals, as CPython's frame objects do.
      const roots = heap.roots;
      for (let k = 0; k < frame.code.localNames.length; k++) heap.append(frame.frameObj, roots.getLocal(k));
    }
    heap.roots.popFrame();
    if (frame.gen) {
      const data = this.rt.pl<GeneratorData>(frame.gen);
      data.frame = null;
    }
  }

  private setContext(exc: Ref): void {
    const ctx = this.handling[this.handling.length - 1];
    if (ctx === undefined || ctx === exc) return;
    if (excAttr(this.rt, exc, '__context__')) return;
    // Avoid a cycle in the context chain, as CPython does.
    for (let c: Ref = ctx; c; c = excAttr(this.rt, c, '__context__')) if (c === exc) return;
    setExcAttr(this.rt, exc, '__context__', ctx);
  }

  private tracebackHere(exc: Ref, frame: Frame): void {
    try {
      this.addTraceback(exc, frame);
    } catch (e) {
      // No room for the traceback object: the exception goes on without this entry.
      if (!(e instanceof HeapLimitError)) throw e;
    }
  }

  /** Adds the frame's current line to the exception's traceback (a traceback object holding a frame object). */
  private addTraceback(exc: Ref, frame: Frame): void {
    const rt = this.rt;
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
  raiseObject(exc: Ref, reraise = false): never {
    this.rt.heap.roots.pin(exc);
    const err = new PyErr(this.rt.typeOf(exc).name, '', exc);
    (err as { reraise?: boolean }).reraise = reraise;
    if (!reraise) this.setContext(exc);
    throw err;
  }

  /** The entry of `__main__`'s dict a global-name site found, if it still holds the same key; else -1. */
  private mainEntry(site: NameSite | undefined): number {
    if (site === undefined) return -1;
    const heap = this.rt.heap;
    const d = this.rt.mainDict;
    if (!heap.isAlive(d) || 2 * site.entry + 1 >= heap.length(d)) return -1;
    return heap.get(d, 2 * site.entry) === site.key ? site.entry : -1;
  }

  /** Remembers where `name` is in `__main__`'s dict for the global-name instruction at `pc`. */
  private findMainEntry(code: Code, pc: number, name: string): void {
    const rt = this.rt;
    const d = rt.mainDict;
    if (!rt.heap.isAlive(d)) return;
    const entry = dictFind(rt, d, rt.intern(name));
    code.nameSites[pc] = entry < 0 ? undefined : { entry, key: rt.heap.get(d, 2 * entry) };
  }

  private checkLimits(line: number): void {
    const steps = ++this.steps;
    if (steps > this.options.maxSteps) {
      throw new StopRun(
        'steps',
        `[heaplab] [python] stopped after ${this.options.maxSteps} steps (step limit) at line ${line}`,
      );
    }
    if ((steps & 1023) === 0 && Date.now() > this.options.deadline) {
      throw new StopRun('time', `[heaplab] [python] stopped at line ${line}: time limit exceeded`);
    }
    this.options.onStatement?.(line, steps);
  }

  private loop(): boolean {
    const rt = this.rt;
    const heap = rt.heap;
    const roots = heap.roots;
    let f = this.current!;
    let code = f.code.code;
    for (;;) {
      const pc = f.pc;
      f.lastPc = pc;
      const op = code[pc] as Op;
      switch (op) {
        case Op.NOP:
          f.pc = pc + 1;
          break;
        case Op.STMT:
          f.pc = pc + 2;
          heap.safepoint();
          this.checkLimits(code[pc + 1]);
          break;
        case Op.POP_TOP:
          roots.pop();
          f.pc = pc + 1;
          break;
        case Op.DUP_TOP:
          roots.push(roots.peek(0));
          f.pc = pc + 1;
          break;
        case Op.ROT_TWO: {
          const a = roots.peek(0);
          roots.push(roots.peek(1));
          roots.remove(2);
          void a;
          f.pc = pc + 1;
          break;
        }
        case Op.ROT_THREE: {
          // a b c -> c a b
          roots.push(roots.peek(0));
          roots.remove(1);
          roots.push(roots.peek(2));
          roots.remove(3);
          roots.push(roots.peek(2));
          roots.remove(3);
          f.pc = pc + 1;
          break;
        }
        case Op.LOAD_CONST:
          roots.push(materializeConst(rt, f.code, code[pc + 1]));
          f.pc = pc + 2;
          break;
        case Op.LOAD_FAST: {
          const v = roots.getLocal(code[pc + 1]);
          if (v === NULL_REF) {
            const name = f.code.localNames[code[pc + 1]];
            raise(
              'UnboundLocalError',
              `cannot access local variable '${name}' where it is not associated with a value`,
            );
          }
          roots.push(v);
          f.pc = pc + 2;
          break;
        }
        case Op.STORE_FAST:
          roots.popToLocal(code[pc + 1]);
          f.pc = pc + 2;
          break;
        case Op.DELETE_FAST: {
          const k = code[pc + 1];
          if (roots.getLocal(k) === NULL_REF) {
            raise(
              'UnboundLocalError',
              `cannot access local variable '${f.code.localNames[k]}' where it is not associated with a value`,
            );
          }
          roots.clearLocal(k);
          f.pc = pc + 2;
          break;
        }
        case Op.LOAD_DEREF: {
          const cell = roots.getLocal(code[pc + 1]);
          const v = heap.get(cell, 0);
          if (v === NULL_REF) {
            const name = f.code.localNames[code[pc + 1]];
            if (code[pc + 1] >= f.code.freeStart)
              raise(
                'NameError',
                `cannot access free variable '${name}' where it is not associated with a value in enclosing scope`,
              );
            raise(
              'UnboundLocalError',
              `cannot access local variable '${name}' where it is not associated with a value`,
            );
          }
          roots.push(v);
          f.pc = pc + 2;
          break;
        }
        case Op.STORE_DEREF: {
          const cell = roots.getLocal(code[pc + 1]);
          roots.popToSlot(cell, 0);
          f.pc = pc + 2;
          break;
        }
        case Op.DELETE_DEREF: {
          const cell = roots.getLocal(code[pc + 1]);
          heap.set(cell, 0, NULL_REF);
          f.pc = pc + 2;
          break;
        }
        case Op.LOAD_CLOSURE:
          roots.push(roots.getLocal(code[pc + 1]));
          f.pc = pc + 2;
          break;
        case Op.LOAD_GLOBAL: {
          f.pc = pc + 2;
          const entry = f.globals === NULL_REF ? this.mainEntry(f.code.nameSites[pc]) : -1;
          if (entry >= 0) {
            roots.push(heap.get(rt.mainDict, 2 * entry + 1));
            break;
          }
          const name = f.code.names[code[pc + 1]];
          rt.loadGlobal(name, f.globals);
          if (f.globals === NULL_REF) this.findMainEntry(f.code, pc, name);
          break;
        }
        case Op.STORE_GLOBAL: {
          f.pc = pc + 2;
          const entry = f.globals === NULL_REF ? this.mainEntry(f.code.nameSites[pc]) : -1;
          if (entry >= 0 && heap.isTracked(rt.mainDict)) {
            // What dictSet does for a key it has, in a tracked dict.
            heap.set(rt.mainDict, 2 * entry + 1, roots.peek(0));
            roots.pop();
            break;
          }
          const name = f.code.names[code[pc + 1]];
          rt.popToGlobal(name, f.globals);
          if (f.globals === NULL_REF) this.findMainEntry(f.code, pc, name);
          break;
        }
        case Op.DELETE_GLOBAL:
          rt.deleteGlobal(f.code.names[code[pc + 1]], f.globals);
          f.pc = pc + 2;
          break;
        case Op.LOAD_NAME: {
          f.pc = pc + 2;
          const entry = f.globals === NULL_REF && !f.classBody ? this.mainEntry(f.code.nameSites[pc]) : -1;
          if (entry >= 0) {
            roots.push(heap.get(rt.mainDict, 2 * entry + 1));
            break;
          }
          const name = f.code.names[code[pc + 1]];
          if (f.classBody && rt.dictGetStr(roots.getLocal(0), name)) {
            roots.push(rt.dictGetStr(roots.getLocal(0), name));
          } else {
            rt.loadGlobal(name, f.globals);
            if (f.globals === NULL_REF && !f.classBody) this.findMainEntry(f.code, pc, name);
          }
          break;
        }
        case Op.STORE_NAME: {
          f.pc = pc + 2;
          const entry = f.globals === NULL_REF && !f.classBody ? this.mainEntry(f.code.nameSites[pc]) : -1;
          if (entry >= 0 && heap.isTracked(rt.mainDict)) {
            heap.set(rt.mainDict, 2 * entry + 1, roots.peek(0));
            roots.pop();
            break;
          }
          const name = f.code.names[code[pc + 1]];
          if (f.classBody) {
            rt.newStr(name);
            dictSet(rt, roots.getLocal(0), roots.peek(0), roots.peek(1));
            roots.pop();
            roots.pop();
          } else {
            rt.popToGlobal(name, f.globals);
            if (f.globals === NULL_REF) this.findMainEntry(f.code, pc, name);
          }
          break;
        }
        case Op.DELETE_NAME: {
          const name = f.code.names[code[pc + 1]];
          if (f.classBody) rt.dictDelStr(roots.getLocal(0), name);
          else rt.deleteGlobal(name, f.globals);
          f.pc = pc + 2;
          break;
        }
        case Op.LOAD_ATTR: {
          const obj = roots.peek(0);
          const t = rt.typeOf(obj);
          const site = f.code.attrSites[pc];
          f.pc = pc + 2;
          const k = siteSlot(rt, site, t, obj);
          if (k >= 0) {
            const v = k < heap.length(obj) ? heap.get(obj, k) : NULL_REF;
            if (v !== NULL_REF) {
              roots.push(v);
              roots.remove(1);
              break;
            }
          }
          const name = f.code.names[code[pc + 1]];
          getAttr(rt, obj, name);
          rt.dropUnder(1);
          if (t.user && staleSite(rt, site, t)) f.code.attrSites[pc] = attrSite(rt, t, name, false);
          break;
        }
        case Op.STORE_ATTR: {
          const obj = roots.peek(0);
          const t = rt.typeOf(obj);
          const site = f.code.attrSites[pc];
          f.pc = pc + 2;
          const k = siteSlot(rt, site, t, obj);
          if (k >= 0) storeInstanceSlot(rt, obj, k, roots.peek(1));
          else {
            const name = f.code.names[code[pc + 1]];
            setAttr(rt, obj, name, roots.peek(1));
            if (t.user && staleSite(rt, site, t)) f.code.attrSites[pc] = attrSite(rt, t, name, true);
          }
          roots.pop();
          roots.pop();
          break;
        }
        case Op.DELETE_ATTR:
          deleteAttr(rt, roots.peek(0), f.code.names[code[pc + 1]]);
          roots.pop();
          f.pc = pc + 2;
          break;
        case Op.LOAD_METHOD: {
          loadMethod(rt, roots.peek(0), f.code.names[code[pc + 1]]);
          // pushed [callable, selfOrMarker]; drop the object under them
          roots.remove(2);
          f.pc = pc + 2;
          break;
        }
        case Op.CALL_METHOD: {
          const argc = code[pc + 1];
          f.pc = pc + 2;
          const selfSlot = roots.peek(argc);
          if (selfSlot === rt.NULL_MARK) {
            roots.remove(argc);
            this.callOp(argc, null, 1);
          } else this.callOp(argc + 1, null, 1);
          f = this.current!;
          code = f.code.code;
          break;
        }
        case Op.CALL: {
          f.pc = pc + 2;
          this.callOp(code[pc + 1], null, 1);
          f = this.current!;
          code = f.code.code;
          break;
        }
        case Op.CALL_KW: {
          f.pc = pc + 3;
          const names = (f.code.consts[code[pc + 2]] as unknown as { value: string }[]).map((c) => c.value);
          this.callOp(code[pc + 1], names, 1);
          f = this.current!;
          code = f.code.code;
          break;
        }
        case Op.CALL_EX: {
          f.pc = pc + 2;
          const hasKw = code[pc + 1] === 1;
          const kwDict = hasKw ? roots.peek(0) : 0;
          const argsTuple = roots.peek(hasKw ? 1 : 0);
          const fn = roots.peek(hasKw ? 2 : 1);
          const args = heap.referents(argsTuple);
          const kw = kwDict ? rt.dictToKw(kwDict) : null;
          this.call(fn, args, kw);
          rt.dropCallUnder(hasKw ? 3 : 2);
          break;
        }
        case Op.RETURN_VALUE: {
          const done = this.returnOp(f);
          if (done) return false;
          f = this.current!;
          code = f.code.code;
          break;
        }
        case Op.YIELD_VALUE: {
          f.pc = pc + 1;
          this.yieldOp(f);
          return true;
        }
        case Op.GET_YIELD_FROM_ITER: {
          getIter(rt, roots.peek(0));
          rt.dropUnder(1);
          f.pc = pc + 1;
          break;
        }
        case Op.YIELD_FROM: {
          // stack: iter, sent
          const it = roots.peek(1);
          const v = iterNext(rt, it);
          if (v === 0) {
            roots.pop();
            roots.pop();
            rt.pushNone();
            f.pc = pc + 1;
            break;
          }
          rt.dropUnder(1);
          // re-run YIELD_FROM after resumption
          f.pc = pc;
          this.yieldOp(f);
          return true;
        }
        case Op.BINARY_SUBSCR:
          getItem(rt, roots.peek(1), roots.peek(0));
          rt.dropUnder(2);
          f.pc = pc + 1;
          break;
        case Op.STORE_SUBSCR:
          setItem(rt, roots.peek(1), roots.peek(0), roots.peek(2));
          roots.pop();
          roots.pop();
          roots.pop();
          f.pc = pc + 1;
          break;
        case Op.DELETE_SUBSCR:
          delItem(rt, roots.peek(1), roots.peek(0));
          roots.pop();
          roots.pop();
          f.pc = pc + 1;
          break;
        case Op.BINARY_OP: {
          const n = code[pc + 1];
          binaryOp(
            rt,
            n >= 100 ? BINARY_OPS[n - 100] : BINARY_OPS[n],
            roots.peek(1),
            roots.peek(0),
            n >= 100,
          );
          rt.dropUnder(2);
          f.pc = pc + 2;
          break;
        }
        case Op.UNARY:
          unaryOp(rt, code[pc + 1], roots.peek(0));
          rt.dropUnder(1);
          f.pc = pc + 2;
          break;
        case Op.COMPARE_OP:
          compareOp(rt, COMPARE_OPS[code[pc + 1]], roots.peek(1), roots.peek(0));
          rt.dropUnder(2);
          f.pc = pc + 2;
          break;
        case Op.IS_OP: {
          const same = roots.peek(0) === roots.peek(1);
          roots.pop();
          roots.pop();
          rt.newBool(code[pc + 1] === 0 ? same : !same);
          f.pc = pc + 2;
          break;
        }
        case Op.CONTAINS_OP: {
          const has = containsOp(rt, roots.peek(0), roots.peek(1));
          roots.pop();
          roots.pop();
          rt.newBool(code[pc + 1] === 0 ? has : !has);
          f.pc = pc + 2;
          break;
        }
        case Op.BUILD_TUPLE:
          rt.packTuple(code[pc + 1]);
          f.pc = pc + 2;
          break;
        case Op.BUILD_LIST:
          rt.packList(code[pc + 1]);
          f.pc = pc + 2;
          break;
        case Op.BUILD_SET: {
          const arg = code[pc + 1];
          const n = Math.abs(arg);
          const s = rt.newSet();
          if (arg < 0) setMergeRoom(rt, s, distinctCount(rt, n));
          for (let k = n; k >= 1; k--) setAdd(rt, s, roots.peek(k));
          rt.dropUnder(n);
          f.pc = pc + 2;
          break;
        }
        case Op.BUILD_MAP: {
          const n = code[pc + 1];
          const d = rt.newDict();
          if (n > 5) presizeDisplay(rt, d, n);
          for (let k = 2 * n; k >= 2; k -= 2) dictSet(rt, d, roots.peek(k), roots.peek(k - 1));
          rt.dropUnder(2 * n);
          f.pc = pc + 2;
          break;
        }
        case Op.BUILD_SLICE: {
          const n = code[pc + 1];
          const s = heap.allocWith(rt.ht.slice, { slots: 3 });
          heap.set(s, 0, roots.peek(n));
          heap.set(s, 1, roots.peek(n - 1));
          heap.set(s, 2, n === 3 ? roots.peek(1) : rt.None);
          rt.dropUnder(n);
          f.pc = pc + 2;
          break;
        }
        case Op.BUILD_STRING: {
          const n = code[pc + 1];
          let s = '';
          for (let k = n - 1; k >= 0; k--) s += rt.pl<string>(roots.peek(k));
          rt.newStr(s);
          rt.dropUnder(n);
          f.pc = pc + 2;
          break;
        }
        case Op.LIST_APPEND: {
          const list = roots.peek(code[pc + 1]);
          roots.popAppend(list);
          rt.resizeList(list);
          f.pc = pc + 2;
          break;
        }
        case Op.SET_ADD:
          setAdd(rt, roots.peek(code[pc + 1]), roots.peek(0));
          roots.pop();
          f.pc = pc + 2;
          break;
        case Op.MAP_ADD:
          dictSet(rt, roots.peek(code[pc + 1] + 1), roots.peek(1), roots.peek(0));
          roots.pop();
          roots.pop();
          f.pc = pc + 2;
          break;
        case Op.LIST_EXTEND: {
          const list = roots.peek(code[pc + 1]);
          for (const v of iterToArray(rt, roots.peek(0))) heap.append(list, v);
          roots.pop();
          rt.resizeList(list);
          roots.pop();
          f.pc = pc + 2;
          break;
        }
        case Op.SET_UPDATE: {
          setUpdate(rt, roots.peek(code[pc + 1]), roots.peek(0));
          roots.pop();
          f.pc = pc + 2;
          break;
        }
        case Op.DICT_UPDATE:
          rt.dictUpdate(roots.peek(code[pc + 1]), roots.peek(0));
          roots.pop();
          f.pc = pc + 2;
          break;
        case Op.LIST_TO_TUPLE:
          rt.newTuple(heap.referents(roots.peek(0)));
          rt.dropUnder(1);
          f.pc = pc + 1;
          break;
        case Op.UNPACK_SEQUENCE:
          this.unpack(code[pc + 1], -1);
          f.pc = pc + 2;
          break;
        case Op.UNPACK_EX:
          this.unpack(code[pc + 1] & 0xff, code[pc + 1] >> 8);
          f.pc = pc + 2;
          break;
        case Op.FORMAT_VALUE: {
          const flags = code[pc + 1];
          const hasSpec = (flags & 4) !== 0;
          const spec = hasSpec ? rt.pl<string>(roots.peek(0)) : '';
          const v = roots.peek(hasSpec ? 1 : 0);
          const conv = flags & 3;
          let text: string;
          if (conv === 2 || conv === 3) text = formatValue(rt, pyRepr(rt, v), spec, true);
          else if (conv === 1) text = formatValue(rt, pyStr(rt, v), spec, true);
          else text = formatValue(rt, v, spec, false);
          rt.newStr(text);
          rt.dropUnder(hasSpec ? 2 : 1);
          f.pc = pc + 2;
          break;
        }
        case Op.JUMP:
          f.pc = code[pc + 1];
          break;
        case Op.POP_JUMP_IF_FALSE:
        case Op.POP_JUMP_IF_TRUE: {
          const t = isTrue(rt, roots.peek(0));
          roots.pop();
          f.pc = t === (op === Op.POP_JUMP_IF_TRUE) ? code[pc + 1] : pc + 2;
          break;
        }
        case Op.JUMP_IF_FALSE_OR_POP:
        case Op.JUMP_IF_TRUE_OR_POP: {
          const t = isTrue(rt, roots.peek(0));
          if (t === (op === Op.JUMP_IF_TRUE_OR_POP)) f.pc = code[pc + 1];
          else {
            roots.pop();
            f.pc = pc + 2;
          }
          break;
        }
        case Op.GET_ITER:
          getIter(rt, roots.peek(0));
          rt.dropUnder(1);
          f.pc = pc + 1;
          break;
        case Op.FOR_ITER: {
          f.pc = pc + 2;
          const v = iterNext(rt, roots.peek(0));
          if (v === 0) {
            roots.pop();
            f.pc = code[pc + 1];
          }
          if ((++this.steps & 1023) === 0) this.checkLimits(f.code.lines.line(f.code.pos[pc]));
          break;
        }
        case Op.MAKE_FUNCTION:
          this.makeFunction(f.code.codes[code[pc + 1]], code[pc + 2]);
          f.pc = pc + 3;
          break;
        case Op.SETUP_FINALLY:
          f.blocks.push(code[pc + 1], roots.temps);
          f.pc = pc + 2;
          break;
        case Op.POP_BLOCK:
          f.blocks.length -= 2;
          f.pc = pc + 1;
          break;
        case Op.PUSH_EXC_INFO: {
          const exc = roots.peek(0);
          roots.pin(exc);
          this.handling.push(exc);
          f.pc = pc + 1;
          break;
        }
        case Op.POP_EXCEPT: {
          const exc = this.handling.pop();
          if (exc !== undefined) roots.unpin(exc);
          f.pc = pc + 1;
          break;
        }
        case Op.RERAISE: {
          const exc = roots.peek(0);
          roots.pin(exc);
          roots.pop();
          const err = new PyErr(rt.typeOf(exc).name, '', exc);
          (err as { reraise?: boolean }).reraise = true;
          throw err;
        }
        case Op.RAISE:
          this.raiseOp(code[pc + 1]);
          break;
        case Op.CHECK_EXC_MATCH: {
          const m = exceptionMatches(rt, roots.peek(1), roots.peek(0));
          roots.pop();
          roots.pop();
          rt.newBool(m);
          f.pc = pc + 1;
          break;
        }
        case Op.LOAD_ASSERTION_ERROR:
          roots.push(rt.builtins.get('AssertionError')!);
          f.pc = pc + 1;
          break;
        case Op.BUILD_CLASS: {
          const n = code[pc + 1];
          f.pc = pc + 2;
          buildClass(rt, n);
          break;
        }
        case Op.IMPORT_NAME:
          importModule(rt, f.code.names[code[pc + 1]]);
          f.pc = pc + 2;
          break;
        case Op.IMPORT_FROM: {
          const name = f.code.names[code[pc + 1]];
          try {
            getAttr(rt, roots.peek(0), name);
          } catch (e) {
            if (!(e instanceof PyErr) || e.typeName !== 'AttributeError') throw e;
            raise(
              'ImportError',
              `cannot import name '${name}' from '${rt.moduleName(roots.peek(0))}' (unknown location)`,
            );
          }
          f.pc = pc + 2;
          break;
        }
        case Op.SETUP_WITH: {
          const mgr = roots.peek(0);
          const exit = rt.lookupSpecial(mgr, '__exit__');
          const enter = rt.lookupSpecial(mgr, '__enter__');
          if (!enter || !exit)
            raise(
              'TypeError',
              `'${rt.typeOf(mgr).name}' object does not support the context manager protocol`,
            );
          getAttr(rt, mgr, '__exit__');
          rt.push(mgr);
          roots.remove(2);
          getAttr(rt, roots.peek(0), '__enter__');
          rt.dropUnder(1);
          f.blocks.push(code[pc + 1], roots.temps - 1);
          this.call(roots.peek(0), []);
          rt.dropUnder(1);
          f.pc = pc + 2;
          break;
        }
        case Op.WITH_EXIT: {
          f.pc = pc + 2;
          if (code[pc + 1] === 0) {
            // [exit, None] -> call exit(None, None, None)
            const exit = roots.peek(1);
            roots.pop();
            this.call(exit, [rt.None, rt.None, rt.None]);
            roots.pop();
            roots.pop();
          } else {
            // [exit, exc]
            const exc = roots.peek(0);
            const exit = roots.peek(1);
            rt.push(rt.typeOf(exc).ref);
            const r = this.call(exit, [roots.peek(0), exc, rt.None]);
            const swallow = isTrue(rt, r);
            roots.pop();
            roots.pop();
            if (swallow) {
              roots.pop();
              roots.pop();
            } else {
              roots.pin(exc);
              roots.pop();
              roots.pop();
              const err = new PyErr(rt.typeOf(exc).name, '', exc);
              (err as { reraise?: boolean }).reraise = true;
              throw err;
            }
          }
          break;
        }
        default:
          throw new Error(`[heaplab] [python] unknown instruction ${op} at ${pc}`);
      }
    }
  }

  private unpack(before: number, after: number): void {
    const rt = this.rt;
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

  private makeFunction(code: Code, flags: number): void {
    const rt = this.rt;
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
      globals: this.current!.globals,
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
  private callOp(argc: number, kwnames: string[] | null, _unused: number): void {
    const rt = this.rt;
    const heap = rt.heap;
    const roots = heap.roots;
    const callable = roots.peek(argc);
    const kind = rt.kindOf(callable);
    if (kind === 'function' && kwnames === null) {
      const code = rt.pl<FunctionData>(callable).code as Code;
      if (
        !code.generator &&
        argc === code.argcount &&
        code.kwonlycount === 0 &&
        !code.varargs &&
        !code.varkw
      ) {
        this.enterFrame(code, callable, argc, false, 1);
        return;
      }
    }
    if (kind === 'type' && kwnames === null && this.simpleInit(callable, argc)) return;
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
        this.makeGenerator(fn, code, n);
        rt.dropCallUnder(argc + 1);
        return;
      }
      this.enterFrame(code, fn, n, false, argc + 1);
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
      this.enterFrame(icode, init, n, false, argc + 1, true).callTemps = temps;
      return;
    }
    this.call(callable, args, kw);
    rt.dropCallUnder(argc + 1);
  }

  /**
   * Calls a class whose `__init__` takes exactly the given positional arguments: the instance
   * and copies of the arguments become the frame's locals; the instance stays for the result.
   */
  private simpleInit(cls: Ref, argc: number): boolean {
    const rt = this.rt;
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
    this.enterFrame(code, init, argc + 1, false, argc + 1, true).callTemps = temps;
    return true;
  }

  private returnOp(f: Frame): boolean {
    const rt = this.rt;
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
    this.popFrame(f);
    if (!f.init) roots.push(v);
    else for (let k = 0; k < f.callTemps; k++) roots.pop();
    if (counted) rt.heap.decref(v);
    else roots.unpin(v);
    if (f.callerDrop) rt.dropCallUnder(f.callerDrop);
    return f.entry;
  }

  private yieldOp(f: Frame): void {
    const rt = this.rt;
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
    this.frames.pop();
    roots.popFrame();
    roots.push(v);
    roots.unpin(v);
  }

  private raiseOp(n: number): void {
    const rt = this.rt;
    const roots = rt.heap.roots;
    if (n === 0) {
      const exc = this.handling[this.handling.length - 1];
      if (exc === undefined) raise('RuntimeError', 'No active exception to reraise');
      this.raiseObject(exc, true);
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
    this.raiseObject(exc);
  }
}
