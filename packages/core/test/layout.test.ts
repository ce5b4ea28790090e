import { describe, expect, it } from 'vitest';
import { EVENT_BITS, HeapTables, SlotPool } from '../src/index.js';

describe('the object record', () => {
  it('keeps every field apart: writing each with a distinct value reads every one back', () => {
    const t = new HeapTables(8);
    const i = 5;
    const fields = {
      flags: 0xbeef,
      type: 0x1234,
      slotOff: 123456789,
      slotLen: 987654,
      slotCap: 1 << 20,
      epoch: 0x0abcdef1,
      size: 0xfedcba98,
      header: 200,
      addr: 0x7f3a40012340,
    };
    t.setFlags(i, fields.flags);
    t.setType(i, fields.type);
    t.setSlotOff(i, fields.slotOff);
    t.setSlotLen(i, fields.slotLen);
    t.setSlotCap(i, fields.slotCap);
    t.setEpoch(i, fields.epoch);
    t.setSize(i, fields.size);
    t.setHeader(i, fields.header);
    t.setAddr(i, fields.addr);
    t.setRc(i, 77);
    expect({
      flags: t.flags(i),
      type: t.type(i),
      slotOff: t.slotOff(i),
      slotLen: t.slotLen(i),
      slotCap: t.slotCap(i),
      epoch: t.epoch(i),
      size: t.size(i),
      header: t.header(i),
      addr: t.addr(i),
    }).toEqual(fields);
    expect(t.rc(i)).toBe(77);
    // Neighbours are untouched.
    for (const j of [i - 1, i + 1]) {
      expect([t.flags(j), t.type(j), t.slotOff(j), t.slotLen(j), t.epoch(j), t.size(j), t.addr(j)]).toEqual([
        0, 0, 0, 0, 0, 0, 0,
      ]);
    }
  });

  it('keeps records when the tables grow', () => {
    const t = new HeapTables(4);
    t.setAddr(3, 0x55d6c8a00010);
    t.setSlotCap(3, 16);
    t.grow(64);
    expect(t.addr(3)).toBe(0x55d6c8a00010);
    expect(t.slotCap(3)).toBe(16);
  });

  it('stores every slot capacity the pool hands out', () => {
    const t = new HeapTables(2);
    for (let n = 0; n <= 1 << 24; n = n < 40 ? n + 1 : n * 3) {
      const cap = SlotPool.capacityFor(n);
      t.setSlotCap(1, cap);
      expect(t.slotCap(1)).toBe(cap);
    }
  });

  it('reserves the smallest power of two at least as large as a request above 16 slots', () => {
    const requests = [
      17,
      31,
      32,
      33,
      100,
      1000,
      4095,
      4096,
      4097,
      2 ** 20 - 1,
      2 ** 20,
      2 ** 20 + 1,
      2 ** 30,
    ];
    for (const n of requests) {
      const cap = SlotPool.capacityFor(n);
      expect(cap >= n && cap / 2 < n && Number.isInteger(Math.log2(cap))).toBe(true);
      expect(SlotPool.capacityOfClass(SlotPool.classOf(cap))).toBe(cap);
    }
  });

  it('agrees with the public event bits core tests inline', () => {
    // layout.ts repeats these as compile-time constants for the hot paths.
    expect([EVENT_BITS.allocated, EVENT_BITS.freed, EVENT_BITS.refcount, EVENT_BITS.write]).toEqual([
      1, 2, 4, 8,
    ]);
  });
});
