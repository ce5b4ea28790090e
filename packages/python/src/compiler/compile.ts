import type { Arg, Comprehension, Constant, Expr, FPart, Param, Stmt } from '../ast.js';
import { BINARY_OPS, COMPARE_OPS, INPLACE, Op, UNARY_OPS } from '../opcodes.js';
import { type LineMap, PySyntaxError } from '../parse.js';
import type { Code } from './code.js';
import { analyze, type Scope } from './scope.js';

type FBlock =
  | { kind: 'loop'; start: number; breaks: number[]; iter: boolean }
  | { kind: 'try-except' }
  | { kind: 'finally-try'; body: Stmt[] }
  | { kind: 'finally-end' }
  | { kind: 'handler'; name?: string }
  | { kind: 'with' };

/** Compiles a parsed module to code objects. */
export function compileModule(body: Stmt[], filename: string, lines: LineMap): Code {
  const top = analyze(body, (o) => lines.line(o));
  const c = new CodeBuilder(top, filename, lines, '<module>', '<module>', 'module', [], 1);
  c.body(body);
  c.emit(Op.LOAD_CONST, c.constIndex({ kind: 'none' }));
  c.emit(Op.RETURN_VALUE);
  return c.finish();
}

class CodeBuilder {
  readonly code: number[] = [];
  readonly pos: number[] = [];
  readonly posEnd: number[] = [];
  readonly anchor: number[] = [];
  private anchorAt = -1;
  readonly consts: (Constant | readonly Constant[])[] = [];
  readonly names: string[] = [];
  readonly codes: Code[] = [];
  readonly fblocks: FBlock[] = [];
  readonly localNames: string[];
  readonly cellStart: number;
  readonly freeStart: number;
  private from = -1;
  private to = -1;
  argcount = 0;
  kwonlycount = 0;
  varargs = false;
  varkw = false;

  constructor(
    readonly scope: Scope,
    readonly filename: string,
    readonly lines: LineMap,
    readonly name: string,
    readonly qualname: string,
    readonly kind: Code['kind'],
    params: Param[],
    readonly firstLine: number,
  ) {
    const ordered = [
      ...params.filter((p) => p.kind === 'pos'),
      ...params.filter((p) => p.kind === 'kwonly'),
      ...params.filter((p) => p.kind === 'star'),
      ...params.filter((p) => p.kind === 'dstar'),
    ].map((p) => p.name);
    if (kind === 'comprehension') ordered.push('.0');
    if (kind === 'class') ordered.push('.ns');
    this.argcount =
      params.filter((p) => p.kind === 'pos').length + (kind === 'comprehension' || kind === 'class' ? 1 : 0);
    this.kwonlycount = params.filter((p) => p.kind === 'kwonly').length;
    this.varargs = params.some((p) => p.kind === 'star');
    this.varkw = params.some((p) => p.kind === 'dstar');
    const locals = [...ordered];
    if (kind === 'function' || kind === 'comprehension') {
      for (const n of scope.assigned) {
        if (!locals.includes(n) && !scope.cells.has(n) && !scope.frees.has(n) && !scope.globals.has(n))
          locals.push(n);
      }
    }
    this.cellStart = locals.length;
    const cells = [...scope.cells];
    this.freeStart = this.cellStart + cells.length;
    this.localNames = [...locals, ...cells, ...scope.frees];
  }

  finish(): Code {
    const cellArgs = [...this.scope.cells].map((n) => {
      const k = this.localNames.indexOf(n);
      return k < this.cellStart ? k : -1;
    });
    return {
      name: this.name,
      qualname: this.qualname,
      filename: this.filename,
      kind: this.kind,
      argcount: this.argcount,
      kwonlycount: this.kwonlycount,
      varargs: this.varargs,
      varkw: this.varkw,
      localNames: this.localNames,
      cellStart: this.cellStart,
      freeStart: this.freeStart,
      cellArgs,
      code: this.code,
      pos: this.pos,
      posEnd: this.posEnd,
      anchor: this.anchor,
      consts: this.consts,
      names: this.names,
      codes: this.codes,
      generator: this.scope.generator,
      firstLine: this.firstLine,
      lines: this.lines,
      constRefs: [],
      attrSites: [],
      nameSites: [],
    };
  }

  error(node: { from: number }, message: string): PySyntaxError {
    return new PySyntaxError(message, this.lines.line(node.from), this.lines.column(node.from) + 1);
  }

  at(node: { from: number; to: number }): void {
    this.from = node.from;
    this.to = node.to;
  }

  emit(op: Op, ...args: number[]): number {
    const at = this.code.length;
    this.code.push(op, ...args);
    for (let k = 0; k <= args.length; k++) {
      this.pos.push(this.from);
      this.posEnd.push(this.to);
      this.anchor.push(this.anchorAt);
    }
    this.anchorAt = -1;
    return at;
  }

