#!/usr/bin/env node
// Compares two builds of the collector on the graph benchmark's garbage phase, paired: both builds
// are loaded into one process and run alternately, and the median of the per-pair ratios is
// reported. On a shared machine, separate processes differ by more than a 10% change does; runs
// side by side in one process see the same conditions. The same build against itself reads
// 0.99-1.04, and an invocation can still be off by up to 10% (each build's JIT code is laid out
// anew): run it two or three times, and trust only a difference that every run shows.
//
//   node bench/compare.mjs save NAME          snapshot the current builds of core and this package
//   node bench/compare.mjs A B [--n 100000] [--pairs 20] [--warmup 4]
//                                             B's time over A's (below 1: B is faster)
//
// A snapshot is a copy of both packages' dist in .bench-builds/NAME (ignored by git), with this
// package's imports of @heaplab/core pointed at the copy beside it. `current` names the builds as
// they are now, unsaved. Build first (`npx tsup` in both packages).
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { option } from './options.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const store = join(repo, '.bench-builds');
const args = process.argv.slice(2);
const fail = (message) => {
  process.stderr.write(`[heaplab] compare: ${message}\n`);
  process.exit(2);
};

if (args[0] === 'save') {
  const name = args[1];
  if (!name || !/^[\w.-]+$/.test(name)) fail('save needs a NAME of letters, digits, ".", "-" or "_"');
  const packages = ['core', 'gc-generational'];
  for (const pkg of packages) {
    if (!existsSync(join(repo, 'packages', pkg, 'dist')))
      fail(`packages/${pkg}/dist is missing: build it first (npx tsup)`);
  }
  const target = join(store, name);
  rmSync(target, { recursive: true, force: true });
  for (const pkg of packages) {
    cpSync(join(repo, 'packages', pkg, 'dist'), join(target, pkg, 'dist'), { recursive: true });
  }
  const core = pathToFileURL(join(target, 'core', 'dist', 'index.js')).href;
  const gen = join(target, 'gc-generational', 'dist');
  for (const file of readdirSync(gen).filter((f) => f.endsWith('.js'))) {
    const path = join(gen, file);
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll('"@heaplab/core"', JSON.stringify(core)));
  }
  process.stdout.write(`saved ${target}\n`);
  process.exit(0);
}

const [a, b] = args;
if (!a || !b || a.startsWith('--') || b.startsWith('--'))
  fail('usage: compare.mjs A B [--n N] [--pairs P] [--warmup W], or save NAME');
const n = Number(option('--n', '100000'));
const pairs = Number(option('--pairs', '20'));
const warmup = Number(option('--warmup', '4'));
if (!Number.isInteger(n) || n < 1 || !Number.isInteger(pairs) || pairs < 1)
  fail('--n and --pairs must be positive integers');
if (!Number.isInteger(warmup) || warmup < 0) fail('--warmup must be a whole number');
const load = (name) => {
  const entry =
    name === 'current'
      ? join(here, '..', 'dist', 'index.js')
      : join(store, name, 'gc-generational', 'dist', 'index.js');
  if (!existsSync(entry)) fail(`no build named ${name} (${entry})`);
  return import(pathToFileURL(entry).href);
};
const first = await load(a);
const second = await load(b);
first.warmUpGraphBenchmark(n, warmup);
second.warmUpGraphBenchmark(n, warmup);
const times = { a: [], b: [] };
const ratios = [];
const time = (build, into) => {
  const ms = build.runGraphBenchmark({ n }).garbage_ms;
  into.push(ms);
  return ms;
};
for (let k = 0; k < pairs; k++) {
  // Alternate which goes first, so that neither always runs on the other's leftovers.
  if (k % 2 === 0) time(first, times.a);
  const tb = time(second, times.b);
  if (k % 2 === 1) time(first, times.a);
  ratios.push(tb / times.a[k]);
  if (process.stderr.isTTY) process.stderr.write(`\r[heaplab] compare: pair ${k + 1}/${pairs}`);
}
if (process.stderr.isTTY) process.stderr.write('\n');
const median = (values) => {
  const s = [...values].sort((p, q) => p - q);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (ms) => ms.toFixed(2);
process.stdout.write(
  `n=${n}, ${pairs} pairs: ${b} / ${a} = ${median(ratios).toFixed(3)} (median of per-pair garbage_ms ratios)\n` +
    `  ${a}: median ${f(median(times.a))} ms, fastest ${f(Math.min(...times.a))} ms\n` +
    `  ${b}: median ${f(median(times.b))} ms, fastest ${f(Math.min(...times.b))} ms\n`,
);
