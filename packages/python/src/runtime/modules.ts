import { NULL_REF, type Ref } from '@heaplab/core';
import { compileModule } from '../compiler/compile.js';
import { LineMap, parsePython } from '../parse.js';
import { type NativeFn, type PyType, PyType as PyTypeClass, raise } from './pytype.js';
import type { Runtime, TableData } from './runtime.js';
import { dictKeysSize, setTableSize } from './tables.js';
import { WEAKREF_PRELUDE } from './weakref-prelude.js';

/** `import name`: pushes the module (made on first import). */
export function importModule(rt: Runtime, name: string): Ref {
  const existing = rt.modules.get(name);
  if (existing !== undefined) return rt.push(existing);
  const factory = rt.moduleFactories.get(name);
  if (!factory) raise('ModuleNotFoundError', `No module named '${name}'`);
  const m = factory(rt);
  rt.modules.set(name, m);
  return rt.push(m);
}

/** Adds a native function to a module. */
export function defFunction(rt: Runtime, m: Ref, name: string, fn: NativeFn): void {
  const b = rt.staticBuiltin(name, fn);
  rt.heap.set(b, 0, m);
  rt.moduleSet(m, name, b);
}

/** Sets a module attribute to a value made by `make` (which pushes it). */
export function defValue(rt: Runtime, m: Ref, name: string, make: () => Ref): void {
  const v = make();
  rt.moduleSet(m, name, v);
  rt.pop();
}

/** Runs Python source inside module `m` (its definitions become the module's attributes). */
export function runInModule(rt: Runtime, m: Ref, source: string, file: string): void {
  const code = compileModule(parsePython(source), file, new LineMap(source));
  rt.vm.runModule(code, m);
}

/** The `sys` module. */
export function makeSys(
  rt: Runtime,
  options: { recursionLimit: () => number; setRecursionLimit: (n: number) => void },
): Ref {
  const m = rt.newModule('sys');
  defFunction(rt, m, 'getrefcount', (rt, a) => {
    if (a.length !== 1) raise('TypeError', `getrefcount() takes exactly one argument (${a.length} given)`);
    if (!rt.counting) {
      raise(
        'RuntimeError',
        `[heaplab] sys.getrefcount() needs a collector that maintains reference counts; '${rt.heap.collector.name}' does not`,
      );
    }
    const immortalNow = rt.isImmortal(a[0]) && rt.profile !== 'cpython-3.11';
    return rt.newInt(immortalNow ? 4294967295 : rt.heap.refcount(a[0]));
  });
  defFunction(rt, m, 'getsizeof', (rt, a) => {
    const t = rt.typeOf(a[0]);
    let size = rt.heap.sizeOf(a[0]);
    if (t.user && !t.slotNames && t.kind === 'instance') size = 56;
    if (t.kind === 'list') size = rt.heap.types.get(t.heapType).baseSize + 8 * rt.listAllocated(a[0]);
    if (t.kind === 'dict') size = rt.heap.types.get(t.heapType).baseSize + dictKeysSize(rt, a[0]);
    if (t.kind === 'set' || t.kind === 'frozenset')
      size = rt.heap.types.get(t.heapType).baseSize + setTableSize(rt, a[0]);
    const shared = t.kind === 'dict' ? rt.pl<TableData>(a[0]).shared : undefined;
    if (shared)
      size = 64 + 8 * ((shared.kind === 'instance' ? shared.instanceKeys.size : 0) + shared.sharedUsable);
    return rt.newInt(size);
  });
  defFunction(rt, m, 'intern', (rt, a) => rt.push(rt.intern(rt.strValue(a[0], 'intern() argument'))));
  defFunction(rt, m, 'getrecursionlimit', (rt) => rt.newInt(options.recursionLimit()));
  defFunction(rt, m, 'setrecursionlimit', (rt, a) => {
    const n = rt.index(a[0]);
    if (n < 1) raise('ValueError', 'recursion limit must be greater or equal than 1');
    options.setRecursionLimit(n);
    return rt.pushNone();
  });
  defFunction(rt, m, 'exit', (rt, a) => {
    const code = a.length && a[0] !== rt.None ? a[0] : rt.None;
    const exc = rt.vm.call(rt.builtins.get('SystemExit')!, code === rt.None ? [] : [code]);
    return rt.vm.raiseObject(exc);
  });
  const version = {
    'cpython-3.11': [3, 11, 7],
    'cpython-3.12': [3, 12, 1],
    'cpython-3.13': [3, 13, 0],
    'cpython-3.14': [3, 14, 2],
  }[rt.profile];
  defValue(rt, m, 'version_info', () => {
    for (const v of version) rt.newInt(v);
    return rt.packTuple(3);
  });
  defValue(rt, m, 'version', () => rt.newStr(`${version.join('.')} (heaplab simulation)`));
  defValue(rt, m, 'maxsize', () => rt.newInt(2n ** 63n - 1n));
  const io = rt.types.get('TextIOWrapper') ?? makeTextIO(rt);
  rt.stdoutObject = rt.staticObject(io.heapType, 'stdout', 16);
  rt.stderrObject = rt.staticObject(io.heapType, 'stderr', 16);
  rt.moduleSet(m, 'stdout', rt.stdoutObject);
  rt.moduleSet(m, 'stderr', rt.stderrObject);
  defValue(rt, m, 'platform', () => rt.newStr('linux'));
  defValue(rt, m, 'implementation', () => rt.newStr('heaplab'));
  return m;
}

