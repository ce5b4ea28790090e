import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { Arg, Comprehension, Constant, Expr, FPart, Handler, Param, Stmt } from './ast.js';
import { decodeString } from './strings.js';

/** A syntax error found while parsing, with CPython's message and a 1-based line and column. */
export class PySyntaxError extends Error {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** The exception type: `SyntaxError` or `IndentationError`. */
  readonly kind: string;
  /** Creates the error. */
  constructor(message: string, line: number, column: number, kind = 'SyntaxError') {
    super(message);
    this.line = line;
    this.column = column;
    this.kind = kind;
  }
}

/** Offsets of line starts, to turn offsets into lines and columns. */
export class LineMap {
  private readonly starts: number[] = [0];
  /** Indexes `source`. */
  constructor(readonly source: string) {
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  /** The 1-based line of an offset. */
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  /** The 0-based column of an offset. */
  column(offset: number): number {
    return offset - this.starts[this.line(offset) - 1];
  }
  /** The text of a 1-based line, without its newline. */
  text(line: number): string {
    const start = this.starts[line - 1] ?? this.source.length;
    const end = line < this.starts.length ? this.starts[line] - 1 : this.source.length;
    return this.source.slice(start, end).replace(/\r$/, '');
  }
}

const COMPARE = new Set(['<', '>', '==', '>=', '<=', '!=', '<>', 'in', 'not in', 'is', 'is not']);

/** Parses Python source into statements; throws {@link PySyntaxError}. */
export function parsePython(source: string): Stmt[] {
  const tree = parser.parse(source);
  const lines = new LineMap(source);
  const p = new Converter(source, lines);
  const top = tree.topNode;
  p.checkErrors(top);
  return p.block(top);
}

class Converter {
  constructor(
    private readonly src: string,
    private readonly lines: LineMap,
  ) {}

  checkErrors(top: SyntaxNode): void {
    const cursor = top.cursor();
    let first: number | undefined;
    do {
      if (cursor.type.isError && (first === undefined || cursor.from < first)) first = cursor.from;
    } while (cursor.next());
    if (first !== undefined) throw this.error(first, 'invalid syntax');
    this.checkIndent();
  }

  private checkIndent(): void {
    const text = this.src.split('\n');
    const stack = [0];
    let expectIndent = false;
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      const raw = text[i];
      const stripped = raw.trim();
      const open = depth;
      for (const ch of raw.replace(/#.*$/, '')) {
        if ('([{'.includes(ch)) depth++;
        else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
      }
      if (stripped === '' || stripped.startsWith('#') || open > 0) continue;
      const indent = raw.length - raw.trimStart().length;
      const top = stack[stack.length - 1];
      if (expectIndent) {
        if (indent <= top)
          throw new PySyntaxError(`expected an indented block`, i + 1, indent + 1, 'IndentationError');
        stack.push(indent);
      } else if (indent > top) {
        throw new PySyntaxError('unexpected indent', i + 1, indent + 1, 'IndentationError');
      } else {
        while (indent < stack[stack.length - 1]) stack.pop();
        if (indent !== stack[stack.length - 1]) {
          throw new PySyntaxError(
            'unindent does not match any outer indentation level',
            i + 1,
            raw.length + 1,
            'IndentationError',
          );
        }
      }
      expectIndent =
        /:\s*(#.*)?$/.test(stripped) &&
        depth === 0 &&
        /^(if|elif|else|for|while|def|class|try|except|finally|with|async)\b/.test(stripped);
    }
  }

  error(offset: number, message: string): PySyntaxError {
    return new PySyntaxError(message, this.lines.line(offset), this.lines.column(offset) + 1);
  }

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  kids(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
    return out;
  }

  block(n: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of this.kids(n)) {
      if (c.name === ':') continue;
      if (c.name === 'StatementGroup') {
        for (const s of this.kids(c)) if (s.name !== ';') out.push(this.stmt(s));
      } else out.push(this.stmt(c));
    }
    return out;
  }

