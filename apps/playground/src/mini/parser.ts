/** A located error in a program: syntax errors and runtime errors of the sketch engine. */
export class ProgramError extends Error {
  /** Creates the error; `kind` is the Python exception name (`SyntaxError`, `NameError`...). */
  constructor(
    readonly kind: string,
    message: string,
    readonly line: number,
    readonly column = 1,
  ) {
    super(message);
  }
}

/** An expression of the sketch subset. */
export type Expr =
  | { readonly t: 'num'; readonly value: number }
  | { readonly t: 'str'; readonly value: string }
  | { readonly t: 'const'; readonly value: 'None' | 'True' | 'False' }
  | { readonly t: 'name'; readonly name: string }
  | { readonly t: 'attr'; readonly obj: Expr; readonly name: string }
  | { readonly t: 'index'; readonly obj: Expr; readonly index: Expr }
  | { readonly t: 'call'; readonly fn: Expr; readonly args: readonly Expr[] }
  | { readonly t: 'list'; readonly items: readonly Expr[] }
  | { readonly t: 'bin'; readonly op: string; readonly left: Expr; readonly right: Expr };

/** A statement of the sketch subset; `line` is 1-based. */
export type Stmt = { readonly line: number } & (
  | { readonly t: 'expr'; readonly expr: Expr }
  | { readonly t: 'assign'; readonly target: Expr; readonly value: Expr; readonly op: string }
  | { readonly t: 'del'; readonly target: Expr }
  | { readonly t: 'pass' }
  | { readonly t: 'import'; readonly names: readonly string[] }
  | { readonly t: 'class'; readonly name: string; readonly body: readonly Stmt[] }
  | { readonly t: 'for'; readonly name: string; readonly iter: Expr; readonly body: readonly Stmt[] }
);

interface Token {
  readonly k: 'num' | 'str' | 'name' | 'op' | 'end';
  readonly v: string;
  readonly col: number;
}

const TOKEN =
  /\s*(?:(\d+)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_]\w*)|(\/\/=?|[+\-*%/]=|[()[\],.:=+\-*%/]))/y;

function tokenize(text: string, line: number): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*(#.*)?$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new ProgramError('SyntaxError', 'invalid syntax', line, pos + 1);
    const col = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4]).length + 1;
    if (m[1]) out.push({ k: 'num', v: m[1], col });
    else if (m[2]) out.push({ k: 'str', v: unquote(m[2]), col });
    else if (m[3]) out.push({ k: 'name', v: m[3], col });
    else out.push({ k: 'op', v: m[4], col });
    pos = TOKEN.lastIndex;
  }
  out.push({ k: 'end', v: '', col: text.length + 1 });
  return out;
}

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
}

class LineParser {
  private p = 0;
  constructor(
    private readonly toks: Token[],
    readonly line: number,
  ) {}

  word(w: string): boolean {
    const t = this.toks[this.p];
    return t.k === 'name' && t.v === w;
  }
  peek(v?: string): boolean {
    const t = this.toks[this.p];
    return v === undefined ? t.k !== 'end' : t.k === 'op' && t.v === v;
  }
  next(): Token {
    return this.toks[this.p++];
  }
  fail(msg = 'invalid syntax'): never {
    throw new ProgramError('SyntaxError', msg, this.line, this.toks[this.p].col);
  }
  expect(v: string): void {
    if (!this.peek(v)) this.fail(`expected '${v}'`);
    this.p++;
  }
  name(): string {
    const t = this.next();
    if (t.k !== 'name') {
      this.p--;
      this.fail('expected a name');
    }
    return t.v;
  }
  done(): void {
    if (this.toks[this.p].k !== 'end') this.fail();
  }