  /** Emits a jump with a placeholder target; returns the operand's position to patch. */
  jump(op: Op): number {
    return this.emit(op, -1) + 1;
  }

  patch(at: number, target = this.code.length): void {
    this.code[at] = target;
  }

  get here(): number {
    return this.code.length;
  }

  constIndex(c: Constant | readonly Constant[]): number {
    const key = (x: Constant | readonly Constant[]): string =>
      Array.isArray(x)
        ? `(${(x as Constant[]).map(key).join(',')})`
        : `${(x as Constant).kind}:${'value' in (x as Constant) ? String((x as { value: unknown }).value) : ''}`;
    const k = key(c);
    const found = this.consts.findIndex(
      (x) =>
        key(x) === k &&
        (typeof (c as { value?: unknown }).value !== 'number' ||
          Object.is((x as { value?: unknown }).value, (c as { value: unknown }).value)),
    );
    if (found >= 0) return found;
    this.consts.push(c);
    return this.consts.length - 1;
  }

  nameIndex(n: string): number {
    const k = this.names.indexOf(n);
    if (k >= 0) return k;
    this.names.push(n);
    return this.names.length - 1;
  }

  // ------------------------------------------------------------ names

  private nameOp(name: string, ops: Record<'fast' | 'deref' | 'global' | 'name', Op>): void {
    const how = this.scope.resolve(name);
    // A parameter that is also a cell has two slots: the cell comes after the parameters.
    const arg =
      how === 'fast'
        ? this.localNames.indexOf(name)
        : how === 'deref'
          ? this.localNames.lastIndexOf(name)
          : this.nameIndex(name);
    this.emit(ops[how], arg);
  }

  load(name: string): void {
    this.nameOp(name, {
      fast: Op.LOAD_FAST,
      deref: Op.LOAD_DEREF,
      global: Op.LOAD_GLOBAL,
      name: Op.LOAD_NAME,
    });
  }

  store(name: string): void {
    this.nameOp(name, {
      fast: Op.STORE_FAST,
      deref: Op.STORE_DEREF,
      global: Op.STORE_GLOBAL,
      name: Op.STORE_NAME,
    });
  }

  del(name: string): void {
    this.nameOp(name, {
      fast: Op.DELETE_FAST,
      deref: Op.DELETE_DEREF,
      global: Op.DELETE_GLOBAL,
      name: Op.DELETE_NAME,
    });
  }

  // ------------------------------------------------------------ statements

  body(stmts: Stmt[]): void {
    for (const s of stmts) this.stmt(s);
  }

