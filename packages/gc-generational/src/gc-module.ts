import { F_FINALIZED, F_TRACKED, type ObjIndex, type Ref } from '@heaplab/core';
import { type GcApi, type GcCallbackInvoker, GcError, type GcGenerationStats } from './gc-api.js';
import type { ListId } from './gc-lists.js';
import { type GcState, L } from './gc-state.js';

const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

/** Checks a C `int` argument as CPython's argument parsers do. */
function cInt(value: number, parser: 'clinic' | 'getargs'): number {
  if (!Number.isInteger(value)) {
    throw new GcError('TypeError', "'float' object cannot be interpreted as an integer");
  }
  if (value > INT_MAX || value < INT_MIN) {
    if (parser === 'clinic') throw new GcError('OverflowError', 'Python int too large to convert to C int');
    throw new GcError(
      'OverflowError',
      value > INT_MAX ? 'signed integer is greater than maximum' : 'signed integer is less than minimum',
    );
  }
  return value;
}

/** The `gc` module surface over the collector's state (see {@link GcApi}). */
export class GcModule implements GcApi {
  readonly profileName: string;

  /** Creates the module over `state`; `collect` runs a collection of one generation. */
  constructor(
    private readonly s: GcState,
    private readonly runCollection: (generation: number) => number,
  ) {
    this.profileName = s.profile.name;
  }

  enable(): void {
    this.s.enabled = true;
  }

  disable(): void {
    this.s.enabled = false;
  }

  isEnabled(): boolean {
    return this.s.enabled;
  }

  collect(generation = 2): number {
    const g = cInt(generation, 'clinic');
    if (g < 0 || g > 2) throw new GcError('ValueError', 'invalid generation');
    return this.runCollection(g);
  }

  getCount(): readonly number[] {
    const s = this.s;
    if (s.profile.design === 'incremental') {
      return [s.counts[0], s.counts[1 + s.visitedSpace], s.counts[2 - s.visitedSpace]];
    }
    return [...s.counts];
  }

  getThreshold(): readonly number[] {
    return [...this.s.thresholds];
  }

  setThreshold(thresholds: readonly number[]): void {
    if (thresholds.length === 0) {
      throw new GcError('TypeError', 'set_threshold() takes at least 1 argument (0 given)');
    }
    if (thresholds.length > 3) {
      throw new GcError(
        'TypeError',
        `set_threshold() takes at most 3 arguments (${thresholds.length} given)`,
      );
    }
    const checked = thresholds.map((t) => cInt(t, 'getargs'));
    checked.forEach((t, i) => {
      this.s.thresholds[i] = t;
    });
  }

  getStats(): GcGenerationStats[] {
    return this.s.statsSnapshot();
  }

  getObjects(generation?: number): ObjIndex[] {
    const s = this.s;
    if (generation !== undefined && !Number.isInteger(generation)) {
      throw new GcError('TypeError', "argument should be integer or None, not 'float'");
    }
    const g = generation ?? -1;
    if (g >= 3) {
      throw new GcError(
        'ValueError',
        'generation parameter must be less than the number of available generations (3)',
      );
    }
    if (g < -1) throw new GcError('ValueError', 'generation parameter cannot be negative');
    const lists: ListId[] = [];
    if (s.profile.design === 'incremental') {
      if (g === 1) return [];
      if (g <= 0) lists.push(s.gen(0));
      if (g !== 0) lists.push(s.gen(1), s.gen(2));
    } else if (g === -1) lists.push(s.gen(0), s.gen(1), s.gen(2));
    else lists.push(s.gen(g));
    return lists.flatMap((l) => s.lists.toArray(l));
  }

  getReferrers(objects: readonly ObjIndex[]): ObjIndex[] {
    const s = this.s;
    const wanted = new Set(objects);
    const out: ObjIndex[] = [];
    const t = s.heap.tables;
    for (const g of [0, 1, 2]) {
      for (const o of s.lists.toArray(s.gen(g))) {
        const data = s.heap.slots.data;
        for (let p = t.slotOff(o), end = p + t.slotLen(o); p < end; p++) {
          if (wanted.has(data[p])) {
            out.push(o);
            break;
          }
        }
      }
    }
    return out;
  }

  getReferents(objects: readonly ObjIndex[]): ObjIndex[] {
    const s = this.s;
    const out: ObjIndex[] = [];
    const t = s.heap.tables;
    for (const o of objects) {
      if (!s.isContainer(o)) continue;
      const custom = s.referents?.(s.heap, o);
      if (custom !== undefined) {
        out.push(...custom);
        continue;
      }
      const data = s.heap.slots.data;
      for (let p = t.slotOff(o), end = p + t.slotLen(o); p < end; p++) if (data[p] !== 0) out.push(data[p]);
    }
    return out;
  }

  isTracked(obj: ObjIndex): boolean {
    return (this.s.heap.tables.flags(obj) & F_TRACKED) !== 0;
  }

  isFinalized(obj: ObjIndex): boolean {
    return this.s.isContainer(obj) && (this.s.heap.tables.flags(obj) & F_FINALIZED) !== 0;
  }

  freeze(): void {
    const s = this.s;
    if (s.profile.design === 'incremental') {
      setSpaceAll(s, s.gen(0), s.visitedSpace);
      s.lists.merge(s.gen(0), L.PERMANENT);
      setSpaceAll(s, s.gen(2 - s.visitedSpace), s.visitedSpace);
      s.lists.merge(s.gen(1), L.PERMANENT);
      s.lists.merge(s.gen(2), L.PERMANENT);
      s.counts.fill(0);
      return;
    }
    // CPython 3.11 zeroes only count[0] here (the loop resets generation 0's count each time).
    for (const g of [0, 1, 2]) s.lists.merge(s.gen(g), L.PERMANENT);
    s.counts[0] = 0;
  }

  unfreeze(): void {
    const s = this.s;
    const target = s.profile.design === 'incremental' ? s.gen(1 + s.visitedSpace) : s.gen(2);
    s.lists.merge(L.PERMANENT, target);
  }

  getFreezeCount(): number {
    return this.s.lists.size(L.PERMANENT);
  }

  setDebug(flags: number): void {
    this.s.debug = cInt(flags, 'clinic');
  }

  getDebug(): number {
    return this.s.debug;
  }

  setGarbageList(list: Ref): void {
    this.s.garbage = list;
  }

  setCallbackInvoker(invoker: GcCallbackInvoker | null): void {
    this.s.invoker = invoker;
  }

  setDebugOutput(write: ((text: string) => void) | null): void {
    this.s.debugWrite = write;
  }
}

function setSpaceAll(s: GcState, list: ListId, space: number): void {
  for (let o = s.lists.first(list); o !== 0; o = s.lists.after(o)) s.setSpace(o, space);
}
