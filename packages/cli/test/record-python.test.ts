import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHeader, parseHeapOp, parseJsonLine } from '../src/trace/parse-trace-line.js';
import { fixture, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'heaplab-record-py-'));

interface Row {
  readonly collector: string;
  readonly allocations: number;
  readonly peakBytes: number;
  readonly objectsLeaked: number;
  readonly [key: string]: unknown;
}

async function compare(input: string, collectors: string): Promise<Row[]> {
  const r = await runCli(['compare', input, '--collectors', collectors, '--format', 'json'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Row[];
}

async function record(program: string, collector: string): Promise<string> {
  const out = `${program}.${collector}.trace.jsonl`;
  const r = await runCli(['record', fixture(program), '-o', out, '--collector', collector], { cwd: dir });
  expect(r.stderr).toMatch(
    new RegExp(`recorded \\d+ operations of .*${program} to ${out.replace(/\./g, '\\.')}`),
  );
  expect(r.code).toBe(0);
  return join(dir, out);
}

describe('heaplab record FILE.py', () => {
  for (const [program, recordedUnder] of [
    ['seed_elephant.py', 'refcount'],
    ['finalizer-cycles.py', 'refcount'],
    ['cycle.py', 'generational'],
    ['finalizer-cycles.py', 'generational'],
    ['subclass-containers.py', 'refcount'],
    ['subclass-containers.py', 'generational'],
  ] as const) {
    it(`${program}: replay measures what running the program does`, async () => {
      const order = [
        recordedUnder,
        ...['refcount', 'marksweep', 'generational'].filter((c) => c !== recordedUnder),
      ];
      const direct = await compare(fixture(program), order.join(','));
      const trace = await record(program, recordedUnder);
      const lines = readFileSync(trace, 'utf8').trim().split('\n');
      const header = parseHeader(parseJsonLine(lines[0], { file: 't', line: 1 }), { file: 't', line: 1 });
      expect(header.version).toBe(2);
      for (const [k, line] of lines.slice(1).entries()) {
        const at = { file: 't', line: k + 2 };
        parseHeapOp(parseJsonLine(line, at), at);
      }
      const replayed = await compare(trace, 'refcount,marksweep,generational');
      const figures = (rows: Row[]) =>
        rows.map((r) => ({
          collector: r.collector,
          allocations: r.allocations,
          peakBytes: r.peakBytes,
          objectsLeaked: r.objectsLeaked,
        }));
      // Under the collector it was recorded with, the replay is the run, figure for figure.
      const under = (rows: Row[]) => figures(rows).find((r) => r.collector === recordedUnder);
      expect(under(replayed)).toEqual(under(direct));
      if (program === 'seed_elephant.py') {
        // Nothing in it depends on the collector: every collector's replay is its run.
        const sorted = (rows: Row[]) => figures(rows).sort((a, b) => a.collector.localeCompare(b.collector));
        expect(sorted(replayed)).toEqual(sorted(direct));
      }
    });
  }
});