  /** Splits children on commas into expressions; a lone item stays itself, several make a tuple. */
  exprList(nodes: SyntaxNode[], from: number, to: number, forceTuple = false): Expr {
    const items: Expr[] = [];
    let trailing = false;
    for (let i = 0; i < nodes.length; i++) {
      const c = nodes[i];
      if (c.name === ',') {
        trailing = true;
        continue;
      }
      trailing = false;
      if (c.name === '*') {
        const v = this.expr(nodes[++i]);
        items.push({ type: 'Starred', value: v, from: c.from, to: v.to });
        continue;
      }
      items.push(this.expr(c));
    }
    if (items.length === 1 && !trailing && !forceTuple && items[0].type !== 'Starred') return items[0];
    return { type: 'Tuple', elts: items, from, to };
  }

  stmt(n: SyntaxNode): Stmt {
    const k = this.kids(n);
    const pos = { from: n.from, to: n.to };
    switch (n.name) {
      case 'ExpressionStatement':
        return { type: 'Expr', value: this.exprList(k, n.from, n.to), ...pos };
      case 'AssignStatement': {
        const groups: SyntaxNode[][] = [[]];
        let annotated = false;
        for (const c of k) {
          if (c.name === 'AssignOp') groups.push([]);
          else if (c.name === 'TypeDef') annotated = true;
          else groups[groups.length - 1].push(c);
        }
        const exprs = groups.map((g) =>
          g.length === 0 ? undefined : this.exprList(g, g[0].from, g[g.length - 1].to),
        );
        if (annotated) {
          return { type: 'AnnAssign', target: exprs[0]!, value: exprs[1], ...pos };
        }
        const value = exprs.pop()!;
        return { type: 'Assign', targets: exprs as Expr[], value, ...pos };
      }
      case 'UpdateStatement': {
        const opIndex = k.findIndex((c) => c.name === 'UpdateOp');
        const target = this.exprList(k.slice(0, opIndex), n.from, k[opIndex].from);
        const value = this.exprList(k.slice(opIndex + 1), k[opIndex].to, n.to);
        return { type: 'AugAssign', target, op: this.text(k[opIndex]).slice(0, -1), value, ...pos };
      }
      case 'DeleteStatement': {
        const targets = k
          .slice(1)
          .filter((c) => c.name !== ',')
          .map((c) => this.expr(c));
        return { type: 'Delete', targets, ...pos };
      }
      case 'PassStatement':
        return { type: 'Pass', ...pos };
      case 'BreakStatement':
        return { type: 'Break', ...pos };
      case 'ContinueStatement':
        return { type: 'Continue', ...pos };
      case 'ReturnStatement':
        return {
          type: 'Return',
          value: k.length > 1 ? this.exprList(k.slice(1), k[1].from, n.to) : undefined,
          ...pos,
        };
      case 'YieldStatement':
        return { type: 'Expr', value: this.yieldExpr(n), ...pos };
      case 'RaiseStatement': {
        const fromAt = k.findIndex((c) => c.name === 'from');
        const exc = k.length > 1 && fromAt !== 1 ? this.expr(k[1]) : undefined;
        const cause = fromAt > 0 ? this.expr(k[fromAt + 1]) : undefined;
        return { type: 'Raise', exc, cause, ...pos };
      }
      case 'AssertStatement': {
        const parts = k.slice(1).filter((c) => c.name !== ',');
        return {
          type: 'Assert',
          test: this.expr(parts[0]),
          msg: parts[1] ? this.expr(parts[1]) : undefined,
          ...pos,
        };
      }
      case 'ScopeStatement': {
        const names = k
          .slice(1)
          .filter((c) => c.name === 'VariableName')
          .map((c) => this.text(c));
        return { type: k[0].name === 'global' ? 'Global' : 'Nonlocal', names, ...pos };
      }
      case 'ImportStatement':
        return this.importStmt(k, pos);
      case 'IfStatement':
        return this.ifStmt(k, 0, pos);
      case 'WhileStatement': {
        const bodies = k.filter((c) => c.name === 'Body');
        return {
          type: 'While',
          test: this.expr(k[1]),
          body: this.block(bodies[0]),
          orelse: bodies[1] ? this.block(bodies[1]) : [],
          ...pos,
        };
      }
      case 'ForStatement': {
        const inAt = k.findIndex((c) => c.name === 'in');
        const bodyAt = k.findIndex((c) => c.name === 'Body');
        if (k[0].name !== 'for') throw this.error(n.from, 'asynchronous code is not supported');
        const bodies = k.filter((c) => c.name === 'Body');
        return {
          type: 'For',
          target: this.exprList(k.slice(1, inAt), k[1].from, k[inAt].from),
          iter: this.exprList(k.slice(inAt + 1, bodyAt), k[inAt].to, k[bodyAt].from),
          body: this.block(bodies[0]),
          orelse: bodies[1] ? this.block(bodies[1]) : [],
          ...pos,
        };
      }
      case 'TryStatement':
        return this.tryStmt(k, pos);
      case 'WithStatement': {
        const items: { expr: Expr; target?: Expr }[] = [];
        for (let i = 1; i < k.length && k[i].name !== 'Body'; i++) {
          if (k[i].name === ',') continue;
          const expr = this.expr(k[i]);
          let target: Expr | undefined;
          if (k[i + 1]?.name === 'as') {
            target = this.expr(k[i + 2]);
            i += 2;
          }
          items.push({ expr, target });
        }
        return { type: 'With', items, body: this.block(k[k.length - 1]), ...pos };
      }
      case 'FunctionDefinition':
        return this.funcDef(k, [], pos);
      case 'ClassDefinition':
        return this.classDef(k, [], pos);
      case 'DecoratedStatement': {
        const decorators = k
          .filter((c) => c.name === 'Decorator')
          .map((d) => {
            const dk = this.kids(d).filter((c) => c.name !== 'At');
            return this.decorator(dk);
          });
        const def = k[k.length - 1];
        const dk = this.kids(def);
        const dpos = { from: def.from, to: def.to };
        if (def.name === 'FunctionDefinition') return this.funcDef(dk, decorators, dpos);
        if (def.name === 'ClassDefinition') return this.classDef(dk, decorators, dpos);
        throw this.error(def.from, 'invalid syntax');
      }
      case 'PrintStatement':
        throw this.error(n.from, "Missing parentheses in call to 'print'. Did you mean print(...)?");
      default:
        throw this.error(n.from, `invalid syntax`);
    }
  }

