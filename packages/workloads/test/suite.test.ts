import { COLLECTOR_SPEC_VERSION, type Collector, createNoneCollector, DEFAULT_TRAITS } from '@heaplab/core';
import { describe, expect, it } from 'vitest';
import { findWorkload, type MutatorOp, resolveParams, runWorkload, WORKLOADS } from '../src/index.js';

/** Reference counting by the heap's own release engine: frees acyclic garbage at once. */
function counting(): Collector {
  return {
    specificationVersion: COLLECTOR_SPEC_VERSION,
    name: 'counting',
    traits: { ...DEFAULT_TRAITS, maintainsRefcounts: true },
    doAttach() {},
    doCollect() {},
  };
}

describe('the workload suite', () => {
  it('has nine workloads with unique names, descriptions and valid defaults', () => {
    expect(WORKLOADS.map((w) => w.name)).toEqual([
      'seed',
      'churn',
      'growth',
      'trees',
      'rings',
      'weak-cache',
      'observers',
      'finalizers',
      'graph',
    ]);
    for (const w of WORKLOADS) {
      expect(w.description.length).toBeGreaterThan(10);
      expect(w.description).not.toContain('\n');
      for (const p of w.params) expect(p.default).toBeGreaterThanOrEqual(p.min);
    }
  });

  for (const w of WORKLOADS) {
    it(`${w.name} is deterministic for a seed and verifies under the oracle`, () => {
      const ops = (seed: number) => {
        const log: MutatorOp[] = [];
        runWorkload(w, { seed, onOp: (op) => log.push(op), promptness: false });
        return log;
      };
      const a = ops(7);
      expect(a.length).toBeGreaterThan(100);
      expect(ops(7)).toEqual(a);
      const run = runWorkload(w, { collector: counting(), seed: 7, verify: true, verifyEvery: 64 });
      expect(run.summary.allocations).toBeGreaterThan(0);
      expect(run.summary.frees + run.summary.objectsLeaked!).toBeGreaterThan(0);
    });
  }

  it('seeds change the operations of random workloads', () => {
    const count = (seed: number) =>
      runWorkload(findWorkload('rings'), { seed, promptness: false }).summary.allocations;
    expect(count(1)).not.toBe(count(2));
  });

  it('under none every unreachable object leaks; reference counting leaks only cycles', () => {
    const rings = findWorkload('rings');
    const none = runWorkload(rings, { collector: createNoneCollector() });
    expect(none.summary.objectsLeaked).toBe(none.summary.allocations);
    expect(none.summary.frees).toBe(0);
    const rc = runWorkload(rings, { collector: counting() });
    expect(rc.stats.ringObjects).toBeGreaterThan(0);
    expect(rc.summary.objectsLeaked).toBe(rc.stats.ringObjects);
    const churn = runWorkload(findWorkload('churn'), { collector: counting() });
    expect(churn.summary.objectsLeaked).toBe(0);
  });

  it('the weak cache hits more when values are never freed', () => {
    const cache = findWorkload('weak-cache');
    const none = runWorkload(cache, { promptness: false }).stats.hitRate;
    const rc = runWorkload(cache, { collector: counting(), promptness: false }).stats.hitRate;
    expect(none).toBeGreaterThan(rc);
    expect(rc).toBeGreaterThan(0.5);
  });

  it('the seed example reads dead at once under reference counting, never under none', () => {
    const seed = findWorkload('seed');
    expect(runWorkload(seed, { collector: counting(), params: { rounds: 5 } }).stats.deadReads).toBe(5);
    expect(runWorkload(seed, { params: { rounds: 5 } }).stats.deadReads).toBe(0);
  });

  it('observers: callbacks run as observers die under reference counting', () => {
    const run = runWorkload(findWorkload('observers'), { collector: counting(), params: { observers: 400 } });
    expect(run.summary.callbacksRun).toBe(350);
    expect(run.stats.staleEntries).toBeGreaterThan(0);
  });

  it('rejects unknown workloads and parameters with the closest names', () => {
    expect(() => findWorkload('ring')).toThrow(/unknown workload "ring". Did you mean "rings"/);
    expect(() => resolveParams(findWorkload('rings'), { maxsize: 3 })).toThrow(/Did you mean "maxSize"/);
    expect(() => resolveParams(findWorkload('rings'), { maxSize: 0 })).toThrow(/from 1 to 100000, got 0/);
    expect(() => resolveParams(findWorkload('weak-cache'), { reuse: 0.5 })).not.toThrow();
  });
});
