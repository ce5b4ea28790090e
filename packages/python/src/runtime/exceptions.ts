import { NULL_REF, type Ref } from '@heaplab/core';
import type { TracebackEntry } from '../vm/frame.js';
import { instanceAttr, setInstanceAttr } from './attrs.js';
import { callClass, createClass } from './classes.js';
import { type PyType, raise } from './pytype.js';
import { pyRepr, pyStr } from './repr.js';
import type { Runtime } from './runtime.js';

const HIERARCHY: [string, string][] = [
  ['SystemExit', 'BaseException'],
  ['KeyboardInterrupt', 'BaseException'],
  ['GeneratorExit', 'BaseException'],
  ['Exception', 'BaseException'],
  ['StopIteration', 'Exception'],
  ['ArithmeticError', 'Exception'],
  ['ZeroDivisionError', 'ArithmeticError'],
  ['OverflowError', 'ArithmeticError'],
  ['FloatingPointError', 'ArithmeticError'],
  ['AssertionError', 'Exception'],
  ['AttributeError', 'Exception'],
  ['LookupError', 'Exception'],
  ['IndexError', 'LookupError'],
  ['KeyError', 'LookupError'],
  ['NameError', 'Exception'],
  ['UnboundLocalError', 'NameError'],
  ['RuntimeError', 'Exception'],
  ['RecursionError', 'RuntimeError'],
  ['NotImplementedError', 'RuntimeError'],
  ['TypeError', 'Exception'],
  ['ValueError', 'Exception'],
  ['UnicodeError', 'ValueError'],
  ['ImportError', 'Exception'],
  ['ModuleNotFoundError', 'ImportError'],
  ['MemoryError', 'Exception'],
  ['ReferenceError', 'Exception'],
  ['OSError', 'Exception'],
  ['EOFError', 'Exception'],
  ['SyntaxError', 'Exception'],
  ['IndentationError', 'SyntaxError'],
  ['Warning', 'Exception'],
  ['UserWarning', 'Warning'],
  ['DeprecationWarning', 'Warning'],
  ['RuntimeWarning', 'Warning'],
  ['ResourceWarning', 'Warning'],
];

/** Creates the builtin exception classes and registers them as builtins. */
export function setupExceptions(rt: Runtime): void {
  const base = createClass(rt, 'BaseException', [], [], { module: 'builtins', builtin: true });
  for (const k of ['args', '__traceback__', '__context__', '__cause__'])
    base.instanceKeys.set(k, base.instanceKeys.size + 1);
  rt.builtins.set('BaseException', base.ref);
  for (const [name, parent] of HIERARCHY) {
    const p = rt.pl<PyType>(rt.builtins.get(parent)!);
    const t = createClass(rt, name, [p], [], { module: 'builtins', builtin: true });
    rt.builtins.set(name, t.ref);
  }
  rt.builtins.set('EnvironmentError', rt.builtins.get('OSError')!);
  rt.builtins.set('IOError', rt.builtins.get('OSError')!);
}

/** Pushes a new exception of builtin class `typeName` with message `message` (none when empty). */
export function makeException(rt: Runtime, typeName: string, message: string): Ref {
  const cls = rt.builtins.get(typeName) ?? rt.builtins.get('RuntimeError')!;
  if (message === '' && typeName !== 'KeyError') return callClass(rt, cls, [], null);
  rt.newStr(message);
  const exc = callClass(rt, cls, [rt.peek()], null);
  rt.dropUnder(1);
  return exc;
}

/** Pushes a new KeyError whose argument is `key` (its repr shows in the message). */
export function makeKeyError(rt: Runtime, key: Ref): Ref {
  return callClass(rt, rt.builtins.get('KeyError')!, [key], null);
}

/** `raise X`: an exception instance for `v` (a class is instantiated, pushed); TypeError otherwise. */
export function normalizeRaise(rt: Runtime, v: Ref): Ref {
  if (rt.kindOf(v) === 'type') {
    const t = rt.pl<PyType>(v);
    if (rt.isExceptionType(t)) return rt.vm.call(v, []);
  } else if (rt.isException(v)) return v;
  return raise('TypeError', 'exceptions must derive from BaseException');
}

/** `except T:` matching: `T` is a class or a tuple of classes. */
export function exceptionMatches(rt: Runtime, exc: Ref, spec: Ref): boolean {
  if (rt.kindOf(spec) === 'tuple') return rt.heap.referents(spec).some((s) => exceptionMatches(rt, exc, s));
  if (rt.kindOf(spec) !== 'type' || !rt.isExceptionType(rt.pl<PyType>(spec))) {
    raise('TypeError', 'catching classes that do not inherit from BaseException is not allowed');
  }
  return rt.typeOf(exc).isSubtypeOf(rt.pl<PyType>(spec));
}

/** An exception attribute stored inline (`__cause__`, `__context__`, `__traceback__`), or 0. */
export function excAttr(rt: Runtime, exc: Ref, name: string): Ref {
  const v = instanceAttr(rt, exc, rt.typeOf(exc), name);
  return v === rt.None ? NULL_REF : v;
}

/** Sets an exception attribute (borrowed value). */
export function setExcAttr(rt: Runtime, exc: Ref, name: string, value: Ref): void {
  setInstanceAttr(rt, exc, rt.typeOf(exc), name, value === 0 ? NULL_REF : value);
}

