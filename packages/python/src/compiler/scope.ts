import type { Comprehension, Expr, Param, Stmt } from '../ast.js';
import { PySyntaxError } from '../parse.js';

/** A lexical scope: the module, a function or lambda, a class body or a comprehension. */
export class Scope {
  /** Names bound in this scope. */
  readonly assigned = new Set<string>();
  /** Names read in this scope. */
  readonly used = new Set<string>();
  /** `global` declarations. */
  readonly globals = new Set<string>();
  /** `nonlocal` declarations. */
  readonly nonlocals = new Set<string>();
  /** Locals captured by nested scopes. */
  readonly cells = new Set<string>();
  /** Names from enclosing function scopes. */
  readonly frees = new Set<string>();
  /** Nested scopes by their AST node. */
  readonly children = new Map<object, Scope>();
  /** Parameters in order. */
  params: string[] = [];
  /** Contains `yield`. */
  generator = false;

  /** Creates a scope. */
  constructor(
    readonly kind: 'module' | 'function' | 'class' | 'comprehension',
    readonly parent: Scope | null,
    readonly name: string,
  ) {}

  /** How a name is reached from this scope. */
  resolve(name: string): 'fast' | 'deref' | 'global' | 'name' {
    if (this.kind === 'module') return 'name';
    if (this.globals.has(name)) return 'global';
    if (this.cells.has(name) || this.frees.has(name)) return 'deref';
    if (this.kind === 'class') return 'name';
    if (this.assigned.has(name)) return 'fast';
    return 'global';
  }
}

/** Builds the scope tree of a module and resolves cells and free variables. */
export function analyze(body: Stmt[], lineOf: (offset: number) => number): Scope {
  const top = new Scope('module', null, '<module>');
  const v = new Visitor(lineOf);
  v.stmts(body, top);
  resolveFrees(top, lineOf);
  return top;
}

function resolveFrees(scope: Scope, lineOf: (offset: number) => number): void {
  for (const child of scope.children.values()) resolveFrees(child, lineOf);
  if (scope.kind === 'module') return;
  const wanted = new Set<string>([...scope.used, ...scope.nonlocals]);
  for (const child of scope.children.values()) for (const f of child.frees) wanted.add(f);
  for (const name of wanted) {
    if (scope.globals.has(name)) continue;
    if (scope.assigned.has(name) && !scope.nonlocals.has(name)) continue;
    // Look for an enclosing function scope binding it (class bodies are skipped, as in Python).
    for (let p = scope.parent; p && p.kind !== 'module'; p = p.parent) {
      if (p.kind === 'class') continue;
      const binds = p.assigned.has(name) && !p.globals.has(name) && !p.nonlocals.has(name);
      if (binds || p.frees.has(name) || p.nonlocals.has(name)) {
        if (binds) p.cells.add(name);
        for (let q = scope.parent; q && q !== p; q = q.parent) q.frees.add(name);
        scope.frees.add(name);
        break;
      }
    }
    if (scope.nonlocals.has(name) && !scope.frees.has(name)) {
      throw new PySyntaxError(`no binding for nonlocal '${name}' found`, 1, 1);
    }
  }
}

class Visitor {
  constructor(private readonly lineOf: (offset: number) => number) {}

  stmts(list: Stmt[], s: Scope): void {
    for (const st of list) this.stmt(st, s);
  }

  private bind(target: Expr, s: Scope): void {
    switch (target.type) {
      case 'Name':
        s.assigned.add(target.id);
        break;
      case 'Tuple':
      case 'List':
        for (const e of target.elts) this.bind(e, s);
        break;
      case 'Starred':
        this.bind(target.value, s);
        break;
      default:
        this.expr(target, s);
    }
  }

