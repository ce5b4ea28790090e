import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/index.js';
import { BIN, fixture, runCli, spawnBin } from './helpers.js';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);

describe('bad usage and bad input', () => {
  it.each([
    [['compare', 'ring'], /unknown workload "ring". Did you mean "rings"\?/],
    [['compare', '--collectors', 'nnoe'], /unknown collector "nnoe". Did you mean "none"\?/],
    [
      ['compare', '--format', 'jsno'],
      /--format must be one of table, json, csv, markdown, got "jsno". Did you mean "json"\?/,
    ],
    [
      ['compare', '--colectors', 'none'],
      /unknown option --colectors for "heaplab compare". Did you mean "--collectors"\?/,
    ],
    [['compare', '--seed', 'abc'], /--seed takes a whole number/],
    [
      ['compare', 'rings', '--param', 'maxsize=3'],
      /no input workload has a parameter "maxsize". Did you mean "maxSize"\?/,
    ],
    [['compare', 'rings', '--param', 'trees.depth=3'], /"trees" is not among the inputs/],
    [['compare', 'rings', '--param', 'depth'], /--param takes name=number/],
    [['compare', 'rings', '--param', 'maxSize=0'], /must be a whole number from 1 to 100000, got 0/],
    [['compare', 'missing.py'], /missing.py: no such file/],
    [['compare', '--collectors', './nowhere.js'], /could not load collector module/],
    [['compare', '--collectors', fixture('not-a-collector.mjs')], /does not export a collector factory/],
    [['comapre'], /unknown command "comapre". Did you mean "compare"\?/],
    [['workloads', 'extra'], /takes no arguments/],
  ])('%j exits 2 with a clear message', async (argv, message) => {
    const r = await runCli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.startsWith('heaplab: error: ')).toBe(true);
    noStack(r.stderr);
  });

  it('the built bin exits 2 without a stack trace', () => {
    const r = spawnBin(['compare', '--collectors', 'refcont,nnoe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^heaplab: error: unknown collector/);
    noStack(r.stderr);
  });
});

describe('failures', () => {
  it('--verify catches a collector that frees reachable objects: exit 1, no stack', async () => {
    const r = await runCli([
      'compare',
      'growth',
      '--collectors',
      fixture('reckless-collector.mjs'),
      '--verify',
      '--jobs',
      '1',
      '--param',
      'items=50',
    ]);
    // growth never collects by itself; the end-of-run collection frees the live list.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^heaplab: failed: verification failed for growth under reckless: /);
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });

  it('a reader that stops early is not an error', () => {
    const r = spawnSync('sh', ['-c', `node ${BIN} workloads | head -1`], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^seed /);
    expect(r.stderr).toBe('');
  });
});

describe('help', () => {
  it('heaplab --help lists the commands; every command has --help with examples', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/compare\s+run inputs under several collectors/);
    for (const command of COMMANDS.map((c) => c.name)) {
      const r = await runCli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: heaplab ${command}`));
      expect(r.stdout).toContain('Examples:');
    }
  });

  it('no command prints the help on stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: heaplab <command>');
  });

  it('heaplab workloads lists every workload with its parameters', async () => {
    const r = await runCli(['workloads']);
    expect(r.stdout).toMatch(/^seed\s+the seed example/);
    expect(r.stdout).toContain('maxSize=24');
    const json = JSON.parse((await runCli(['workloads', '--json'])).stdout);
    expect(json.map((w: { name: string }) => w.name)).toContain('weak-cache');
  });
});
