import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_SPEC_VERSION, type CollectorFactory } from '../collector.js';
import { Heap } from '../heap.js';
import { Mutator } from '../mutator.js';
import { checkHeap } from '../oracle.js';
import { NULL_REF, type Ref } from '../ref.js';
import { kitProgram } from './arbitrary.js';
import { expectationsFor, type KitExpectations, runKitProgram } from './program.js';

/** Options of {@link testCollector}. */
export interface CollectorKitOptions<O = unknown> {
  /** Title of the suite (default: the collector's name). */
  readonly name?: string;
  /** Options passed to the factory. */
  readonly options?: O;
  /** Expectations overriding those implied by the traits. */
  readonly expect?: Partial<KitExpectations>;
  /** Random short programs to run (default 1000). */
  readonly runs?: number;
  /** Random long programs (thousands of operations each) to run (default 8). */
  readonly longRuns?: number;
  /** Seed for the property tests (default: fast-check's random seed). */
  readonly seed?: number;
  /** The request that counts as a full collection (default `{ kind: 'full' }`). */
  readonly fullRequest?: { readonly kind: 'full' | 'minor'; readonly generation?: number };
  /** Length of the chain freed in the deep-release test (default 200000). */
  readonly chainLength?: number;
  /** More tests, run inside the suite. */
  readonly additionalTests?: (factory: () => ReturnType<CollectorFactory<O>>) => void;
}

interface Fixture {
  heap: Heap;
  m: Mutator;
  node: number;
  fin: number;
  weak: number;
  callback: number;
  finalized: Ref[];
  callbacks: Ref[];
}

/**
 * Property runs stop (and fail) after four minutes, shrinking included: synchronous code cannot be
 * interrupted by the test runner's own timeout, so a counterexample that shrinks slowly would
 * otherwise hold a CI job until it is killed.
 */
const BOUNDED = { interruptAfterTimeLimit: 240_000, markInterruptAsFailure: true } as const;

/**
 * Registers heaplab's shared collector suite with vitest: the contract, rooted objects surviving,
 * garbage reclaimed as the traits promise, weak references and callbacks, finalizers and
 * resurrection, a deep chain, and fast-check property tests of random programs checked by the
 * reachability oracle after every operation. Call it at the top level of a test file.
 */
