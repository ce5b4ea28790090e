import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { NULL_REF } from '@heaplab/core';
import { testCollector } from '@heaplab/core/testing';
import { describe, expect, it } from 'vitest';
import { heapModelTour } from '../../../docs/guides/examples/heap-model.js';
import { resolveCopying } from '../../../docs/guides/examples/register.js';
import { createTinyCollector } from '../../../docs/guides/examples/tiny-collector.js';
import { copyingRun } from '../../../docs/guides/examples/use-copying.js';

describe('guide examples', () => {
  it('type-check (tsc over docs/guides/examples)', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    expect(() =>
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'pipe' }),
    ).not.toThrow();
  }, 120_000);

  it('heap-model.ts: the cycle is reclaimed and the weak reference cleared', () => {
    const result = heapModelTour();
    expect(result.addressBefore).toBe(0x10000000);
    expect(result).toMatchObject({ aliveAfter: false, weakTargetAfter: NULL_REF, freed: 2, cleared: 1 });
  });

  it('use-copying.ts: the two survivors move to the other semispace, the garbage stays behind', () => {
    const result = copyingRun();
    expect(result.moves).toEqual(['200000000000 -> 300000000000', '200000000020 -> 300000000020']);
    expect(result.freed).toBe(1);
    expect(result.copied).toBe(2);
    expect(result.phases.map((p) => p.name)).toEqual(['copy', 'weakrefs', 'finalize', 'reclaim']);
  });

  it('register.ts: the registry resolves the short name to the package factory', async () => {
    const { collector, source } = await resolveCopying();
    expect(source).toBe('@heaplab/gc-copying');
    expect(collector.traits.movesObjects).toBe(true);
  });
});

// The guide's first collector passes the same kit every collector runs.
testCollector(createTinyCollector, { runs: 200, longRuns: 2 });
