import { checkHeap, Heap, type HeapEventOf, Mutator, type Ref } from '@heaplab/core';
import { testCollector } from '@heaplab/core/testing';
import { describe, expect, it } from 'vitest';
import { createCopyingCollector } from '../src/index.js';
import { semispaceHeap } from './helpers.js';

// #region kit
testCollector(createCopyingCollector, {
  additionalTests: (make) => {
    it('declares itself a moving collector that reclaims cycles without counting', () => {
      expect(make().traits).toMatchObject({
        movesObjects: true,
        reclaimsCycles: true,
        maintainsRefcounts: false,
      });
    });
  },
});
// #endregion kit

testCollector(createCopyingCollector, {
  name: 'copying, 256-byte semispaces (collects inside allocation)',
  options: { semispaceBytes: 256 },
  runs: 300,
  longRuns: 3,
});

describe('copying collector', () => {
  it('moves survivors into the other semispace, contiguously, in breadth-first order', () => {
    const { heap, m, node } = semispaceHeap();
    m.new('root', node, { slots: 2 });
    m.new('left', node, { slots: 1 });
    m.new('right', node, { slots: 0 });
    m.new('deep', node, { slots: 0 });
    m.new('garbage', node, { slots: 0 });
    m.link('root', 0, 'left');
    m.link('root', 1, 'right');
    m.link('left', 0, 'deep');
    for (const name of ['left', 'right', 'deep', 'garbage']) m.unbind(name);
    const root = m.get('root');
    const before = heap.addressOf(root);
    const report = heap.collect();
    const [left, right] = heap.referents(root);
    const [deep] = heap.referents(left);
    const spaceB = 0x300000000000;
    expect(before).toBe(0x200000000000);
    // Breadth first: root, then its children in slot order, then the grandchild.
    expect([root, left, right, deep].map((r) => heap.addressOf(r) - spaceB)).toEqual([0, 32, 64, 80]);
    expect(report.objectsFreed).toBe(1);
    expect(report.extra).toMatchObject({ copied: 4, resurrected: 0 });
  });

  it('emits a moved event for every copied object and keeps handles valid', () => {
    const { heap, m, node } = semispaceHeap();
    m.new('a', node, { slots: 1 });
    m.new('b', node, { slots: 1 });
    m.link('a', 0, 'b');
    const moves: HeapEventOf<'moved'>[] = [];
    heap.events.on('moved', (e) => moves.push(e));
    const a = m.get('a');
    const from = heap.addressOf(a);
    heap.collect();
    expect(moves.map((e) => e.obj)).toEqual([m.get('a'), m.get('b')]);
    expect(moves[0]).toMatchObject({ from, to: heap.addressOf(a) });
    expect(heap.get(a, 0)).toBe(m.get('b'));
    heap.collect();
    expect(heap.addressOf(a)).toBe(from);
  });

  it('moves auxiliary blocks with their objects', () => {
    const { heap, m, node } = semispaceHeap();
    const list = m.new('list', node, { slots: 0 });
    heap.setAuxSize(list, 64);
    const auxBefore = heap.tables.auxAddr[heap.index(list)];
    heap.collect();
    const auxAfter = heap.tables.auxAddr[heap.index(list)];
    expect(auxAfter).not.toBe(auxBefore);
    expect(auxAfter - heap.addressOf(list)).toBe(16);
    expect(heap.allocatorStats()).toMatchObject({ usedBytes: 80, blocks: 2 });
  });

  it('collects when an allocation fills the semispace, and grows it when survivors fill half', () => {
    const { heap, m, node } = semispaceHeap({ semispaceBytes: 256 });
    heap.roots.pushFrame('f', ['keep']);
    m.new('keep', node, { slots: 0, size: 100 });
    for (let k = 0; k < 20; k++) m.new('tmp', node, { slots: 0, size: 48 });
    expect(heap.collections).toBeGreaterThan(2);
    expect(heap.liveObjects).toBeLessThanOrEqual(2 + 256 / 48);
    const last = heap.metrics.summary();
    expect(last.collections).toBe(heap.collections);
    // 100 + up to 144 bytes of survivors pass half of 256: the semispaces doubled.
    const report = heap.collect();
    expect(report.extra.semispaceBytes).toBeGreaterThanOrEqual(256);
  });

  it('runs finalizers of garbage once and keeps what they resurrect, with its referents', () => {
    const log: Ref[] = [];
    const { heap, m, node } = semispaceHeap();
    const fin = heap.defineType({
      name: 'Fin',
      container: true,
      finalize: (h: Heap, obj: Ref) => {
        log.push(obj);
        h.roots.setGlobal('saved', obj);
      },
    });
    m.new('f', fin, { slots: 1 });
    m.new('child', node);
    m.link('f', 0, 'child');
    m.unbind('child');
    const f = m.get('f');
    m.unbind('f');
    const report = heap.collect();
    expect(log).toEqual([f]);
    expect(report.extra.resurrected).toBe(2);
    expect(heap.isAlive(heap.get(f, 0))).toBe(true);
    expect(checkHeap(heap).violations).toEqual([]);
    heap.roots.setGlobal('saved', 0 as Ref);
    heap.collect();
    expect(heap.liveObjects).toBe(0);
    expect(log).toHaveLength(1);
  });

  it('rejects nonsense options with a message naming the option', () => {
    expect(() => createCopyingCollector({ semispaceBytes: 0 })).toThrow(/\[copying\] semispaceBytes/);
    expect(() => createCopyingCollector({ growAbove: 2 })).toThrow(/growAbove/);
  });

  it('works with the default pymalloc model too: addresses change, memory is returned', () => {
    const heap = new Heap({ collector: createCopyingCollector(), verify: true });
    const m = new Mutator(heap);
    const node = heap.defineType({ name: 'Node', container: true });
    m.new('a', node, { slots: 1 });
    m.new('g', node);
    m.unbind('g');
    const before = heap.addressOf(m.get('a'));
    heap.collect();
    expect(heap.addressOf(m.get('a'))).not.toBe(before);
    expect(heap.allocatorStats().blocks).toBe(1);
  });
});