  private decorator(k: SyntaxNode[]): Expr {
    // `@a.b(c)` comes as VariableName . VariableName ArgList
    let e: Expr = this.expr(k[0]);
    for (let i = 1; i < k.length; i++) {
      const c = k[i];
      if (c.name === '.') continue;
      if (c.name === 'ArgList') e = { type: 'Call', fn: e, args: this.args(c), from: e.from, to: c.to };
      else e = { type: 'Attribute', obj: e, attr: this.text(c), from: e.from, to: c.to };
    }
    return e;
  }

  private importStmt(k: SyntaxNode[], pos: { from: number; to: number }): Stmt {
    const names: { name: string; asname?: string }[] = [];
    let i = 1;
    let module = '';
    if (k[0].name === 'from') {
      while (k[i].name !== 'import') module += this.text(k[i++]);
      i++;
    }
    let current: { name: string; asname?: string } | undefined;
    for (; i < k.length; i++) {
      const c = k[i];
      if (c.name === ',' || c.name === '(' || c.name === ')') current = undefined;
      else if (c.name === 'as') {
        current!.asname = this.text(k[++i]);
      } else if (c.name === '.' && current) current.name += '.';
      else if (current?.name.endsWith('.')) current.name += this.text(c);
      else {
        current = { name: this.text(c) };
        names.push(current);
      }
    }
    if (k[0].name === 'from') return { type: 'ImportFrom', module, names, ...pos };
    return { type: 'Import', names, ...pos };
  }

  private ifStmt(k: SyntaxNode[], at: number, pos: { from: number; to: number }): Stmt {
    const test = this.expr(k[at + 1]);
    const body = this.block(k[at + 2]);
    let orelse: Stmt[] = [];
    const next = k[at + 3];
    if (next?.name === 'elif') orelse = [this.ifStmt(k, at + 3, { from: next.from, to: pos.to })];
    else if (next?.name === 'else') orelse = this.block(k[at + 4]);
    return { type: 'If', test, body, orelse, ...pos };
  }