function makeTextIO(rt: Runtime): PyType {
  const heapType = rt.heap.defineType({ name: 'TextIOWrapper', baseSize: 16 });
  const t = new PyTypeClass('TextIOWrapper', heapType, 'object', '_io');
  t.mro = [t, rt.type('object')];
  t.bases = [rt.type('object')];
  rt.types.set('TextIOWrapper', t);
  rt.typeById[heapType] = t;
  t.ref = rt.staticObject(rt.ht.type, t, 1072, undefined, true);
  rt.defMethod(t, 'write', (rt, a) => {
    const text = rt.strValue(a[1], 'write() argument');
    if (a[0] === rt.stderrObject) rt.err(text);
    else rt.out(text);
    return rt.newInt(text.length);
  });
  rt.defMethod(t, 'flush', (rt) => rt.pushNone());
  return t;
}

/** The `types` module. */
export function makeTypes(rt: Runtime): Ref {
  const m = rt.newModule('types');
  const names: [string, string][] = [
    ['FunctionType', 'function'],
    ['LambdaType', 'function'],
    ['MethodType', 'method'],
    ['BuiltinFunctionType', 'builtin_function_or_method'],
    ['BuiltinMethodType', 'builtin_function_or_method'],
    ['GeneratorType', 'generator'],
    ['ModuleType', 'module'],
    ['CellType', 'cell'],
    ['NoneType', 'NoneType'],
  ];
  for (const [n, t] of names) rt.moduleSet(m, n, rt.type(t).ref);
  return m;
}

/** The `weakref` module. */
export function makeWeakref(rt: Runtime): Ref {
  const m = rt.newModule('weakref');
  rt.modules.set('weakref', m);
  const refType = rt.type('ReferenceType');
  const proxyType = rt.type('ProxyType');
  rt.moduleSet(m, 'ref', refType.ref);
  rt.moduleSet(m, 'ReferenceType', refType.ref);
  rt.moduleSet(m, 'ProxyType', proxyType.ref);
  defFunction(rt, m, 'proxy', (rt, a) => newWeakref(rt, rt.ht.proxy, a));
  defFunction(rt, m, 'getweakrefcount', (rt, a) => rt.newInt(rt.heap.weakrefsTo(a[0]).length));
  defFunction(rt, m, 'getweakrefs', (rt, a) => rt.newList(rt.heap.weakrefsTo(a[0])));
  runInModule(rt, m, WEAKREF_PRELUDE, '<frozen weakref>');
  return m;
}

/** `weakref.ref(obj[, callback])` / `weakref.proxy(...)`: pushes the weak reference. */
export function newWeakref(rt: Runtime, type: number, a: readonly Ref[]): Ref {
  if (a.length < 1 || a.length > 2) raise('TypeError', `expected 1 or 2 arguments, got ${a.length}`);
  const t: PyType = rt.typeOf(a[0]);
  if (!t.weakrefable || !rt.heap.typeOf(a[0]).weakrefable) {
    raise('TypeError', `cannot create weak reference to '${t.name}' object`);
  }
  const callback = a.length === 2 && a[1] !== rt.None ? a[1] : NULL_REF;
  return rt.heap.createWeakref(type, a[0], { callback });
}
