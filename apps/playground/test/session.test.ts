import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineFor, sketchEngine } from '../src/session/engines.js';
import type { RunRequest } from '../src/session/protocol.js';
import { explainAt, snapshotAt, traceRun } from '../src/session/session.js';
import { workloadExamples } from '../src/session/workload-engine.js';

const seed = readFileSync(new URL('../src/examples/seed_elephant.py', import.meta.url), 'utf8');
const request = (collector: string, source = seed): RunRequest => ({
  source,
  collector,
  maxSteps: 5000,
  timeLimitMs: 5000,
});
const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1) ?? '';

describe('session on the seed example', () => {
  it('runs every statement and ends without error', () => {
    const trace = traceRun(sketchEngine, request('refcount'));
    expect(trace.fault).toBeUndefined();
    expect(trace.statements).toBe(12);
    expect(trace.bytes).toHaveLength(13);
  });

  it('reads the weakref dead under refcount and alive under mark-sweep', () => {
    const rc = snapshotAt(sketchEngine, request('refcount'), 99);
    const ms = snapshotAt(sketchEngine, request('marksweep'), 99);
    expect(lastLine(rc.stdout)).toMatch(/^my_object2 weak reference: <weakref at 0x[0-9a-f]+; dead>$/);
    expect(lastLine(ms.stdout)).toMatch(/; to 'elephant' at 0x[0-9a-f]+>$/);
    const elephants = (s: typeof rc) => s.objects!.filter((o) => o.type === 'elephant');
    expect(elephants(rc)).toHaveLength(0);
    expect(elephants(ms)).toHaveLength(1);
    expect(elephants(ms)[0].reachable).toBe(false);
  });

  it('frees the elephant at the next collection under mark-sweep', () => {
    const source = `${seed}\nimport gc\ngc.collect()\nprint(my_object2)\n`;
    const ms = snapshotAt(sketchEngine, request('marksweep', source), 99);
    expect(lastLine(ms.stdout)).toMatch(/; dead>$/);
    const trace = traceRun(sketchEngine, request('marksweep', source));
    expect(trace.collections.map((c) => c.reason)).toEqual(['explicit']);
    const freed = Object.values(trace.freed).find((f) => f.type === 'elephant');
    expect(freed?.cause).toBe('sweep');
  });

  it('shows refcounts only where maintained, and the phases of a collection', () => {
    const source = 'import gc\nclass A:\n    pass\na = A()\na.me = a\na = None\ngc.collect()\nx = 1\n';
    const trace = traceRun(sketchEngine, request('marksweep', source));
    const at = trace.collections[0].step + 1;
    const snap = snapshotAt(sketchEngine, request('marksweep', source), at);
    expect(snap.phases.map((p) => p.phase)).toContain('mark');
    expect(snap.phases.find((p) => p.phase === 'mark')?.objects.length).toBeGreaterThan(0);
    expect(snap.freed.map((f) => f.type)).toEqual(['A']);
    expect(snap.objects!.every((o) => o.refcount === null)).toBe(true);
    const rc = snapshotAt(sketchEngine, request('refcount', source), at);
    const leaked = rc.objects!.find((o) => o.type === 'A')!;
    expect(leaked.refcount).toBe(1);
    expect(leaked.reachable).toBe(false);
    expect(leaked.edges).toEqual([{ to: leaked.key, weak: false, name: '.me' }]);
  });

  it('explains a live object by its retainer path and a freed one by its event', () => {
    const source = 'class A:\n    pass\nx = [A()]\nx[0].child = A()\ny = 1\nx = None\nz = 2\n';
    const run = request('refcount', source);
    const snap = snapshotAt(sketchEngine, run, 4);
    const child = snap.objects!.filter((o) => o.type === 'A').at(-1)!;
    const why = explainAt(sketchEngine, run, 4, child.key);
    expect(why.status).toBe('reachable');
    expect(why.text[0]).toBe("held by global 'x'");
    expect(why.text.slice(1).map((t) => t.split(' at ')[0])).toEqual(['list', '[0] → A', '.child → A']);
    const gone = explainAt(sketchEngine, run, 6, child.key);
    expect(gone.status).toBe('freed');
    expect(gone.text[0]).toMatch(/freed during statement 5 \(line 6\)/);
  });

  it('stops a runaway program with a message, and locates errors', () => {
    const loop = 'x = []\nfor i in range(100000):\n    x.append(i)\n';
    const trace = traceRun(sketchEngine, { ...request('refcount', loop), maxSteps: 500 });
    expect(trace.stopped).toMatch(/500 statements/);
    const bad = traceRun(sketchEngine, request('refcount', 'x = 1\ny = x +\n'));
    expect(bad.fault).toMatchObject({ kind: 'SyntaxError', line: 2 });
    const missing = traceRun(sketchEngine, request('refcount', 'x = 1\nprint(y)\n'));
    expect(missing.fault).toMatchObject({ kind: 'NameError', line: 2 });
  });
});

describe('collectors and engines', () => {
  it('shows generations under the generational collector', () => {
    const source = 'class A:\n    pass\na = A()\nb = [a]\nx = 1\n';
    const snap = snapshotAt(sketchEngine, request('generational', source), 99);
    const a = snap.objects!.find((o) => o.type === 'A')!;
    expect(a.generation).toBe(0);
    expect(a.refcount).toBe(2);
    expect(snap.summary.find((r) => r.type === 'A')).toMatchObject({ generation: 0, count: 1 });
  });

  it('runs every built-in workload under every collector', () => {
    for (const example of workloadExamples()) {
      for (const collector of ['refcount', 'marksweep', 'generational', 'none']) {
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

  it('reports a bad workload parameter at its line', () => {
    const source = '#!workload rings\nrings = 3\nnosuch = 2\n';
    const trace = traceRun(engineFor(source), request('refcount', source));
    expect(trace.fault).toMatchObject({ kind: 'ValueError', line: 3 });
    expect(trace.fault?.message).toContain('nosuch');
  });
});
