import { describe, expect, it } from 'vitest';
import {
  CollectorLoadError,
  CollectorRegistry,
  createNoneCollector,
  didYouMean,
  Heap,
} from '../src/index.js';

const registry = new CollectorRegistry([
  { name: 'none', packageName: '@heaplab/core', description: 'never frees', load: () => createNoneCollector },
  {
    name: 'refcount',
    packageName: '@heaplab/gc-refcount',
    description: '',
    load: () => Promise.reject(new Error('missing')),
  },
]);

describe('collector registry', () => {
  it('resolves a short name to a working factory', async () => {
    const resolved = await registry.resolve('none');
    const heap = new Heap({ collector: resolved.factory() });
    expect(heap.collector.name).toBe('none');
  });

  it('suggests the closest names for an unknown collector', async () => {
    await expect(registry.resolve('refcont')).rejects.toThrow(
      '[heaplab] unknown collector "refcont". Did you mean "refcount"? Known collectors: none, refcount; or give a path to a module.',
    );
    expect(didYouMean('marksweap', ['marksweep', 'refcount'])).toBe(' Did you mean "marksweep"?');
  });

  it('reports a failing package load with its cause', async () => {
    const error = await registry.resolve('refcount').catch((e) => e);
    expect(error).toBeInstanceOf(CollectorLoadError);
    expect(error.message).toBe('[heaplab] could not load collector "refcount" from @heaplab/gc-refcount');
    expect(error.cause.message).toBe('missing');
  });

  it('loads a module path through the importer and checks what it exports', async () => {
    const good = await registry.resolve('./mine.js', async () => ({
      createMineCollector: createNoneCollector,
    }));
    expect(good.factory().name).toBe('none');
    const missing = await registry
      .resolve('./gone.js', async () => {
        throw new Error('Cannot find module ./gone.js\n    at stack');
      })
      .catch((e) => e);
    expect(missing.message).toBe(
      '[heaplab] could not load collector module "./gone.js": Cannot find module ./gone.js',
    );
    const nothing = await registry.resolve('./empty.js', async () => ({ answer: 42 })).catch((e) => e);
    expect(nothing.message).toMatch(/does not export a collector factory/);
    const old = await registry.resolve('./old.js', async () => ({
      default: () => ({ specificationVersion: 'v0' }),
    }));
    expect(() => old.factory()).toThrow(/implements "v0"; heaplab needs "heaplab.collector\/v1"/);
  });
});
