/** Source position of a node: offsets into the source text. */
export interface Pos {
  /** Start offset. */
  readonly from: number;
  /** End offset. */
  readonly to: number;
}

/** A literal constant. */
export type Constant =
  | { readonly kind: 'int'; readonly value: number | bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'ellipsis' };

/** One argument of a call. */
export interface Arg {
  readonly kind: 'pos' | 'star' | 'kw' | 'dstar';
  readonly name?: string;
  readonly value: Expr;
}

/** A parameter of a function or lambda. */
export interface Param {
  readonly kind: 'pos' | 'star' | 'kwonly' | 'dstar';
  readonly name: string;
  readonly default?: Expr;
}

/** One `for ... in ... if ...` clause of a comprehension. */
export interface Comprehension {
  readonly target: Expr;
  readonly iter: Expr;
  readonly ifs: Expr[];
}

/** A piece of an f-string: literal text or a replacement field. */
export type FPart =
  | string
  | { readonly expr: Expr; readonly conv: string; readonly spec: FPart[] | null; readonly selfDoc: string };

/** An expression. */
export type Expr = Pos &
  (
    | { readonly type: 'Name'; readonly id: string }
    | { readonly type: 'Const'; readonly value: Constant }
    | { readonly type: 'Attribute'; readonly obj: Expr; readonly attr: string }
    | { readonly type: 'Subscript'; readonly obj: Expr; readonly index: Expr }
    | { readonly type: 'Slice'; readonly lo?: Expr; readonly hi?: Expr; readonly step?: Expr }
    | { readonly type: 'BinOp'; readonly op: string; readonly left: Expr; readonly right: Expr }
    | { readonly type: 'UnaryOp'; readonly op: string; readonly operand: Expr }
    | { readonly type: 'BoolOp'; readonly op: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
    | { readonly type: 'Compare'; readonly left: Expr; readonly ops: string[]; readonly rights: Expr[] }
    | { readonly type: 'Call'; readonly fn: Expr; readonly args: Arg[] }
    | { readonly type: 'IfExp'; readonly test: Expr; readonly body: Expr; readonly orelse: Expr }
    | { readonly type: 'Lambda'; readonly params: Param[]; readonly body: Expr }
    | { readonly type: 'Tuple' | 'List' | 'Set'; readonly elts: Expr[] }
    | { readonly type: 'Dict'; readonly keys: (Expr | null)[]; readonly values: Expr[] }
    | { readonly type: 'Starred'; readonly value: Expr }
    | {
        readonly type: 'ListComp' | 'SetComp' | 'GenExp' | 'DictComp';
        readonly elt: Expr;
        readonly value?: Expr;
        readonly generators: Comprehension[];
      }
    | { readonly type: 'FString'; readonly parts: FPart[] }
    | { readonly type: 'Yield'; readonly value?: Expr; readonly isFrom: boolean }
    | { readonly type: 'NamedExpr'; readonly target: Expr; readonly value: Expr }
  );

/** An `except` clause. */
export interface Handler extends Pos {
  readonly exc?: Expr;
  readonly name?: string;
  readonly body: Stmt[];
}

/** A statement. */
export type Stmt = Pos &
  (
    | { readonly type: 'Expr'; readonly value: Expr }
    | { readonly type: 'Assign'; readonly targets: Expr[]; readonly value: Expr }
    | { readonly type: 'AugAssign'; readonly target: Expr; readonly op: string; readonly value: Expr }
    | { readonly type: 'AnnAssign'; readonly target: Expr; readonly value?: Expr }
    | { readonly type: 'Delete'; readonly targets: Expr[] }
    | { readonly type: 'Pass' | 'Break' | 'Continue' }
    | { readonly type: 'Return'; readonly value?: Expr }
    | { readonly type: 'If'; readonly test: Expr; readonly body: Stmt[]; readonly orelse: Stmt[] }
    | { readonly type: 'While'; readonly test: Expr; readonly body: Stmt[]; readonly orelse: Stmt[] }
    | {
        readonly type: 'For';
        readonly target: Expr;
        readonly iter: Expr;
        readonly body: Stmt[];
        readonly orelse: Stmt[];
      }
    | {
        readonly type: 'FunctionDef';
        readonly name: string;
        readonly params: Param[];
        readonly body: Stmt[];
        readonly decorators: Expr[];
      }
    | {
        readonly type: 'ClassDef';
        readonly name: string;
        readonly bases: Arg[];
        readonly body: Stmt[];
        readonly decorators: Expr[];
      }
    | {
        readonly type: 'Try';
        readonly body: Stmt[];
        readonly handlers: Handler[];
        readonly orelse: Stmt[];
        readonly finalbody: Stmt[];
      }
    | { readonly type: 'Raise'; readonly exc?: Expr; readonly cause?: Expr }
    | { readonly type: 'Assert'; readonly test: Expr; readonly msg?: Expr }
    | { readonly type: 'Global' | 'Nonlocal'; readonly names: string[] }
    | { readonly type: 'Import'; readonly names: { name: string; asname?: string }[] }
    | {
        readonly type: 'ImportFrom';
        readonly module: string;
        readonly names: { name: string; asname?: string }[];
      }
    | {
        readonly type: 'With';
        readonly items: { expr: Expr; target?: Expr }[];
        readonly body: Stmt[];
      }
  );

/** A statement of a given kind. */
export type StmtOf<K extends Stmt['type']> = Extract<Stmt, { type: K }>;
/** An expression of a given kind. */
export type ExprOf<K extends Expr['type']> = Extract<Expr, { type: K }>;