  private tryStmt(k: SyntaxNode[], pos: { from: number; to: number }): Stmt {
    const body = this.block(k[1]);
    const handlers: Handler[] = [];
    let orelse: Stmt[] = [];
    let finalbody: Stmt[] = [];
    for (let i = 2; i < k.length; i++) {
      const c = k[i];
      if (c.name === 'except') {
        let j = i + 1;
        const parts: SyntaxNode[] = [];
        while (k[j].name !== 'Body' && k[j].name !== 'as') parts.push(k[j++]);
        let name: string | undefined;
        if (k[j].name === 'as') {
          name = this.text(k[j + 1]);
          j += 2;
        }
        const exc = parts.length
          ? this.exprList(parts, parts[0].from, parts[parts.length - 1].to)
          : undefined;
        handlers.push({ exc, name, body: this.block(k[j]), from: c.from, to: k[j].to });
        i = j;
      } else if (c.name === 'else') orelse = this.block(k[++i]);
      else if (c.name === 'finally') finalbody = this.block(k[++i]);
    }
    return { type: 'Try', body, handlers, orelse, finalbody, ...pos };
  }

  private funcDef(k: SyntaxNode[], decorators: Expr[], pos: { from: number; to: number }): Stmt {
    if (k[0].name !== 'def') throw this.error(k[0].from, 'asynchronous code is not supported');
    const name = this.text(k[1]);
    const params = this.params(k.find((c) => c.name === 'ParamList')!);
    const body = this.block(k.find((c) => c.name === 'Body')!);
    return { type: 'FunctionDef', name, params, body, decorators, ...pos };
  }

  private classDef(k: SyntaxNode[], decorators: Expr[], pos: { from: number; to: number }): Stmt {
    const name = this.text(k[1]);
    const argList = k.find((c) => c.name === 'ArgList');
    const bases = argList ? this.args(argList) : [];
    const body = this.block(k.find((c) => c.name === 'Body')!);
    return { type: 'ClassDef', name, bases, body, decorators, ...pos };
  }

  params(n: SyntaxNode): Param[] {
    const out: Param[] = [];
    let mode: 'pos' | 'kwonly' = 'pos';
    const k = this.kids(n).filter((c) => c.name !== '(' && c.name !== ')' && c.name !== ',');
    for (let i = 0; i < k.length; i++) {
      const c = k[i];
      if (c.name === '*' || c.name === '**') {
        const next = k[i + 1];
        if (c.name === '*' && next?.name !== 'VariableName') {
          mode = 'kwonly';
          continue;
        }
        out.push({ kind: c.name === '*' ? 'star' : 'dstar', name: this.text(next) });
        if (c.name === '*') mode = 'kwonly';
        i++;
        if (k[i + 1]?.name === 'TypeDef') i++;
      } else if (c.name === 'VariableName') {
        let def: Expr | undefined;
        if (k[i + 1]?.name === 'TypeDef') i++;
        if (k[i + 1]?.name === 'AssignOp') {
          def = this.expr(k[i + 2]);
          i += 2;
        }
        out.push({ kind: mode, name: this.text(c), default: def });
      } else if (c.name === '/') {
      } else throw this.error(c.from, 'invalid syntax');
    }
    return out;
  }

  args(n: SyntaxNode): Arg[] {
    const k = this.kids(n).filter((c) => c.name !== '(' && c.name !== ')');
    if (k.some((c) => c.name === 'for')) {
      const gen = this.comprehension('GenExp', k, n.from, n.to);
      return [{ kind: 'pos', value: gen }];
    }
    const out: Arg[] = [];
    for (let i = 0; i < k.length; i++) {
      const c = k[i];
      if (c.name === ',') continue;
      if (c.name === '*' || c.name === '**') {
        out.push({ kind: c.name === '*' ? 'star' : 'dstar', value: this.expr(k[++i]) });
      } else if (k[i + 1]?.name === 'AssignOp') {
        out.push({ kind: 'kw', name: this.text(c), value: this.expr(k[i + 2]) });
        i += 2;
      } else out.push({ kind: 'pos', value: this.expr(c) });
    }
    return out;
  }

