import { describe, expect, it } from 'vitest';
import { createBumpAllocator, F_ALIVE, HeapError, NULL_REF, type Ref } from '../src/index.js';
import { countingHeap } from './helpers.js';

describe('heap objects, slots and counts', () => {
  it('counts one reference per slot and root, and frees at zero', () => {
    const { heap, Plain } = countingHeap();
    const a = heap.alloc(Plain, 2);
    expect(heap.refcount(a)).toBe(1);
    heap.roots.popToGlobal('a');
    const b = heap.alloc(Plain, 0);
    heap.set(a, 0, b);
    heap.set(a, 1, b);
    expect(heap.refcount(b)).toBe(3);
    heap.roots.pop();
    expect(heap.refcount(b)).toBe(2);
    heap.set(a, 0, NULL_REF);
    heap.set(a, 1, NULL_REF);
    expect(heap.isAlive(b)).toBe(false);
    expect(heap.liveObjects).toBe(1);
  });

  it('reports use of a freed handle, naming the object', () => {
    const { heap, Plain } = countingHeap({ allocator: createBumpAllocator({ base: 0x1000 }) });
    const a = heap.alloc(Plain, 0);
    heap.roots.pop();
    expect(() => heap.get(a, 0)).toThrow(HeapError);
    expect(() => heap.get(a, 0)).toThrow(/use after free: Plain at 0x1000 was freed/);
    heap.alloc(Plain, 0);
    expect(() => heap.sizeOf(a)).toThrow(
      /use after free: object #1 was freed and its index now holds a Plain/,
    );
  });

  it('rejects slots out of range and writes into fixed objects as containers', () => {
    const { heap, Plain } = countingHeap();
    const a = heap.alloc(Plain, 1);
    expect(() => heap.set(a, 1, NULL_REF)).toThrow(
      /slot 1 out of range for Plain at 0x[0-9a-f]+ \(1 slots\)/,
    );
    expect(() => heap.append(a, NULL_REF)).toThrow(/is not a growable container/);
  });

  it('keeps growable containers consistent through append, insert, remove, truncate and permute', () => {
    const { heap, Plain, List } = countingHeap();
    const list = heap.allocGrowable(List, 0);
    const items: Ref[] = [];
    for (let k = 0; k < 5; k++) {
      items.push(heap.alloc(Plain, 0, 16 + k));
      heap.append(list, items[k]);
      heap.roots.pop();
    }
    heap.insert(list, 0, items[4]);
    expect(heap.referents(list)).toEqual([items[4], ...items]);
    expect(heap.refcount(items[4])).toBe(2);
    heap.removeAt(list, 5);
    expect(heap.isAlive(items[4])).toBe(true);
    heap.permute(list, [4, 3, 2, 1, 0]);
    expect(heap.referents(list)).toEqual([items[3], items[2], items[1], items[0], items[4]]);
    heap.truncate(list, 1);
    expect(heap.length(list)).toBe(1);
    expect(items.map((r) => heap.isAlive(r))).toEqual([false, false, false, true, false]);
  });

  it('keeps header slots out of the item operations; counts, release and events see them raw', () => {
    const { heap, Plain, List } = countingHeap();
    const list = heap.allocGrowable(List, 0);
    heap.roots.popToGlobal('list');
    const owner = heap.alloc(Plain, 0);
    heap.append(list, NULL_REF);
    heap.append(list, owner);
    heap.roots.pop();
    heap.setHeaderSlots(list, 2);
    expect(heap.headerSlots(list)).toBe(2);
    expect(heap.length(list)).toBe(0);
    expect(heap.referents(list)).toEqual([]);
    const items: Ref[] = [];
    for (let k = 0; k < 3; k++) {
      items.push(heap.alloc(Plain, 0));
      heap.append(list, items[k]);
      heap.roots.pop();
    }
    const writes: [number, string][] = [];
    const mutations: unknown[] = [];
    heap.events.on('write', (e) => writes.push([e.slot, e.via]));
    heap.events.on('mutation', (e) => mutations.push('at' in e ? e.at : 'order' in e ? e.order : e));
    heap.set(list, 0, items[2]);
    heap.insert(list, 1, items[1]);
    expect(heap.referents(list)).toEqual([items[2], items[1], items[1], items[2]]);
    expect(heap.get(list, 3)).toBe(items[2]);
    expect(() => heap.get(list, 4)).toThrow(/slot 4 out of range .* \(4 slots\)/);
    heap.removeAt(list, 0);
    heap.permute(list, [2, 1, 0]);
    expect(heap.referents(list)).toEqual([items[2], items[1], items[1]]);
    expect(writes).toEqual([
      [2, 'set'],
      [3, 'insert'],
    ]);
    expect(mutations).toEqual([2, [0, 1, 4, 3, 2]]);
    const dict = heap.alloc(Plain, 0);
    heap.setHeader(list, 0, dict);
    heap.roots.pop();
    expect(heap.getHeader(list, 0)).toBe(dict);
    expect(() => heap.getHeader(list, 2)).toThrow(/header slot 2 out of range/);
    heap.truncate(list, 0);
    expect(heap.isAlive(items[0])).toBe(false);
    expect(heap.getHeader(list, 1)).toBe(owner);
    expect(heap.refcount(owner)).toBe(1);
    heap.roots.setGlobal('list', NULL_REF);
    expect([owner, dict, ...items].some((r) => heap.isAlive(r))).toBe(false);
    const next = heap.allocGrowable(List, 0);
    expect(heap.headerSlots(next)).toBe(0);
  });

  it('releases header slots first, in order, then the items in the type release order', () => {
    const { heap, A, log } = countingHeap();
    const Rev = heap.defineType({ name: 'Rev', container: true, releaseOrder: 'reverse' });
    const obj = heap.allocGrowable(Rev, 0);
    for (const name of ['h0', 'h1', 'i0', 'i1', 'i2']) {
      heap.allocWith(A, { payload: name });
      heap.roots.popAppend(obj);
    }
    heap.setHeaderSlots(obj, 2);
    heap.roots.pop();
    expect(log).toEqual(['del h0', 'del h1', 'del i2', 'del i1', 'del i0']);
  });

  it('with deferLastHeader, releases the last header slot after the items, once the object is freed', () => {
    const { heap, A, log } = countingHeap();
    const Sub = heap.defineType({
      name: 'Sub',
      container: true,
      releaseOrder: 'reverse',
      deferLastHeader: true,
    });
    heap.events.on('freed', (e) => {
      if (e.type === 'Sub') log.push('freed Sub');
    });
    const obj = heap.allocGrowable(Sub, 0);
    for (const name of ['dict', 'class', 'i0', 'i1']) {
      heap.allocWith(A, { payload: name });
      heap.roots.popAppend(obj);
    }
    heap.setHeaderSlots(obj, 2);
    heap.roots.pop();
    expect(log).toEqual(['del dict', 'del i1', 'del i0', 'freed Sub', 'del class']);
  });

  it('with deferFirstSlot, releases slot 0 after the other slots, once the object is freed', () => {
    const { heap, A, log } = countingHeap();
    const Inst = heap.defineType({ name: 'Inst', container: true, deferFirstSlot: true });
    heap.events.on('freed', (e) => {
      if (e.type === 'Inst') log.push('freed Inst');
    });
    const obj = heap.allocGrowable(Inst, 0);
    for (const name of ['class', 'a', 'b']) {
      heap.allocWith(A, { payload: name });
      heap.roots.popAppend(obj);
    }
    heap.roots.pop();
    expect(log).toEqual(['del a', 'del b', 'freed Inst', 'del class']);
  });

  it('frees children in CPython order: finalizer first, then referents depth first, memory last', () => {
    const { heap, A, log } = countingHeap();
    const freed: string[] = [];
    heap.events.on('freed', (e) => freed.push(heap.types.lookup(e.type)?.name === 'A' ? `${e.address}` : ''));
    const names = ['parent', 'child', 'grandchild'];
    const refs = names.map((name) => {
      const r = heap.allocWith(A, { slots: 1, payload: name });
      return r;
    });
    heap.set(refs[0], 0, refs[1]);
    heap.set(refs[1], 0, refs[2]);
    heap.roots.remove(0);
    heap.roots.remove(0);
    log.push('deleting');
    heap.roots.pop();
    expect(log).toEqual(['deleting', 'del parent', 'del child', 'del grandchild']);
    const addresses = refs.map(() => 0);
    expect(freed.length).toBe(3);
    expect(addresses.length).toBe(3);
  });

  it('lets a finalizer resurrect its object once; the second death runs no finalizer', () => {
    const { heap, log } = countingHeap();
    const Phoenix = heap.defineType({
      name: 'Phoenix',
      container: true,
      finalize: (h, obj) => {
        log.push('finalize');
        h.roots.setGlobal('saved', obj);
      },
    });
    const p = heap.alloc(Phoenix, 0);
    heap.roots.pop();
    expect(log).toEqual(['finalize']);
    expect(heap.isAlive(p)).toBe(true);
    expect(heap.isFinalized(p)).toBe(true);
    expect(heap.metrics.resurrections).toBe(1);
    heap.roots.deleteGlobal('saved');
    expect(log).toEqual(['finalize']);
    expect(heap.isAlive(p)).toBe(false);
  });

  it('releases a 1,000,000-long chain and a 1,000,000-wide container without deep host recursion', () => {
    const { heap, Plain, List } = countingHeap({ initialCapacity: 1 << 20 });
    heap.alloc(Plain, 1);
    for (let k = 1; k < 1_000_000; k++) {
      const next = heap.alloc(Plain, 1);
      heap.set(next, 0, heap.roots.peek(1));
      heap.roots.remove(1);
    }
    expect(heap.liveObjects).toBe(1_000_000);
    heap.roots.pop();
    expect(heap.liveObjects).toBe(0);
    const wide = heap.allocGrowable(List, 1_000_000);
    for (let k = 0; k < 1_000_000; k++) {
      heap.alloc(Plain, 0);
      heap.roots.popAppend(wide);
    }
    heap.roots.pop();
    expect(heap.liveObjects).toBe(0);
  });

  it('releases in exactly the order a recursive release gives', () => {
    const { heap, Plain, List } = countingHeap();
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    type Tree = { ref: Ref; kids: Tree[]; reverse: boolean };
    const build = (depth: number): Tree => {
      const n = depth > 6 ? 0 : Math.floor(rand() * 4);
      const reverse = rand() < 0.5;
      const ref = reverse ? heap.allocGrowable(List, n) : heap.alloc(Plain, n);
      const kids: Tree[] = [];
      for (let k = 0; k < n; k++) {
        const kid = build(depth + 1);
        kids.push(kid);
        if (reverse) heap.roots.popAppend(ref);
        else heap.roots.popToSlot(ref, k);
      }
      return { ref, kids, reverse };
    };
    const tree = build(0);
    const expected: Ref[] = [];
    const visit = (t: Tree): void => {
      const kids = t.reverse ? [...t.kids].reverse() : t.kids;
      for (const k of kids) visit(k);
      expected.push(t.ref);
    };
    visit(tree);
    const freed: Ref[] = [];
    heap.events.on('freed', (e) => freed.push(e.obj));
    heap.roots.pop();
    expect(freed).toEqual(expected);
  });

  it('reuses the address of the object just freed for the next one of its size', () => {
    const { heap, Plain } = countingHeap();
    const a = heap.alloc(Plain, 2);
    const address = heap.addressOf(a);
    heap.roots.pop();
    const b = heap.alloc(Plain, 2);
    expect(heap.addressOf(b)).toBe(address);
  });

  it('reuses freed indices and addresses last freed first, across table growth', () => {
    const { heap, Plain } = countingHeap({ initialCapacity: 16 });
    const n = 100;
    for (let k = 0; k < n; k++) heap.alloc(Plain, 1);
    const refs: Ref[] = [];
    for (let k = 0; k < n; k++) refs.push(heap.roots.peek(n - 1 - k));
    const indices = refs.map((r) => heap.index(r));
    const addresses = refs.map((r) => heap.addressOf(r));
    heap.roots.drop(n);
    expect(heap.liveObjects).toBe(0);
    const again: Ref[] = [];
    for (let k = 0; k < n; k++) again.push(heap.alloc(Plain, 1));
    // Temporaries are dropped last pushed first, so the first object is freed last and reused first.
    expect(again.map((r) => heap.index(r))).toEqual(indices);
    expect(again.map((r) => heap.addressOf(r))).toEqual(addresses);
    expect(refs.every((r) => !heap.isAlive(r))).toBe(true);
  });

  it('gives a reused slot region back empty, and keeps items when a container moves as it grows', () => {
    const { heap, Plain, List } = countingHeap();
    const kept = heap.alloc(Plain, 0);
    const a = heap.alloc(Plain, 3);
    for (let k = 0; k < 3; k++) heap.set(a, k, kept);
    heap.roots.pop();
    expect(heap.refcount(kept)).toBe(1);
    const b = heap.alloc(Plain, 3);
    expect([0, 1, 2].map((k) => heap.get(b, k))).toEqual([NULL_REF, NULL_REF, NULL_REF]);
    heap.roots.pop();
    const list = heap.allocGrowable(List, 0);
    const items: Ref[] = [];
    for (let k = 0; k < 40; k++) {
      items.push(heap.alloc(Plain, 0));
      heap.append(list, items[k]);
      heap.roots.pop();
    }
    expect(heap.referents(list)).toEqual(items);
  });

  it('keeps one payload entry per index of the tables as they grow, written or not', () => {
    const { heap, Plain } = countingHeap({ initialCapacity: 16 });
    for (let k = 0; k < 200; k++) heap.alloc(Plain, 0);
    const last = heap.allocWith(Plain, { payload: 'last' });
    expect(heap.tables.payload.length).toBe(heap.tables.capacity);
    expect(heap.payload(last)).toBe('last');
    expect(heap.payload(heap.roots.peek(1))).toBeUndefined();
    heap.roots.drop(201);
    expect(heap.tables.payload.every((p) => p === undefined)).toBe(true);
  });

  it('keeps freed blocks on a type free list, bypassing the allocator until cleared', () => {
    const { heap } = countingHeap();
    const Float = heap.defineType({ name: 'float', baseSize: 24, freeList: { capacity: 2 } });
    const seen: boolean[] = [];
    (heap.collector as { doAllocate?: (i: number, f: boolean) => void }).doAllocate = (_i, fromFreeList) =>
      seen.push(fromFreeList);
    const xs = [heap.alloc(Float), heap.alloc(Float), heap.alloc(Float)];
    const addresses = xs.map((x) => heap.addressOf(x));
    const used = heap.allocatorStats().usedBytes;
    heap.roots.drop(3);
    expect(heap.freeListed).toBe(2);
    expect(heap.allocatorStats().usedBytes).toBe(used - 32);
    expect(heap.addressOf(heap.alloc(Float))).toBe(addresses[1]);
    expect(seen).toEqual([false, false, false, true]);
    heap.clearFreeLists();
    expect(heap.freeListed).toBe(0);
  });

  it('allocates fresh past a type free list when asked, and frees onto it', () => {
    const { heap } = countingHeap();
    const Float = heap.defineType({ name: 'float', baseSize: 24, freeList: { capacity: 2 } });
    const seen: boolean[] = [];
    (heap.collector as { doAllocate?: (i: number, f: boolean) => void }).doAllocate = (_i, fromFreeList) =>
      seen.push(fromFreeList);
    const first = heap.alloc(Float);
    const address = heap.addressOf(first);
    heap.roots.pop();
    expect(heap.freeListed).toBe(1);
    const fresh = heap.allocWith(Float, { fresh: true });
    expect(heap.addressOf(fresh)).not.toBe(address);
    expect(heap.freeListed).toBe(1);
    heap.roots.pop();
    expect(heap.freeListed).toBe(2);
    expect(seen).toEqual([false, false]);
  });

  it('accounts auxiliary blocks in the object size and the allocator', () => {
    const { heap, List } = countingHeap();
    const l = heap.allocGrowable(List, 0, 56);
    heap.setAuxSize(l, 64);
    expect(heap.sizeOf(l)).toBe(120);
    expect(heap.liveBytes).toBe(120);
    heap.setAuxSize(l, 70);
    expect(heap.sizeOf(l)).toBe(126);
    heap.roots.pop();
    expect(heap.liveBytes).toBe(0);
    expect(heap.allocatorStats().usedBytes).toBe(0);
  });

  it('counts an auxiliary block resized within its memory block in the object size', () => {
    const { heap, List } = countingHeap();
    const l = heap.allocGrowable(List, 0, 56);
    heap.setAuxSize(l, 40);
    const address = heap.tables.auxAddr[heap.index(l)];
    // 40 and 48 bytes take the same 48-byte block: the block stays, the size follows.
    heap.setAuxSize(l, 48);
    expect(heap.tables.auxAddr[heap.index(l)]).toBe(address);
    expect(heap.sizeOf(l)).toBe(104);
    expect(heap.liveBytes).toBe(104);
    heap.setAuxSize(l, 40);
    expect(heap.sizeOf(l)).toBe(96);
    heap.roots.pop();
    expect(heap.liveBytes).toBe(0);
    expect(heap.allocatorStats().usedBytes).toBe(0);
  });

  it('pops a frame releasing its locals and temporaries', () => {
    const { heap, Plain } = countingHeap();
    heap.roots.pushFrame('f', ['x', 'y']);
    const x = heap.alloc(Plain, 0);
    heap.roots.popToLocal(0);
    heap.alloc(Plain, 0);
    expect(heap.roots.frames().map((f) => [f.name, f.locals.length, f.temps.length])).toEqual([
      ['<root>', 0, 0],
      ['f', 2, 1],
    ]);
    expect(heap.roots.labelsOf(heap.index(x))).toEqual(["local 'x' of f"]);
    heap.roots.popFrame();
    expect(heap.liveObjects).toBe(0);
    expect(() => heap.roots.popFrame()).toThrow(/cannot pop the root frame/);
    // A smaller frame popped next releases only its own slots.
    const kept = heap.alloc(Plain, 0);
    heap.roots.pushFrame('g', ['z']);
    heap.alloc(Plain, 0);
    heap.roots.popToLocal(0);
    heap.roots.popFrame();
    expect(heap.liveObjects).toBe(1);
    expect(heap.refcount(kept)).toBe(1);
  });

  it('removes a temporary from under others, keeping their order and the locals below', () => {
    const { heap, Plain } = countingHeap();
    heap.roots.pushFrame('f', ['x']);
    const x = heap.alloc(Plain, 0);
    heap.roots.popToLocal(0);
    const temps = [0, 1, 2, 3].map(() => heap.alloc(Plain, 0));
    heap.roots.remove(2);
    expect(heap.isAlive(temps[1])).toBe(false);
    expect(heap.roots.frames()[1].temps).toEqual([temps[0], temps[2], temps[3]]);
    heap.roots.remove(0);
    heap.roots.remove(1);
    expect(heap.roots.frames()[1].temps).toEqual([temps[2]]);
    expect(heap.roots.getLocal(0)).toBe(x);
    expect(() => heap.roots.remove(1)).toThrow(/only 1 temporaries/);
    heap.roots.popFrame();
    expect(heap.liveObjects).toBe(0);
  });

  it('moves the top temporaries into a pushed frame as its first locals', () => {
    const { heap, Plain } = countingHeap();
    const a = heap.alloc(Plain, 0);
    const b = heap.alloc(Plain, 0);
    heap.roots.pushFrame('f', ['a', 'b', 'c'], 2);
    expect(heap.roots.getLocal(0)).toBe(a);
    expect(heap.roots.getLocal(1)).toBe(b);
    expect(heap.roots.getLocal(2)).toBe(NULL_REF);
    expect(heap.refcount(a)).toBe(1);
    expect(heap.roots.frames().map((f) => [f.name, f.locals.length, f.temps.length])).toEqual([
      ['<root>', 0, 0],
      ['f', 3, 0],
    ]);
    expect(() => heap.roots.getLocal(3)).toThrow(/frame f has no local slot 3/);
    heap.roots.pushFrame('inner', ['y']);
    expect(heap.roots.temps).toBe(0);
    expect(heap.roots.getLocal(0)).toBe(NULL_REF);
    expect(() => heap.roots.getLocal(1)).toThrow(/frame inner has no local slot 1/);
    heap.roots.popFrame();
    expect(heap.roots.getLocal(1)).toBe(b);
    expect(heap.roots.temps).toBe(0);
    heap.roots.popFrame();
    expect(heap.liveObjects).toBe(0);
    expect(() => heap.roots.pushFrame('g', ['x'], 1)).toThrow(/only 0 temporaries/);
    expect(() => heap.roots.getLocal(0)).toThrow(/frame <root> has no local slot 0/);
  });

  it('releases every local of a popped frame even when a finalizer pops frames of its own', () => {
    const { heap, Plain } = countingHeap();
    const order: string[] = [];
    const Noisy = heap.defineType({
      name: 'Noisy',
      finalize: (h, obj) => {
        order.push(`fin ${h.payload<string>(obj)}`);
        h.roots.pushFrame('inner', ['t']);
        h.alloc(Plain, 0);
        h.roots.popToLocal(0);
        h.roots.popFrame();
      },
    });
    heap.roots.pushFrame('outer', ['a', 'b']);
    for (const [k, name] of ['a', 'b'].entries()) {
      heap.allocWith(Noisy, { payload: name });
      heap.roots.popToLocal(k);
    }
    heap.roots.popFrame();
    expect(order).toEqual(['fin a', 'fin b']);
    expect(heap.liveObjects).toBe(0);
  });

  it('emits nothing when nobody listens and everything when somebody does', () => {
    const { heap, Plain } = countingHeap();
    expect(heap.events.mask).toBe(0);
    const kinds: string[] = [];
    const off = heap.events.onAny((e) => kinds.push(e.kind));
    const a = heap.alloc(Plain, 1);
    heap.set(a, 0, a);
    heap.set(a, 0, NULL_REF);
    heap.roots.pop();
    heap.collect();
    off();
    expect(heap.events.mask).toBe(0);
    expect(new Set(kinds)).toEqual(
      new Set(['allocated', 'write', 'root', 'refcount', 'freed', 'collection-start', 'collection-end']),
    );
  });

  it('tracks peak bytes and the heap-bytes series', () => {
    const { heap, Plain } = countingHeap();
    for (let k = 0; k < 100; k++) heap.alloc(Plain, 0);
    heap.roots.drop(100);
    const s = heap.metrics.summary();
    expect(s.peakBytes).toBe(1600);
    expect(s.finalBytes).toBe(0);
    expect(Math.max(...heap.metrics.heapBytesSeries().map((p) => p.value))).toBe(1600);
  });

  it('refuses to read counts when the collector does not keep them', async () => {
    const { Heap, createNoneCollector } = await import('../src/index.js');
    const heap = new Heap({ collector: createNoneCollector() });
    const T = heap.defineType({ name: 'T' });
    const t = heap.alloc(T);
    expect(() => heap.refcount(t)).toThrow(
      '[heaplab] [none] reference counts are not maintained by this collector',
    );
    expect(heap.tables.flags(heap.index(t)) & F_ALIVE).toBe(F_ALIVE);
  });
});
