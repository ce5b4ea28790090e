import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Heap, type Ref } from '@heaplab/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { GcState } from '../src/gc-state.js';
import { buildGraph, createGenerationalCollector } from '../src/index.js';
import { COLLECT_MODULE } from '../src/wasm/collect-module.js';
import { wasmCollection } from '../src/wasm/collect-wasm.js';
import { TUPLE } from './helpers.js';

// The WebAssembly clearing of garbage against the collector's own loop: the same program run on
// two heaps, one clearing with the module wherever it applies and one never, must leave both in
// the same state, record for record, down to the addresses and indices the next objects get.

/** Kinds of object a program allocates: what makes each plain for the module or not. */
const KINDS = [
  'node',
  'list',
  'tuple',
  'big',
  'instance',
  'finalized',
  'freelisted',
  'huge',
  'int',
  'header',
] as const;
type Kind = (typeof KINDS)[number];

interface Program {
  /** Objects, by kind, with a payload for some. */
  readonly objects: readonly { kind: Kind; payload: boolean }[];
  /** Edges (from, to), as slot writes or list appends. */
  readonly edges: readonly [number, number][];
  /** Objects whose global is deleted before the collection. */
  readonly dropped: readonly number[];
  /** Kinds allocated after the collection, to see which addresses and indices come back. */
  readonly after: readonly Kind[];
  /** How many of the first indices start one free short of their epoch wrapping around. */
  readonly wrapping: number;
  /** The collector's profile. */
  readonly profile: 'cpython-3.11' | 'cpython-3.12' | 'cpython-3.13';
  /** The generation collected. */
  readonly generation: number;
}

/** Runs `program` on a fresh heap and returns everything observable about the heap afterwards. */
function run(program: Program, use: 'always' | 'never') {
  wasmCollection.use = use;
  const collector = createGenerationalCollector({ profile: program.profile });
  const heap = new Heap({ collector });
  const gc = collector.gc;
  gc.disable();
  const log: string[] = [];
  const types: Record<Kind, number> = {
    node: heap.defineType({ name: 'node', container: true, baseSize: 32, slotSize: 8 }),
    list: heap.defineType({
      name: 'list',
      container: true,
      releaseOrder: 'reverse',
      clearOrder: 'reverse',
      baseSize: 56,
      slotSize: 0,
    }),
    tuple: heap.defineType(TUPLE),
    big: heap.defineType({ name: 'big', container: true, baseSize: 48 }),
    instance: heap.defineType({ name: 'instance', container: true, deferFirstSlot: true }),
    finalized: heap.defineType({
      name: 'finalized',
      container: true,
      finalize: (h, obj) => {
        log.push(`del ${h.addressOf(obj)}`);
        // Those with a payload come back to life: then the module, not the collector's loop,
        // frees what the finalizer's allocation counted toward generation 0.
        if (h.payload(obj) !== undefined) {
          h.roots.push(obj);
          h.roots.popToGlobal(`saved${obj}`);
        }
        // Host code that allocates while garbage is being cleared reuses freed indices (and
        // counts toward generation 0).
        h.alloc(types.node, 1);
        h.roots.popToGlobal('made-by-finalizer');
      },
    }),
    freelisted: heap.defineType({ name: 'freelisted', container: true, freeList: { capacity: 4 } }),
    huge: heap.defineType({ name: 'huge', container: true, baseSize: 700 }),
    int: heap.defineType({ name: 'int' }),
    header: heap.defineType({ name: 'header', container: true }),
  };
  // Allocation and free each advance a record's epoch: these wrap around at the free.
  for (let i = 1; i <= program.wrapping; i++) heap.tables.i32[i * 16 + 12] = 2 ** 28 - 2;
  const slotsOf = (kind: Kind): number =>
    kind === 'int' ? 0 : kind === 'big' ? 6 : kind === 'list' ? 0 : kind === 'header' ? 3 : 4;
  const refs: Ref[] = program.objects.map(({ kind, payload }, i) => {
    const ref = kind === 'list' ? heap.allocGrowable(types.list, 2) : heap.alloc(types[kind], slotsOf(kind));
    heap.roots.popToGlobal(`o${i}`);
    if (kind === 'header') heap.setHeaderSlots(ref, 1);
    if (payload) heap.setPayload(ref, i);
    return ref;
  });
  const filled = program.objects.map(() => 0);
  for (const [from, to] of program.edges) {
    const kind = program.objects[from].kind;
    if (kind === 'int') continue;
    if (kind === 'list') heap.append(refs[from], refs[to]);
    else if (filled[from] < slotsOf(kind) - (kind === 'header' ? 1 : 0))
      heap.set(refs[from], filled[from]++, refs[to]);
  }
  wasmCollection.runs = 0;
  wasmCollection.stops = 0;
  wasmCollection.deduces = 0;
  for (const i of program.dropped) heap.roots.deleteGlobal(`o${i}`);
  const collected = gc.collect(program.generation);
  const { runs, stops, deduces } = wasmCollection;
  const afterRefs = program.after.map((kind) => {
    const ref = kind === 'list' ? heap.allocGrowable(types.list, 2) : heap.alloc(types[kind], slotsOf(kind));
    heap.roots.popToGlobal(`new${ref}`);
    return [ref, heap.addressOf(ref)];
  });
  const t = heap.tables;
  const m = heap.metrics;
  return {
    state: {
      collected,
      records: Array.from(t.i32.subarray(0, t.capacity * 16)),
      pool: Array.from(t.i32.subarray(t.slots.base, t.slots.top)),
      payloads: t.payload.slice(0, t.capacity),
      live: [heap.liveObjects, heap.liveBytes],
      allocator: heap.allocatorStats(),
      metrics: [m.frees, m.freedBytes, m.refcountOps, m.finalizersRun, m.allocations],
      heapBytes: m.heapBytes.points(),
      // The collection's report, its work counts included, without its times.
      reports: m.reports.map(({ ms, phases, ...report }) => ({
        ...report,
        phases: phases.map(({ ms: phaseMs, ...phase }) => phase),
      })),
      count: gc.getCount(),
      stats: gc.getStats(),
      generations: [0, 1, 2].map((g) => gc.getObjects(g)),
      gcRefs: Array.from((collector as unknown as { state: GcState }).state.lists.refs.data),
      log,
      afterRefs,
    },
    runs,
    stops,
    deduces,
  };
}

