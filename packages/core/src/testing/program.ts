import type { CollectorFactory, CollectorTraits } from '../collector.js';
import { cycleBoundGarbage } from '../graph.js';
import { Heap } from '../heap.js';
import { Mutator } from '../mutator.js';
import { checkHeap, type OracleReport } from '../oracle.js';
import { NULL_REF, type Ref } from '../ref.js';
import type { TypeId } from '../type-registry.js';

/** Number of variables a kit program uses (`v0`..`v7`; inside a call `v0`..`v3` are locals). */
export const KIT_VARIABLES = 8;
const FRAME_LOCALS = ['v0', 'v1', 'v2', 'v3'];

/** One operation of a kit program. Operations on unbound variables do nothing. */
export type KitOp =
  | {
      readonly op: 'new';
      readonly v: number;
      readonly kind: 'plain' | 'leaf' | 'list' | 'fin';
      readonly slots: number;
      readonly resurrect: boolean;
    }
  | { readonly op: 'link'; readonly v: number; readonly slot: number; readonly to: number | null }
  | { readonly op: 'load'; readonly v: number; readonly from: number; readonly slot: number }
  | { readonly op: 'copy'; readonly v: number; readonly from: number }
  | { readonly op: 'unbind'; readonly v: number }
  | { readonly op: 'call' }
  | { readonly op: 'return' }
  | { readonly op: 'weakref'; readonly v: number; readonly target: number; readonly callback: boolean }
  | { readonly op: 'deref'; readonly v: number; readonly from: number }
  | { readonly op: 'collect'; readonly kind: 'full' | 'minor'; readonly generation: number }
  | { readonly op: 'unsave' }
  | { readonly op: 'churn'; readonly n: number; readonly cyclic: boolean };

/** What the kit expects of a collector, beyond never freeing anything reachable. */
export interface KitExpectations {
  /** After a full collection no unreachable object is left (tracing and cycle collectors). */
  readonly fullCollectionFreesAllUnreachable: boolean;
  /** Acyclic garbage is freed the moment it becomes unreachable (reference counting). */
  readonly freesAcyclicGarbageAtOnce: boolean;
  /** Garbage on or under a cycle is never freed (reference counting without a cycle collector). */
  readonly neverFreesCycles: boolean;
}

/** The expectations a collector's traits imply. */
export function expectationsFor(traits: CollectorTraits): KitExpectations {
  return {
    fullCollectionFreesAllUnreachable: traits.reclaimsCycles,
    freesAcyclicGarbageAtOnce: traits.maintainsRefcounts,
    neverFreesCycles: traits.maintainsRefcounts && !traits.reclaimsCycles,
  };
}

/** Options of {@link runKitProgram}. */
export interface RunKitOptions {
  /** Options passed to the collector factory. */
  readonly collectorOptions?: unknown;
  /** What to expect; default from the collector's traits. */
  readonly expect?: Partial<KitExpectations>;
  /** Check with the oracle after every `checkEvery` operations (default 1) and after every collection. */
  readonly checkEvery?: number;
  /** Collector for the {@link KitExpectations.fullCollectionFreesAllUnreachable} check on `collect` ops: the kind that counts as full. */
  readonly fullRequest?: { readonly kind: 'full' | 'minor'; readonly generation?: number };
  /**
   * A collector-specific check run with every oracle check: `when` says whether it follows an
   * ordinary operation, a full collection, or the end of the run ({@link Heap.finish}). Return
   * problems to fail the program at that operation.
   */
  readonly inspect?: (heap: Heap, oracle: OracleReport, when: KitCheckPoint) => readonly string[] | undefined;
}

/** When a kit program's checks run: after an operation, after a full collection, at the end. */
export type KitCheckPoint = 'operation' | 'full-collection' | 'end';

/** The kit's object types, registered on a heap. */
export interface KitTypes {
  /** A plain container with slots. */
  readonly plain: TypeId;
  /** An object without slots. */
  readonly leaf: TypeId;
  /** A growable container. */
  readonly list: TypeId;
  /** A container with a finalizer that may resurrect it. */
  readonly fin: TypeId;
  /** A weak reference. */
  readonly weakref: TypeId;
  /** A weak-reference callback. */
  readonly callback: TypeId;
}

