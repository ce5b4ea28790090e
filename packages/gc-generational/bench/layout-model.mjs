#!/usr/bin/env node
// A standalone model of the graph benchmark's garbage phase (delete_garbage's release cascade),
// to weigh object layouts before changing core's: the same graph, counts, list order and release
// order as heaplab, with only the memory traffic of the fields the cascade reads and writes.
//
//   node bench/layout-model.mjs split|line|wasm [--n 100000] [--repeat 7]
//
// split: heaplab's layout: a 32-byte record per object (flags, slot offset and length, epoch,
//        size, capacity class, address), a compact array of counts, list links in their own
//        array (two words per object), slots in a separate pool.
// line:  CPython's shape: one 64-byte line per object holding the flags, the count, the list
//        links, the size, the address and up to four slots inline (records in a WebAssembly
//        memory, as heaplab's are, so that each is one cache line).
// wasm:  the line layout's cascade, step for step, in WebAssembly (bench/layout-model.wat,
//        assembled with the `wabt` dev dependency): what the same work costs without the JIT's
//        checks.
// Prints the fastest and median garbage-phase time of the repeats (each on a fresh graph). Run the
// layouts in alternate processes: two layouts in one process disturb each other.
import { readFileSync } from 'node:fs';
import { option } from './options.mjs';

const layout = process.argv[2];
const n = Number(option('--n', 100_000));
const repeat = Number(option('--repeat', 7));
if (layout !== 'split' && layout !== 'line' && layout !== 'wasm') {
  process.stderr.write('usage: node bench/layout-model.mjs split|line|wasm [--n N] [--repeat R]\n');
  process.exit(2);
}

const DEGREE = 4;
const objects = 2 * n + 1; // index 0 unused; nodes 1..n, lists n+1..2n
const RELEASING = 2;

/** The graph's edges: node i -> list i; list i -> DEGREE nodes by xorshift32 (graph_gc.py's). */
function edges() {
  const targets = new Int32Array(n * DEGREE);
  let s = 2463534242;
  for (let i = 0; i < n * DEGREE; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    targets[i] = 1 + (s % n);
  }
  return targets;
}

