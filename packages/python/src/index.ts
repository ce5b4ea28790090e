/**
 * `@heaplab/python`: a Python subset that runs on heaplab's simulated heap. Every value is a
 * heap object with CPython 3.11's size; frames and temporaries are roots; `__del__`, weak
 * references and the `gc` module behave as the active collector implies.
 *
 * @packageDocumentation
 */
export type {
  Arg,
  Comprehension,
  Constant,
  Expr,
  ExprOf,
  FPart,
  Handler,
  Param,
  Pos,
  Stmt,
  StmtOf,
} from './ast.js';
export { BASIC_REFCOUNT_NAME, createBasicRefcountCollector } from './basic-refcount.js';
export { type GlobalBinding, type ModuleGlobals, moduleGlobals } from './module-globals.js';
export { normalizeOutput } from './normalize-output.js';
export type { Profile, RunOptions, RunResult, StatementInfo, StopInfo } from './options.js';
export { PySyntaxError, parsePython } from './parse.js';
export { formatSyntaxError, runPython } from './run-python.js';