export function testCollector<O>(factory: CollectorFactory<O>, options: CollectorKitOptions<O> = {}): void {
  const make = () => factory(options.options);
  const probe = make();
  const expected: KitExpectations = { ...expectationsFor(probe.traits), ...options.expect };
  const full = options.fullRequest ?? { kind: 'full' as const };
  const fixture = (): Fixture => {
    const heap = new Heap({ collector: make(), verify: true });
    const finalized: Ref[] = [];
    const callbacks: Ref[] = [];
    return {
      heap,
      m: new Mutator(heap),
      node: heap.defineType({ name: 'Node', container: true, weakrefable: true }),
      fin: heap.defineType({
        name: 'Fin',
        container: true,
        weakrefable: true,
        finalize: (h, obj) => {
          finalized.push(obj);
          if (h.payload<string | undefined>(obj) === 'resurrect') h.roots.setGlobal('saved', obj);
        },
      }),
      weak: heap.defineType({ name: 'Weakref', weakref: 'ref', container: true }),
      callback: heap.defineType({ name: 'Callback' }),
      finalized,
      callbacks,
    };
  };
  const collectFull = (f: Fixture) => f.heap.collect(full);

  describe(`collector kit: ${options.name ?? probe.name}`, () => {
    it('implements the versioned contract and declares its traits', () => {
      expect(probe.specificationVersion).toBe(COLLECTOR_SPEC_VERSION);
      expect(probe.name).toMatch(/^[a-z][a-z0-9-]*$/);
      for (const key of [
        'reclaimsCycles',
        'movesObjects',
        'needsWriteBarrier',
        'generational',
        'maintainsRefcounts',
      ] as const) {
        expect(typeof probe.traits[key]).toBe('boolean');
      }
      expect(typeof probe.doAttach).toBe('function');
      expect(typeof probe.doCollect).toBe('function');
    });

    it('keeps every rooted object across a full collection', () => {
      const f = fixture();
      f.m.new('a', f.node, { slots: 2 });
      f.m.new('b', f.node, { slots: 1 });
      f.m.link('a', 0, 'b');
      f.m.link('b', 0, 'a');
      collectFull(f);
      expect(f.heap.isAlive(f.m.get('a'))).toBe(true);
      expect(f.heap.isAlive(f.m.get('b'))).toBe(true);
      expect(checkHeap(f.heap).unreachable).toEqual([]);
    });

    it('reclaims acyclic garbage as its traits promise', () => {
      const f = fixture();
      f.m.new('a', f.node, { slots: 1 });
      f.m.new('b', f.node, { slots: 1 });
      f.m.link('a', 0, 'b');
      const a = f.m.get('a');
      f.m.unbind('b');
      f.m.unbind('a');
      if (expected.freesAcyclicGarbageAtOnce) expect(f.heap.isAlive(a)).toBe(false);
      collectFull(f);
      if (expected.fullCollectionFreesAllUnreachable) expect(f.heap.liveObjects).toBe(0);
    });

    it(
      expected.neverFreesCycles
        ? 'never reclaims cycles'
        : 'reclaims cycles at a full collection if it promises to',
      () => {
        const f = fixture();
        f.m.new('a', f.node, { slots: 1 });
        f.m.new('b', f.node, { slots: 1 });
        f.m.link('a', 0, 'b');
        f.m.link('b', 0, 'a');
        const a = f.m.get('a');
        f.m.unbind('a');
        f.m.unbind('b');
        collectFull(f);
        if (expected.neverFreesCycles) expect(f.heap.isAlive(a)).toBe(true);
        if (expected.fullCollectionFreesAllUnreachable) expect(f.heap.isAlive(a)).toBe(false);
      },
    );

    it('clears weak references to freed objects and runs each callback once, after clearing', () => {
      const f = fixture();
      const seen: boolean[] = [];
      f.m.new('target', f.node);
      f.m.new('cb', f.callback, {
        payload: (h: Heap, wr: Ref) => {
          f.callbacks.push(wr);
          seen.push(h.weakTarget(wr) === NULL_REF);
        },
      });
      f.m.weakref('w', f.weak, 'target', 'cb');
      f.m.unbind('cb');
      expect(f.heap.weakTarget(f.m.get('w'))).toBe(f.m.get('target'));
      collectFull(f);
      expect(f.heap.weakTarget(f.m.get('w'))).not.toBe(NULL_REF);
      f.m.unbind('target');
      collectFull(f);
      const reclaims = expected.freesAcyclicGarbageAtOnce || expected.fullCollectionFreesAllUnreachable;
      if (reclaims) {
        expect(f.heap.weakTarget(f.m.get('w'))).toBe(NULL_REF);
        expect(f.callbacks).toEqual([f.m.get('w')]);
        expect(seen).toEqual([true]);
      } else {
        expect(f.callbacks).toEqual([]);
      }
      collectFull(f);
      expect(f.callbacks.length).toBeLessThanOrEqual(1);
    });

    it('runs a finalizer at most once and lets it resurrect its object', () => {
      const f = fixture();
      f.m.new('x', f.fin, { slots: 1, payload: 'resurrect' });
      const x = f.m.get('x');
      f.m.unbind('x');
      collectFull(f);
      const reclaims = expected.freesAcyclicGarbageAtOnce || expected.fullCollectionFreesAllUnreachable;
      if (!reclaims) {
        expect(f.finalized).toEqual([]);
        return;
      }
      expect(f.finalized).toEqual([x]);
      expect(f.heap.isAlive(x)).toBe(true);
      expect(f.heap.roots.getGlobal('saved')).toBe(x);
      expect(f.heap.isFinalized(x)).toBe(true);
      f.heap.roots.setGlobal('saved', NULL_REF);
      collectFull(f);
      expect(f.finalized).toEqual([x]);
      expect(f.heap.isAlive(x)).toBe(false);
    });

    it('frees a long chain without overflowing the host stack', () => {
      const f = fixture();
      const n = options.chainLength ?? 200_000;
      const { heap } = f;
      heap.roots.pushFrame('build', ['head']);
      heap.alloc(f.node, 1);
      heap.roots.popToLocal(0);
      for (let k = 1; k < n; k++) {
        heap.alloc(f.node, 1);
        const fresh = heap.roots.peek();
        heap.set(fresh, 0, heap.roots.getLocal(0));
        heap.roots.popToLocal(0);
      }
      expect(heap.liveObjects).toBe(n + 0);
      heap.roots.popFrame();
      collectFull(f);
      const reclaims = expected.freesAcyclicGarbageAtOnce || expected.fullCollectionFreesAllUnreachable;
      expect(heap.liveObjects).toBe(reclaims ? 0 : n);
    });

    it('never frees a reachable object in random programs (oracle after every operation)', () => {
      fc.assert(
        fc.property(kitProgram({ maxLength: 120 }), (program) => {
          runKitProgram(factory as never, program, {
            collectorOptions: options.options,
            expect: expected,
            fullRequest: full,
          });
        }),
        { numRuns: options.runs ?? 1000, seed: options.seed, ...BOUNDED },
      );
    }, 300_000);

    it('never frees a reachable object in long random programs', () => {
      fc.assert(
        fc.property(kitProgram({ minLength: 2000, maxLength: 3000 }), (program) => {
          runKitProgram(factory as never, program, {
            collectorOptions: options.options,
            expect: expected,
            fullRequest: full,
            checkEvery: 7,
          });
        }),
        { numRuns: options.longRuns ?? 8, seed: options.seed, ...BOUNDED },
      );
    }, 300_000);

    options.additionalTests?.(make);
  });
}
