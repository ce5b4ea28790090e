import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap, INLINE_SLOTS, NULL_REF, R_INLINE, REC_WORDS, type Ref, sweepObjects } from '../src/index.js';
import { countingHeap } from './helpers.js';

/**
 * Where slots live: objects with at most INLINE_SLOTS slots keep them in their own record, larger
 * ones in the pool above the records, which moves up whenever the records grow (and its free
 * lists with it). A program of allocations, writes, appends and frees runs on a small heap (so
 * that both the records and the pool grow many times) beside a plain model of every object's
 * slots; after each step every live object's slots must read what the model says.
 */

type Op =
  | { kind: 'alloc'; slots: number; growable: boolean }
  | { kind: 'set'; obj: number; slot: number; to: number }
  | { kind: 'append'; obj: number; to: number }
  | { kind: 'free'; obj: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('alloc' as const), slots: fc.nat(12), growable: fc.boolean() }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('set' as const), obj: fc.nat(), slot: fc.nat(), to: fc.nat() }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('append' as const), obj: fc.nat(), to: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('free' as const), obj: fc.nat() }), weight: 2 },
);

/** Runs `ops`, checking every live object's slots against the model after each; returns what it saw. */
function run(ops: readonly Op[]) {
  const { heap, Plain, List } = countingHeap({ initialCapacity: 16, initialSlots: 16 });
  // Every object is held by a global of its own, so a write never frees anything.
  const live: { ref: Ref; name: string; growable: boolean; slots: Ref[] }[] = [];
  let serial = 0;
  const seen = { inline: 0, pooled: 0, grownRecords: 0 };
  const pick = (k: number) => live[k % live.length];
  for (const o of ops) {
    if (o.kind === 'alloc') {
      const capacity = heap.tables.capacity;
      const ref = o.growable ? heap.allocGrowable(List, o.slots) : heap.alloc(Plain, o.slots);
      const name = `o${serial++}`;
      heap.roots.popToGlobal(name);
      live.push({
        ref,
        name,
        growable: o.growable,
        slots: o.growable ? [] : new Array(o.slots).fill(NULL_REF),
      });
      if (heap.tables.capacity !== capacity) seen.grownRecords++;
    } else if (live.length === 0) {
      continue;
    } else if (o.kind === 'set') {
      const from = pick(o.obj);
      if (from.slots.length === 0) continue;
      const slot = o.slot % from.slots.length;
      const to = o.to % (live.length + 1) === live.length ? NULL_REF : pick(o.to).ref;
      heap.set(from.ref, slot, to);
      from.slots[slot] = to;
    } else if (o.kind === 'append') {
      const into = pick(o.obj);
      if (!into.growable) continue;
      const to = pick(o.to).ref;
      heap.append(into.ref, to);
      into.slots.push(to);
    } else {
      // Free one object: clear every slot that refers to it, then drop its global.
      const k = o.obj % live.length;
      const gone = live[k];
      for (const other of live) {
        other.slots.forEach((v, s) => {
          if (v === gone.ref) {
            heap.set(other.ref, s, NULL_REF);
            other.slots[s] = NULL_REF;
          }
        });
      }
      heap.roots.deleteGlobal(gone.name);
      expect(heap.isAlive(gone.ref)).toBe(false);
      live.splice(k, 1);
    }
    for (const obj of live) {
      const i = heap.index(obj.ref);
      const inline = heap.tables.slotOff(i) === i * REC_WORDS + R_INLINE;
      if (inline) seen.inline++;
      else seen.pooled++;
      // Records past the old end start zeroed when the records grow: a live epoch is odd.
      expect(heap.tables.epoch(i) % 2).toBe(1);
      // A region fits its slots: the inline one holds INLINE_SLOTS.
      if (inline) expect(obj.slots.length).toBeLessThanOrEqual(INLINE_SLOTS);
      expect(Array.from({ length: heap.length(obj.ref) }, (_, s) => heap.get(obj.ref, s))).toEqual(obj.slots);
    }
  }
  return seen;
}

describe('slot storage', () => {
  it('keeps every object slots through allocation, growth of records and pool, and frees', () => {
    const total = { inline: 0, pooled: 0, grownRecords: 0 };
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 200, size: 'max' }), (ops) => {
        const seen = run(ops);
        total.inline += seen.inline;
        total.pooled += seen.pooled;
        total.grownRecords += seen.grownRecords;
      }),
      { numRuns: 150 },
    );
    // The runs covered both kinds of region and records growing under pooled regions.
    expect(total.inline).toBeGreaterThan(0);
    expect(total.pooled).toBeGreaterThan(0);
    expect(total.grownRecords).toBeGreaterThan(0);
  });

  it('clears a reused record inline slots that a free left as they were', () => {
    // A tracing collector frees without releasing slots one by one; the next object at that
    // index must not see them.
    const heap = new Heap({ initialCapacity: 16 });
    const Plain = heap.defineType({ name: 'Plain', container: true });
    const target = heap.alloc(Plain);
    heap.roots.popToGlobal('target');
    const holder = heap.alloc(Plain, 3);
    heap.set(holder, 1, target);
    heap.roots.pop();
    const i = heap.index(holder);
    sweepObjects(heap, [i], 'sweep', { objectsVisited: 0, refsScanned: 0, objectsFreed: 0, bytesFreed: 0 });
    const next = heap.alloc(Plain, 3);
    expect(heap.index(next)).toBe(i);
    expect([0, 1, 2].map((s) => heap.get(next, s))).toEqual([NULL_REF, NULL_REF, NULL_REF]);
  });
});
