#!/usr/bin/env node
// Allocation-heavy programs in heaplab's Python and in the machine's python3, timed in the same
// process run; prints heaplab's time, CPython's time and the ratio (target: within 10x).
// Needs a build (`npx tsup`). `--json` prints one {"name","value","unit"} object per line.
// Each side is the best of RUNS runs (heaplab after a warm-up run, CPython in one process), so a
// busy machine skews the ratio less; `--runs N` changes it.
import { spawnSync } from 'node:child_process';
import { runPython } from '../dist/index.js';

const json = process.argv.includes('--json');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 5;

const PROGRAMS = {
  instances: `
class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y
total = 0
for i in range(100000):
    p = P(i, i + 1)
    total += p.x + p.y
`,
  binary_trees: `
class Node:
    __slots__ = ("left", "right")
    def __init__(self, left, right):
        self.left = left
        self.right = right
def make(d):
    return Node(make(d - 1), make(d - 1)) if d > 0 else Node(None, None)
def check(n):
    return 1 if n.left is None else 1 + check(n.left) + check(n.right)
total = 0
for _ in range(4):
    total += check(make(13))
`,
  lists_and_tuples: `
rows = []
for i in range(50000):
    rows.append((i, str(i), [i, i * 2]))
s = sum(r[0] for r in rows)
rows = None
`,
  dict_churn: `
d = {}
for i in range(60000):
    d[i] = [i]
for i in range(0, 60000, 2):
    del d[i]
n = len(d)
`,
  closures: `
def make_counter():
    count = 0
    def inc(step):
        nonlocal count
        count += step
        return count
    return inc
total = 0
for i in range(30000):
    c = make_counter()
    total += c(1) + c(i)
`,
  method_calls: `
class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def add(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def dot(self, o):
        return self.x * o.x + self.y * o.y
v = Vec(0, 0)
d = Vec(1, 2)
total = 0
for i in range(50000):
    v = v.add(d)
    total += v.dot(d)
`,
};

function timeHeaplab(src) {
  const t = performance.now();
  const r = runPython(src, { stderr: (e) => process.stderr.write(e) });
  const ms = performance.now() - t;
  if (r.exitCode !== 0) throw new Error('heaplab run failed');
  return ms;
}

function timePython(src) {
  const wrapper = `import time\ncode = compile(${JSON.stringify(src)}, "bench", "exec")\nbest = None\nfor _ in range(${RUNS}):\n    t = time.perf_counter()\n    exec(code, {})\n    ms = (time.perf_counter() - t) * 1000\n    best = ms if best is None else min(best, ms)\nprint(best)`;
  const r = spawnSync('python3', ['-c', wrapper], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return Number(r.stdout.trim());
}

for (const [name, src] of Object.entries(PROGRAMS)) {
  timeHeaplab(src); // warm up the JIT
  let heaplab = Number.POSITIVE_INFINITY;
  for (let k = 0; k < RUNS; k++) heaplab = Math.min(heaplab, timeHeaplab(src));
  const py = timePython(src);
  if (json) {
    console.log(
      JSON.stringify({ name: `python.${name}.heaplab`, value: Number(heaplab.toFixed(1)), unit: 'ms' }),
    );
    if (py !== undefined) {
      console.log(
        JSON.stringify({ name: `python.${name}.cpython`, value: Number(py.toFixed(1)), unit: 'ms' }),
      );
      console.log(
        JSON.stringify({ name: `python.${name}.ratio`, value: Number((heaplab / py).toFixed(2)), unit: 'x' }),
      );
    }
  } else {
    const ratio =
      py === undefined ? 'python3 not found' : `${(heaplab / py).toFixed(1)}x CPython (${py.toFixed(0)} ms)`;
    console.log(`${name.padEnd(18)} heaplab ${heaplab.toFixed(0).padStart(6)} ms  ${ratio}`);
  }
}