const programs = fc.integer({ min: 2, max: 120 }).chain((n) =>
  fc.record({
    profile: fc.constantFrom<Program['profile']>('cpython-3.11', 'cpython-3.12', 'cpython-3.13'),
    generation: fc.constantFrom(0, 1, 2, 2),
    objects: fc.array(
      fc.record({
        kind: fc.oneof(
          { weight: 12, arbitrary: fc.constantFrom<Kind>('node', 'list') },
          { weight: 3, arbitrary: fc.constantFrom<Kind>(...KINDS) },
        ),
        payload: fc.nat(11).map((k) => k === 0),
      }),
      { minLength: n, maxLength: n },
    ),
    // A tree (each object held by one earlier one, so that clearing a holder frees several
    // objects in turn) with random edges on top, which make cycles.
    edges: fc
      .tuple(
        fc.array(fc.nat(n - 1), { minLength: n - 1, maxLength: n - 1 }),
        fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { minLength: Math.ceil(n / 3), maxLength: n * 2 }),
      )
      .map(([parents, extra]) => [
        ...parents.map((p, k): [number, number] => [p % (k + 1), k + 1]),
        ...extra,
      ]),
    // Most globals deleted, so that most programs leave garbage.
    dropped: fc
      .array(fc.nat(19), { minLength: n, maxLength: n })
      .map((draws) => draws.flatMap((draw, k) => (draw < 19 ? [k] : []))),
    after: fc.array(fc.constantFrom<Kind>('node', 'list', 'int', 'big'), { maxLength: 12 }),
    wrapping: fc.nat(Math.min(n, 8)),
  }),
);

