import { Heap, NULL_REF, type ObjIndex, type Ref } from '@heaplab/core';
import type { EngineOptions, EngineResult } from '../session/engine.js';
import { type Expr, ProgramError, parseProgram, type Stmt } from './parser.js';
import { SketchTypes } from './types.js';

/** Thrown to end a run early (step or time limit). */
class Stopped extends Error {}

/** Runs a program of the sketch subset on a new heap. */
export function runSketch(source: string, options: EngineOptions): EngineResult {
  let program: Stmt[];
  try {
    program = parseProgram(source);
  } catch (e) {
    return fail(e, null, options);
  }
  const heap = new Heap({ collector: options.collector });
  const vm = new Sketch(heap, options);
  try {
    vm.block(program);
    return { exitCode: 0, heap };
  } catch (e) {
    if (e instanceof Stopped) return { exitCode: 1, heap, stopped: e.message };
    return fail(e, heap, options);
  }
}

function fail(e: unknown, heap: Heap | null, options: EngineOptions): EngineResult {
  if (!(e instanceof ProgramError)) throw e;
  options.stderr(
    `Traceback (most recent call last):\n  File "<playground>", line ${e.line}\n${e.kind}: ${e.message}\n`,
  );
  return { exitCode: 1, heap, fault: { kind: e.kind, message: e.message, line: e.line, column: e.column } };
}

class Sketch {
  private readonly types: SketchTypes;
  private readonly modules = new Set<string>();
  private readonly started = performance.now();
  private statements = 0;
  private line = 0;

  constructor(
    private readonly heap: Heap,
    private readonly options: EngineOptions,
  ) {
    this.types = new SketchTypes(heap);
  }

  private error(kind: string, message: string): never {
    throw new ProgramError(kind, message, this.line);
  }

  private statement(line: number): void {
    this.line = line;
    this.statements++;
    if (this.statements > this.options.maxSteps)
      throw new Stopped(`stopped after ${this.options.maxSteps} statements (the step limit)`);
    if (performance.now() - this.started > this.options.timeLimitMs)
      throw new Stopped(`stopped after ${this.options.timeLimitMs} ms (the time limit)`);
    this.options.onStatement({ line, step: this.statements, heap: this.heap });
  }

  block(body: readonly Stmt[]): void {
    for (const s of body) this.exec(s);
  }

  private exec(s: Stmt): void {
    const roots = this.heap.roots;
    if (s.t === 'for') {
      this.loop(s);
      return;
    }
    this.statement(s.line);
    switch (s.t) {
      case 'pass':
        return;
      case 'import':
        for (const n of s.names) {
          if (!['weakref', 'gc', 'sys'].includes(n))
            this.error('ModuleNotFoundError', `No module named '${n}'`);
          this.modules.add(n);
        }
        return;
      case 'class':
        this.types.pushClass(s.name);
        roots.popToGlobal(s.name);
        for (const inner of s.body)
          if (inner.t !== 'pass') this.error('SyntaxError', 'class bodies hold only pass here');
        return;
      case 'expr':
        this.eval(s.expr);
        roots.pop();
        return;
      case 'del':
        this.del(s.target);
        return;
      case 'assign':
        this.assign(s.target, s.value, s.op);
        return;
    }
  }

  private loop(s: Extract<Stmt, { t: 'for' }>): void {
    const e = s.iter;
    if (e.t !== 'call' || e.fn.t !== 'name' || e.fn.name !== 'range' || e.args.length !== 1)
      this.error('SyntaxError', 'for loops take range(n) here');
    this.statement(s.line);
    this.eval(e.args[0]);
    const n = this.intOf(this.heap.roots.peek());
    this.heap.roots.pop();
    for (let k = 0; k < n; k++) {
      if (k > 0) this.statement(s.line);
      this.types.pushInt(k);
      this.heap.roots.popToGlobal(s.name);
      this.block(s.body);
    }
  }

  private assign(target: Expr, value: Expr, op: string): void {
    const roots = this.heap.roots;
    if (target.t === 'name') {
      if (op) this.binary(op, target, value);
      else this.eval(value);
      roots.popToGlobal(target.name);
    } else if (target.t === 'attr') {
      this.eval(target.obj);
      const obj = roots.peek();
      if (op) this.binary(op, target, value);
      else this.eval(value);
      const k = this.types.attrSlot(obj, target.name, true);
      if (k < 0) this.error('AttributeError', `cannot set attribute '${target.name}'`);
      if (k >= this.heap.tables.slotLen[this.heap.index(obj)]) roots.popAppend(obj);
      else roots.popToSlot(obj, k);
      roots.pop();
    } else if (target.t === 'index') {
      this.eval(target.obj);
      const k = this.listIndex(roots.peek(), target.index);
      this.eval(value);
      roots.popToSlot(roots.peek(), k);
      roots.pop();
    }
  }

