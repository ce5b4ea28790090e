import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createBumpAllocator,
  createPymallocModel,
  PYMALLOC_ARENA_SIZE,
  PYMALLOC_POOL_OVERHEAD,
  PYMALLOC_POOL_SIZE,
} from '../src/index.js';

describe('pymalloc model', () => {
  it('reuses the last freed block of a size class first', () => {
    const a = createPymallocModel();
    const [x, y, z] = [a.allocate(48), a.allocate(48), a.allocate(48)];
    a.free(z, 48);
    a.free(x, 48);
    a.free(y, 48);
    expect([a.allocate(48), a.allocate(48), a.allocate(48)]).toEqual([y, x, z]);
  });

  it('holds every block of a full pool on its free list and hands them back last freed first', () => {
    const a = createPymallocModel({ arenaBase: 0x100000000 });
    const perPool = Math.floor((PYMALLOC_POOL_SIZE - PYMALLOC_POOL_OVERHEAD) / 16);
    const blocks: number[] = [];
    for (let k = 0; k < perPool + 1; k++) blocks.push(a.allocate(16));
    expect(blocks[perPool - 1]).toBe(0x100000000 + PYMALLOC_POOL_SIZE - 16);
    expect(blocks[perPool]).toBe(0x100000000 + PYMALLOC_POOL_SIZE + PYMALLOC_POOL_OVERHEAD);
    const firstPool = blocks.slice(0, perPool);
    // Free all but one, in a scrambled order, so the pool stays in use with a full free list.
    const order = firstPool.slice(1).sort((x, y) => ((x * 7919) % 1021) - ((y * 7919) % 1021));
    for (const b of order) a.free(b, 16);
    const again: number[] = [];
    for (let k = 0; k < order.length; k++) again.push(a.allocate(16));
    expect(again).toEqual([...order].reverse());
  });

  it('lays blocks out in 16-byte size classes after the pool header', () => {
    const a = createPymallocModel({ arenaBase: 0x100000000 });
    const first = a.allocate(1);
    expect(first).toBe(0x100000000 + PYMALLOC_POOL_OVERHEAD);
    expect(a.allocate(16)).toBe(first + 16);
    const other = a.allocate(17);
    expect(other).toBe(0x100000000 + PYMALLOC_POOL_SIZE + PYMALLOC_POOL_OVERHEAD);
    expect(a.blockSize(17)).toBe(32);
  });

  it('releases an empty arena unless it is the last usable one, and reports its figures', () => {
    const a = createPymallocModel();
    const perPool = Math.floor((PYMALLOC_POOL_SIZE - PYMALLOC_POOL_OVERHEAD) / 512);
    const blocks: number[] = [];
    for (let k = 0; k < perPool * 64 + 1; k++) blocks.push(a.allocate(512));
    expect(a.stats().arenas).toBe(2);
    expect(a.stats().usedBytes).toBe(blocks.length * 512);
    for (const b of blocks.slice(0, perPool * 64)) a.free(b, 512);
    const s = a.stats();
    expect(s.arenas).toBe(1);
    expect(s.pools).toBe(1);
    expect(s.fragmentation).toBeCloseTo(1 - 512 / PYMALLOC_ARENA_SIZE);
  });

  it('sends requests above 512 bytes to the system allocator', () => {
    const a = createPymallocModel({ systemBase: 0x5000 });
    const big = a.allocate(600);
    expect(big).toBe(0x5000);
    a.free(big, 600);
    expect(a.allocate(600)).toBe(0x5000);
    expect(a.stats().largeBytes).toBe(608);
  });

  it('hands out disjoint blocks, accounts for them and releases emptied arenas', () => {
    const op = fc.oneof(
      fc.record({ alloc: fc.constantFrom(16, 40, 64, 500, 512) }),
      fc.record({ free: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.integer({ min: 1, max: 40 }), (ops, burst) => {
        const a = createPymallocModel({ arenaBase: 0x100000000 });
        const live = new Map<number, number>();
        // Every 16-byte unit of a live block, so an overlap is found without comparing all pairs.
        const units = new Set<number>();
        const take = (bytes: number) => {
          const address = a.allocate(bytes);
          for (let u = address / 16, end = u + a.blockSize(bytes) / 16; u < end; u++) {
            if (units.has(u)) throw new Error(`block 0x${address.toString(16)} overlaps a live block`);
            units.add(u);
          }
          live.set(address, bytes);
        };
        for (const o of ops) {
          if ('alloc' in o) {
            // Bursts fill pools and arenas (512-byte blocks: 31 per pool, 1984 per arena).
            for (let k = 0; k < (o.alloc === 512 ? burst * 20 : 1); k++) take(o.alloc);
          } else if (live.size > 0) {
            const addresses = [...live.keys()];
            const address = addresses[o.free % addresses.length];
            const bytes = live.get(address)!;
            a.free(address, bytes);
            live.delete(address);
            for (let u = address / 16, end = u + a.blockSize(bytes) / 16; u < end; u++) units.delete(u);
          }
        }
        const used = [...live.values()].reduce((sum, b) => sum + a.blockSize(b), 0);
        expect(a.stats().usedBytes).toBe(used);
        for (const [address, bytes] of live) a.free(address, bytes);
        expect(a.stats().arenas).toBeLessThanOrEqual(1);
        expect(() => a.free(0x100000000 + 64 * PYMALLOC_ARENA_SIZE + 48, 16)).toThrow(/never allocated/);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects freeing an address it never handed out', () => {
    const a = createPymallocModel();
    expect(() => a.free(12345, 16)).toThrow(/never allocated/);
  });
});

describe('bump allocator', () => {
  it('bumps upward and reuses freed blocks of the same size last-in-first-out', () => {
    const a = createBumpAllocator({ base: 0x1000 });
    const x = a.allocate(24);
    const y = a.allocate(24);
    expect(y).toBe(x + 32);
    a.free(x, 24);
    a.free(y, 24);
    expect(a.allocate(20)).toBe(y);
    expect(a.stats().usedBytes).toBe(32);
  });
});
