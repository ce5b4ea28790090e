import type { Heap, ObjIndex } from '@heaplab/core';
import { formatSyntaxError, moduleGlobals, PySyntaxError, parsePython, runPython } from '@heaplab/python';
import type { Engine, EngineGlobals, EngineOptions, EngineResult, ProgramFault } from './engine.js';

const FILE = '<playground>';
/** The CPython version modelled: the one the "Real CPython" panel runs. */
const PROFILE = 'cpython-3.14';

/** Objects made by the runtime (start-up, module preludes): drawn only where the program refers to them. */
const runtimeObjects = new WeakMap<Heap, Set<number>>();

/**
 * Where the interpreter is: the program's code, an import's module body (its prelude), or code
 * outside the program's module (interpreter shutdown running exit hooks).
 */
function whereIs(heap: Heap): 'program' | 'import' | 'outside' {
  const frames = heap.roots.frames();
  for (let d = 2; d < frames.length; d++) if (frames[d].name === '<module>') return 'import';
  return frames[1]?.name === '<module>' ? 'program' : 'outside';
}

function faultFrom(stderr: string): ProgramFault | undefined {
  const lines = stderr.trimEnd().split('\n');
  const last = lines.at(-1) ?? '';
  const m = /^(\w+(?:Error|Exception|Exit|Interrupt)?): ?(.*)$/.exec(last);
  if (!m) return undefined;
  const at = [...stderr.matchAll(new RegExp(`File "${FILE}", line (\\d+)`, 'g'))].at(-1);
  return { kind: m[1], message: m[2], line: at ? Number(at[1]) : 0, column: 1 };
}

function run(source: string, options: EngineOptions): EngineResult {
  try {
    parsePython(source);
  } catch (e) {
    if (!(e instanceof PySyntaxError)) throw e;
    options.stderr(formatSyntaxError(e, FILE, source));
    return {
      exitCode: 1,
      heap: null,
      fault: { kind: e.kind, message: e.message, line: e.line, column: e.column },
    };
  }
  let stderr = '';
  let user = false;
  // A last statement after the program's own, so a step shows the heap when the program is done
  // and before the interpreter shuts down (which clears the module's globals).
  const lastLine = source.split('\n').length;
  const result = runPython(`${source}\npass\n`, {
    collector: options.collector,
    profile: PROFILE,
    fileName: FILE,
    stdout: options.stdout,
    stderr: (t) => {
      stderr += t;
      options.stderr(t);
    },
    maxSteps: options.maxSteps,
    timeLimitMs: options.timeLimitMs,
    onHeap: (heap) => {
      const hidden = new Set<number>();
      runtimeObjects.set(heap, hidden);
      heap.events.on('allocated', (e) => {
        if (!user) hidden.add(e.obj);
      });
    },
    onStatement: ({ line, step, heap }) => {
      const where = whereIs(heap);
      user = where !== 'import';
      // Statements outside the program's module are the runtime's: counted, but with no line.
      if (user) options.onStatement({ line: where === 'program' && line <= lastLine ? line : 0, step, heap });
    },
  });
  const stopped = result.stopped && result.stopped.reason !== 'internal' ? result.stopped.message : undefined;
  const fault = result.exitCode !== 0 && !result.stopped ? faultFrom(stderr) : undefined;
  return { exitCode: result.exitCode, heap: result.heap, stopped, fault };
}

function payloadLabel(heap: Heap, i: ObjIndex): string | undefined {
  const p = heap.tables.payload[i];
  if (typeof p === 'number' || typeof p === 'bigint' || typeof p === 'boolean') return String(p);
  if (typeof p === 'string') {
    const r = `'${p}'`;
    return r.length > 18 ? `${r.slice(0, 16)}…'` : r;
  }
  if (p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string')
    return (p as { name: string }).name;
  return undefined;
}

function slotName(heap: Heap, i: ObjIndex, slot: number): string | undefined {
  const t = heap.tables;
  const typeName = heap.types.get(t.type(i)).name;
  if (typeName === 'list' || typeName === 'tuple') return `[${slot}]`;
  const cls = heap.slots.data[t.slotOff(i)];
  const type = cls ? (t.payload[cls] as { instanceKeys?: Map<string, number> } | undefined) : undefined;
  if (!(type?.instanceKeys instanceof Map)) return undefined;
  if (slot === 0) return '__class__';
  for (const [name, k] of type.instanceKeys) if (k === slot) return name;
  return undefined;
}

const OPAQUE = new Set([
  'module',
  'type',
  'function',
  'builtin_function_or_method',
  'method',
  'code',
  'cell',
  'classmethod',
  'staticmethod',
  'property',
]);

/** The program's globals: `__main__`'s dict without the names the interpreter put there (`__name__`...). */
function programGlobals(heap: Heap): EngineGlobals | undefined {
  const g = moduleGlobals(heap);
  if (!g) return undefined;
  const own = g.bindings.filter((b) => !(b.name.startsWith('__') && b.name.endsWith('__')));
  return { holder: g.dict, bindings: own };
}

/** `@heaplab/python`: the Python subset heaplab ships, modelling CPython 3.14. */
export const pythonEngine: Engine = {
  name: 'python',
  run,
  label: payloadLabel,
  slotName,
  globals: programGlobals,
  opaque: (heap, i) => OPAQUE.has(heap.types.get(heap.tables.type(i)).name),
  hidden: (heap) => runtimeObjects.get(heap),
};
