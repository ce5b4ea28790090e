import { HeapError } from './errors.js';
import { EVENT_BITS, type RootAction } from './events.js';
import type { Heap } from './heap.js';
import { F } from './layout.js';
import { NULL_REF, type ObjIndex, type Ref } from './ref.js';

/** A frame as viewers see it. */
export interface FrameView {
  /** The frame's name (a function name, `<module>`...). */
  readonly name: string;
  /** Named local slots, bound or not. */
  readonly locals: readonly { readonly name: string; readonly ref: Ref }[];
  /** Temporaries, bottom first. */
  readonly temps: readonly Ref[];
}

/**
 * The heap's roots: a stack of frames, each with named local slots and a stack of temporaries
 * above them; module globals; and pinned objects (runtime singletons). Every root holds a strong
 * reference. The bottom frame, `<root>`, is always there, so there is always somewhere to put a
 * new object.
 */
export class RootSet {
  private stack = new Int32Array(256);
  private top = 0;
  private readonly frameBase: number[] = [0];
  private readonly frameLocals: number[] = [0];
  /** The top frame's base and first temporary position (its last entries of the two arrays above). */
  private base = 0;
  private tempBase = 0;
  private readonly frameName: string[] = ['<root>'];
  private readonly frameLocalNames: (readonly string[])[] = [[]];
  private globalSlots = new Int32Array(64);
  private readonly globalNamesList: string[] = [];
  private readonly globalIndex = new Map<string, number>();
  private readonly pins: number[] = [];
  private readonly popBuffer: number[] = [];
  private popping = 0;

  /** Creates the root set of `heap` (done by the heap). */
  constructor(private readonly heap: Heap) {}

  // ---------------------------------------------------------------- frames

  /**
   * Pushes a frame with the given local names and returns the new depth. The first `args` locals
   * take over the top `args` temporaries of the current frame, in order and without count changes
   * (arguments moving into a callee, as CPython's calls do); the other locals start unbound.
   */
  pushFrame(name: string, localNames: readonly string[] = [], args = 0): number {
    if (args > 0) this.checkTemps(args);
    if (args > localNames.length) {
      throw new HeapError(`[heaplab] frame ${name} has ${localNames.length} locals, not ${args}`);
    }
    const base = this.top - args;
    this.reserve(localNames.length - args);
    const stack = this.stack;
    // Loops, not fill: frames are small, where the builtin's call costs most.
    for (let p = base + args; p < base + localNames.length; p++) stack[p] = 0;
    this.top = base + localNames.length;
    this.frameBase.push(base);
    this.frameLocals.push(localNames.length);
    this.base = base;
    this.tempBase = base + localNames.length;
    this.frameName.push(name);
    this.frameLocalNames.push(localNames);
    this.heap.step++;
    this.frameEvent('push', name, localNames, args);
    return this.frameBase.length - 1;
  }

  /** Pops the top frame, releasing its locals and then its temporaries, in slot order. */
  popFrame(): void {
    const depth = this.frameBase.length - 1;
    if (depth === 0) throw new HeapError('[heaplab] cannot pop the root frame');
    const base = this.frameBase[depth];
    const end = this.top;
    // Releasing can run finalizers that pop frames of their own: only the outermost pop reuses the buffer.
    const held = this.popping === 0 ? this.popBuffer : [];
    const n = end - base;
    const stack = this.stack;
    // The buffer keeps its length (setting it costs a runtime call): only its first n entries count.
    for (let k = 0; k < n; k++) {
      held[k] = stack[base + k];
      stack[base + k] = 0;
    }
    this.top = base;
    const name = this.frameName[depth];
    this.frameBase.pop();
    this.frameLocals.pop();
    this.base = this.frameBase[depth - 1];
    this.tempBase = this.base + this.frameLocals[depth - 1];
    this.frameName.pop();
    this.frameLocalNames.pop();
    this.heap.step++;
    this.frameEvent('pop', name);
    this.popping++;
    try {
      for (let k = 0; k < n; k++) if (held[k] !== 0) this.changed(held[k], 0);
    } finally {
      this.popping--;
    }
  }

  /** Number of frames, counting the root frame. */
  get depth(): number {
    return this.frameBase.length;
  }