  private yieldExpr(n: SyntaxNode): Expr {
    const k = this.kids(n);
    const isFrom = k[1]?.name === 'from';
    const rest = k.slice(isFrom ? 2 : 1);
    const value = rest.length ? this.exprList(rest, rest[0].from, n.to) : undefined;
    return { type: 'Yield', value, isFrom, from: n.from, to: n.to };
  }

  comprehension(
    type: 'ListComp' | 'SetComp' | 'GenExp' | 'DictComp',
    k: SyntaxNode[],
    from: number,
    to: number,
  ): Expr {
    let i = 0;
    const elt = this.expr(k[i++]);
    let value: Expr | undefined;
    if (type === 'DictComp') {
      i++;
      value = this.expr(k[i++]);
    }
    const generators: Comprehension[] = [];
    while (i < k.length) {
      const c = k[i];
      if (c.name === 'async') throw this.error(c.from, 'asynchronous comprehensions are not supported');
      if (c.name === 'for') {
        const inAt = k.findIndex((x, j) => j > i && x.name === 'in');
        const target = this.exprList(k.slice(i + 1, inAt), k[i + 1].from, k[inAt].from);
        const iter = this.expr(k[inAt + 1]);
        generators.push({ target, iter, ifs: [] });
        i = inAt + 2;
      } else if (c.name === 'if') {
        generators[generators.length - 1].ifs.push(this.expr(k[i + 1]));
        i += 2;
      } else throw this.error(c.from, 'invalid syntax');
    }
    return { type, elt, value, generators, from, to } as Expr;
  }

