import { Heap, type ObjIndex } from '@heaplab/core';
import { createGenerationalCollector } from './collector.js';
import type { CollectorWithGc } from './gc-api.js';

/** Options of {@link runGraphBenchmark}. */
export interface GraphBenchmarkOptions {
  /** Number of nodes. */
  readonly n: number;
  /** xorshift32 seed (default 2463534242, as `graph_gc.py`). */
  readonly seed?: number;
  /**
   * What `live_ms` and `garbage_ms` measure: `wall` time (default, as `graph_gc.py`) or the
   * process's `cpu` time (as `graph_gc.py --cpu`), steadier on a shared machine.
   */
  readonly clock?: 'wall' | 'cpu';
}

/** One result line, with the fields `graph_gc.py` prints. */
export interface GraphBenchmarkResult {
  /** Always `heaplab`. */
  readonly impl: 'heaplab';
  /** Number of nodes. */
  readonly n: number;
  /** References per node (4). */
  readonly degree: number;
  /** Tracked objects: every node and its list. */
  readonly tracked: number;
  /** References: the root list's plus each node's list and its items. */
  readonly refs: number;
  /** Time of a full collection with every node reachable. */
  readonly live_ms: number;
  /** Time of the full collection after the root list is dropped. */
  readonly garbage_ms: number;
  /** What that collection returned: objects on or under cycles (the rest died by reference count). */
  readonly freed: number;
}

/** References per node, as `graph_gc.py`'s `DEGREE`. */
export const GRAPH_DEGREE = 4;
/** The default xorshift32 seed of `graph_gc.py`. */
export const GRAPH_SEED = 2463534242;

const wallClock = (): number => performance.now();
const cpuClock = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Runs the host's own garbage collector first when it is exposed (`node --expose-gc`). */
const hostCollect = (): void => (globalThis as { gc?: () => void }).gc?.();

const round2 = (ms: number): number => Math.round(ms * 100) / 100;

/** A built benchmark graph: the heap and its collector (see {@link buildGraph}). */
export interface BenchmarkGraph {
  /** The heap: local 0 of the frame `main` holds the list of nodes. */
  readonly heap: Heap;
  /** The CPython 3.11 collector, automatic collection disabled. */
  readonly collector: CollectorWithGc;
}

/**
 * Builds exactly `graph_gc.py`'s graph — a list holding `n` nodes (a `__slots__` object with one
 * slot), each node holding a list of 4 references to nodes picked by xorshift32 from `seed` —
 * under the CPython 3.11 collector with automatic collection disabled. The list is local 0 of
 * the frame `main`; clearing it leaves everything garbage.
 */
export function buildGraph(n: number, seed: number = GRAPH_SEED): BenchmarkGraph {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`[heaplab] graph benchmark: n must be a positive integer, got ${n}`);
  const collector = createGenerationalCollector();
  const heap = new Heap({ collector, initialCapacity: 2 * n + 64, initialSlots: 6 * n + 1024 });
  const Node = heap.defineType({ name: 'Node', container: true, baseSize: 32, slotSize: 8 });
  const List = heap.defineType({
    name: 'list',
    container: true,
    releaseOrder: 'reverse',
    clearOrder: 'reverse',
    baseSize: 56,
    slotSize: 0,
  });
  collector.gc.disable();
  heap.roots.pushFrame('main', ['nodes']);
  heap.allocGrowable(List, n);
  heap.roots.popToLocal(0);
  const nodes = heap.index(heap.roots.getLocal(0));
  for (let i = 0; i < n; i++) {
    heap.alloc(Node, 1);
    heap.roots.popAppend(heap.roots.getLocal(0));
  }
  const data = () => heap.slots.data;
  const nodeAt = (k: number): ObjIndex => data()[heap.tables.slotOff(nodes) + k];
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    const refs = heap.index(heap.allocGrowable(List, GRAPH_DEGREE));
    for (let k = 0; k < GRAPH_DEGREE; k++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      heap.appendIndex(refs, nodeAt(s % n), false);
    }
    heap.roots.popToSlot(heap.ref(nodeAt(i)), 0);
  }
  return { heap, collector };
}

/**
 * Runs the benchmark `runs` times untimed, on at most 100,000 nodes each (enough for every path a
 * run of `n` nodes takes), so that the host's JIT has compiled the collector before anything is
 * timed: the first runs of a process also time the compiler (CPython has nothing to warm up).
 */
export function warmUpGraphBenchmark(n: number, runs: number): void {
  for (let k = 0; k < runs; k++) runGraphBenchmark({ n: Math.min(n, 100_000) });
}

/**
 * The heap-level graph benchmark: builds the graph ({@link buildGraph}), then times
 * `gc.collect()` with everything reachable and again after the list is dropped.
 */
export function runGraphBenchmark(options: GraphBenchmarkOptions): GraphBenchmarkResult {
  const n = options.n;
  const { heap, collector } = buildGraph(n, options.seed);
  const gc = collector.gc;
  const now = options.clock === 'cpu' ? cpuClock : wallClock;
  // The host's own collection runs once, before anything of the graph's is timed or warmed: run
  // between the warm-up below and a timed collection, it evicted the graph from the caches and
  // slowed the garbage phase by 10-20%, where CPython's timed collections start warm. What the
  // steps below allocate is too little to start another host collection in a timed window.
  hostCollect();
  gc.collect();
  let t = now();
  gc.collect();
  const live = now() - t;
  heap.roots.clearLocal(0);
  t = now();
  const freed = gc.collect();
  const garbage = now() - t;
  heap.roots.popFrame();
  return {
    impl: 'heaplab',
    n,
    degree: GRAPH_DEGREE,
    tracked: 2 * n,
    refs: n * (GRAPH_DEGREE + 1),
    live_ms: round2(live),
    garbage_ms: round2(garbage),
    freed,
  };
}
