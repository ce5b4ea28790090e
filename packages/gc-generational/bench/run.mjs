#!/usr/bin/env node
// The graph benchmark: heaplab's CPython 3.11 collector against real CPython (python3) on the
// same graph, in one run. Prints both results and the ratios heaplab / CPython (lower is
// better; the target is at most 1, the aim 0.5). `--json`: one {"name","value","unit"} per line.
// `--n 100000,1000000` picks the sizes; `--python python3.11` the interpreter; `--repeat 3` how
// many alternating runs of each side to take the fastest of (the machine is shared and noisy);
// `--warmup 5` how many untimed heaplab runs come first (at most 100,000 nodes), so that the host's
// JIT has compiled the collector before anything is timed (CPython has no JIT to warm up). Both
// wall time (graph_gc.py's own measure) and CPU time (`--cpu`, steadier under load) are compared;
// the medians are printed beside the fastest.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGraphBenchmark, warmUpGraphBenchmark } from '../dist/index.js';
import { option } from './options.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const sizes = option('--n', '100000,1000000').split(',').map(Number);
const python = option('--python', 'python3');
const repeat = Math.max(1, Number(option('--repeat', '3')));
const warmup = Math.max(0, Number(option('--warmup', '5')));
const script = join(dirname(fileURLToPath(import.meta.url)), 'graph_gc.py');

const lines = [];
const emit = (name, value, unit) => lines.push({ name, value: Number(value.toFixed(3)), unit });
/** The last run's line with the fastest times of all the runs, or null when there was none. */
const fastest = (runs) =>
  runs.length === 0
    ? null
    : {
        ...runs.at(-1),
        live_ms: Math.min(...runs.map((r) => r.live_ms)),
        garbage_ms: Math.min(...runs.map((r) => r.garbage_ms)),
      };

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

for (const n of sizes) {
  warmUpGraphBenchmark(n, warmup);
  for (const clock of ['wall', 'cpu']) {
    const runs = { ours: [], theirs: [] };
    for (let k = 0; k < repeat; k++) {
      runs.ours.push(runGraphBenchmark({ n, clock }));
      try {
        const pyArgs = clock === 'cpu' ? [script, '--cpu', String(n)] : [script, String(n)];
        const out = execFileSync(python, pyArgs, { encoding: 'utf8' });
        runs.theirs.push(JSON.parse(out.trim().split('\n').pop()));
      } catch (error) {
        process.stderr.write(`[heaplab] bench: could not run ${python} ${script}: ${error.message}\n`);
        break;
      }
    }
    const ours = fastest(runs.ours);
    const theirs = fastest(runs.theirs);
    const garbage = {
      ours: runs.ours.map((r) => r.garbage_ms),
      theirs: runs.theirs.map((r) => r.garbage_ms),
    };
    const tag = clock === 'cpu' ? `graph-${n}-cpu` : `graph-${n}`;
    if (!json) {
      process.stdout.write(
        `# ${clock} time, fastest of ${repeat} (garbage_ms heaplab ${garbage.ours.join(' ')}; cpython ${garbage.theirs.join(' ')})\n${JSON.stringify(ours)}\n`,
      );
      if (theirs) process.stdout.write(`${JSON.stringify(theirs)}\n`);
    }
    emit(`${tag}-live`, ours.live_ms, 'ms');
    emit(`${tag}-garbage`, ours.garbage_ms, 'ms');
    emit(`${tag}-freed`, ours.freed, 'objects');
    if (!theirs) continue;
    emit(`${tag}-live-cpython`, theirs.live_ms, 'ms');
    emit(`${tag}-garbage-cpython`, theirs.garbage_ms, 'ms');
    emit(`${tag}-live-ratio`, ours.live_ms / theirs.live_ms, 'x');
    emit(`${tag}-garbage-ratio`, ours.garbage_ms / theirs.garbage_ms, 'x');
    emit(`${tag}-garbage-median-ratio`, median(garbage.ours) / median(garbage.theirs), 'x');
    emit(`${tag}-freed-matches`, ours.freed === theirs.freed ? 1 : 0, 'bool');
    if (!json) {
      const live = (ours.live_ms / theirs.live_ms).toFixed(2);
      const ratio = (ours.garbage_ms / theirs.garbage_ms).toFixed(2);
      const medians = (median(garbage.ours) / median(garbage.theirs)).toFixed(2);
      const freed = ours.freed === theirs.freed ? 'matches' : `DIFFERS (${ours.freed} vs ${theirs.freed})`;
      process.stdout.write(
        `n=${n} (${clock}): live ${live}x, garbage ${ratio}x of ${theirs.impl} (medians ${medians}x); freed ${freed}\n`,
      );
    }
  }
}
if (json) for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