  expr(): Expr {
    let left = this.term();
    while (this.peek('+') || this.peek('-')) {
      const op = this.next().v;
      left = { t: 'bin', op, left, right: this.term() };
    }
    return left;
  }
  private term(): Expr {
    let left = this.postfix();
    while (this.peek('*') || this.peek('//') || this.peek('%')) {
      const op = this.next().v;
      left = { t: 'bin', op, left, right: this.postfix() };
    }
    return left;
  }
  private postfix(): Expr {
    let e = this.atom();
    for (;;) {
      if (this.peek('.')) {
        this.next();
        e = { t: 'attr', obj: e, name: this.name() };
      } else if (this.peek('(')) {
        this.next();
        e = { t: 'call', fn: e, args: this.list(')') };
      } else if (this.peek('[')) {
        this.next();
        e = { t: 'index', obj: e, index: this.expr() };
        this.expect(']');
      } else return e;
    }
  }
  private list(close: string): Expr[] {
    const items: Expr[] = [];
    while (!this.peek(close)) {
      items.push(this.expr());
      if (!this.peek(close)) this.expect(',');
    }
    this.next();
    return items;
  }
  private atom(): Expr {
    const t = this.next();
    if (t.k === 'num') return { t: 'num', value: Number(t.v) };
    if (t.k === 'str') return { t: 'str', value: t.v };
    if (t.k === 'name') {
      if (t.v === 'None' || t.v === 'True' || t.v === 'False') return { t: 'const', value: t.v };
      return { t: 'name', name: t.v };
    }
    if (t.v === '(') {
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (t.v === '[') return { t: 'list', items: this.list(']') };
    if (t.v === '-') return { t: 'bin', op: '-', left: { t: 'num', value: 0 }, right: this.postfix() };
    this.p--;
    return this.fail();
  }
}

interface RawLine {
  readonly line: number;
  readonly indent: number;
  readonly text: string;
}

/** Parses a program of the sketch subset into statements; throws a located {@link ProgramError}. */
export function parseProgram(source: string): Stmt[] {
  const lines: RawLine[] = [];
  source.split('\n').forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    if (/^\s*(#.*)?$/.test(text)) return;
    if (/^\s*\t/.test(text)) throw new ProgramError('TabError', 'use spaces to indent', i + 1);
    lines.push({ line: i + 1, indent: text.length - text.trimStart().length, text: text.trim() });
  });
  const pos = { i: 0 };
  const body = block(lines, pos, 0);
  if (pos.i < lines.length)
    throw new ProgramError('IndentationError', 'unexpected indent', lines[pos.i].line);
  return body;
}

function block(lines: RawLine[], pos: { i: number }, indent: number): Stmt[] {
  const out: Stmt[] = [];
  while (pos.i < lines.length && lines[pos.i].indent === indent) {
    const raw = lines[pos.i++];
    const p = new LineParser(tokenize(raw.text, raw.line), raw.line);
    const head = compound(p);
    if (head === null) {
      out.push(simple(p));
      continue;
    }
    let body: Stmt[];
    if (p.peek()) body = [simple(p)];
    else {
      const next = lines[pos.i];
      if (!next || next.indent <= indent)
        throw new ProgramError('IndentationError', 'expected an indented block', raw.line);
      body = block(lines, pos, next.indent);
    }
    out.push({ ...head, body });
  }
  if (pos.i < lines.length && lines[pos.i].indent > indent)
    throw new ProgramError('IndentationError', 'unexpected indent', lines[pos.i].line);
  return out;
}

type Head = { line: number; t: 'class'; name: string } | { line: number; t: 'for'; name: string; iter: Expr };

function compound(p: LineParser): Head | null {
  if (p.word('class')) {
    p.next();
    const name = p.name();
    if (p.peek('(')) {
      p.next();
      while (!p.peek(')')) p.next();
      p.next();
    }
    p.expect(':');
    return { line: p.line, t: 'class', name };
  }
  if (p.word('for')) {
    p.next();
    const name = p.name();
    if (p.name() !== 'in') p.fail("expected 'in'");
    const iter = p.expr();
    p.expect(':');
    return { line: p.line, t: 'for', name, iter };
  }
  return null;
}

function simple(p: LineParser): Stmt {
  const line = p.line;
  if (p.word('pass')) {
    p.next();
    p.done();
    return { line, t: 'pass' };
  }
  if (p.word('import')) {
    p.next();
    const names = [p.name()];
    while (p.peek(',')) {
      p.next();
      names.push(p.name());
    }
    p.done();
    return { line, t: 'import', names };
  }
  if (p.word('del')) {
    p.next();
    const target = p.expr();
    p.done();
    return { line, t: 'del', target };
  }
  const first = p.expr();
  for (const op of ['=', '+=', '-=', '*=', '//=', '%=']) {
    if (p.peek(op)) {
      p.next();
      if (first.t !== 'name' && first.t !== 'attr' && first.t !== 'index')
        p.fail('cannot assign to expression');
      const value = p.expr();
      p.done();
      return { line, t: 'assign', target: first, value, op: op.slice(0, -1) };
    }
  }
  p.done();
  return { line, t: 'expr', expr: first };
}
