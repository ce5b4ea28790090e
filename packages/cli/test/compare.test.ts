import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_COMPARE_SET } from '@heaplab/collectors';
import { WORKLOADS } from '@heaplab/workloads';
import { describe, expect, it } from 'vitest';
import { METRIC_COLUMNS } from '../src/index.js';
import { fixture, runCli, spawnBin } from './helpers.js';

const COUNTING = fixture('counting-collector.mjs');
const SMALL = ['--param', 'rings=200', '--param', 'maxSize=8'];

describe('heaplab compare', () => {
  it('--format json holds every workload × collector with the stable metric names', async () => {
    const r = await runCli([
      'compare',
      '--collectors',
      `none,${COUNTING}`,
      '--format',
      'json',
      '--jobs',
      '1',
    ]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(WORKLOADS.length * 2);
    for (const w of WORKLOADS) {
      expect(rows.filter((row) => row.workload === w.name).map((row) => row.collector)).toEqual([
        'none',
        'counting',
      ]);
    }
    for (const row of rows) for (const c of METRIC_COLUMNS) expect(row).toHaveProperty(c);
    const rings = rows.filter((row) => row.workload === 'rings');
    expect(rings[0].objectsLeaked).toBe(rings[1].objectsLeaked);
    const churn = rows.filter((row) => row.workload === 'churn');
    expect(churn[1].objectsLeaked).toBe(0);
    expect(churn[1].refcountOps as number).toBeGreaterThan(0);
    expect(churn[0].peakBytes as number).toBeGreaterThan(churn[1].peakBytes as number);
    expect(r.stderr).toBe('');
  });

  it('table, csv and markdown carry the same rows', async () => {
    const args = [
      'compare',
      'rings',
      'churn',
      '--collectors',
      `none,${COUNTING}`,
      '--jobs',
      '1',
      '--param',
      'calls=50',
      ...SMALL,
    ];
    const table = await runCli([...args, '--format', 'table']);
    expect(table.stdout.split('\n')[0]).toMatch(/^workload\s+collector\s+collections\s+pause work/);
    expect(table.stdout).not.toContain('\u001b[');
    const csv = (await runCli([...args, '--format', 'csv'])).stdout.trim().split('\n');
    expect(csv[0]).toBe(['workload', 'collector', ...METRIC_COLUMNS].join(','));
    expect(csv).toHaveLength(5);
    expect(csv[1]).toMatch(/^rings,none,0,/);
    const md = (await runCli([...args, '--format', 'markdown'])).stdout.trim().split('\n');
    expect(md[0]).toMatch(/^\| workload \| collector \| collections \|/);
    expect(md[1]).toMatch(/^\| --- \| --- \| ---: \|/);
    expect(md).toHaveLength(6);
  });

  it('colour only on a terminal, and never with NO_COLOR', async () => {
    const args = ['compare', 'seed', '--param', 'rounds=3', '--jobs', '1'];
    expect((await runCli(args, { tty: true })).stdout).toContain('\u001b[1m');
    expect((await runCli(args, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    const piped = await runCli(args);
    expect(piped.stdout).not.toContain('\u001b[');
    expect(piped.stderr).toBe('');
  });

  it('a progress bar goes to stderr only when stderr is a terminal', async () => {
    const tty = await runCli(
      ['compare', 'seed', 'rings', ...SMALL, '--param', 'rounds=3', '--jobs', '1', '--collectors', 'none'],
      {
        tty: true,
      },
    );
    expect(tty.stderr).toMatch(/\[#+\.*\] 1\/2 seed · none/);
    expect(tty.stdout).not.toContain('#####');
  });

  it('--verify runs the oracle and still succeeds for a correct collector', async () => {
    const r = await runCli([
      'compare',
      'trees',
      '--collectors',
      COUNTING,
      '--verify',
      '--format',
      'json',
      '--jobs',
      '1',
      '--param',
      'rounds=2',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0].collector).toBe('counting');
  });

  it('--report writes one self-contained HTML file with the charts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heaplab-report-'));
    const r = await runCli(
      [
        'compare',
        'rings',
        'seed',
        ...SMALL,
        '--collectors',
        `none,${COUNTING}`,
        '--report',
        'out.html',
        '--jobs',
        '1',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote the report to out.html');
    const html = readFileSync(join(dir, 'out.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|src=|href="http/);
    expect(html.match(/<section/g)).toHaveLength(2);
    expect(html).toContain('Heap bytes over time');
    expect(html).toContain('Pause distribution');
    expect(html).toContain('Promptness');
    expect(html.match(/<polyline/g)!.length).toBe(4);
  });
});

describe('heaplab compare in worker threads (built bin)', () => {
  it('the default run holds every workload × default collector, the same with and without workers', () => {
    const args = ['compare', '--format', 'json'];
    const one = spawnBin([...args, '--jobs', '1']);
    const four = spawnBin([...args, '--jobs', '4']);
    expect(one.code).toBe(0);
    expect(four.code).toBe(0);
    const strip = (text: string) =>
      (JSON.parse(text) as Record<string, unknown>[]).map(({ totalPauseMs, maxPauseMs, ...rest }) => rest);
    expect(strip(four.stdout)).toEqual(strip(one.stdout));
    const rows = strip(one.stdout);
    expect(rows).toHaveLength(WORKLOADS.length * DEFAULT_COMPARE_SET.length);
    for (const w of WORKLOADS)
      expect(rows.filter((r) => r.workload === w.name).map((r) => r.collector)).toEqual([
        ...DEFAULT_COMPARE_SET,
      ]);
  });

  it('worker threads load a collector module given by a relative path', () => {
    const r = spawnBin(
      [
        'compare',
        'rings',
        'churn',
        '--param',
        'rings=100',
        '--param',
        'calls=100',
        '--collectors',
        'test/fixtures/counting-collector.mjs,none',
        '--jobs',
        '2',
        '--format',
        'json',
      ],
      {},
      new URL('..', import.meta.url).pathname,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((row: { collector: string }) => row.collector)).toEqual([
      'counting',
      'none',
      'counting',
      'none',
    ]);
  });
});