/** Objects of these kinds, without payloads. */
const objects = (kinds: readonly Kind[]): Program['objects'] =>
  kinds.map((kind) => ({ kind, payload: false }));

/**
 * Runs a program (every global deleted, a full collection under CPython 3.11, unless it says
 * otherwise) with the module and without, checks that both leave the same heap, and returns the
 * run with the module.
 */
function same(program: Pick<Program, 'objects' | 'edges'> & Partial<Program>) {
  const whole: Program = {
    dropped: program.objects.map((_, k) => k),
    after: [],
    wrapping: 0,
    profile: 'cpython-3.11',
    generation: 2,
    ...program,
  };
  const fast = run(whole, 'always');
  const loop = run(whole, 'never');
  expect(loop.runs + loop.deduces).toBe(0);
  expect(fast.deduces).toBe(fast.runs);
  expect(fast.state).toEqual(loop.state);
  return fast;
}

describe('clearing garbage in WebAssembly', () => {
  it('ships the bytes its text assembles to', () => {
    // `--check` exits 1 (and execFileSync throws) when collect-module.ts is not what collect.wat
    // assembles to.
    const script = fileURLToPath(new URL('../scripts/wasm.mjs', import.meta.url));
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toBe('');
    // Browsers compile modules over 4 KB synchronously only off the main thread.
    expect(atob(COLLECT_MODULE).length).toBeLessThan(4096);
  });

  afterEach(() => {
    wasmCollection.use = 'auto';
  });

  it('leaves the heap exactly as the collector loop does', () => {
    let cleared = 0;
    let stopped = 0;
    fc.assert(
      fc.property(programs, (program) => {
        const fast = same(program);
        if (fast.state.collected > 0) cleared += fast.runs;
        stopped += fast.stops;
      }),
      { numRuns: 300 },
    );
    // The module cleared garbage in about half of the programs (two runs: 155 and 183 of 300),
    // and stopped part-way, leaving the rest to the loop, in many (122 and 149).
    expect(cleared).toBeGreaterThan(100);
    expect(stopped).toBeGreaterThan(60);
  });

  it('finishes a release it stops in, then drops the rest of a list it was clearing, last first', () => {
    // A garbage list holding itself through `n`, and five items only it holds; cleared last
    // first, the third (a `big`, its slots out of line) stops the module inside its release.
    const fast = same({
      objects: objects(['list', 'node', 'node', 'big', 'node', 'node', 'node']),
      edges: [...[1, 2, 3, 4, 5, 6].map((k): [number, number] => [0, k]), [6, 0]],
      after: ['node', 'node', 'node', 'node', 'node'],
    });
    expect([fast.runs, fast.stops, fast.state.collected]).toEqual([1, 1, 7]);
  });

  it('hands a cascade deeper than its stack to the host walk', () => {
    // A ring of 40,000 nodes: clearing the first releases the other 39,999 in one cascade, past
    // the 32,768 levels the module's stack holds.
    const n = 40_000;
    const fast = same({
      objects: objects(Array(n).fill('node')),
      edges: Array.from({ length: n }, (_, k): [number, number] => [k, (k + 1) % n]),
      after: ['node', 'node'],
    });
    expect([fast.runs, fast.stops, fast.state.collected]).toEqual([1, 1, n]);
  });

  it('untracks kept tuples that hold nothing tracked, as the JavaScript deduce does', () => {
    // Tuple 0 holds four ints: untracked. Tuple 5 holds three and an empty slot (a tuple still
    // being filled): stays tracked. Tuple 9 holds tuple 0 and three ints: tuple 0 is untracked
    // before 9 is scanned, so 9 goes too. Tuple 12 holds tuple 13, which holds a node: all three
    // stay tracked. A node cycle beside them is garbage.
    const fast = same({
      objects: objects([
        'tuple',
        'int',
        'int',
        'int',
        'int',
        'tuple',
        'int',
        'int',
        'int',
        'tuple',
        'node',
        'node',
        'tuple',
        'tuple',
        'node',
      ]),
      edges: [
        [0, 1],
        [0, 2],
        [0, 3],
        [0, 4],
        [5, 6],
        [5, 7],
        [5, 8],
        [9, 0],
        [9, 1],
        [9, 2],
        [9, 3],
        [10, 11],
        [11, 10],
        [12, 13],
        [12, 1],
        [12, 2],
        [12, 3],
        [13, 14],
        [13, 1],
        [13, 2],
        [13, 3],
      ],
      dropped: [1, 2, 3, 4, 6, 7, 8, 10, 11, 13, 14],
    });
    expect(fast.deduces).toBe(1);
    expect(fast.state.collected).toBe(2);
    // Tuples 5, 12 and 13 and the node 14.
    expect(fast.state.generations.flat()).toHaveLength(4);
  });

  it('moves objects that survive their clearing to the older generation, as the loop does', () => {
    // Tuples have no clear: a cycle of two survives the deletion and goes back to the old
    // generation, its collection state reset; the node cycle before it is freed.
    const fast = same({
      objects: objects(['node', 'node', 'tuple', 'tuple']),
      edges: [
        [0, 1],
        [1, 0],
        [2, 3],
        [3, 2],
      ],
      after: ['node'],
      generation: 1,
    });
    expect(fast.runs).toBe(1);
    expect(fast.state.generations[2]).toHaveLength(2);
  });

  it('returns blocks to full pools and empty pools to their arenas as pymalloc does', () => {
    // 750 pairs of nodes holding each other, every fourth pair kept: the first frees land in
    // full pools, which go back to the front of their size class's list; the next nodes
    // allocated show the order.
    const n = 1500;
    const fast = same({
      objects: objects(Array(n).fill('node')),
      edges: Array.from({ length: n }, (_, k): [number, number] => [k, k ^ 1]),
      dropped: Array.from({ length: n }, (_, k) => k).filter((k) => (k >> 1) % 4 !== 0),
      after: Array(600).fill('node'),
    });
    expect([fast.runs, fast.state.collected]).toEqual([1, 1124]);
  });

  it.each(['cpython-3.11', 'cpython-3.12'] as const)(
    'counts frees and untracks against generation 0 as the loop does (%s)',
    (profile) => {
      // A finalizer allocates (generation 0 counts it) and resurrects its object; the module
      // frees the cycle beside it, each free or untrack taking one off the count.
      const fast = same({
        objects: [{ kind: 'finalized', payload: true }, ...objects(['node', 'node'])],
        edges: [
          [0, 0],
          [1, 2],
          [2, 1],
        ],
        profile,
      });
      expect([fast.runs, fast.stops, fast.state.log.length]).toEqual([1, 0, 1]);
    },
  );

  it('clears the graph benchmark without stopping, as the loop does', () => {
    const collect = (use: 'always' | 'never') => {
      wasmCollection.use = use;
      wasmCollection.runs = 0;
      wasmCollection.stops = 0;
      const { heap, collector } = buildGraph(3000);
      // Every seventh node stays, with its list emptied: their pools keep blocks, so the order
      // the others' frees leave the pools in decides where the next objects go.
      const nodes = heap.roots.getLocal(0);
      for (let k = 0; k < 3000; k += 7) {
        const node = heap.get(nodes, k);
        heap.truncate(heap.get(node, 0), 0);
        heap.roots.setGlobal(`keep${k}`, node);
      }
      heap.roots.clearLocal(0);
      const freed = collector.gc.collect();
      const t = heap.tables;
      return {
        freed,
        runs: wasmCollection.runs,
        stops: wasmCollection.stops,
        records: Array.from(t.i32.subarray(0, t.capacity * 16)),
        allocator: heap.allocatorStats(),
        next: Array.from({ length: 3000 }, (_, k) => heap.addressOf(heap.alloc(k % 2, 1))),
      };
    };
    const fast = collect('always');
    const loop = collect('never');
    expect(fast.runs).toBe(1);
    expect(fast.stops).toBe(0);
    expect(loop.runs).toBe(0);
    expect(fast.freed).toBeGreaterThan(3000);
    expect(fast).toEqual({ ...loop, runs: 1 });
  });
});