function runSplit(targets) {
  const W = 8; // record words: 0 flags, 1 slotOff, 2 slotLen, 3 epoch, 4 size, 5 class, 6-7 address
  const rec = new Int32Array(objects * W);
  const f64 = new Float64Array(rec.buffer);
  const rc = new Int32Array(objects);
  // next, prev per object; the unreachable list's head is 0, the old generation's is `objects`.
  const links = new Int32Array(objects * 2 + 2);
  const slots = new Int32Array(1 + n + n * DEGREE);
  let top = 1;
  for (let o = 1; o < objects; o++) {
    const list = o > n;
    const len = list ? DEGREE : 1;
    rec[o * W + 1] = top;
    rec[o * W + 2] = len;
    rec[o * W + 4] = list ? 88 : 40;
    f64[o * 4 + 3] = 0x7f3a40000000 + o * 64;
    if (list) for (let k = 0; k < DEGREE; k++) slots[top + k] = targets[(o - n - 1) * DEGREE + k];
    else slots[top] = n + o;
    top += len;
  }
  for (let o = 1; o < objects; o++) {
    const off = rec[o * W + 1];
    for (let k = 0; k < rec[o * W + 2]; k++) rc[slots[off + k]]++;
  }
  for (let o = 1; o < objects; o++) {
    links[o * 2] = o === objects - 1 ? 0 : o + 1;
    links[o * 2 + 1] = o - 1;
  }
  links[0] = 1;
  links[1] = objects - 1;
  links[objects * 2] = objects;
  links[objects * 2 + 1] = objects;
  const free = new Int32Array(objects);
  let freeCount = 0;
  const stack = new Int32Array(objects * 2 + 2);
  const unlink = (o) => {
    const next = links[o * 2];
    const prev = links[o * 2 + 1];
    links[prev * 2] = next;
    links[next * 2 + 1] = prev;
  };
  const toOld = (o) => {
    unlink(o);
    const last = links[objects * 2 + 1];
    links[last * 2] = o;
    links[o * 2 + 1] = last;
    links[o * 2] = objects;
    links[objects * 2 + 1] = o;
  };
  const release = (root) => {
    let sp = 0;
    let obj = root;
    let cursor = -1;
    for (;;) {
      const w = obj * W;
      if (cursor === -1) {
        rec[w] |= RELEASING;
        unlink(obj);
        cursor = 0;
      }
      const off = rec[w + 1];
      const len = rec[w + 2];
      let descend = 0;
      for (; cursor < len; cursor++) {
        const p = off + len - 1 - cursor;
        const child = slots[p];
        if (child === 0) continue;
        slots[p] = 0;
        if (--rc[child] !== 0 || (rec[child * W] & RELEASING) !== 0) continue;
        descend = child;
        cursor++;
        break;
      }
      if (descend !== 0) {
        stack[sp++] = obj;
        stack[sp++] = cursor;
        obj = descend;
        cursor = -1;
        continue;
      }
      // The free: the record's fields read and cleared, the count zeroed, the index kept.
      freeCount += f64[obj * 4 + 3] > 0 ? 1 : 0;
      rec[w + 1] = 0;
      rec[w + 2] = 0;
      rec[w + 3]++;
      rec[w] = 0;
      rc[obj] = 0;
      free[freeCount] = obj;
      if (sp === 0) return;
      cursor = stack[--sp];
      obj = stack[--sp];
    }
  };
  const t = performance.now();
  for (let o = links[0]; o !== 0; o = links[0]) {
    rc[o]++;
    const off = rec[o * W + 1];
    const len = rec[o * W + 2];
    for (let k = len - 1; k >= 0; k--) {
      const c = slots[off + k];
      if (c === 0) continue;
      slots[off + k] = 0;
      if (--rc[c] === 0 && (rec[c * W] & RELEASING) === 0) release(c);
    }
    if (--rc[o] === 0) release(o);
    else if (links[0] === o) toOld(o);
  }
  return [performance.now() - t, freeCount];
}

/**
 * The line layout's records, in a WebAssembly memory with `extraBytes` above them: 16 words per
 * object (0 flags, 1 count, 2 next, 3 prev, 4 slotLen, 5 epoch, 6 size, 7 class, 8-9 address,
 * 10-13 slots inline, 14-15 spare). The unreachable list's head is object 0, the old generation's
 * is `objects`.
 */
function lineRecords(targets, extraBytes) {
  const W = 16;
  const bytes = (objects + 1) * W * 4 + extraBytes;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const rec = new Int32Array(memory.buffer);
  const f64 = new Float64Array(memory.buffer);
  for (let o = 1; o < objects; o++) {
    const list = o > n;
    const len = list ? DEGREE : 1;
    rec[o * W + 4] = len;
    rec[o * W + 6] = list ? 88 : 40;
    f64[o * 8 + 4] = 0x7f3a40000000 + o * 64;
    if (list) for (let k = 0; k < DEGREE; k++) rec[o * W + 10 + k] = targets[(o - n - 1) * DEGREE + k];
    else rec[o * W + 10] = n + o;
  }
  for (let o = 1; o < objects; o++) {
    for (let k = 0; k < rec[o * W + 4]; k++) rec[rec[o * W + 10 + k] * W + 1]++;
  }
  for (let o = 1; o < objects; o++) {
    rec[o * W + 2] = o === objects - 1 ? 0 : o + 1;
    rec[o * W + 3] = o - 1;
  }
  rec[2] = 1;
  rec[3] = objects - 1;
  rec[objects * W + 2] = objects;
  rec[objects * W + 3] = objects;
  return { memory, rec, f64 };
}