/** `Type: message` as the last line of a traceback shows it. */
export function exceptionLine(rt: Runtime, exc: Ref): string {
  const t = rt.typeOf(exc);
  const name = t.module === 'builtins' || t.module === '__main__' ? t.name : `${t.module}.${t.name}`;
  let msg: string;
  try {
    msg = pyStr(rt, exc);
  } catch {
    msg = '<exception str() failed>';
  }
  return msg === '' ? name : `${name}: ${msg}`;
}

/** The traceback entries of an exception, outermost first. */
export function tracebackEntries(rt: Runtime, exc: Ref): TracebackEntry[] {
  const out: TracebackEntry[] = [];
  let tb = excAttr(rt, exc, '__traceback__');
  while (tb && tb !== rt.None) {
    out.push(rt.pl<TracebackEntry>(tb));
    tb = rt.heap.get(tb, 0);
  }
  return out;
}

function carets(entry: TracebackEntry, lineText: string): string | null {
  const code = entry.code;
  const lines = code.lines;
  if (entry.from < 0 || lines.line(entry.from) !== entry.line) return null;
  const startCol = lines.column(entry.from);
  const endLine = lines.line(Math.max(entry.from, entry.to - 1));
  if (endLine !== entry.line) return null;
  const endCol = lines.column(entry.to - 1) + 1;
  const indent = lineText.length - lineText.trimStart().length;
  const stripped = lineText.trim();
  if (endCol - startCol >= stripped.length && entry.anchor < 0) return null;
  let marks = '';
  const anchor = entry.anchor;
  if (anchor >= 0 && lines.line(anchor) === entry.line) {
    const src = lines.source;
    const ac = lines.column(anchor);
    let opStart = anchor;
    while (opStart < entry.to && /[\s)]/.test(src[opStart])) opStart++;
    let opEnd = opStart;
    if (src[opStart] === '[') opEnd = entry.to;
    else {
      opEnd = opStart + 1;
      if (/^(\*\*|\/\/|<<|>>)/.test(src.slice(opStart, opStart + 2))) opEnd++;
    }
    const s = lines.column(opStart);
    const e = Math.min(lines.column(opEnd - 1) + 1, endCol);
    for (let c = startCol; c < endCol; c++) marks += c >= s && c < e ? '^' : '~';
    void ac;
  } else marks = '^'.repeat(Math.max(1, endCol - startCol));
  return `    ${' '.repeat(startCol - indent)}${marks}`;
}

/** CPython 3.11's rendering of an exception with its traceback and chained exceptions. */
export function formatException(rt: Runtime, exc: Ref, seen = new Set<Ref>()): string {
  seen.add(exc);
  let out = '';
  const cause = excAttr(rt, exc, '__cause__');
  const context = excAttr(rt, exc, '__context__');
  const suppress = rt.pl<{ suppress: boolean } | undefined>(exc)?.suppress ?? false;
  if (cause && !seen.has(cause)) {
    out += `${formatException(rt, cause, seen)}\nThe above exception was the direct cause of the following exception:\n\n`;
  } else if (context && !suppress && !seen.has(context)) {
    out += `${formatException(rt, context, seen)}\nDuring handling of the above exception, another exception occurred:\n\n`;
  }
  const entries = tracebackEntries(rt, exc);
  if (entries.length) out += 'Traceback (most recent call last):\n';
  out += formatEntries(entries);
  return `${out}${exceptionLine(rt, exc)}\n`;
}

/** Formats traceback entries, collapsing long runs of the same line as CPython does. */
export function formatEntries(entries: TracebackEntry[]): string {
  let out = '';
  let last = '';
  let repeat = 0;
  const flush = () => {
    if (repeat > 3) out += `  [Previous line repeated ${repeat - 3} more time${repeat - 3 > 1 ? 's' : ''}]\n`;
  };
  for (const e of entries) {
    const key = `${e.file}:${e.line}:${e.name}`;
    if (key === last) {
      repeat++;
      if (repeat > 3) continue;
    } else {
      flush();
      last = key;
      repeat = 1;
    }
    out += `  File "${e.file}", line ${e.line}, in ${e.name}\n`;
    const text = e.code.lines.text(e.line);
    if (text.trim()) {
      out += `    ${text.trim()}\n`;
      const c = carets(e, text);
      if (c) out += `${c}\n`;
    }
  }
  flush();
  return out;
}

/** `repr(exc)`: `ValueError('msg')`. */
export function exceptionRepr(rt: Runtime, exc: Ref): string {
  const t = rt.typeOf(exc);
  const args = instanceAttr(rt, exc, t, 'args');
  const items = args ? rt.heap.referents(args) : [];
  if (items.length === 1) return `${t.name}(${pyRepr(rt, items[0])})`;
  return `${t.name}${args ? pyRepr(rt, args) : '()'}`;
}

/** `str(exc)`. */
export function exceptionStr(rt: Runtime, exc: Ref): string {
  const t = rt.typeOf(exc);
  const args = instanceAttr(rt, exc, t, 'args');
  const items = args ? rt.heap.referents(args) : [];
  if (items.length === 0) return '';
  if (items.length === 1) {
    if (t.isSubtypeOf(rt.pl<PyType>(rt.builtins.get('KeyError')!))) return pyRepr(rt, items[0]);
    return pyStr(rt, items[0]);
  }
  return pyRepr(rt, args);
}
