#!/usr/bin/env node
// Instructions per freed object in the graph benchmark's garbage phase, by function: a steadier
// measure than time on a shared machine (valgrind counts instructions, whatever else runs).
//
//   node bench/instructions.mjs [--n 20000] [--top 15]
//
// Runs node under `valgrind --tool=callgrind` twice: both runs build the graph (after warm-up runs
// that get the JIT to its steady state) and collect it live; the second also collects the garbage.
// The difference of the two, per function (JIT code named through node's --perf-basic-prof map),
// divided by the objects freed, is what the garbage phase costs. Needs valgrind (Debian's package)
// and a built dist. The optimized-JS figure is the steady one; the total also holds host noise
// (compilation, V8's own start-up work) that differs between the two processes.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option } from './options.mjs';

const args = process.argv.slice(2);

if (args[0] === '--child') {
  // One measured process: warm up, then build and collect live, and the garbage too with 'g'.
  const { buildGraph } = await import('../dist/index.js');
  const [n, garbage] = [Number(args[1]), args[2] === 'g'];
  const run = (size, collectGarbage) => {
    const { heap, collector } = buildGraph(size);
    collector.gc.collect();
    heap.roots.clearLocal(0);
    return collectGarbage ? collector.gc.collect() : 0;
  };
  for (let i = 0; i < 30; i++) run(2000, true);
  for (let i = 0; i < 8; i++) run(n, true);
  process.stdout.write(`${run(n, garbage)}\n`);
  process.exit(0);
}

const n = Number(option('--n', '20000'));
const top = Number(option('--top', '15'));
const self = fileURLToPath(import.meta.url);
const work = join(tmpdir(), `heaplab-instructions-${process.pid}`);

/** Self cost per function of a callgrind output, JIT addresses named through a perf map. */
function costs(out, map) {
  const symbols = [];
  for (const line of readFileSync(map, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m) symbols.push([Number.parseInt(m[1], 16), Number.parseInt(m[2], 16), m[3]]);
  }
  symbols.sort((a, b) => a[0] - b[0]);
  const lookup = (address) => {
    let lo = 0;
    let hi = symbols.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (symbols[mid][0] <= address) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && address < symbols[hi][0] + symbols[hi][1] ? symbols[hi][2] : 'JIT code (unnamed)';
  };
  const names = new Map();
  const total = new Map();
  let fn = '';
  let address = 0;
  let skip = false;
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    const named = /^c?fn=\((\d+)\)(?: (.*))?$/.exec(line);
    if (named) {
      if (named[2] !== undefined) names.set(named[1], named[2]);
      if (line.startsWith('fn=')) fn = names.get(named[1]);
      continue;
    }
    if (line.startsWith('calls=')) {
      skip = true; // the next line is the call's inclusive cost
      continue;
    }
    const c = line[0];
    if (c !== '0' && c !== '+' && c !== '-' && c !== '*') continue;
    const parts = line.split(' ');
    // Positions are "instr line": absolute in hex, or relative in decimal.
    if (parts[0].startsWith('0x')) address = Number.parseInt(parts[0], 16);
    else if (c === '+') address += Number(parts[0].slice(1));
    else if (c === '-') address -= Number(parts[0].slice(1));
    if (skip) {
      skip = false;
      continue;
    }
    const name = !fn || fn.startsWith('0x') || fn === '???' ? lookup(address) : fn;
    total.set(name, (total.get(name) ?? 0) + Number(parts[2] ?? 0));
  }
  return total;
}

function measure(mode) {
  const out = join(work, `callgrind.${mode}.out`);
  const before = new Set(readdirSync(tmpdir()).filter((f) => /^perf-\d+\.map$/.test(f)));
  const freed = execFileSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--dump-instr=yes',
      `--callgrind-out-file=${out}`,
      process.execPath,
      '--expose-gc',
      '--single-threaded',
      '--perf-basic-prof',
      self,
      '--child',
      String(n),
      mode,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const map = readdirSync(tmpdir())
    .filter((f) => /^perf-\d+\.map$/.test(f) && !before.has(f))
    .map((f) => join(tmpdir(), f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const result = { freed: Number(freed.trim()), costs: costs(out, map) };
  rmSync(map, { force: true });
  return result;
}

try {
  execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
} catch {
  process.stderr.write('[heaplab] bench/instructions.mjs needs valgrind (apt-get install -y valgrind)\n');
  process.exit(1);
}
execFileSync('mkdir', ['-p', work]);
try {
  process.stderr.write(`measuring n=${n} under callgrind (two runs, about a minute each)...\n`);
  const base = measure('b');
  const full = measure('g');
  const rows = [];
  let total = 0;
  let js = 0;
  for (const name of new Set([...base.costs.keys(), ...full.costs.keys()])) {
    const per = ((full.costs.get(name) ?? 0) - (base.costs.get(name) ?? 0)) / full.freed;
    total += per;
    if (name.startsWith('JS:*')) js += per;
    rows.push([name, per]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  process.stdout.write(
    `garbage phase, n=${n}: ${full.freed} objects freed; instructions per freed object: ${total.toFixed(0)} in all, ${js.toFixed(0)} in optimized JS\n`,
  );
  for (const [name, per] of rows.slice(0, top)) {
    process.stdout.write(`${per.toFixed(1).padStart(9)}  ${name.replace(/file:\/\/\S*\//, '')}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