  expr(n: SyntaxNode): Expr {
    const pos = { from: n.from, to: n.to };
    switch (n.name) {
      case 'VariableName':
        return { type: 'Name', id: this.text(n), ...pos };
      case 'Number':
        return { type: 'Const', value: this.number(n), ...pos };
      case 'String':
        return { type: 'Const', value: { kind: 'str', value: this.string(n) }, ...pos };
      case 'FormatString':
        return { type: 'FString', parts: this.fparts(n), ...pos };
      case 'ContinuedString': {
        const parts: FPart[] = [];
        let fstring = false;
        for (const c of this.kids(n)) {
          if (c.name === 'FormatString') {
            fstring = true;
            parts.push(...this.fparts(c));
          } else parts.push(this.string(c));
        }
        if (!fstring) return { type: 'Const', value: { kind: 'str', value: parts.join('') }, ...pos };
        return { type: 'FString', parts, ...pos };
      }
      case 'Boolean':
        return { type: 'Const', value: { kind: 'bool', value: this.text(n) === 'True' }, ...pos };
      case 'None':
        return { type: 'Const', value: { kind: 'none' }, ...pos };
      case 'Ellipsis':
        return { type: 'Const', value: { kind: 'ellipsis' }, ...pos };
      case 'ParenthesizedExpression': {
        const k = this.kids(n);
        if (k[1].name === 'YieldExpression') return this.yieldExpr(k[1]);
        return this.expr(k[1]);
      }
      case 'YieldExpression':
        return this.yieldExpr(n);
      case 'TupleExpression': {
        const k = this.kids(n).slice(1, -1);
        return this.exprList(k, n.from, n.to, true);
      }
      case 'ArrayExpression':
      case 'SetExpression': {
        const k = this.kids(n).slice(1, -1);
        const t = this.exprList(k, n.from, n.to, true) as { elts: Expr[] };
        return { type: n.name === 'ArrayExpression' ? 'List' : 'Set', elts: t.elts, ...pos };
      }
      case 'DictionaryExpression': {
        const k = this.kids(n).slice(1, -1);
        const keys: (Expr | null)[] = [];
        const values: Expr[] = [];
        for (let i = 0; i < k.length; i++) {
          if (k[i].name === ',') continue;
          if (k[i].name === '**') {
            keys.push(null);
            values.push(this.expr(k[++i]));
          } else {
            keys.push(this.expr(k[i]));
            values.push(this.expr(k[i + 2]));
            i += 2;
          }
        }
        return { type: 'Dict', keys, values, ...pos };
      }
      case 'ArrayComprehensionExpression':
        return this.comprehension('ListComp', this.kids(n).slice(1, -1), n.from, n.to);
      case 'SetComprehensionExpression':
        return this.comprehension('SetComp', this.kids(n).slice(1, -1), n.from, n.to);
      case 'DictionaryComprehensionExpression':
        return this.comprehension('DictComp', this.kids(n).slice(1, -1), n.from, n.to);
      case 'ComprehensionExpression':
        return this.comprehension('GenExp', this.kids(n).slice(1, -1), n.from, n.to);
      case 'UnaryExpression':
        return this.unary(n);
      case 'BinaryExpression':
        return this.binary(n);
      case 'ConditionalExpression': {
        const k = this.kids(n);
        return {
          type: 'IfExp',
          body: this.expr(k[0]),
          test: this.expr(k[2]),
          orelse: this.expr(k[4]),
          ...pos,
        };
      }
      case 'LambdaExpression': {
        const k = this.kids(n);
        const pl = k.find((c) => c.name === 'ParamList');
        return {
          type: 'Lambda',
          params: pl ? this.params(pl) : [],
          body: this.expr(k[k.length - 1]),
          ...pos,
        };
      }
      case 'CallExpression': {
        const k = this.kids(n);
        return { type: 'Call', fn: this.expr(k[0]), args: this.args(k[1]), ...pos };
      }
      case 'MemberExpression': {
        const k = this.kids(n);
        const obj = this.expr(k[0]);
        if (k[1].name === '.') return { type: 'Attribute', obj, attr: this.text(k[2]), ...pos };
        return {
          type: 'Subscript',
          obj,
          index: this.subscript(k.slice(2, -1), k[1].to, k[k.length - 1].from),
          ...pos,
        };
      }
      case 'NamedExpression': {
        const k = this.kids(n);
        return { type: 'NamedExpr', target: this.expr(k[0]), value: this.expr(k[2]), ...pos };
      }
      default:
        throw this.error(n.from, 'invalid syntax');
    }
  }

  private subscript(k: SyntaxNode[], from: number, to: number): Expr {
    const items: Expr[] = [];
    let group: SyntaxNode[] = [];
    let trailing = false;
    const flush = () => {
      if (group.length === 0) return;
      if (group.some((c) => c.name === ':')) {
        const parts: (Expr | undefined)[] = [undefined];
        for (const c of group) {
          if (c.name === ':') parts.push(undefined);
          else parts[parts.length - 1] = this.expr(c);
        }
        items.push({
          type: 'Slice',
          lo: parts[0],
          hi: parts[1],
          step: parts[2],
          from: group[0].from,
          to: group[group.length - 1].to,
        });
      } else items.push(this.expr(group[0]));
      group = [];
    };
    for (const c of k) {
      if (c.name === ',') {
        flush();
        trailing = true;
      } else {
        trailing = false;
        group.push(c);
      }
    }
    flush();
    if (items.length === 1 && !trailing) return items[0];
    return { type: 'Tuple', elts: items, from, to };
  }

  private unary(n: SyntaxNode): Expr {
    const k = this.kids(n);
    const op = this.text(k[0]);
    const operand = this.expr(k[1]);
    if (op === 'not' && operand.type === 'BoolOp' && k[1].name === 'BinaryExpression') {
      // The grammar lets `not` swallow a following `and`/`or`: Python binds `not` tighter.
      return this.pushNotDown(operand, n.from);
    }
    return { type: 'UnaryOp', op, operand, from: n.from, to: n.to };
  }

  private pushNotDown(e: Extract<Expr, { type: 'BoolOp' }>, from: number): Expr {
    const left: Expr =
      e.left.type === 'BoolOp' && e.left.from === e.from
        ? this.pushNotDown(e.left, from)
        : { type: 'UnaryOp', op: 'not', operand: e.left, from, to: e.left.to };
    return { ...e, left, from };
  }