  /** Index of the local called `name` in the top frame, or -1. */
  localSlot(name: string): number {
    return this.frameLocalNames[this.frameLocalNames.length - 1].indexOf(name);
  }

  /** The local in slot `slot` of the top frame. */
  getLocal(slot: number): Ref {
    return this.heap.ref(this.stack[this.localPosition(slot)]);
  }

  /** Binds local `slot` of the top frame to `ref` ({@link NULL_REF} unbinds). */
  setLocal(slot: number, ref: Ref): void {
    const p = this.localPosition(slot);
    this.write(p, ref === NULL_REF ? 0 : this.heap.index(ref), false, slot);
  }

  /** Unbinds local `slot` of the top frame. */
  clearLocal(slot: number): void {
    this.setLocal(slot, NULL_REF);
  }

  private localPosition(slot: number): number {
    if (slot < 0 || slot >= this.tempBase - this.base || !Number.isInteger(slot)) {
      const depth = this.frameBase.length - 1;
      throw new HeapError(`[heaplab] frame ${this.frameName[depth]} has no local slot ${slot}`);
    }
    return this.base + slot;
  }

  private localLabel(slot: number): string {
    const depth = this.frameBase.length - 1;
    return `local:${this.frameName[depth]}:${this.frameLocalNames[depth][slot] ?? slot}`;
  }

  // ---------------------------------------------------------------- temporaries

  /** Pushes a temporary reference to `ref` on the top frame. */
  push(ref: Ref): void {
    const i = this.heap.index(ref);
    this.reserve(1);
    this.stack[this.top++] = i;
    if (this.heap.events.mask & EVENT_BITS.root) this.tempEvent('push', 0, i);
    this.heap.inc(i);
    this.rootChanged(0, i);
  }

  /** Pushes an index whose reference the caller already owns (new objects). */
  pushOwned(i: ObjIndex): void {
    this.reserve(1);
    this.stack[this.top++] = i;
    this.rootChanged(0, i);
  }

  /** Temporaries on the top frame. */
  get temps(): number {
    return this.top - this.tempBase;
  }

  /** The temporary `n` places below the top (0 = the top). */
  peek(n = 0): Ref {
    this.checkTemps(n + 1);
    return this.heap.ref(this.stack[this.top - 1 - n]);
  }

  /** Pops the top temporary, releasing its reference. */
  pop(): void {
    this.checkTemps(1);
    const i = this.stack[--this.top];
    this.stack[this.top] = 0;
    this.heap.step++;
    if (this.heap.events.mask & EVENT_BITS.root) this.tempEvent('pop', i, 0);
    this.changed(i, 0);
  }

  /** Pops `n` temporaries, top first. */
  drop(n: number): void {
    for (let k = 0; k < n; k++) this.pop();
  }

  /** Removes the temporary `n` places below the top, releasing it (the ones above move down). */
  remove(n: number): void {
    this.checkTemps(n + 1);
    const p = this.top - 1 - n;
    const stack = this.stack;
    const i = stack[p];
    // A loop, not copyWithin: n is small (an operand under a result), where the builtin's call costs most.
    const end = --this.top;
    for (let q = p; q < end; q++) stack[q] = stack[q + 1];
    stack[end] = 0;
    this.heap.step++;
    if (this.heap.events.mask & EVENT_BITS.root) this.tempEvent('remove', i, 0, n);
    this.changed(i, 0);
  }

  /** Moves the top temporary into local `slot` (no count changes for it; the old local is released). */
  popToLocal(slot: number): void {
    this.checkTemps(1);
    const p = this.localPosition(slot);
    const i = this.stack[--this.top];
    this.stack[this.top] = 0;
    this.write(p, i, true, slot);
  }

  /** Moves the top temporary into slot `slot` of `obj` (the old referent is released). */
  popToSlot(obj: Ref, slot: number): void {
    this.checkTemps(1);
    const o = this.heap.index(obj);
    if (slot < 0 || slot >= this.heap.tables.slotLen(o)) {
      throw new HeapError(`[heaplab] slot ${slot} out of range for ${this.heap.describe(o)}`);
    }
    const i = this.stack[--this.top];
    this.stack[this.top] = 0;
    this.heap.moveIntoSlot(o, slot, i);
  }

