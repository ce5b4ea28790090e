import { type Collector, Heap, HeapLimitError, NULL_REF, type Ref } from '@heaplab/core';
import { createBasicRefcountCollector } from './basic-refcount.js';
import { compileModule } from './compiler/compile.js';
import { registerRuntime } from './module-globals.js';
import type { RunOptions, RunResult, StopInfo } from './options.js';
import { LineMap, PySyntaxError, parsePython } from './parse.js';
import { setupBuiltins } from './runtime/builtins.js';
import { formatException, setupExceptions } from './runtime/exceptions.js';
import { makeGc } from './runtime/gc-module.js';
import { makeSys, makeTypes, makeWeakref } from './runtime/modules.js';
import { PyErr, StopRun } from './runtime/pytype.js';
import { pyStr } from './runtime/repr.js';
import { Runtime } from './runtime/runtime.js';
import { dictSet } from './runtime/tables.js';
import { setupTypes } from './runtime/types-setup.js';
import { formatUnraisable, pythonHost } from './runtime/unraisable.js';
import { materializeAllConsts } from './vm/consts.js';
import { Interpreter } from './vm/interp.js';

function resolveCollector(c: RunOptions['collector']): Collector {
  if (c === undefined) return createBasicRefcountCollector();
  return typeof c === 'function' ? c() : c;
}

/** CPython's report of a syntax error. */
export function formatSyntaxError(e: PySyntaxError, fileName: string, source: string): string {
  const line = new LineMap(source).text(e.line);
  const stripped = line.trimStart();
  const indent = line.length - stripped.length;
  const caret = ' '.repeat(Math.max(0, e.column - 1 - indent));
  const where = line.trim() ? `    ${line.trim()}\n    ${caret}^\n` : '';
  return `  File "${fileName}", line ${e.line}\n${where}${e.kind}: ${e.message}\n`;
}

/**
 * Runs a Python program on a new simulated heap and returns its exit status and the heap.
 * Output goes to `options.stdout` and `options.stderr` as the program writes it; an uncaught
 * exception prints CPython's traceback and gives exit code 1; a limit stops the program with a
 * message and sets `stopped`. Errors in the program never throw: only heaplab defects do.
 */
export function runPython(source: string, options: RunOptions = {}): RunResult {
  const heap = new Heap({ collector: resolveCollector(options.collector), heapLimit: options.heapLimit });
  options.onHeap?.(heap);
  const out = options.stdout ?? (() => {});
  const err = options.stderr ?? (() => {});
  const fileName = options.fileName ?? '<string>';
  let code: ReturnType<typeof compileModule>;
  try {
    code = compileModule(parsePython(source), fileName, new LineMap(source));
  } catch (e) {
    const syntax = e instanceof RangeError ? new PySyntaxError('too many nested parentheses', 1, 1) : e;
    if (syntax instanceof PySyntaxError) {
      err(formatSyntaxError(syntax, fileName, source));
      return { exitCode: 1, heap };
    }
    throw e;
  }
  const rt = new Runtime(heap, options.profile ?? 'cpython-3.11');
  rt.makeMainDict(fileName);
  registerRuntime(heap, rt);
  rt.out = out;
  rt.err = err;
  heap.host = pythonHost(rt) as unknown as Heap['host'];
  const limits = {
    maxSteps: options.maxSteps ?? Number.POSITIVE_INFINITY,
    deadline: options.timeLimitMs !== undefined ? Date.now() + options.timeLimitMs : Number.POSITIVE_INFINITY,
    recursionLimit: options.recursionLimit ?? 1000,
    onStatement: (line: number, step: number) => {
      if (rt.pendingStop) {
        const stop = rt.pendingStop;
        rt.pendingStop = undefined;
        throw stop;
      }
      options.onStatement?.({ line, step, heap });
    },
  };
  const vm = new Interpreter(rt, limits);
  rt.vm = vm;
  setupExceptions(rt);
  setupBuiltins(rt);
  setupTypes(rt);
  rt.memoryError = rt.vm.call(rt.builtins.get('MemoryError')!, []);
  heap.roots.pin(rt.memoryError);
  heap.roots.pop();
  rt.moduleFactories.set('gc', makeGc);
  rt.moduleFactories.set('weakref', makeWeakref);
  rt.moduleFactories.set('types', makeTypes);
  rt.moduleFactories.set('sys', (rt) =>
    makeSys(rt, {
      recursionLimit: () => limits.recursionLimit,
      setRecursionLimit: (n) => {
        limits.recursionLimit = n;
      },
    }),
  );
  let exitCode = 0;
  let stopped: StopInfo | undefined;
  const runGuarded = (body: () => void): boolean => {
    try {
      body();
      if (rt.pendingStop) throw rt.pendingStop;
      return true;
    } catch (e) {
      if (e instanceof PyErr) {
        exitCode = reportUncaught(rt, e);
        return false;
      }
      if (e instanceof StopRun) {
        if (e.reason === 'exit') {
          exitCode = e.code;
          return false;
        }
        err(`${e.message}\n`);
        stopped = { reason: e.reason, message: e.message };
        exitCode = 1;
        return false;
      }
      if (e instanceof HeapLimitError) {
        stopped = { reason: 'heap', message: e.message };
        err(`MemoryError: ${e.message}\n`);
        exitCode = 1;
        return false;
      }
      const message = `[heaplab] [python] internal error: ${e instanceof Error ? e.message : String(e)}`;
      if (typeof process !== 'undefined' && process.env?.HEAPLAB_DEBUG) console.error(e);
      err(`${message}\n`);
      stopped = { reason: 'internal', message };
      exitCode = 1;
      return false;
    }
  };
  const ok = runGuarded(() => {
    materializeAllConsts(rt, code);
    vm.runModule(code);
  });
  if (stopped === undefined) {
    runGuarded(() => shutdown(rt));
  }
  void ok;
  return stopped ? { exitCode, heap, stopped } : { exitCode, heap };
}