  private binary(n: SyntaxNode): Expr {
    const k = this.kids(n);
    const left = this.expr(k[0]);
    let i = 1;
    let op = this.text(k[i++]);
    if (op === 'not' || (op === 'is' && k[i].name === 'not')) {
      op = op === 'not' ? 'not in' : 'is not';
      i++;
    }
    const right = this.expr(k[i]);
    const pos = { from: n.from, to: n.to };
    if (op === 'and' || op === 'or') return { type: 'BoolOp', op, left, right, ...pos };
    if (COMPARE.has(op)) {
      if (left.type === 'Compare' && k[0].name === 'BinaryExpression') {
        return {
          type: 'Compare',
          left: left.left,
          ops: [...left.ops, op],
          rights: [...left.rights, right],
          ...pos,
        };
      }
      return { type: 'Compare', left, ops: [op], rights: [right], ...pos };
    }
    return { type: 'BinOp', op, left, right, ...pos };
  }

  private number(n: SyntaxNode): Constant {
    const t = this.text(n).replace(/_/g, '').toLowerCase();
    if (t.endsWith('j')) throw this.error(n.from, 'complex numbers are not supported');
    if (/^0[xob]/.test(t)) return intConst(BigInt(t));
    if (/[.e]/.test(t) && !t.startsWith('0x')) return { kind: 'float', value: Number(t) };
    if (/^0+\d/.test(t))
      throw this.error(
        n.from,
        'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
      );
    return intConst(BigInt(t));
  }

  private string(n: SyntaxNode): string {
    const t = this.text(n);
    const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(t)!;
    const prefix = m[1].toLowerCase();
    if (prefix.includes('b')) throw this.error(n.from, 'bytes literals are not supported');
    const body = t.slice(m[0].length, t.length - m[2].length);
    return prefix.includes('r') ? body : decodeString(body);
  }

  private fparts(n: SyntaxNode): FPart[] {
    const t = this.text(n);
    const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(t)!;
    const raw = m[1].toLowerCase().includes('r');
    const start = n.from + m[0].length;
    const end = n.to - m[2].length;
    return this.fpartsBetween(n, start, end, raw);
  }

  private fpartsBetween(n: SyntaxNode, start: number, end: number, raw: boolean): FPart[] {
    const parts: FPart[] = [];
    let at = start;
    const literal = (s: string) => {
      const text = s.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      if (text) parts.push(raw ? text : decodeString(text));
    };
    for (const c of this.kids(n)) {
      if (c.name !== 'FormatReplacement') continue;
      literal(this.src.slice(at, c.from));
      parts.push(this.replacement(c, raw));
      at = c.to;
    }
    literal(this.src.slice(at, end));
    return parts;
  }

  private replacement(n: SyntaxNode, raw: boolean): FPart {
    const k = this.kids(n).filter((c) => c.name !== '{' && c.name !== '}');
    let conv = '';
    let spec: FPart[] | null = null;
    let selfDoc = '';
    const exprNodes: SyntaxNode[] = [];
    const all = this.kids(n);
    for (const c of k) {
      if (c.name === 'FormatConversion') conv = this.text(c).slice(1);
      else if (c.name === 'FormatSpec') spec = this.fpartsBetween(c, c.from + 1, c.to, raw);
      else if (c.name === 'FormatSelfDoc') {
        const next = all.find((x) => x.from >= c.to);
        selfDoc = this.src.slice(n.from + 1, next ? next.from : c.to);
      } else exprNodes.push(c);
    }
    if (exprNodes.length === 0) throw this.error(n.from, "f-string: valid expression required before '}'");
    const expr = this.exprList(exprNodes, exprNodes[0].from, exprNodes[exprNodes.length - 1].to);
    if (selfDoc && !conv && !spec) conv = 'r';
    return { expr, conv, spec, selfDoc };
  }
}

function intConst(v: bigint): Constant {
  const n = Number(v);
  return { kind: 'int', value: Number.isSafeInteger(n) ? n : v };
}