  /** Moves the top temporary to the end of growable container `obj`. */
  popAppend(obj: Ref): void {
    this.checkTemps(1);
    const o = this.heap.index(obj);
    if ((this.heap.tables.flags(o) & F.GROWABLE) === 0) {
      throw new HeapError(`[heaplab] ${this.heap.describe(o)} is not a growable container`);
    }
    const i = this.stack[--this.top];
    this.stack[this.top] = 0;
    this.heap.appendIndex(o, i, true);
  }

  /** Moves the top temporary into global `name`. */
  popToGlobal(name: string): void {
    this.checkTemps(1);
    const i = this.stack[--this.top];
    this.stack[this.top] = 0;
    this.write(-1 - this.globalPosition(name), i, true, name);
  }

  private checkTemps(n: number): void {
    if (this.temps < n) {
      throw new HeapError(
        `[heaplab] frame ${this.frameName[this.frameName.length - 1]} has only ${this.temps} temporaries`,
      );
    }
  }

  // ---------------------------------------------------------------- globals

  /** Binds global `name` to `ref` ({@link NULL_REF} unbinds). */
  setGlobal(name: string, ref: Ref): void {
    const i = ref === NULL_REF ? 0 : this.heap.index(ref);
    this.write(-1 - this.globalPosition(name), i, false, name);
  }

  /** The object bound to global `name` ({@link NULL_REF} when unbound). */
  getGlobal(name: string): Ref {
    const p = this.globalIndex.get(name);
    return p === undefined ? NULL_REF : this.heap.ref(this.globalSlots[p]);
  }

  /** Unbinds global `name`; returns whether it was bound. */
  deleteGlobal(name: string): boolean {
    const p = this.globalIndex.get(name);
    if (p === undefined || this.globalSlots[p] === 0) return false;
    this.write(-1 - p, 0, false, name);
    return true;
  }

  /** Names of bound globals, in first-binding order. */
  globalNames(): string[] {
    return this.globalNamesList.filter((_, p) => this.globalSlots[p] !== 0);
  }

  private globalPosition(name: string): number {
    let p = this.globalIndex.get(name);
    if (p === undefined) {
      p = this.globalNamesList.length;
      this.globalNamesList.push(name);
      this.globalIndex.set(name, p);
      if (p >= this.globalSlots.length) {
        const next = new Int32Array(this.globalSlots.length * 2);
        next.set(this.globalSlots);
        this.globalSlots = next;
      }
    }
    return p;
  }

  // ---------------------------------------------------------------- pins

  /** Pins an object: a permanent root until {@link unpin} (runtime singletons, static objects). */
  pin(ref: Ref): void {
    const i = this.heap.index(ref);
    this.pins.push(i);
    if (this.heap.events.mask & EVENT_BITS.root) this.tempEvent('pin', 0, i);
    this.heap.inc(i);
    this.rootChanged(0, i);
  }

  /** Removes one pin of `ref`. */
  unpin(ref: Ref): void {
    const i = this.heap.index(ref);
    const k = this.pins.lastIndexOf(i);
    if (k < 0) throw new HeapError(`[heaplab] ${this.heap.describe(i)} is not pinned`);
    this.pins.splice(k, 1);
    if (this.heap.events.mask & EVENT_BITS.root) this.tempEvent('unpin', i, 0);
    this.changed(i, 0);
  }

  /** Pins by index, taking over a reference the caller owns. */
  pinOwned(i: ObjIndex): void {
    this.pins.push(i);
  }

  // ---------------------------------------------------------------- traversal

  /** Calls `visit` with every root's index: pins, globals, then frames bottom to top (duplicates included). */
  forEach(visit: (i: ObjIndex) => void): void {
    for (const i of this.pins) visit(i);
    const g = this.globalSlots;
    for (let p = 0; p < this.globalNamesList.length; p++) if (g[p] !== 0) visit(g[p]);
    const s = this.stack;
    for (let p = 0; p < this.top; p++) if (s[p] !== 0) visit(s[p]);
  }

