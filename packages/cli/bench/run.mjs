#!/usr/bin/env node
// CLI benchmarks: streaming trace replay and heap snapshot import, each against a reference run
// in the same process (parsing the same file whole with JSON.parse), so the ratios travel
// between machines. `pnpm bench --filter=cli` (add --json for one {"name","value","unit"} per line).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { main } from '../dist/index.js';

const json = process.argv.includes('--json');
const report = (name, value, unit) => {
  const v = Number(value.toFixed(2));
  process.stdout.write(
    json
      ? `${JSON.stringify({ name, value: v, unit })}\n`
      : `${name.padEnd(40)} ${String(v).padStart(12)} ${unit}\n`,
  );
};
const sink = { write: () => true, isTTY: false };
const io = (cwd) => ({ stdout: sink, stderr: sink, env: {}, cwd });
const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

const dir = mkdtempSync(join(tmpdir(), 'heaplab-cli-bench-'));
try {
  // A trace of calls that each build a two-object cycle: about 20 MB.
  const header = JSON.stringify({
    format: 'heaplab-trace',
    version: 1,
    types: [{ name: 'object', container: true }],
  });
  const call =
    '{"op":"push","frame":"f","locals":["a","b"]}\n{"op":"new","name":"a","type":"object","slots":1}\n' +
    '{"op":"new","name":"b","type":"object","slots":1}\n{"op":"link","obj":"a","slot":0,"target":"b"}\n' +
    '{"op":"link","obj":"b","slot":0,"target":"a"}\n{"op":"pop"}\n';
  const calls = 80_000;
  const trace = join(dir, 'bench.trace.jsonl');
  writeFileSync(trace, `${header}\n${call.repeat(calls)}`);
  const mb = statSync(trace).size / 1e6;
  const replay = await time(() =>
    main(['compare', trace, '--collectors', 'generational', '--format', 'json'], io(dir)),
  );
  const parse = await time(() => {
    for (const line of readFileSync(trace, 'utf8').split('\n')) if (line) JSON.parse(line);
  });
  report('trace replay (generational)', (calls * 6) / (replay / 1000) / 1e6, 'M ops/s');
  report('trace replay throughput', mb / (replay / 1000), 'MB/s');
  report('trace replay / JSON.parse of each line', replay / parse, 'x');

  const snapshot = join(dir, 'bench.heapsnapshot');
  writeHeapSnapshot(snapshot);
  const nodes = JSON.parse(readFileSync(snapshot, 'utf8')).snapshot.node_count;
  const load = await time(() =>
    main(['compare', snapshot, '--collectors', 'none', '--format', 'json'], io(dir)),
  );
  const whole = await time(() => JSON.parse(readFileSync(snapshot, 'utf8')));
  report('snapshot import + collection (none)', nodes / (load / 1000) / 1e3, 'k nodes/s');
  report('snapshot import / JSON.parse of the file', load / whole, 'x');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
