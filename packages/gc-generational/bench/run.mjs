#!/usr/bin/env node
// The graph benchmark: heaplab's CPython 3.11 collector against real CPython (python3) on the
// same graph, in one run. Prints both results and the ratios heaplab / CPython (lower is
// better; the target is at most 1, the aim 0.5). `--json`: one {"name","value","unit"} per line.
// `--n 100000,1000000` picks the sizes; `--python python3.11` the interpreter.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGraphBenchmark } from '../dist/index.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name, fallback) => {
  const k = args.indexOf(name);
  return k >= 0 && k + 1 < args.length ? args[k + 1] : fallback;
};
const sizes = option('--n', '100000,1000000').split(',').map(Number);
const python = option('--python', 'python3');
const script = join(dirname(fileURLToPath(import.meta.url)), 'graph_gc.py');

const lines = [];
const emit = (name, value, unit) => lines.push({ name, value: Number(value.toFixed(3)), unit });
for (const n of sizes) {
  const ours = runGraphBenchmark({ n });
  let theirs = null;
  try {
    const out = execFileSync(python, [script, String(n)], { encoding: 'utf8' });
    theirs = JSON.parse(out.trim().split('\n').pop());
  } catch (error) {
    process.stderr.write(`[heaplab] bench: could not run ${python} ${script}: ${error.message}\n`);
  }
  if (!json) {
    process.stdout.write(`${JSON.stringify(ours)}\n`);
    if (theirs) process.stdout.write(`${JSON.stringify(theirs)}\n`);
  }
  emit(`graph-${n}-live`, ours.live_ms, 'ms');
  emit(`graph-${n}-garbage`, ours.garbage_ms, 'ms');
  emit(`graph-${n}-freed`, ours.freed, 'objects');
  if (theirs) {
    emit(`graph-${n}-live-cpython`, theirs.live_ms, 'ms');
    emit(`graph-${n}-garbage-cpython`, theirs.garbage_ms, 'ms');
    emit(`graph-${n}-live-ratio`, ours.live_ms / theirs.live_ms, 'x');
    emit(`graph-${n}-garbage-ratio`, ours.garbage_ms / theirs.garbage_ms, 'x');
    emit(`graph-${n}-freed-matches`, ours.freed === theirs.freed ? 1 : 0, 'bool');
    if (!json) {
      process.stdout.write(
        `n=${n}: live ${(ours.live_ms / theirs.live_ms).toFixed(2)}x, garbage ${(ours.garbage_ms / theirs.garbage_ms).toFixed(2)}x of ${theirs.impl}; freed ${ours.freed === theirs.freed ? 'matches' : `DIFFERS (${ours.freed} vs ${theirs.freed})`}\n`,
      );
    }
  }
}
if (json) for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
