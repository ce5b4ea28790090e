import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);

describe('heaplab run', () => {
  it('prints the program output and exits 0; collectors differ on cycles', async () => {
    const gen = await runCli(['run', fixture('cycle.py')]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toBe('after del: alive\nafter collect: dead\n');
    const rc = await runCli(['run', fixture('cycle.py'), '--collector', 'refcount']);
    expect(rc.stdout).toBe('after del: alive\nafter collect: alive\n');
    const ms = await runCli([
      'run',
      fixture('cycle.py'),
      '--collector',
      'marksweep',
      '--profile',
      'cpython-3.12',
    ]);
    expect(ms.stdout).toBe('after del: alive\nafter collect: dead\n');
  });

  it("--profile reaches CPython's collector: 3.14's incremental thresholds", async () => {
    const v311 = await runCli(['run', fixture('thresholds.py')]);
    expect(v311.stdout).toBe('(700, 10, 10)\n');
    const v314 = await runCli(['run', fixture('thresholds.py'), '--profile', 'cpython-3.14']);
    expect(v314.stdout).toBe('(2000, 10, 0)\n');
  });

  it('an uncaught exception prints the traceback and exits 1; sys.exit(n) exits n', async () => {
    const r = await runCli(['run', 'test/fixtures/fails.py']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('before\n');
    expect(r.stderr).toMatch(
      /^Traceback \(most recent call last\):\n {2}File "test\/fixtures\/fails.py", line 6/,
    );
    expect(r.stderr).toMatch(/KeyError: 'missing'\n$/);
    noStack(r.stderr);
    const exit = await runCli(['run', fixture('exit3.py')]);
    expect(exit.code).toBe(3);
    expect(exit.stdout).toBe('leaving\n');
    const syntax = await runCli(['run', 'test/fixtures/syntax.py']);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/File "test\/fixtures\/syntax.py", line \d+/);
    expect(syntax.stderr).toMatch(/SyntaxError/);
  });

  it.each([
    [['run'], /takes exactly one FILE.py/],
    [['run', 'nowhere.py'], /cannot read nowhere.py/],
    [
      ['run', fixture('cycle.py'), '--profile', 'cpython-3.1'],
      /--profile must be one of .*Did you mean "cpython-3.11"/,
    ],
    [
      ['run', fixture('cycle.py'), '--collector', 'marksweeep'],
      /unknown collector "marksweeep". Did you mean "marksweep"\?/,
    ],
  ])('%j is bad usage, exit 2', async (argv, message) => {
    const r = await runCli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('Python programs as compare inputs', () => {
  it('compare FILE.py measures the program under each collector', async () => {
    const r = await runCli([
      'compare',
      fixture('cycle.py'),
      '--collectors',
      'refcount,generational',
      '--format',
      'json',
      '--jobs',
      '1',
    ]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(
      rows.map((row: { workload: string; collector: string }) => `${row.workload} ${row.collector}`),
    ).toEqual(['cycle.py refcount', 'cycle.py generational']);
    expect(rows[0].objectsLeaked).toBeGreaterThan(0);
    expect(rows[1].objectsLeaked).toBe(0);
    expect(r.stdout).not.toContain('after del');
  });

  it('a failing program fails the comparison with exit 1 and its error', async () => {
    const r = await runCli(['compare', fixture('fails.py'), '--collectors', 'refcount']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^heaplab: failed: .*fails.py exited with status 1: KeyError: 'missing'/);
    noStack(r.stderr);
  });

  it('recording a failing Python program fails with exit 1 and its error', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'heaplab-rec-')), 'x.jsonl');
    const r = await runCli(['record', fixture('fails.py'), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fails.py exited with status 1: KeyError: 'missing'/);
    noStack(r.stderr);
  });
});

describe('heaplab bench graph', () => {
  it('--json prints one object with the fields graph_gc.py prints', async () => {
    const r = await runCli(['bench', 'graph', '--n', '2000', '--json']);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout);
    expect(line).toMatchObject({ impl: 'heaplab', n: 2000, degree: 4, tracked: 4000 });
    expect(typeof line.live_ms).toBe('number');
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('prints a table with its values in one column', async () => {
    const r = await runCli(['bench', 'graph', '--n', '2000', '--warmup', '0']);
    expect(r.code).toBe(0);
    const [title, ...rows] = r.stdout.trimEnd().split('\n');
    expect(title).toBe('graph benchmark, 2,000 nodes (degree 4):');
    expect(rows.map((row) => row.slice(0, 22).trim())).toEqual([
      'tracked objects',
      'live collection',
      'garbage collection',
    ]);
    expect(rows[0].slice(22)).toBe('4,000');
    expect(rows[1].slice(22)).toMatch(/^\d+(\.\d+)? ms$/);
    expect(rows[2].slice(22)).toMatch(/^\d+(\.\d+)? ms \(freed 3,9\d\d\)$/);
  });

  it('rejects unknown benchmarks and bad sizes', async () => {
    expect((await runCli(['bench', 'grpah'])).stderr).toMatch(/one benchmark name: graph, got "grpah"/);
    expect((await runCli(['bench', 'graph', '--n', '0'])).code).toBe(2);
    const warm = await runCli(['bench', 'graph', '--n', '2000', '--warmup', '-1']);
    expect(warm.code).toBe(2);
    expect(warm.stderr).toMatch(/--warmup/);
  });

  it('--warmup 0 times a cold run, with the same graph', async () => {
    const cold = JSON.parse(
      (await runCli(['bench', 'graph', '--n', '500', '--warmup', '0', '--json'])).stdout,
    );
    const warm = JSON.parse(
      (await runCli(['bench', 'graph', '--n', '500', '--warmup', '2', '--json'])).stdout,
    );
    expect(cold.freed).toBe(warm.freed);
    expect(cold.freed).toBeGreaterThan(0);
  });
});