  private del(target: Expr): void {
    if (target.t === 'name') {
      if (!this.heap.roots.deleteGlobal(target.name))
        this.error('NameError', `name '${target.name}' is not defined`);
    } else if (target.t === 'attr') {
      this.eval(target.obj);
      const obj = this.heap.roots.peek();
      const k = this.types.attrSlot(obj, target.name, false);
      if (k < 0 || this.heap.get(obj, k) === NULL_REF)
        this.error('AttributeError', `no attribute '${target.name}'`);
      this.heap.set(obj, k, NULL_REF);
      this.heap.roots.pop();
    } else this.error('SyntaxError', 'cannot delete this');
  }

  private listIndex(list: Ref, index: Expr): number {
    if (this.types.kindOf(list) !== 'list') this.error('TypeError', 'only lists can be indexed here');
    this.eval(index);
    let k = this.intOf(this.heap.roots.peek());
    this.heap.roots.pop();
    const n = this.heap.tables.slotLen[this.heap.index(list)];
    if (k < 0) k += n;
    if (k < 0 || k >= n) this.error('IndexError', 'list index out of range');
    return k;
  }

  private intOf(ref: Ref): number {
    if (this.types.kindOf(ref) !== 'int')
      this.error('TypeError', `expected an int, got ${this.types.typeName(ref)}`);
    return this.heap.payload<number>(ref);
  }

  /** Evaluates `e` and leaves its value as a new temporary on top of the frame. */
  private eval(e: Expr): void {
    const roots = this.heap.roots;
    const t = this.types;
    switch (e.t) {
      case 'num':
        t.pushInt(e.value);
        return;
      case 'str':
        t.pushStr(e.value);
        return;
      case 'const':
        roots.push(t.constant(e.value));
        return;
      case 'name': {
        const ref = roots.getGlobal(e.name);
        if (ref === NULL_REF) this.error('NameError', `name '${e.name}' is not defined`);
        roots.push(ref);
        return;
      }
      case 'attr': {
        this.eval(e.obj);
        const obj = roots.peek();
        const k = t.attrSlot(obj, e.name, false);
        const v = k < 0 ? NULL_REF : this.heap.get(obj, k);
        if (v === NULL_REF)
          this.error('AttributeError', `'${t.typeName(obj)}' object has no attribute '${e.name}'`);
        roots.push(v);
        roots.remove(1);
        return;
      }
      case 'index': {
        this.eval(e.obj);
        const list = roots.peek();
        roots.push(this.heap.get(list, this.listIndex(list, e.index)));
        roots.remove(1);
        return;
      }
      case 'list': {
        for (const item of e.items) this.eval(item);
        const n = e.items.length;
        const list = t.pushList();
        for (let k = n; k >= 1; k--) this.heap.append(list, roots.peek(k));
        for (let k = 0; k < n; k++) roots.remove(1);
        t.sizeList(list);
        return;
      }
      case 'bin':
        this.binary(e.op, e.left, e.right);
        return;
      case 'call':
        this.call(e);
        return;
    }
  }

  private binary(op: string, left: Expr, right: Expr): void {
    this.eval(left);
    this.eval(right);
    const roots = this.heap.roots;
    const a = roots.peek(1);
    const b = roots.peek(0);
    const ka = this.types.kindOf(a);
    const kb = this.types.kindOf(b);
    if (ka === 'str' && kb === 'str' && op === '+') {
      this.types.pushStr(this.heap.payload<string>(a) + this.heap.payload<string>(b));
    } else if (ka === 'int' && kb === 'int') {
      const x = this.heap.payload<number>(a);
      const y = this.heap.payload<number>(b);
      if ((op === '//' || op === '%') && y === 0)
        this.error('ZeroDivisionError', 'integer division or modulo by zero');
      const r =
        op === '+'
          ? x + y
          : op === '-'
            ? x - y
            : op === '*'
              ? x * y
              : op === '//'
                ? Math.floor(x / y)
                : ((x % y) + y) % y;
      this.types.pushInt(r);
    } else {
      this.error(
        'TypeError',
        `unsupported operand type(s) for ${op}: '${this.types.typeName(a)}' and '${this.types.typeName(b)}'`,
      );
    }
    roots.remove(1);
    roots.remove(1);
  }

