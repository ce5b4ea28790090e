/**
 * The interpreter: run entry points and the bytecode dispatch loop. Calls, the frame stack,
 * generators and unwinding live in sibling modules the loop calls into.
 */
import { NULL_REF, type Ref } from '@heaplab/core';
import type { Code } from '../compiler/code.js';
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
import { exceptionMatches } from '../runtime/exceptions.js';
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
import { type KwArgs, PyErr, raise, StopRun } from '../runtime/pytype.js';
import { formatValue, pyRepr, pyStr } from '../runtime/repr.js';
import type { Runtime } from '../runtime/runtime.js';
import {
  dictSet,
  distinctCount,
  presizeDisplay,
  setAdd,
  setMergeRoom,
  setUpdate,
} from '../runtime/tables.js';
import { callOp, callValue, makeFunction } from './calls.js';
import { materializeConst } from './consts.js';
import type { Frame } from './frame.js';
import { abandonEntry, enterFrame, returnOp } from './frame-stack.js';
import { resumeGenerator, yieldOp } from './generators.js';
import { findMainEntry, mainEntry } from './main-sites.js';
import { unpack } from './unpack.js';
import { handleError, raiseOp, throwObject, toPyErr } from './unwind.js';

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
    enterFrame(this, code, NULL_REF, 0, true, 0, false, module);
    this.run();
    this.rt.pop();
  }

  /**
   * Calls `callable` with borrowed, rooted arguments from TypeScript (natives, finalizers,
   * callbacks); the result is pushed on the temporaries and returned.
   */
  call(callable: Ref, args: readonly Ref[], kw: KwArgs | null = null): Ref {
    return callValue(this, callable, args, kw);
  }

  /**
   * Resumes a generator with `value` (borrowed): returns true with the yielded value pushed, or
   * false with the return value pushed when it finished.
   */
  resume(gen: Ref, value: Ref, throwing: PyErr | null = null): boolean {
    return resumeGenerator(this, gen, value, throwing);
  }

  /** Raises the exception object `exc` (borrowed). */
  raiseObject(exc: Ref, reraise = false): never {
    return throwObject(this, exc, reraise);
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
      abandonEntry(this);
      raise('RecursionError', 'maximum recursion depth exceeded');
    }
    this.nesting++;
    try {
      return this.runLoop(pending);
    } finally {
      this.nesting--;
    }
  }

  private runLoop(initial: PyErr | null): boolean {
    let pending: PyErr | null = initial;
    for (;;) {
      if (pending) {
        const e = pending;
        pending = null;
        // Rethrows past the entry frame: outside the try below on purpose.
        handleError(this, e);
      }
      try {
        return this.loop();
      } catch (e) {
        pending = toPyErr(this, e);
      }
    }
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
          const entry = f.globals === NULL_REF ? mainEntry(this, f.code.nameSites[pc]) : -1;
          if (entry >= 0) {
            roots.push(heap.get(rt.mainDict, 2 * entry + 1));
            break;
          }
          const name = f.code.names[code[pc + 1]];
          rt.loadGlobal(name, f.globals);
          if (f.globals === NULL_REF) findMainEntry(this, f.code, pc, name);
          break;
        }
        case Op.STORE_GLOBAL: {
          f.pc = pc + 2;
          const entry = f.globals === NULL_REF ? mainEntry(this, f.code.nameSites[pc]) : -1;
          if (entry >= 0 && heap.isTracked(rt.mainDict)) {
            // What dictSet does for a key it has, in a tracked dict.
            heap.set(rt.mainDict, 2 * entry + 1, roots.peek(0));
            roots.pop();
            break;
          }
          const name = f.code.names[code[pc + 1]];
          rt.popToGlobal(name, f.globals);
          if (f.globals === NULL_REF) findMainEntry(this, f.code, pc, name);
          break;
        }
        case Op.DELETE_GLOBAL:
          rt.deleteGlobal(f.code.names[code[pc + 1]], f.globals);
          f.pc = pc + 2;
          break;
        case Op.LOAD_NAME: {
          f.pc = pc + 2;
          const entry = f.globals === NULL_REF && !f.classBody ? mainEntry(this, f.code.nameSites[pc]) : -1;
          if (entry >= 0) {
            roots.push(heap.get(rt.mainDict, 2 * entry + 1));
            break;
          }
          const name = f.code.names[code[pc + 1]];
          if (f.classBody && rt.dictGetStr(roots.getLocal(0), name)) {
            roots.push(rt.dictGetStr(roots.getLocal(0), name));
          } else {
            rt.loadGlobal(name, f.globals);
            if (f.globals === NULL_REF && !f.classBody) findMainEntry(this, f.code, pc, name);
          }
          break;
        }
        case Op.STORE_NAME: {
          f.pc = pc + 2;
          const entry = f.globals === NULL_REF && !f.classBody ? mainEntry(this, f.code.nameSites[pc]) : -1;
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
            if (f.globals === NULL_REF) findMainEntry(this, f.code, pc, name);
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
            callOp(this, argc, null);
          } else callOp(this, argc + 1, null);
          f = this.current!;
          code = f.code.code;
          break;
        }
        case Op.CALL: {
          f.pc = pc + 2;
          callOp(this, code[pc + 1], null);
          f = this.current!;
          code = f.code.code;
          break;
        }
        case Op.CALL_KW: {
          f.pc = pc + 3;
          const names = (f.code.consts[code[pc + 2]] as unknown as { value: string }[]).map((c) => c.value);
          callOp(this, code[pc + 1], names);
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
          callValue(this, fn, args, kw);
          rt.dropCallUnder(hasKw ? 3 : 2);
          break;
        }
        case Op.RETURN_VALUE: {
          const done = returnOp(this, f);
          if (done) return false;
          f = this.current!;
          code = f.code.code;
          break;
        }
        case Op.YIELD_VALUE: {
          f.pc = pc + 1;
          yieldOp(this, f);
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
          yieldOp(this, f);
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
          unpack(this, code[pc + 1], -1);
          f.pc = pc + 2;
          break;
        case Op.UNPACK_EX:
          unpack(this, code[pc + 1] & 0xff, code[pc + 1] >> 8);
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
          makeFunction(this, f.code.codes[code[pc + 1]], code[pc + 2]);
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
          raiseOp(this, code[pc + 1]);
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
          callValue(this, roots.peek(0), []);
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
            callValue(this, exit, [rt.None, rt.None, rt.None]);
            roots.pop();
            roots.pop();
          } else {
            // [exit, exc]
            const exc = roots.peek(0);
            const exit = roots.peek(1);
            rt.push(rt.typeOf(exc).ref);
            const r = callValue(this, exit, [roots.peek(0), exc, rt.None]);
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
}
