import { COLLECTOR_SPEC_VERSION, CollectorLoadError } from '@heaplab/core';
import { describe, expect, it } from 'vitest';
import { createCollectorRegistry, DEFAULT_COMPARE_SET, SHIPPED_COLLECTORS } from '../src/index.js';

describe('the collector registry', () => {
  it('resolves every shipped collector to a working factory', async () => {
    const registry = createCollectorRegistry();
    for (const entry of SHIPPED_COLLECTORS) {
      const resolved = await registry.resolve(entry.name);
      const collector = resolved.factory();
      expect(collector.specificationVersion).toBe(COLLECTOR_SPEC_VERSION);
      expect(collector.name).toBe(entry.name);
      expect(entry.description.length).toBeGreaterThan(10);
    }
  });

  it('the default compare set names registered collectors only', () => {
    const names = createCollectorRegistry().names();
    expect(DEFAULT_COMPARE_SET.length).toBeGreaterThan(0);
    for (const n of DEFAULT_COMPARE_SET) expect(names).toContain(n);
  });

  it('an unknown name suggests the closest and lists the known ones', async () => {
    const err = await createCollectorRegistry()
      .resolve('nnoe')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CollectorLoadError);
    expect((err as Error).message).toMatch(/unknown collector "nnoe". Did you mean "none"\?/);
  });

  it('loads a module by path through the importer it is given', async () => {
    const registry = createCollectorRegistry();
    const factory = () => ({
      specificationVersion: COLLECTOR_SPEC_VERSION,
      name: 'mine',
      traits: { maintainsRefcounts: false },
      doAttach() {},
      doCollect() {},
    });
    const resolved = await registry.resolve('./mine.js', async () => ({ createMineCollector: factory }));
    expect(resolved.factory().name).toBe('mine');
    await expect(registry.resolve('./mine.js')).rejects.toThrow(/no module loader/);
  });
});