function runLine(targets) {
  const W = 16;
  const { rec, f64 } = lineRecords(targets, 0);
  const free = new Int32Array(objects);
  let freeCount = 0;
  const stack = new Int32Array(objects * 2 + 2);
  const unlink = (o) => {
    const next = rec[o * W + 2];
    const prev = rec[o * W + 3];
    rec[prev * W + 2] = next;
    rec[next * W + 3] = prev;
  };
  const toOld = (o) => {
    unlink(o);
    const last = rec[objects * W + 3];
    rec[last * W + 2] = o;
    rec[o * W + 3] = last;
    rec[o * W + 2] = objects;
    rec[objects * W + 3] = o;
  };
  const release = (root) => {
    let sp = 0;
    let obj = root;
    let cursor = -1;
    for (;;) {
      const w = obj * W;
      if (cursor === -1) {
        rec[w] |= RELEASING;
        unlink(obj);
        cursor = 0;
      }
      const len = rec[w + 4];
      let descend = 0;
      for (; cursor < len; cursor++) {
        const p = w + 10 + len - 1 - cursor;
        const child = rec[p];
        if (child === 0) continue;
        rec[p] = 0;
        const cw = child * W;
        if (--rec[cw + 1] !== 0 || (rec[cw] & RELEASING) !== 0) continue;
        descend = child;
        cursor++;
        break;
      }
      if (descend !== 0) {
        stack[sp++] = obj;
        stack[sp++] = cursor;
        obj = descend;
        cursor = -1;
        continue;
      }
      freeCount += f64[obj * 8 + 4] > 0 ? 1 : 0;
      rec[w + 4] = 0;
      rec[w + 5]++;
      rec[w] = 0;
      rec[w + 1] = 0;
      free[freeCount] = obj;
      if (sp === 0) return;
      cursor = stack[--sp];
      obj = stack[--sp];
    }
  };
  const t = performance.now();
  for (let o = rec[2]; o !== 0; o = rec[2]) {
    const w = o * W;
    rec[w + 1]++;
    const len = rec[w + 4];
    for (let k = len - 1; k >= 0; k--) {
      const c = rec[w + 10 + k];
      if (c === 0) continue;
      rec[w + 10 + k] = 0;
      const cw = c * W;
      if (--rec[cw + 1] === 0 && (rec[cw] & RELEASING) === 0) release(c);
    }
    if (--rec[w + 1] === 0) release(o);
    else if (rec[2] === o) toOld(o);
  }
  return [performance.now() - t, freeCount];
}

/** The wasm layout's module, assembled from its text (null for the other layouts). */
async function wasmModule() {
  if (layout !== 'wasm') return null;
  let wabt;
  try {
    wabt = await (await import('wabt')).default();
  } catch {
    process.stderr.write(
      '[heaplab] layout-model: the wasm layout needs the wabt dev dependency (pnpm install)\n',
    );
    process.exit(2);
  }
  const source = new URL('./layout-model.wat', import.meta.url);
  const text = readFileSync(source, 'utf8');
  return new WebAssembly.Module(wabt.parseWat(source.pathname, text).toBinary({}).buffer);
}

const module = await wasmModule();

function runWasm(targets) {
  const recordBytes = (objects + 1) * 64;
  // Above the records: the walk's stack (two words per object at most), then the freed indices.
  const stack = recordBytes;
  const free = stack + (objects * 2 + 2) * 4;
  const { memory } = lineRecords(targets, (objects * 2 + 2) * 4 + objects * 4 + 4);
  const { cascade } = new WebAssembly.Instance(module, { model: { memory } }).exports;
  const t = performance.now();
  const freed = cascade(objects, stack, free);
  return [performance.now() - t, freed];
}

const targets = edges();
const run = layout === 'split' ? runSplit : layout === 'line' ? runLine : runWasm;
for (let k = 0; k < 3; k++) run(targets); // warm-up: the JIT's steady state
const times = [];
let freed = 0;
for (let k = 0; k < repeat; k++) {
  const [ms, count] = run(targets);
  times.push(ms);
  freed = count;
}
times.sort((a, b) => a - b);
process.stdout.write(
  `${layout} n=${n}: fastest ${times[0].toFixed(1)} ms, median ${times[times.length >> 1].toFixed(1)} ms (${freed} objects freed)\n`,
);