/** A failure found while running a kit program: which operation, and what went wrong. */
export class KitFailure extends Error {
  /** Creates the failure. */
  constructor(message: string) {
    super(message);
    this.name = 'KitFailure';
  }
}

/**
 * Runs a kit program against a fresh verifying heap with the given collector, checking after
 * each operation that nothing reachable was freed, weak references to freed objects were
 * cleared, finalizers ran at most once, callbacks ran at most once and only on cleared weak
 * references, and the collector's expectations hold. Throws a {@link KitFailure} naming the
 * operation on the first problem; returns the heap's final summary figures otherwise.
 */
export function runKitProgram(
  factory: CollectorFactory<never>,
  program: readonly KitOp[],
  options: RunKitOptions = {},
): { freed: number; collections: number; finalizers: number; callbacks: number } {
  const collector = (factory as CollectorFactory<unknown>)(options.collectorOptions);
  const problems: string[] = [];
  const heap = new Heap({ collector, verify: true, initialCapacity: 64 });
  const expect = { ...expectationsFor(collector.traits), ...options.expect };
  const finalized = new Set<Ref>();
  const called = new Set<Ref>();
  const types: KitTypes = {
    plain: heap.defineType({ name: 'Plain', container: true, weakrefable: true }),
    leaf: heap.defineType({ name: 'Leaf', weakrefable: true }),
    list: heap.defineType({ name: 'List', container: true, weakrefable: true, releaseOrder: 'reverse' }),
    fin: heap.defineType({
      name: 'Fin',
      container: true,
      weakrefable: true,
      finalize: (h, obj) => {
        if (finalized.has(obj)) problems.push(`finalizer of ${h.describe(h.index(obj))} ran twice`);
        finalized.add(obj);
        if (h.payload<{ resurrect: boolean }>(obj)?.resurrect) h.append(h.roots.getGlobal('saved'), obj);
      },
    }),
    weakref: heap.defineType({ name: 'Weakref', container: true, weakref: 'ref' }),
    callback: heap.defineType({ name: 'Callback' }),
  };
  const m = new Mutator(heap);
  m.new('saved', types.list, { growable: true });
  let cycleBound = new Set<number>();
  // A weak reference on a garbage cycle still drops its callback when its referent dies (CPython
  // does too), so a callback object held only there is freed legitimately.
  const droppedCallbacks = new Set<Ref>();
  heap.events.on('callback-run', (e) => droppedCallbacks.add(e.callback));
  heap.events.on('freed', (e) => {
    if (expect.neverFreesCycles && cycleBound.has(e.obj) && !droppedCallbacks.has(e.obj))
      problems.push(`freed ${e.type} on a garbage cycle`);
  });
  let depth = 0;
  const name = (v: number): string => `v${v % KIT_VARIABLES}`;
  const check = (at: number, afterFull: boolean): void => {
    const report = checkHeap(heap);
    if (report.violations.length > 0) problems.push(...report.violations.map((v) => v.message));
    const when: KitCheckPoint = at === program.length ? 'end' : afterFull ? 'full-collection' : 'operation';
    const found = options.inspect?.(heap, report, when);
    if (found !== undefined) problems.push(...found);
    heap.releaseQuarantine();
    if (afterFull && expect.fullCollectionFreesAllUnreachable && report.unreachable.length > 0) {
      problems.push(
        `a full collection left ${report.unreachable.length} unreachable objects, e.g. ${heap.describe(report.unreachable[0])}`,
      );
    }
    if (expect.freesAcyclicGarbageAtOnce || expect.neverFreesCycles) {
      const bound = cycleBoundGarbage(heap, report.unreachable);
      if (expect.freesAcyclicGarbageAtOnce) {
        const acyclic = report.unreachable.filter((i) => !bound.has(i));
        if (acyclic.length > 0)
          problems.push(`acyclic garbage not freed at once: ${heap.describe(acyclic[0])}`);
      }
      cycleBound = new Set([...bound].map((i) => heap.ref(i)));
    }
    if (problems.length > 0) {
      throw new KitFailure(
        `operation ${at} (${JSON.stringify(program[at] ?? 'end')}): ${problems.join('; ')}`,
      );
    }
  };
  const every = options.checkEvery ?? 1;
  const full = options.fullRequest ?? { kind: 'full' as const };
  for (let at = 0; at < program.length; at++) {
    const op = program[at];
    let afterFull = false;
    const get = (v: number): Ref => m.get(name(v));
    switch (op.op) {
      case 'new': {
        const type = types[op.kind];
        const ref = m.new(name(op.v), type, {
          slots: op.kind === 'leaf' ? 0 : op.kind === 'list' ? 0 : op.slots,
          growable: op.kind === 'list',
          payload: op.kind === 'fin' ? { resurrect: op.resurrect } : undefined,
        });
        void ref;
        break;
      }
      case 'link': {
        const obj = get(op.v);
        if (obj === NULL_REF) break;
        const target = op.to === null ? NULL_REF : get(op.to);
        const n = heap.length(obj);
        if (heap.typeOf(obj).id === types.list) {
          if (target !== NULL_REF && (n === 0 || op.slot % 2 === 0)) heap.append(obj, target);
          else if (n > 0) heap.removeAt(obj, op.slot % n);
        } else if (n > 0 && heap.typeOf(obj).id !== types.weakref) heap.set(obj, op.slot % n, target);
        heap.safepoint();
        break;
      }
      case 'load': {
        const obj = get(op.from);
        if (obj === NULL_REF || heap.length(obj) === 0 || heap.typeOf(obj).id === types.weakref) break;
        m.load(name(op.v), name(op.from), op.slot % heap.length(obj));
        break;
      }
      case 'copy':
        m.bind(name(op.v), name(op.from));
        break;
      case 'unbind':
        m.unbind(name(op.v));
        break;
      case 'call':
        if (depth < 4) {
          heap.roots.pushFrame(`f${depth}`, FRAME_LOCALS);
          depth++;
        }
        break;
      case 'return':
        if (depth > 0) {
          heap.roots.popFrame();
          depth--;
          heap.safepoint();
        }
        break;
      case 'weakref': {
        const target = get(op.target);
        if (target === NULL_REF || !heap.typeOf(target).weakrefable) break;
        if (op.callback) {
          m.new('callback', types.callback, {
            payload: (h: Heap, wr: Ref) => {
              if (called.has(wr)) problems.push('a weak reference callback ran twice');
              called.add(wr);
              if (h.weakTarget(wr) !== NULL_REF)
                problems.push('a callback ran before its weak reference was cleared');
            },
          });
        }
        m.weakref(name(op.v), types.weakref, name(op.target), op.callback ? 'callback' : undefined);
        if (op.callback) m.unbind('callback');
        break;
      }
      case 'deref': {
        const wr = get(op.from);
        if (wr === NULL_REF || heap.typeOf(wr).id !== types.weakref) break;
        m.deref(name(op.v), name(op.from));
        break;
      }
      case 'collect': {
        const report = m.collect({ kind: op.kind, generation: op.generation });
        afterFull =
          !report.skipped &&
          op.kind === full.kind &&
          (full.generation === undefined || op.generation === full.generation);
        break;
      }
      case 'unsave':
        heap.truncate(heap.roots.getGlobal('saved'), 0);
        heap.safepoint();
        break;
      case 'churn': {
        heap.roots.pushFrame('churn', ['a', 'b']);
        for (let k = 0; k < op.n; k++) {
          m.new('b', types.plain, { slots: 1 });
          m.link('b', 0, k === 0 ? (op.cyclic ? 'b' : null) : 'a');
          m.bind('a', 'b');
        }
        heap.roots.popFrame();
        heap.safepoint();
        break;
      }
    }
    if (afterFull || at % every === every - 1 || at === program.length - 1) check(at, afterFull);
  }
  while (depth-- > 0) heap.roots.popFrame();
  const finish = heap.finish();
  if (finish.summary.objectsLeaked! > 0 && expect.fullCollectionFreesAllUnreachable) {
    problems.push(`${finish.summary.objectsLeaked} unreachable objects left after the end-of-run collection`);
  }
  check(program.length, false);
  return {
    freed: finish.summary.frees,
    collections: finish.summary.collections,
    finalizers: finalized.size,
    callbacks: called.size,
  };
}