function reportUncaught(rt: Runtime, e: PyErr): number {
  if (rt.errorIs(e, 'SystemExit')) {
    const exc = e.exc;
    let code = 0;
    if (exc) {
      const args = rt.heap.referents(rt.heap.get(exc, rt.typeOf(exc).instanceKeys.get('args')!));
      if (args.length === 1 && args[0] !== rt.None) {
        if (rt.isInt(args[0])) code = rt.index(args[0]);
        else {
          rt.err(`${pyStr(rt, args[0])}\n`);
          code = 1;
        }
      }
    }
    rt.releaseErr(e);
    return code;
  }
  if (!e.exc) {
    formatUnraisable(rt, e, '');
    return 1;
  }
  rt.err(formatException(rt, e.exc));
  rt.releaseErr(e);
  return 1;
}

/** Interpreter shutdown: `weakref.finalize` exit hooks, then module globals cleared as CPython does. */
function shutdown(rt: Runtime): void {
  const weakref = rt.modules.get('weakref');
  if (weakref) {
    const exitfunc = rt.moduleGet(weakref, '_exitfunc');
    if (exitfunc) {
      try {
        rt.vm.call(exitfunc, []);
        rt.pop();
      } catch (e) {
        if (!(e instanceof PyErr)) throw e;
        formatUnraisable(rt, e, `<function _exitfunc>`);
      }
    }
  }
  // `__main__` leaves `sys.modules`: its dict lives on only while a cycle holds it (its functions
  // refer to it), which the last full collection reclaims, finalizers first, in collection order.
  const heap = rt.heap;
  const d = rt.mainDict;
  const cycles = heap.traits.reclaimsCycles;
  heap.roots.unpin(d);
  if (cycles) heap.collect({ kind: 'full', reason: 'end' });
  if (!heap.isAlive(d)) return;
  // Still alive (no cycle collector, or frozen): cleared as a module that outlives its removal.
  rt.push(d);
  clearModuleDict(rt, d);
  rt.pop();
  if (cycles) heap.collect({ kind: 'full', reason: 'end' });
}

/** Sets `__main__`'s names to None: one-underscore names first, then the rest but `__builtins__`. */
function clearModuleDict(rt: Runtime, d: Ref): void {
  const heap = rt.heap;
  for (const pass of [0, 1]) {
    // Entry by entry as the dict stands (a finalizer may add or delete globals meanwhile).
    for (let k = 0; 2 * k < heap.length(d); k++) {
      const key = heap.get(d, 2 * k);
      if (key === NULL_REF || heap.get(d, 2 * k + 1) === rt.None || rt.kindOf(key) !== 'str') continue;
      const name = rt.pl<string>(key);
      const underscore = name.startsWith('_') && !name.startsWith('__');
      if (pass === 0 ? underscore : name !== '__builtins__') dictSet(rt, d, key, rt.None);
    }
  }
}