  stmt(s: Stmt): void {
    this.at(s);
    this.emit(Op.STMT, this.lines.line(s.from));
    switch (s.type) {
      case 'Expr':
        this.expr(s.value);
        this.at(s);
        this.emit(Op.POP_TOP);
        break;
      case 'Assign':
        this.expr(s.value);
        s.targets.forEach((t, i) => {
          if (i < s.targets.length - 1) this.emit(Op.DUP_TOP);
          this.assign(t);
        });
        break;
      case 'AnnAssign':
        if (s.value) {
          this.expr(s.value);
          this.assign(s.target);
        }
        break;
      case 'AugAssign':
        this.augAssign(s.target, s.op, s.value, s);
        break;
      case 'Delete':
        for (const t of s.targets) this.delete(t);
        break;
      case 'Pass':
        break;
      case 'Break':
      case 'Continue':
        this.breakContinue(s);
        break;
      case 'Return':
        if (this.kind !== 'function') throw this.error(s, "'return' outside function");
        if (s.value) this.expr(s.value);
        else this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'none' }));
        this.unwindAll(true);
        this.at(s);
        this.emit(Op.RETURN_VALUE);
        break;
      case 'If': {
        this.expr(s.test);
        const toElse = this.jump(Op.POP_JUMP_IF_FALSE);
        this.body(s.body);
        if (s.orelse.length) {
          const toEnd = this.jump(Op.JUMP);
          this.patch(toElse);
          this.body(s.orelse);
          this.patch(toEnd);
        } else this.patch(toElse);
        break;
      }
      case 'While': {
        const start = this.here;
        this.expr(s.test);
        const exit = this.jump(Op.POP_JUMP_IF_FALSE);
        const block: FBlock = { kind: 'loop', start, breaks: [], iter: false };
        this.fblocks.push(block);
        this.body(s.body);
        this.fblocks.pop();
        this.emit(Op.JUMP, start);
        this.patch(exit);
        this.body(s.orelse);
        for (const b of block.breaks) this.patch(b);
        break;
      }
      case 'For': {
        this.expr(s.iter);
        this.at(s.iter);
        this.emit(Op.GET_ITER);
        const start = this.here;
        const exit = this.jump(Op.FOR_ITER);
        const block: FBlock = { kind: 'loop', start, breaks: [], iter: true };
        this.assign(s.target);
        this.fblocks.push(block);
        this.body(s.body);
        this.fblocks.pop();
        this.emit(Op.JUMP, start);
        this.patch(exit);
        this.body(s.orelse);
        for (const b of block.breaks) this.patch(b);
        break;
      }
      case 'FunctionDef':
        for (const d of s.decorators) this.expr(d);
        this.makeFunction(s, s.name, s.params, s.body, s.from);
        for (let k = 0; k < s.decorators.length; k++) this.emit(Op.CALL, 1);
        this.store(s.name);
        break;
      case 'ClassDef':
        this.classDef(s);
        break;
      case 'Try':
        this.tryStmt(s);
        break;
      case 'Raise':
        if (s.exc) this.expr(s.exc);
        if (s.cause) this.expr(s.cause);
        this.at(s);
        this.emit(Op.RAISE, s.cause ? 2 : s.exc ? 1 : 0);
        break;
      case 'Assert': {
        this.expr(s.test);
        const ok = this.jump(Op.POP_JUMP_IF_TRUE);
        this.emit(Op.LOAD_ASSERTION_ERROR);
        if (s.msg) {
          this.expr(s.msg);
          this.emit(Op.CALL, 1);
        }
        this.at(s);
        this.emit(Op.RAISE, 1);
        this.patch(ok);
        break;
      }
      case 'Global':
      case 'Nonlocal':
        break;
      case 'Import':
        for (const n of s.names) {
          this.emit(Op.IMPORT_NAME, this.nameIndex(n.name));
          if (n.asname) {
            for (const part of n.name.split('.').slice(1)) {
              this.emit(Op.IMPORT_FROM, this.nameIndex(part));
              this.emit(Op.ROT_TWO);
              this.emit(Op.POP_TOP);
            }
            this.store(n.asname);
          } else {
            if (n.name.includes('.')) {
              this.emit(Op.POP_TOP);
              this.emit(Op.IMPORT_NAME, this.nameIndex(n.name.split('.')[0]));
            }
            this.store(n.name.split('.')[0]);
          }
        }
        break;
      case 'ImportFrom':
        this.emit(Op.IMPORT_NAME, this.nameIndex(s.module));
        for (const n of s.names) {
          if (n.name === '*') throw this.error(s, "'import *' is not supported");
          this.emit(Op.IMPORT_FROM, this.nameIndex(n.name));
          this.store(n.asname ?? n.name);
        }
        this.emit(Op.POP_TOP);
        break;
      case 'With':
        this.withStmt(s, 0);
        break;
    }
  }

  private withStmt(s: Extract<Stmt, { type: 'With' }>, k: number): void {
    if (k >= s.items.length) {
      this.body(s.body);
      return;
    }
    const item = s.items[k];
    this.expr(item.expr);
    this.at(item.expr);
    // Stack: [exit, enter-result]; the handler (depth: just `exit`) runs __exit__ with the exception.
    const handler = this.jump(Op.SETUP_WITH);
    if (item.target) this.assign(item.target);
    else this.emit(Op.POP_TOP);
    this.fblocks.push({ kind: 'with' });
    this.withStmt(s, k + 1);
    this.fblocks.pop();
    this.emit(Op.POP_BLOCK);
    this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'none' }));
    this.emit(Op.WITH_EXIT, 0);
    const end = this.jump(Op.JUMP);
    this.patch(handler);
    this.emit(Op.WITH_EXIT, 1);
    this.patch(end);
  }

  private breakContinue(s: Stmt): void {
    let k = this.fblocks.length - 1;
    while (k >= 0 && this.fblocks[k].kind !== 'loop') k--;
    if (k < 0)
      throw this.error(
        s,
        `'${s.type.toLowerCase()}' ${s.type === 'Break' ? 'outside loop' : 'not properly in loop'}`,
      );
    const loop = this.fblocks[k] as Extract<FBlock, { kind: 'loop' }>;
    this.unwindTo(k + 1, false);
    if (s.type === 'Continue') this.emit(Op.JUMP, loop.start);
    else {
      if (loop.iter) this.emit(Op.POP_TOP);
      loop.breaks.push(this.jump(Op.JUMP));
    }
  }

  /** Emits the exits of every block from the innermost down to `level` (return: TOS is kept). */
  private unwindTo(level: number, preserveTop: boolean): void {
    const saved = this.fblocks.slice();
    for (let k = this.fblocks.length - 1; k >= level; k--) {
      const b = this.fblocks[k];
      this.fblocks.length = k;
      this.unwindBlock(b, preserveTop);
    }
    this.fblocks.length = 0;
    this.fblocks.push(...saved);
  }

  private unwindAll(preserveTop: boolean): void {
    this.unwindTo(0, preserveTop);
  }

  private unwindBlock(b: FBlock, preserveTop: boolean): void {
    switch (b.kind) {
      case 'loop':
        if (b.iter && preserveTop) {
          this.emit(Op.ROT_TWO);
          this.emit(Op.POP_TOP);
        }
        break;
      case 'try-except':
        this.emit(Op.POP_BLOCK);
        break;
      case 'finally-try':
        this.emit(Op.POP_BLOCK);
        this.body(b.body);
        break;
      case 'finally-end':
        this.emit(Op.POP_BLOCK);
        this.emit(Op.POP_EXCEPT);
        if (preserveTop) this.emit(Op.ROT_TWO);
        this.emit(Op.POP_TOP);
        break;
      case 'handler':
        this.emit(Op.POP_BLOCK);
        this.emit(Op.POP_EXCEPT);
        if (b.name) {
          this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'none' }));
          this.store(b.name);
          this.del(b.name);
        }
        break;
      case 'with':
        this.emit(Op.POP_BLOCK);
        if (preserveTop) this.emit(Op.ROT_TWO);
        this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'none' }));
        this.emit(Op.WITH_EXIT, 0);
        break;
    }
  }

  private tryStmt(s: Extract<Stmt, { type: 'Try' }>): void {
    if (s.finalbody.length) {
      const toExc = this.jump(Op.SETUP_FINALLY);
      this.fblocks.push({ kind: 'finally-try', body: s.finalbody });
      if (s.handlers.length) this.tryExcept(s);
      else this.body(s.body);
      this.fblocks.pop();
      this.emit(Op.POP_BLOCK);
      this.body(s.finalbody);
      const toEnd = this.jump(Op.JUMP);
      this.patch(toExc);
      this.emit(Op.PUSH_EXC_INFO);
      const toCleanup = this.jump(Op.SETUP_FINALLY);
      this.fblocks.push({ kind: 'finally-end' });
      this.body(s.finalbody);
      this.fblocks.pop();
      this.emit(Op.POP_BLOCK);
      this.emit(Op.POP_EXCEPT);
      this.emit(Op.RERAISE);
      this.patch(toCleanup);
      this.emit(Op.POP_EXCEPT);
      this.emit(Op.RERAISE);
      this.patch(toEnd);
    } else this.tryExcept(s);
  }

  private tryExcept(s: Extract<Stmt, { type: 'Try' }>): void {
    const toHandler = this.jump(Op.SETUP_FINALLY);
    this.fblocks.push({ kind: 'try-except' });
    this.body(s.body);
    this.fblocks.pop();
    this.emit(Op.POP_BLOCK);
    this.body(s.orelse);
    const ends: number[] = [this.jump(Op.JUMP)];
    this.patch(toHandler);
    this.emit(Op.PUSH_EXC_INFO);
    const toCleanup = this.jump(Op.SETUP_FINALLY);
    for (const h of s.handlers) {
      this.at(h);
      let next = -1;
      if (h.exc) {
        this.emit(Op.DUP_TOP);
        this.expr(h.exc);
        this.emit(Op.CHECK_EXC_MATCH);
        next = this.jump(Op.POP_JUMP_IF_FALSE);
      }
      if (h.name) this.store(h.name);
      else this.emit(Op.POP_TOP);
      this.fblocks.push({ kind: 'handler', name: h.name });
      this.body(h.body);
      this.fblocks.pop();
      this.unwindBlock({ kind: 'handler', name: h.name }, false);
      ends.push(this.jump(Op.JUMP));
      if (next >= 0) this.patch(next);
      else break;
    }
    this.emit(Op.RERAISE);
    this.patch(toCleanup);
    this.emit(Op.POP_EXCEPT);
    this.emit(Op.RERAISE);
    for (const e of ends) this.patch(e);
  }

  private classDef(s: Extract<Stmt, { type: 'ClassDef' }>): void {
    for (const d of s.decorators) this.expr(d);
    const scope = this.scope.children.get(s)!;
    const qual = this.childQualname(s.name);
    const c = new CodeBuilder(
      scope,
      this.filename,
      this.lines,
      s.name,
      qual,
      'class',
      [],
      this.lines.line(s.from),
    );
    c.body(s.body);
    c.emit(Op.LOAD_CONST, c.constIndex({ kind: 'none' }));
    c.emit(Op.RETURN_VALUE);
    const code = c.finish();
    this.codes.push(code);
    this.at(s);
    this.closure(code);
    this.emit(Op.MAKE_FUNCTION, this.codes.length - 1, code.freeStart < code.localNames.length ? 8 : 0);
    this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'str', value: s.name }));
    let nbases = 0;
    for (const b of s.bases) {
      if (b.kind !== 'pos')
        throw this.error(b.value, 'class keywords and unpacking in bases are not supported');
      this.expr(b.value);
      nbases++;
    }
    this.at(s);
    this.emit(Op.BUILD_CLASS, nbases);
    for (let k = 0; k < s.decorators.length; k++) this.emit(Op.CALL, 1);
    this.store(s.name);
  }

  private childQualname(name: string): string {
    if (this.kind === 'module') return name;
    if (this.kind === 'class') return `${this.qualname}.${name}`;
    return `${this.qualname}.<locals>.${name}`;
  }

  private closure(code: Code): void {
    const frees = code.localNames.slice(code.freeStart);
    if (frees.length === 0) return;
    for (const f of frees) this.emit(Op.LOAD_CLOSURE, this.localNames.lastIndexOf(f));
    this.emit(Op.BUILD_TUPLE, frees.length);
  }

  makeFunction(
    node: object & { from: number; to: number },
    name: string,
    params: Param[],
    body: Stmt[] | Expr,
    from: number,
  ): void {
    const scope = this.scope.children.get(node)!;
    const defaults = params.filter((p) => p.kind === 'pos' && p.default);
    const kwdefaults = params.filter((p) => p.kind === 'kwonly' && p.default);
    let flags = 0;
    if (defaults.length) {
      for (const p of defaults) this.expr(p.default!);
      this.emit(Op.BUILD_TUPLE, defaults.length);
      flags |= 1;
    }
    if (kwdefaults.length) {
      for (const p of kwdefaults) {
        this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'str', value: p.name }));
        this.expr(p.default!);
      }
      this.emit(Op.BUILD_MAP, kwdefaults.length);
      flags |= 2;
    }
    const c = new CodeBuilder(
      scope,
      this.filename,
      this.lines,
      name,
      this.childQualname(name),
      'function',
      params,
      this.lines.line(from),
    );
    if (Array.isArray(body)) {
      c.body(body);
      c.at({ from: node.to, to: node.to });
      c.emit(Op.LOAD_CONST, c.constIndex({ kind: 'none' }));
    } else {
      c.expr(body);
    }
    c.emit(Op.RETURN_VALUE);
    const code = c.finish();
    this.codes.push(code);
    this.at(node);
    this.closure(code);
    if (code.freeStart < code.localNames.length) flags |= 8;
    this.emit(Op.MAKE_FUNCTION, this.codes.length - 1, flags);
  }

  // ------------------------------------------------------------ targets

  assign(t: Expr): void {
    this.at(t);
    switch (t.type) {
      case 'Name':
        this.store(t.id);
        break;
      case 'Attribute':
        this.expr(t.obj);
        this.at(t);
        this.emit(Op.STORE_ATTR, this.nameIndex(t.attr));
        break;
      case 'Subscript':
        this.expr(t.obj);
        this.expr(t.index);
        this.at(t);
        this.emit(Op.STORE_SUBSCR);
        break;
      case 'Tuple':
      case 'List': {
        const star = t.elts.findIndex((e) => e.type === 'Starred');
        if (star >= 0) {
          if (t.elts.slice(star + 1).some((e) => e.type === 'Starred'))
            throw this.error(t, 'multiple starred expressions in assignment');
          this.emit(Op.UNPACK_EX, star | ((t.elts.length - star - 1) << 8));
        } else this.emit(Op.UNPACK_SEQUENCE, t.elts.length);
        for (const e of t.elts) this.assign(e.type === 'Starred' ? e.value : e);
        break;
      }
      case 'Starred':
        throw this.error(t, 'starred assignment target must be in a list or tuple');
      default:
        throw this.error(t, `cannot assign to ${describe(t)}`);
    }
  }

  private delete(t: Expr): void {
    this.at(t);
    switch (t.type) {
      case 'Name':
        this.del(t.id);
        break;
      case 'Attribute':
        this.expr(t.obj);
        this.at(t);
        this.emit(Op.DELETE_ATTR, this.nameIndex(t.attr));
        break;
      case 'Subscript':
        this.expr(t.obj);
        this.expr(t.index);
        this.at(t);
        this.emit(Op.DELETE_SUBSCR);
        break;
      case 'Tuple':
      case 'List':
        for (const e of t.elts) this.delete(e);
        break;
      default:
        throw this.error(t, `cannot delete ${describe(t)}`);
    }
  }

  private augAssign(t: Expr, op: string, value: Expr, s: Stmt): void {
    const opn = BINARY_OPS.indexOf(op as (typeof BINARY_OPS)[number]) + INPLACE;
    switch (t.type) {
      case 'Name':
        this.load(t.id);
        this.expr(value);
        this.at(s);
        this.emit(Op.BINARY_OP, opn);
        this.store(t.id);
        break;
      case 'Attribute':
        this.expr(t.obj);
        this.emit(Op.DUP_TOP);
        this.at(t);
        this.emit(Op.LOAD_ATTR, this.nameIndex(t.attr));
        this.expr(value);
        this.at(s);
        this.emit(Op.BINARY_OP, opn);
        this.emit(Op.ROT_TWO);
        this.emit(Op.STORE_ATTR, this.nameIndex(t.attr));
        break;
      case 'Subscript':
        this.expr(t.obj);
        this.expr(t.index);
        this.emit(Op.ROT_TWO);
        this.emit(Op.DUP_TOP);
        this.emit(Op.ROT_THREE);
        this.emit(Op.ROT_TWO);
        this.emit(Op.DUP_TOP);
        this.emit(Op.ROT_THREE);
        // stack: obj idx obj idx
        this.at(t);
        this.emit(Op.BINARY_SUBSCR);
        this.expr(value);
        this.at(s);
        this.emit(Op.BINARY_OP, opn);
        // stack: obj idx result -> result obj idx
        this.emit(Op.ROT_THREE);
        this.emit(Op.STORE_SUBSCR);
        break;
      default:
        throw this.error(t, `'${describe(t)}' is an illegal expression for augmented assignment`);
    }
  }

  // ------------------------------------------------------------ expressions

  expr(e: Expr): void {
    this.at(e);
    switch (e.type) {
      case 'Name':
        this.load(e.id);
        break;
      case 'Const':
        this.emit(Op.LOAD_CONST, this.constIndex(e.value));
        break;
      case 'Attribute':
        this.expr(e.obj);
        this.at(e);
        this.emit(Op.LOAD_ATTR, this.nameIndex(e.attr));
        break;
      case 'Subscript':
        this.expr(e.obj);
        this.expr(e.index);
        this.at(e);
        this.anchorAt = e.obj.to;
        this.emit(Op.BINARY_SUBSCR);
        break;
      case 'Slice':
        for (const p of [e.lo, e.hi]) {
          if (p) this.expr(p);
          else this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'none' }));
        }
        if (e.step) this.expr(e.step);
        this.emit(Op.BUILD_SLICE, e.step ? 3 : 2);
        break;
      case 'BinOp':
        this.expr(e.left);
        this.expr(e.right);
        this.at(e);
        this.anchorAt = e.left.to;
        this.emit(Op.BINARY_OP, BINARY_OPS.indexOf(e.op as (typeof BINARY_OPS)[number]));
        break;
      case 'UnaryOp':
        this.expr(e.operand);
        this.at(e);
        this.emit(Op.UNARY, UNARY_OPS.indexOf(e.op as (typeof UNARY_OPS)[number]));
        break;
      case 'BoolOp': {
        this.expr(e.left);
        const end = this.jump(e.op === 'and' ? Op.JUMP_IF_FALSE_OR_POP : Op.JUMP_IF_TRUE_OR_POP);
        this.expr(e.right);
        this.patch(end);
        break;
      }
      case 'Compare':
        this.compare(e);
        break;
      case 'Call':
        this.call(e);
        break;
      case 'IfExp': {
        this.expr(e.test);
        const toElse = this.jump(Op.POP_JUMP_IF_FALSE);
        this.expr(e.body);
        const toEnd = this.jump(Op.JUMP);
        this.patch(toElse);
        this.expr(e.orelse);
        this.patch(toEnd);
        break;
      }
      case 'Lambda':
        this.makeFunction(e, '<lambda>', e.params, e.body, e.from);
        break;
      case 'Tuple':
      case 'List':
      case 'Set':
        this.sequence(e.type, e.elts);
        break;
      case 'Dict': {
        let n = 0;
        let built = false;
        for (let k = 0; k < e.keys.length; k++) {
          const key = e.keys[k];
          if (key === null) {
            if (!built) {
              this.emit(Op.BUILD_MAP, n);
              built = true;
            } else if (n) {
              this.emit(Op.BUILD_MAP, n);
              this.emit(Op.DICT_UPDATE, 1);
            }
            n = 0;
            this.expr(e.values[k]);
            this.emit(Op.DICT_UPDATE, 1);
          } else {
            this.expr(key);
            this.expr(e.values[k]);
            n++;
          }
        }
        if (!built) this.emit(Op.BUILD_MAP, n);
        else if (n) {
          this.emit(Op.BUILD_MAP, n);
          this.emit(Op.DICT_UPDATE, 1);
        }
        break;
      }
      case 'Starred':
        throw this.error(e, "can't use starred expression here");
      case 'ListComp':
      case 'SetComp':
      case 'GenExp':
      case 'DictComp':
        this.comprehension(e);
        break;
      case 'FString':
        this.fstring(e.parts);
        break;
      case 'Yield':
        if (this.kind !== 'function' && this.kind !== 'comprehension')
          throw this.error(e, "'yield' outside function");
        if (e.isFrom) {
          if (!e.value) throw this.error(e, 'invalid syntax');
          this.expr(e.value);
          this.emit(Op.GET_YIELD_FROM_ITER);
          this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'none' }));
          this.at(e);
          this.emit(Op.YIELD_FROM);
        } else {
          if (e.value) this.expr(e.value);
          else this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'none' }));
          this.at(e);
          this.emit(Op.YIELD_VALUE);
        }
        break;
      case 'NamedExpr':
        this.expr(e.value);
        this.emit(Op.DUP_TOP);
        if (e.target.type !== 'Name')
          throw this.error(e.target, 'cannot use assignment expressions with this target');
        this.store(e.target.id);
        break;
    }
  }

  private sequence(type: 'Tuple' | 'List' | 'Set', elts: Expr[]): void {
    const build = type === 'Tuple' ? Op.BUILD_TUPLE : type === 'List' ? Op.BUILD_LIST : Op.BUILD_SET;
    const folded = type === 'Tuple' ? constantTuple(elts) : undefined;
    if (folded) {
      this.emit(Op.LOAD_CONST, this.constIndex(folded));
      return;
    }
    if (!elts.some((x) => x.type === 'Starred')) {
      for (const x of elts) this.expr(x);
      // CPython 3.11 merges a display of three or more constants from a frozenset constant: a
      // negative count tells BUILD_SET to size its table that way.
      const merged = type === 'Set' && elts.length > 2 && constantTuple(elts) !== undefined;
      this.emit(build, merged ? -elts.length : elts.length);
      return;
    }
    const setLike = type === 'Set';
    this.emit(setLike ? Op.BUILD_SET : Op.BUILD_LIST, 0);
    for (const x of elts) {
      if (x.type === 'Starred') {
        this.expr(x.value);
        this.emit(setLike ? Op.SET_UPDATE : Op.LIST_EXTEND, 1);
      } else {
        this.expr(x);
        this.emit(setLike ? Op.SET_ADD : Op.LIST_APPEND, 1);
      }
    }
    if (type === 'Tuple') this.emit(Op.LIST_TO_TUPLE);
  }

  private compare(e: Extract<Expr, { type: 'Compare' }>): void {
    this.expr(e.left);
    const cleanup: number[] = [];
    e.ops.forEach((op, k) => {
      this.expr(e.rights[k]);
      const last = k === e.ops.length - 1;
      if (!last) {
        this.emit(Op.DUP_TOP);
        this.emit(Op.ROT_THREE);
      }
      this.at(e);
      this.compareOp(op);
      if (!last) cleanup.push(this.jump(Op.JUMP_IF_FALSE_OR_POP));
    });
    if (cleanup.length) {
      const end = this.jump(Op.JUMP);
      for (const c of cleanup) this.patch(c);
      this.emit(Op.ROT_TWO);
      this.emit(Op.POP_TOP);
      this.patch(end);
    }
  }

  private compareOp(op: string): void {
    if (op === 'is' || op === 'is not') this.emit(Op.IS_OP, op === 'is' ? 0 : 1);
    else if (op === 'in' || op === 'not in') this.emit(Op.CONTAINS_OP, op === 'in' ? 0 : 1);
    else
      this.emit(
        Op.COMPARE_OP,
        COMPARE_OPS.indexOf((op === '<>' ? '!=' : op) as (typeof COMPARE_OPS)[number]),
      );
  }

  private call(e: Extract<Expr, { type: 'Call' }>): void {
    const simple = e.args.every((a) => a.kind === 'pos' || a.kind === 'kw');
    const kws = e.args.filter((a) => a.kind === 'kw');
    if (simple && e.fn.type === 'Attribute' && kws.length === 0) {
      this.expr(e.fn.obj);
      this.at(e.fn);
      this.emit(Op.LOAD_METHOD, this.nameIndex(e.fn.attr));
      for (const a of e.args) this.expr(a.value);
      this.at(e);
      this.emit(Op.CALL_METHOD, e.args.length);
      return;
    }
    this.expr(e.fn);
    if (simple) {
      for (const a of e.args) if (a.kind === 'pos') this.expr(a.value);
      for (const a of kws) this.expr(a.value);
      this.at(e);
      if (kws.length) {
        const names = kws.map((a) => ({ kind: 'str', value: a.name! }) as Constant);
        this.emit(Op.CALL_KW, e.args.length, this.constIndex(names));
      } else this.emit(Op.CALL, e.args.length);
      return;
    }
    this.starCall(e.args);
    this.at(e);
  }

  private starCall(args: Arg[]): void {
    this.emit(Op.BUILD_LIST, 0);
    for (const a of args) {
      if (a.kind === 'pos') {
        this.expr(a.value);
        this.emit(Op.LIST_APPEND, 1);
      } else if (a.kind === 'star') {
        this.expr(a.value);
        this.emit(Op.LIST_EXTEND, 1);
      }
    }
    this.emit(Op.LIST_TO_TUPLE);
    const kw = args.filter((a) => a.kind === 'kw' || a.kind === 'dstar');
    if (kw.length) {
      this.emit(Op.BUILD_MAP, 0);
      for (const a of kw) {
        if (a.kind === 'kw') {
          this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'str', value: a.name! }));
          this.expr(a.value);
          this.emit(Op.MAP_ADD, 1);
        } else {
          this.expr(a.value);
          this.emit(Op.DICT_UPDATE, 1);
        }
      }
    }
    this.emit(Op.CALL_EX, kw.length ? 1 : 0);
  }

  private fstring(parts: FPart[]): void {
    let n = 0;
    for (const p of parts) {
      if (typeof p === 'string') {
        this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'str', value: p }));
      } else {
        if (p.selfDoc) {
          this.emit(Op.LOAD_CONST, this.constIndex({ kind: 'str', value: p.selfDoc }));
          n++;
        }
        this.expr(p.expr);
        const conv = p.conv === 's' ? 1 : p.conv === 'r' ? 2 : p.conv === 'a' ? 3 : 0;
        if (p.spec) this.fstring(p.spec);
        this.emit(Op.FORMAT_VALUE, conv | (p.spec ? 4 : 0));
      }
      n++;
    }
    if (n !== 1) this.emit(Op.BUILD_STRING, n);
  }

  private comprehension(e: Extract<Expr, { type: 'ListComp' | 'SetComp' | 'GenExp' | 'DictComp' }>): void {
    const scope = this.scope.children.get(e)!;
    const names: Record<string, string> = {
      ListComp: '<listcomp>',
      SetComp: '<setcomp>',
      GenExp: '<genexpr>',
      DictComp: '<dictcomp>',
    };
    const name = names[e.type];
    const c = new CodeBuilder(
      scope,
      this.filename,
      this.lines,
      name,
      this.childQualname(name),
      'comprehension',
      [],
      this.lines.line(e.from),
    );
    c.at(e);
    if (e.type === 'ListComp') c.emit(Op.BUILD_LIST, 0);
    else if (e.type === 'SetComp') c.emit(Op.BUILD_SET, 0);
    else if (e.type === 'DictComp') c.emit(Op.BUILD_MAP, 0);
    c.compGenerators(e, e.generators, 0);
    if (e.type === 'GenExp') c.emit(Op.LOAD_CONST, c.constIndex({ kind: 'none' }));
    c.emit(Op.RETURN_VALUE);
    const code = c.finish();
    this.codes.push(code);
    this.at(e);
    this.closure(code);
    this.emit(Op.MAKE_FUNCTION, this.codes.length - 1, code.freeStart < code.localNames.length ? 8 : 0);
    this.expr(e.generators[0].iter);
    this.emit(Op.GET_ITER);
    this.at(e);
    this.emit(Op.CALL, 1);
  }

  private compGenerators(
    e: Extract<Expr, { type: 'ListComp' | 'SetComp' | 'GenExp' | 'DictComp' }>,
    gens: Comprehension[],
    k: number,
  ): void {
    const g = gens[k];
    if (k === 0) this.emit(Op.LOAD_FAST, this.localNames.indexOf('.0'));
    else {
      this.expr(g.iter);
      this.emit(Op.GET_ITER);
    }
    const start = this.here;
    const exit = this.jump(Op.FOR_ITER);
    this.assign(g.target);
    const skips: number[] = [];
    for (const cond of g.ifs) {
      this.expr(cond);
      skips.push(this.jump(Op.POP_JUMP_IF_FALSE));
    }
    if (k + 1 < gens.length) this.compGenerators(e, gens, k + 1);
    else {
      const depth = gens.length + 1;
      if (e.type === 'GenExp') {
        this.expr(e.elt);
        this.emit(Op.YIELD_VALUE);
        this.emit(Op.POP_TOP);
      } else if (e.type === 'DictComp') {
        this.expr(e.elt);
        this.expr(e.value!);
        this.emit(Op.MAP_ADD, depth);
      } else {
        this.expr(e.elt);
        this.emit(e.type === 'ListComp' ? Op.LIST_APPEND : Op.SET_ADD, depth);
      }
    }
    for (const s of skips) this.patch(s, start);
    this.emit(Op.JUMP, start);
    this.patch(exit);
  }
}

function describe(e: Expr): string {
  switch (e.type) {
    case 'Call':
      return 'function call';
    case 'Const':
      return 'literal';
    case 'BinOp':
    case 'UnaryOp':
    case 'BoolOp':
      return 'expression';
    case 'Compare':
      return 'comparison';
    case 'Lambda':
      return 'lambda';
    case 'IfExp':
      return 'conditional expression';
    default:
      return e.type.toLowerCase();
  }
}

/**
 * The constant a non-empty tuple display of constants folds into, as CPython's compiler folds
 * it (nested constant tuples included): made once with the code object, not at each evaluation.
 */
function constantTuple(elts: readonly Expr[]): readonly Constant[] | undefined {
  if (elts.length === 0) return undefined;
  const out: (Constant | readonly Constant[])[] = [];
  for (const x of elts) {
    if (x.type === 'Const') out.push(x.value);
    else if (x.type === 'Tuple') {
      const inner = constantTuple(x.elts);
      if (!inner) return undefined;
      out.push(inner);
    } else return undefined;
  }
  return out as readonly Constant[];
}
