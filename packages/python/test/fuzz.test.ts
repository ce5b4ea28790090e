import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPython } from '../src/index.js';
import { FIXTURE_SETS } from './conformance-kit.js';

const TOKENS = [
  'x',
  'y',
  'f',
  'A',
  'self',
  '0',
  '1',
  '-1',
  '2.5',
  '"s"',
  "'t'",
  'None',
  'True',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '.',
  '=',
  '==',
  '+',
  '-',
  '*',
  '/',
  '//',
  '%',
  '**',
  '<',
  'and',
  'or',
  'not',
  'in',
  'is',
  'lambda',
  'def',
  'class',
  'return',
  'yield',
  'if',
  'else',
  'elif',
  'while',
  'for',
  'try',
  'except',
  'finally',
  'raise',
  'with',
  'as',
  'del',
  'global',
  'nonlocal',
  'import',
  'gc',
  'weakref',
  'sys',
  'pass',
  'break',
  'continue',
  '\n',
  '\n    ',
  '\n        ',
  ' ',
  '#',
  'print',
  'len',
  'range',
  'f"{x}"',
  '__del__',
  '__init__',
  '@',
];

function source(): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(' '));
}

const seeds = Object.values(FIXTURE_SETS).flatMap((dir) =>
  readdirSync(join(dir, 'cases')).map((f) => readFileSync(join(dir, 'cases', f), 'utf8')),
);

/** A real program with a slice cut out, a slice duplicated or a token swapped. */
function mutated(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.nat(),
      fc.nat(),
      fc.constantFrom(...TOKENS),
      fc.integer({ min: 0, max: 2 }),
    )
    .map(([src, a, b, tok, how]) => {
      const i = a % (src.length + 1);
      const j = Math.min(src.length, i + (b % 40));
      if (how === 0) return src.slice(0, i) + src.slice(j);
      if (how === 1) return src.slice(0, j) + src.slice(i, j) + src.slice(j);
      return `${src.slice(0, i)} ${tok} ${src.slice(i)}`;
    });
}

function survives(src: string): boolean {
  let err = '';
  const r = runPython(src, {
    stderr: (t) => (err += t),
    maxSteps: 20_000,
    timeLimitMs: 2_000,
    heapLimit: 20_000_000,
  });
  if (r.stopped?.reason === 'internal') throw new Error(`internal error for:\n${src}\n${err}`);
  return r.exitCode === 0 || err.length > 0 || r.stopped !== undefined;
}

describe('hostile and malformed programs never crash the host', () => {
  it('random token soup gets a Python error or runs', () => {
    fc.assert(
      fc.property(source(), (src) => survives(src)),
      { numRuns: 300 },
    );
  });

  it('mutated real programs get a Python error or run', () => {
    fc.assert(
      fc.property(mutated(), (src) => survives(src)),
      { numRuns: 150 },
    );
  });

  it('hostile programs are stopped with a Python error or a limit', () => {
    const hostile = [
      'x = [0] * (10 ** 12)',
      '2 ** (10 ** 9)',
      'def f():\n    yield from f()\nlist(f())',
      'class A:\n    def __repr__(self):\n        return repr(self)\nprint(A())',
      'l = []\nl.append(l)\nprint(l == l)',
      'while True:\n    try:\n        pass\n    finally:\n        continue',
      "s = 'a'\nwhile True:\n    s = s + s",
      'class A:\n    def __del__(self):\n        A()\nA()',
      'import weakref\nclass A: pass\na = A()\nr = weakref.ref(a, lambda r: r())\ndel a',
      'def g():\n    g()\ng()',
      'exec("1")',
      '[i for i in iter(int, 1)]',
    ];
    for (const src of hostile) expect(survives(src), src).toBe(true);
  });
});
