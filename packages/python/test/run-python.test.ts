import { Heap } from '@heaplab/core';
import { createGenerationalCollector } from '@heaplab/gc-generational';
import { createMarkSweepCollector } from '@heaplab/gc-marksweep';
import { createRefcountCollector } from '@heaplab/gc-refcount';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moduleGlobals, type RunOptions, runPython } from '../src/index.js';
import { normalize } from './conformance-kit.js';

function run(source: string, options: RunOptions = {}) {
  let out = '';
  let err = '';
  const result = runPython(source, {
    fileName: 'prog.py',
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    ...options,
  });
  return { ...result, out, err: normalize(err) };
}

describe('runPython', () => {
  it('runs a program and exits 0', () => {
    const r = run('x = [1, 2]\nx.append(3)\nprint(x, len(x), sum(x))\n');
    expect(r).toMatchObject({ exitCode: 0, out: '[1, 2, 3] 3 6\n', err: '' });
    expect(r.stopped).toBeUndefined();
  });

  it('prints a CPython traceback for an uncaught exception and exits 1', () => {
    const r = run('def f(d):\n    return d["k"]\nf({})\n');
    expect(r.exitCode).toBe(1);
    expect(r.err).toMatchInlineSnapshot(`
      "Traceback (most recent call last):
        File "prog.py", line 3, in <module>
          f({})
        File "prog.py", line 2, in f
          return d["k"]
                 ~^^^^^
      KeyError: 'k'
      "
    `);
  });

  it('reports a syntax error with file, line and column and runs nothing', () => {
    const r = run('print("no")\nif x\n    pass\n');
    expect(r.exitCode).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^ {2}File "prog.py", line 2\n/);
    expect(r.err).toMatch(/SyntaxError: invalid syntax\n$/);
  });

  it('calls onStatement before each statement with its line', () => {
    const lines: number[] = [];
    run('a = 1\nfor i in range(2):\n    a += i\nprint(a)\n', { onStatement: ({ line }) => lines.push(line) });
    expect(lines).toEqual([1, 2, 3, 3, 4]);
  });

  it('is deterministic, so a stepper can re-execute up to a step', () => {
    const src = 'class A: pass\nxs = [A() for _ in range(50)]\nprint(hex(id(xs[7])), len(xs))\n';
    const a = run(src);
    const b = run(src);
    expect(a.out).toBe(b.out);
    expect(a.heap.step).toBe(b.heap.step);
    const seen: number[] = [];
    run(src, { maxSteps: 2, onStatement: ({ step }) => seen.push(step) });
    expect(seen).toEqual([1, 2]);
  });

  it('stops a runaway loop at the step limit with a clear message', () => {
    const r = run('while True:\n    pass\n', { maxSteps: 1000 });
    expect(r.exitCode).toBe(1);
    expect(r.stopped?.reason).toBe('steps');
    expect(r.err).toMatch(/stopped after 1000 steps \(step limit\) at line 2/);
  });

  it('stops a runaway loop at the time limit', () => {
    const r = run('n = 0\nwhile True:\n    n += 1\n', { timeLimitMs: 20 });
    expect(r.stopped?.reason).toBe('time');
    expect(r.err).toMatch(/time limit/);
  });

  it('raises MemoryError past the heap limit', () => {
    const r = run('keep = []\nwhile True:\n    keep.append([0] * 100)\n', {
      heapLimit: 1_000_000,
      maxSteps: 1_000_000,
    });
    expect(r.exitCode).toBe(1);
    expect(r.err).toMatch(/MemoryError/);
  });

  it('raises RecursionError for deep recursion, honouring recursionLimit, without a host stack overflow', () => {
    const src =
      'def f(n):\n    return f(n + 1)\ntry:\n    f(0)\nexcept RecursionError as e:\n    print("caught", e)\nimport sys\nprint(sys.getrecursionlimit())\n';
    const r = run(src, { recursionLimit: 200 });
    expect(r.out).toBe('caught maximum recursion depth exceeded\n200\n');
    const deep = run('def g(n):\n    return 0 if n == 0 else 1 + g(n - 1)\nprint(g(5000))\n', {
      recursionLimit: 10000,
    });
    expect(deep.out).toBe('5000\n');
  });

  it('exits with the status sys.exit gives', () => {
    expect(run('import sys\nsys.exit(3)\n').exitCode).toBe(3);
    expect(run('raise SystemExit\n').exitCode).toBe(0);
  });

  it('prints Exception ignored in for errors in __del__ and goes on', () => {
    const r = run(
      'class A:\n    def __del__(self):\n        raise ValueError("x")\na = A()\ndel a\nprint("on")\n',
    );
    expect(r.out).toBe('on\n');
    expect(r.err).toMatch(/^Exception ignored in: <function A.__del__ at 0xADDR1>\nTraceback/);
  });
});

const SEED = `import weakref
class elephant():
    pass
my_object = elephant()
r = weakref.ref(my_object)
my_object = None
print("after drop:", r)
import gc
gc.collect()
print("after collect:", r)
`;