  private stmt(st: Stmt, s: Scope): void {
    switch (st.type) {
      case 'Expr':
        this.expr(st.value, s);
        break;
      case 'Assign':
        this.expr(st.value, s);
        for (const t of st.targets) this.bind(t, s);
        break;
      case 'AugAssign':
        this.expr(st.value, s);
        if (st.target.type === 'Name') s.used.add(st.target.id);
        this.bind(st.target, s);
        break;
      case 'AnnAssign':
        if (st.value) this.expr(st.value, s);
        this.bind(st.target, s);
        break;
      case 'Delete':
        for (const t of st.targets) this.bind(t, s);
        break;
      case 'Return':
        if (st.value) this.expr(st.value, s);
        break;
      case 'If':
      case 'While':
        this.expr(st.test, s);
        this.stmts(st.body, s);
        this.stmts(st.orelse, s);
        break;
      case 'For':
        this.expr(st.iter, s);
        this.bind(st.target, s);
        this.stmts(st.body, s);
        this.stmts(st.orelse, s);
        break;
      case 'FunctionDef':
        for (const d of st.decorators) this.expr(d, s);
        this.defaults(st.params, s);
        s.assigned.add(st.name);
        this.func(st, st.name, st.params, st.body, s);
        break;
      case 'ClassDef': {
        for (const d of st.decorators) this.expr(d, s);
        for (const b of st.bases) this.expr(b.value, s);
        s.assigned.add(st.name);
        const c = new Scope('class', s, st.name);
        s.children.set(st, c);
        this.stmts(st.body, c);
        break;
      }
      case 'Try':
        this.stmts(st.body, s);
        for (const h of st.handlers) {
          if (h.exc) this.expr(h.exc, s);
          if (h.name) s.assigned.add(h.name);
          this.stmts(h.body, s);
        }
        this.stmts(st.orelse, s);
        this.stmts(st.finalbody, s);
        break;
      case 'Raise':
        if (st.exc) this.expr(st.exc, s);
        if (st.cause) this.expr(st.cause, s);
        break;
      case 'Assert':
        this.expr(st.test, s);
        if (st.msg) this.expr(st.msg, s);
        break;
      case 'Global':
      case 'Nonlocal':
        for (const n of st.names) {
          if (s.assigned.has(n) || s.used.has(n)) {
            const what = s.assigned.has(n) ? 'assigned to' : 'used';
            throw new PySyntaxError(
              `name '${n}' is ${what} before ${st.type.toLowerCase()} declaration`,
              this.lineOf(st.from),
              1,
            );
          }
          if (st.type === 'Global') s.globals.add(n);
          else {
            if (s.kind === 'module') {
              throw new PySyntaxError(
                'nonlocal declaration not allowed at module level',
                this.lineOf(st.from),
                1,
              );
            }
            s.nonlocals.add(n);
          }
        }
        break;
      case 'Import':
        for (const n of st.names) s.assigned.add(n.asname ?? n.name.split('.')[0]);
        break;
      case 'ImportFrom':
        for (const n of st.names) s.assigned.add(n.asname ?? n.name);
        break;
      case 'With':
        for (const it of st.items) {
          this.expr(it.expr, s);
          if (it.target) this.bind(it.target, s);
        }
        this.stmts(st.body, s);
        break;
      default:
        break;
    }
  }

  private defaults(params: Param[], s: Scope): void {
    for (const p of params) if (p.default) this.expr(p.default, s);
  }

  private func(node: object, name: string, params: Param[], body: Stmt[] | Expr, s: Scope): void {
    const f = new Scope('function', s, name);
    s.children.set(node, f);
    f.params = params.map((p) => p.name);
    for (const p of params) f.assigned.add(p.name);
    if (Array.isArray(body)) this.stmts(body, f);
    else this.expr(body, f);
  }

  private comprehension(node: Expr, gens: Comprehension[], elts: Expr[], s: Scope): void {
    this.expr(gens[0].iter, s);
    const c = new Scope('comprehension', s, '<comp>');
    c.params = ['.0'];
    c.assigned.add('.0');
    s.children.set(node, c);
    gens.forEach((g, i) => {
      if (i > 0) this.expr(g.iter, c);
      this.bind(g.target, c);
      for (const cond of g.ifs) this.expr(cond, c);
    });
    for (const e of elts) this.expr(e, c);
    if (node.type === 'GenExp') c.generator = true;
  }

  expr(e: Expr, s: Scope): void {
    switch (e.type) {
      case 'Name':
        s.used.add(e.id);
        break;
      case 'Const':
        break;
      case 'Attribute':
        this.expr(e.obj, s);
        break;
      case 'Subscript':
        this.expr(e.obj, s);
        this.expr(e.index, s);
        break;
      case 'Slice':
        for (const p of [e.lo, e.hi, e.step]) if (p) this.expr(p, s);
        break;
      case 'BinOp':
      case 'BoolOp':
        this.expr(e.left, s);
        this.expr(e.right, s);
        break;
      case 'UnaryOp':
        this.expr(e.operand, s);
        break;
      case 'Compare':
        this.expr(e.left, s);
        for (const r of e.rights) this.expr(r, s);
        break;
      case 'Call':
        this.expr(e.fn, s);
        for (const a of e.args) this.expr(a.value, s);
        break;
      case 'IfExp':
        this.expr(e.test, s);
        this.expr(e.body, s);
        this.expr(e.orelse, s);
        break;
      case 'Lambda':
        this.defaults(e.params, s);
        this.func(e, '<lambda>', e.params, e.body, s);
        break;
      case 'Tuple':
      case 'List':
      case 'Set':
        for (const x of e.elts) this.expr(x, s);
        break;
      case 'Dict':
        for (const k of e.keys) if (k) this.expr(k, s);
        for (const v of e.values) this.expr(v, s);
        break;
      case 'Starred':
        this.expr(e.value, s);
        break;
      case 'ListComp':
      case 'SetComp':
      case 'GenExp':
      case 'DictComp':
        this.comprehension(e, e.generators, e.value ? [e.elt, e.value] : [e.elt], s);
        break;
      case 'FString':
        for (const p of e.parts) {
          if (typeof p === 'string') continue;
          this.expr(p.expr, s);
          if (p.spec) for (const q of p.spec) if (typeof q !== 'string') this.expr(q.expr, s);
        }
        break;
      case 'Yield':
        if (s.kind === 'module' || s.kind === 'class') {
          throw new PySyntaxError("'yield' outside function", this.lineOf(e.from), 1);
        }
        s.generator = true;
        if (e.value) this.expr(e.value, s);
        break;
      case 'NamedExpr': {
        this.expr(e.value, s);
        let target = s;
        while (target.kind === 'comprehension' && target.parent) target = target.parent;
        if (e.target.type === 'Name') {
          target.assigned.add(e.target.id);
          if (target !== s) s.frees.add(e.target.id);
        }
        break;
      }
    }
  }
}
