import { describe, expect, it } from 'vitest';
import {
  COLLECTOR_WORDS,
  EVENT_BITS,
  HeapTables,
  INLINE_SLOTS,
  R_ADDR,
  R_COLLECTOR,
  R_EPOCH,
  R_FLAGS,
  R_HEADER,
  R_INLINE,
  R_RC,
  R_SIZE,
  R_SLOT_CLASS,
  R_SLOT_LEN,
  R_SLOT_OFF,
  R_TYPE,
  REC_WORDS,
  RECORD_BYTES,
  SlotPool,
} from '../src/index.js';

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

  it('gives every word of a record to exactly one field', () => {
    // [first word, words] of each field, from the public offsets (byte and half offsets scaled).
    const fields: [string, number, number][] = [
      ['flags and type', R_FLAGS / 2, 1],
      ['count', R_RC, 1],
      ['slot offset', R_SLOT_OFF, 1],
      ['slot length', R_SLOT_LEN, 1],
      ['inline slots', R_INLINE, INLINE_SLOTS],
      ['size', R_SIZE, 1],
      ['class and header', R_SLOT_CLASS / 4, 1],
      ['address', R_ADDR * 2, 2],
      ['epoch', R_EPOCH, 1],
      ['collector', R_COLLECTOR, COLLECTOR_WORDS],
    ];
    const owner: string[] = new Array(REC_WORDS).fill('');
    for (const [name, first, words] of fields) {
      for (let w = first; w < first + words; w++) {
        expect(owner[w], `word ${w} of ${name}`).toBe('');
        owner[w] = name;
      }
    }
    expect(owner.filter((name) => name === '')).toEqual([]);
    expect(R_TYPE).toBe(R_FLAGS + 1);
    expect(R_HEADER).toBe(R_SLOT_CLASS + 1);
    expect(RECORD_BYTES).toBe(64);
  });

  it('agrees with the public event bits core tests inline', () => {
    // layout.ts repeats these as compile-time constants for the hot paths.
    expect([EVENT_BITS.allocated, EVENT_BITS.freed, EVENT_BITS.refcount, EVENT_BITS.write]).toEqual([
      1, 2, 4, 8,
    ]);
  });
});