describe('the seed example under each collector', () => {
  it('refcount: the weak reference reads dead as soon as the last reference goes', () => {
    const r = run(SEED, { collector: () => createRefcountCollector() });
    expect(normalize(r.out)).toBe(
      'after drop: <weakref at 0xADDR1; dead>\nafter collect: <weakref at 0xADDR1; dead>\n',
    );
  });

  it('mark-sweep: the weak reference reads dead only after a collection', () => {
    const r = run(SEED, { collector: () => createMarkSweepCollector() });
    expect(normalize(r.out)).toBe(
      "after drop: <weakref at 0xADDR1; to 'elephant' at 0xADDR2>\nafter collect: <weakref at 0xADDR1; dead>\n",
    );
  });

  it('mark-sweep: gc calls it cannot honour raise a clear Python error', () => {
    const r = run('import gc\ngc.get_count()\n', { collector: () => createMarkSweepCollector() });
    expect(r.exitCode).toBe(1);
    expect(r.err).toMatch(
      /RuntimeError: \[heaplab\] gc.get_count\(\) needs a collector with CPython's gc interface/,
    );
    const rc = run('import sys\nsys.getrefcount(1)\n', { collector: () => createMarkSweepCollector() });
    expect(rc.err).toMatch(/sys.getrefcount\(\) needs a collector that maintains reference counts/);
  });

  it('a list subclass in a cycle through its attribute dict leaks under refcount, is collected by the generational collector', () => {
    const src =
      'import weakref, gc\nclass L(list): pass\nx = L([1]); x.me = x\nr = weakref.ref(x)\ndel x\ngc.collect()\nprint(r() is not None)\n';
    expect(run(src, { collector: () => createRefcountCollector() }).out).toBe('True\n');
    expect(run(src, { collector: () => createGenerationalCollector() }).out).toBe('False\n');
  });

  it('refcount: a cycle leaks (never reclaimed)', () => {
    const src =
      'import weakref, gc\nclass A: pass\na = A(); a.me = a\nr = weakref.ref(a)\ndel a\ngc.collect()\nprint(r() is not None)\n';
    expect(run(src, { collector: () => createRefcountCollector() }).out).toBe('True\n');
  });
});

describe('subclasses of list and dict with attributes', () => {
  const listOp = fc.oneof(
    fc.integer({ min: 0, max: 9 }).map((v) => `x.append(${v})`),
    fc
      .tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 9 }))
      .map(([i, v]) => `x.insert(${i}, ${v})`),
    fc.constant('if x: x.pop()'),
    fc.integer({ min: 0, max: 3 }).map((i) => `if len(x) > ${i}: del x[${i}]`),
    fc.integer({ min: 0, max: 3 }).map((i) => `if len(x) > ${i}: x[${i}] = x[-1]`),
    fc.constantFrom('x.sort()', 'x.reverse()', 'x.extend([1, 2])', 'x.clear()', 'x += [7]', 'x[1:3] = [8]'),
  );
  const dictOp = fc.oneof(
    fc
      .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 9 }))
      .map(([k, v]) => `x[${k}] = ${v}`),
    fc.integer({ min: 0, max: 5 }).map((k) => `x.pop(${k}, None)`),
    fc.constantFrom('x.clear()', 'x.update({9: 9})', 'x.setdefault(4, 0)'),
  );
  const program = (base: string, ops: string[]) =>
    [
      `class Sub(${base}):`,
      '    __slots__ = ("slot", "__dict__")',
      `plain = ${base}()`,
      `sub = Sub()`,
      'sub.slot = "s"',
      'sub.tag = [sub]',
      ...ops.flatMap((op) => [`x = plain`, op, `x = sub`, op]),
      'print(plain == sub, sub == plain, len(sub), sub.slot, sub.tag[0] is sub, sorted(vars(sub)))',
    ].join('\n');

  it('behave as the plain container under any operations, keeping their slots and dict', () => {
    fc.assert(
      fc.property(fc.array(listOp, { maxLength: 25 }), fc.array(dictOp, { maxLength: 25 }), (lops, dops) => {
        for (const [base, ops] of [
          ['list', lops],
          ['dict', dops],
        ] as const) {
          const r = run(program(base, ops));
          expect(r.err).toBe('');
          expect(r.out).toMatch(/^True True \d+ s True \['tag'\]\n$/);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("__main__'s namespace is a heap dict", () => {
  const program = [
    'g = globals()',
    'print(g is globals(), type(g).__name__)',
    'g["made"] = [1]',
    'print(made)',
    'del g["made"]',
    'print("made" in g)',
    'class D:',
    '    def __init__(self, n): self.n = n',
    '    def __del__(self): print("del", self.n)',
    'a = D("a")',
    '_u = D("_u")',
    '',
  ].join('\n');

  it('holds the globals under every collector, and is the root that keeps them', () => {
    for (const collector of [createRefcountCollector, createMarkSweepCollector]) {
      let heap: Heap | undefined;
      let names: string[] = [];
      const r = run(`${program}print("end")\n`, {
        collector: () => collector(),
        onStatement: ({ heap: h }) => {
          heap = h;
          names = moduleGlobals(h)!.bindings.map((b) => b.name);
        },
      });
      expect(r.out.split('\n').slice(0, 3)).toEqual(['True dict', '[1]', 'False']);
      expect(names).toEqual(expect.arrayContaining(['__name__', '__builtins__', 'g', 'D', 'a', '_u']));
      expect(names).not.toContain('made');
      expect(heap!.roots.globals()).toEqual([]);
    }
  });

  it('at exit without a cycle collector, clears one-underscore names first, as CPython clears a module', () => {
    expect(run(program, { collector: () => createRefcountCollector() }).out).toMatch(/del _u\ndel a\n$/);
  });

  it('at exit under mark-sweep, the last collection reclaims the dict and runs every finalizer', () => {
    const r = run(program, { collector: () => createMarkSweepCollector() });
    expect(r.out.match(/^del .*$/gm)?.sort()).toEqual(['del _u', 'del a']);
  });

  it('is unknown for a heap no program made', () => {
    expect(moduleGlobals(new Heap())).toBeUndefined();
  });
});