  private call(e: Extract<Expr, { t: 'call' }>): void {
    const fn = e.fn;
    const name =
      fn.t === 'name' ? fn.name : fn.t === 'attr' && fn.obj.t === 'name' ? `${fn.obj.name}.${fn.name}` : '';
    const module = name.includes('.') ? name.split('.')[0] : '';
    if (module && this.modules.has(module) && this.heap.roots.getGlobal(module) === NULL_REF) {
      this.builtin(name, e.args);
      return;
    }
    if (fn.t === 'attr' && fn.name === 'append') {
      this.eval(fn.obj);
      if (this.types.kindOf(this.heap.roots.peek()) !== 'list')
        this.error('AttributeError', 'only lists have append here');
      this.eval(this.single(e.args));
      const list = this.heap.roots.peek(1);
      this.heap.roots.popAppend(list);
      this.types.sizeList(list);
      this.heap.roots.pop();
      this.heap.roots.push(this.types.constant('None'));
      return;
    }
    if (fn.t === 'name' && this.heap.roots.getGlobal(fn.name) === NULL_REF) {
      this.builtin(fn.name, e.args);
      return;
    }
    this.eval(fn);
    const cls = this.heap.roots.peek();
    if (this.types.kindOf(cls) !== 'class')
      this.error('TypeError', `'${this.types.typeName(cls)}' object is not callable`);
    if (e.args.length > 0) this.error('TypeError', `${this.types.className(cls)}() takes no arguments`);
    this.types.pushInstance(cls);
    this.heap.roots.remove(1);
  }

  private single(args: readonly Expr[]): Expr {
    if (args.length !== 1) this.error('TypeError', `expected 1 argument, got ${args.length}`);
    return args[0];
  }

  private builtin(name: string, args: readonly Expr[]): void {
    const roots = this.heap.roots;
    const t = this.types;
    const one = (): Ref => {
      this.eval(this.single(args));
      return roots.peek();
    };
    switch (name) {
      case 'print': {
        for (const a of args) this.eval(a);
        const parts: string[] = [];
        for (let k = args.length - 1; k >= 0; k--) parts.push(t.str(roots.peek(k)));
        roots.drop(args.length);
        this.options.stdout(`${parts.join(' ')}\n`);
        roots.push(t.constant('None'));
        return;
      }
      case 'id':
        t.pushInt(this.heap.addressOf(one()));
        roots.remove(1);
        return;
      case 'hex':
        t.pushStr(hex(this.intOf(one())));
        roots.remove(1);
        return;
      case 'str':
        t.pushStr(t.str(one()));
        roots.remove(1);
        return;
      case 'repr':
        t.pushStr(t.repr(one()));
        roots.remove(1);
        return;
      case 'len': {
        const v = one();
        const k = t.kindOf(v);
        if (k !== 'list' && k !== 'str')
          this.error('TypeError', `object of type '${t.typeName(v)}' has no len()`);
        t.pushInt(
          k === 'str' ? this.heap.payload<string>(v).length : this.heap.tables.slotLen[this.heap.index(v)],
        );
        roots.remove(1);
        return;
      }
      case 'weakref.ref': {
        const target = one();
        if (!this.heap.typeOf(target).weakrefable)
          this.error('TypeError', `cannot create weak reference to '${t.typeName(target)}' object`);
        this.heap.createWeakref(t.weakrefType, target);
        roots.remove(1);
        return;
      }
      case 'sys.getrefcount': {
        const v = one();
        if (!this.heap.counting)
          this.error('RuntimeError', `the ${this.heap.collector.name} collector keeps no reference counts`);
        t.pushInt(this.heap.tables.rc[this.heap.index(v)]);
        roots.remove(1);
        return;
      }
      case 'gc.collect': {
        if (args.length > 0) this.error('TypeError', 'gc.collect() takes no arguments here');
        const report = this.heap.collect({ kind: 'full', reason: 'explicit' });
        t.pushInt(report.objectsFreed);
        return;
      }
      default:
        this.error('NameError', `name '${name}' is not defined`);
    }
  }
}

function hex(v: number): string {
  return (v < 0 ? '-0x' : '0x') + Math.abs(v).toString(16);
}

/** A short text for an object of a sketch heap (an int's value, a str's text). */
export function sketchLabel(heap: Heap, i: ObjIndex): string | undefined {
  return SketchTypes.of(heap)?.label(i);
}

/** The attribute name of slot `slot` of an instance on a sketch heap. */
export function sketchSlotName(heap: Heap, i: ObjIndex, slot: number): string | undefined {
  return SketchTypes.of(heap)?.slotName(i, slot);
}