  /** Describes the roots holding `i`: `global 'x'`, `local 'y' of f`, `temporary of f`, `pinned`. */
  labelsOf(i: ObjIndex): string[] {
    const out: string[] = [];
    if (this.pins.includes(i)) out.push('pinned');
    this.globalNamesList.forEach((name, p) => {
      if (this.globalSlots[p] === i) out.push(`global '${name}'`);
    });
    for (let d = 0; d < this.frameBase.length; d++) {
      const base = this.frameBase[d];
      const end = d + 1 < this.frameBase.length ? this.frameBase[d + 1] : this.top;
      for (let p = base; p < end; p++) {
        if (this.stack[p] !== i) continue;
        const k = p - base;
        out.push(
          k < this.frameLocals[d]
            ? `local '${this.frameLocalNames[d][k]}' of ${this.frameName[d]}`
            : `temporary of ${this.frameName[d]}`,
        );
      }
    }
    return out;
  }

  /** Number of root entries (bound or not) — frames' slots, globals and pins. */
  get size(): number {
    return this.pins.length + this.globalNamesList.length + this.top;
  }

  /** The frames, bottom first, for viewers. */
  frames(): FrameView[] {
    const views: FrameView[] = [];
    for (let d = 0; d < this.frameBase.length; d++) {
      const base = this.frameBase[d];
      const end = d + 1 < this.frameBase.length ? this.frameBase[d + 1] : this.top;
      const names = this.frameLocalNames[d];
      const locals = names.map((name, k) => ({ name, ref: this.heap.ref(this.stack[base + k]) }));
      const temps: Ref[] = [];
      for (let p = base + this.frameLocals[d]; p < end; p++) temps.push(this.heap.ref(this.stack[p]));
      views.push({ name: this.frameName[d], locals, temps });
    }
    return views;
  }

  /** Bound globals as name and handle, for viewers. */
  globals(): { name: string; ref: Ref }[] {
    return this.globalNames().map((name) => ({ name, ref: this.getGlobal(name) }));
  }

  // ---------------------------------------------------------------- internals

  /**
   * Writes root position `p` (negative: global `-1 - p`); `owned`: the new reference is the
   * caller's. `label` is the local slot number or the global's name (for events).
   */
  private write(p: number, i: ObjIndex, owned: boolean, label: number | string): void {
    let old: number;
    if (p >= 0) {
      old = this.stack[p];
      this.stack[p] = i;
    } else {
      old = this.globalSlots[-1 - p];
      this.globalSlots[-1 - p] = i;
    }
    this.heap.step++;
    if (this.heap.events.mask & EVENT_BITS.root) {
      this.heap.events.emit({
        kind: 'root',
        step: this.heap.step,
        root: typeof label === 'number' ? this.localLabel(label) : `global:${label}`,
        old: this.heap.ref(old),
        value: this.heap.ref(i),
        action: owned ? 'move' : 'set',
        ...(typeof label === 'number' ? { slot: label } : { name: label }),
      });
    }
    if (i !== 0 && !owned) this.heap.inc(i);
    this.rootChanged(old, i);
    if (old !== 0) this.heap.dec(old);
  }

  private changed(old: ObjIndex, value: ObjIndex): void {
    this.rootChanged(old, value);
    if (old !== 0) this.heap.dec(old);
  }

  private rootChanged(old: ObjIndex, value: ObjIndex): void {
    this.heap.collector.doRootChange?.(old, value);
  }

  private frameEvent(action: 'push' | 'pop', name: string, locals?: readonly string[], args?: number): void {
    if (this.heap.events.mask & EVENT_BITS.frame) {
      this.heap.events.emit({
        kind: 'frame',
        step: this.heap.step,
        action,
        depth: this.frameBase.length - 1,
        name,
        ...(locals === undefined ? {} : { locals: [...locals], args }),
      });
    }
  }

  /** Emits a `root` event about a temporary or a pin (callers check the mask first). */
  private tempEvent(action: RootAction, old: ObjIndex, value: ObjIndex, depth?: number): void {
    this.heap.events.emit({
      kind: 'root',
      step: this.heap.step,
      root:
        action === 'pin' || action === 'unpin' ? 'pin' : `temp:${this.frameName[this.frameName.length - 1]}`,
      old: this.heap.ref(old),
      value: this.heap.ref(value),
      action,
      ...(depth === undefined ? {} : { depth }),
    });
  }

  private reserve(n: number): void {
    if (this.top + n <= this.stack.length) return;
    let size = this.stack.length;
    while (size < this.top + n) size *= 2;
    const next = new Int32Array(size);
    next.set(this.stack);
    this.stack = next;
  }
}
