import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineFor } from '../src/session/engines.js';
import type { RunRequest } from '../src/session/protocol.js';
import { explainAt, snapshotAt, snapshotWindow, traceRun } from '../src/session/session.js';
import { workloadExamples } from '../src/session/workload-engine.js';

const seed = readFileSync(new URL('../src/examples/seed_elephant.py', import.meta.url), 'utf8');
const python = engineFor('');
const request = (collector: string, source = seed): RunRequest => ({
  source,
  collector,
  maxSteps: 5000,
  timeLimitMs: 5000,
});
const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1) ?? '';

describe('session on the seed example', () => {
  it('runs every statement and ends without error', () => {
    const trace = traceRun(python, request('refcount'));
    expect(trace.fault).toBeUndefined();
    // 13 statements of the program, the engine's end-of-program marker, then 3 of the runtime's
    // exit hooks (weakref's); the last four have no line of the program.
    expect(trace.lines).toEqual([1, 2, 3, 7, 8, 12, 14, 16, 19, 21, 22, 26, 30, 0, 0, 0, 0]);
    expect(trace.bytes).toHaveLength(18);
  });

  it('gives the same snapshots from one windowed run as from a run per step (runs are deterministic)', () => {
    for (const collector of ['refcount', 'marksweep']) {
      const run = request(collector);
      const window = snapshotWindow(python, run, 3, 99);
      expect([...window.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
      for (const step of [3, 9, 13, 17]) {
        const alone = snapshotAt(python, run, step);
        const w = window.get(step)!;
        expect({
          line: w.line,
          stdout: w.stdout,
          keys: w.objects!.map((o) => o.key),
          freed: w.freed,
        }).toEqual({
          line: alone.line,
          stdout: alone.stdout,
          keys: alone.objects!.map((o) => o.key),
          freed: alone.freed,
        });
      }
    }
  });

  it('reads the weakref dead under refcount and alive under mark-sweep', () => {
    // Statement 14 is the first after the program's last print.
    const rc = snapshotAt(python, request('refcount'), 14);
    const ms = snapshotAt(python, request('marksweep'), 14);
    expect(lastLine(rc.stdout)).toMatch(/^my_object2 weak reference: <weakref at 0x[0-9a-f]+; dead>$/);
    expect(lastLine(ms.stdout)).toMatch(/; to 'elephant' at 0x[0-9a-f]+>$/);
    const elephants = (s: typeof rc) => s.objects!.filter((o) => o.type === 'elephant');
    expect(elephants(rc)).toHaveLength(0);
    expect(elephants(ms)).toHaveLength(1);
    expect(elephants(ms)[0].reachable).toBe(false);
  });

  it('frees the elephant at the next collection under mark-sweep', () => {
    const source = `${seed}\nimport gc\ngc.collect()\nprint(my_object2)\n`;
    const ms = snapshotAt(python, request('marksweep', source), 17);
    expect(lastLine(ms.stdout)).toMatch(/; dead>$/);
    const trace = traceRun(python, request('marksweep', source));
    // The explicit collection, then the one the runtime runs at exit.
    expect(trace.collections.map((c) => c.reason)).toEqual(['explicit', 'end']);
    const freed = Object.values(trace.freed).find((f) => f.type === 'elephant');
    expect(freed?.cause).toBe('sweep');
  });

  it('shows refcounts only where maintained, and the phases of a collection', () => {
    const source = 'import gc\nclass A:\n    pass\na = A()\na.me = a\na = None\ngc.collect()\nx = 1\n';
    const trace = traceRun(python, request('marksweep', source));
    const at = trace.collections[0].step + 1;
    const snap = snapshotAt(python, request('marksweep', source), at);
    expect(snap.phases.map((p) => p.phase)).toContain('mark');
    expect(snap.phases.find((p) => p.phase === 'mark')?.objects.length).toBeGreaterThan(0);
    expect(snap.freed.map((f) => f.type)).toContain('A');
    expect(snap.objects!.every((o) => o.refcount === null)).toBe(true);
    const rc = snapshotAt(python, request('refcount', source), at);
    const leaked = rc.objects!.find((o) => o.type === 'A')!;
    expect(leaked.refcount).toBe(1);
    expect(leaked.reachable).toBe(false);
    expect(leaked.edges).toContainEqual({ to: leaked.key, weak: false, name: '.me' });
  });

  it('explains a live object by its retainer path and a freed one by its event', () => {
    const source = 'class A:\n    pass\nx = [A()]\nx[0].child = A()\ny = 1\nx = None\nz = 2\n';
    const run = request('refcount', source);
    // Statements: class A (1), its body's pass (2), x = ... (3), x[0].child = ... (4), y = 1 (5).
    const snap = snapshotAt(python, run, 5);
    const parent = snap.objects!.find((o) => o.edges.some((e) => e.name === '.child'))!;
    const child = snap.objects!.find((o) => o.key === parent.edges.find((e) => e.name === '.child')!.to)!;
    const why = explainAt(python, run, 5, child.key);
    expect(why.status).toBe('reachable');
    expect(why.text[0]).toBe("held by global 'x'");
    expect(why.text.slice(1).map((t) => t.split(' at ')[0])).toEqual(['list', '[0] → A', '.child → A']);
    expect(why.text.at(-1)).toMatch(/ at 0x[0-9a-f]+$/);
    const list = snap.objects!.find((o) => o.type === 'list')!;
    expect(explainAt(python, run, 5, list.key).text).toEqual([
      "held by global 'x'",
      expect.stringMatching(/^list at 0x[0-9a-f]+$/),
    ]);
    const gone = explainAt(python, run, 7, child.key);
    expect(gone.status).toBe('freed');
    expect(gone.text[0]).toMatch(/freed during statement 6 \(line 6\)/);
  });

  it('stops a runaway program with a message, and locates errors', () => {
    const loop = 'x = []\nfor i in range(100000):\n    x.append(i)\n';
    const trace = traceRun(python, { ...request('refcount', loop), maxSteps: 500 });
    expect(trace.stopped).toMatch(/stopped/);
    expect(trace.statements).toBeLessThanOrEqual(500);
    const bad = traceRun(python, request('refcount', 'x = 1\ny = x +\n'));
    expect(bad.fault).toMatchObject({ kind: 'SyntaxError', line: 2 });
    const missing = traceRun(python, request('refcount', 'x = 1\nprint(y)\n'));
    expect(missing.fault).toMatchObject({ kind: 'NameError', line: 2 });
  });
});

describe('collectors and engines', () => {
  it('shows generations under the generational collector', () => {
    const source = 'class A:\n    pass\na = A()\nb = [a]\nx = 1\n';
    const snap = snapshotAt(python, request('generational', source), 5);
    const a = snap.objects!.find((o) => o.type === 'A')!;
    expect(a.generation).toBe(0);
    expect(a.refcount).toBe(2);
    expect(snap.summary.find((r) => r.type === 'A')).toMatchObject({ generation: 0, count: 1 });
  });

  it('moves survivors under the copying collector: id() changes at a collection', () => {
    const source =
      'import gc\nclass A:\n    pass\na = A()\nbefore = id(a)\ngc.collect()\nprint(id(a) != before, a is a)\n';
    const trace = traceRun(python, request('copying', source));
    expect(trace.fault).toBeUndefined();
    const end = snapshotAt(python, request('copying', source), trace.statements);
    expect(lastLine(end.stdout)).toBe('True True');
  });

  it('runs every built-in workload under every collector', () => {
    for (const example of workloadExamples()) {
      for (const collector of ['refcount', 'marksweep', 'generational', 'copying', 'none']) {
        const run = request(collector, example.source);
        const trace = traceRun(engineFor(example.source), run);
        expect(trace.fault, `${example.id} under ${collector}`).toBeUndefined();
        expect(trace.stopped).toBeUndefined();
        expect(trace.statements).toBeGreaterThan(0);
        const mid = snapshotAt(engineFor(example.source), run, Math.ceil(trace.statements / 2));
        expect(mid.line).toBe(1);
      }
    }
  });

  it('keeps heap bytes sane through a whole run, shutdown included', () => {
    const source = readFileSync(new URL('../src/examples/many_objects.py', import.meta.url), 'utf8');
    for (const collector of ['refcount', 'marksweep', 'generational']) {
      const trace = traceRun(python, request(collector, source));
      expect(Math.min(...trace.bytes)).toBeGreaterThan(0);
      expect(Math.max(...trace.bytes)).toBe(trace.peakBytes);
    }
  });

  it('reports a bad workload parameter at its line', () => {
    const source = '#!workload rings\nrings = 3\nnosuch = 2\n';
    const trace = traceRun(engineFor(source), request('refcount', source));
    expect(trace.fault).toMatchObject({ kind: 'ValueError', line: 3 });
    expect(trace.fault?.message).toContain('nosuch');
  });
});
