import type { CollectKind, Heap, HeapEvent, Ref, TypeId } from '@heaplab/core';
import type { HeapOp, ObjectId } from './heap-op.js';

interface Level {
  /** Operations and blocks recorded at this level, not yet written. */
  readonly ops: HeapOp[];
  /** A block in progress: a finalizer's or callback's operations. */
  readonly block?: HeapOp & { ops: HeapOp[] };
  /** The `alloc` of a weak-reference type waiting for its `weakref` mutation event. */
  weakref?: { readonly id: number; readonly op: HeapOp };
}

const KINDS = [
  'allocated',
  'write',
  'root',
  'frame',
  'mutation',
  'collection-start',
  'collection-end',
  'finalizer-run',
  'callback-run',
] as const;

/**
 * Records a heap's mutator as version-2 trace operations, from its event stream alone: attach it
 * before the first allocation. What the heap and its collector do by themselves (releases,
 * collections, weak-reference clearing) is not recorded, only what the mutator asked; a
 * collection is recorded when the mutator asked for it (reason `explicit`). Operations that
 * finalizers and callbacks perform become a block written just before the operation during which
 * they ran, so a replay has it at hand when its own collector runs them.
 */
export class HeapRecorder {
  /** Operations written. */
  ops = 0;
  private readonly ids = new Map<number, number>();
  private nextId = 1;
  private readonly types = new Map<TypeId, number>();
  private readonly levels: Level[] = [{ ops: [] }];
  private readonly collecting: number[] = [];
  private skipImmortalRemove = 0;
  private readonly off: (() => void)[] = [];

  /** Starts recording `heap`; `write` receives each top-level line in order. */
  constructor(
    private readonly heap: Heap,
    private readonly write: (op: HeapOp) => void,
  ) {
    for (const kind of KINDS) this.off.push(heap.events.on(kind, (e: HeapEvent) => this.onEvent(e)));
  }

  /** Stops listening and writes what is still held back. */
  finish(): void {
    for (const off of this.off) off();
    this.sync(0);
    this.flush(0);
  }

  private id(ref: Ref): number {
    const id = this.ids.get(ref & 0xffffff);
    if (id === undefined)
      throw new Error(`[heaplab] the recorder did not see object #${ref & 0xffffff} allocated`);
    return id;
  }

  private idOrNull(ref: Ref): ObjectId {
    return ref === 0 ? null : this.id(ref);
  }

  private typeId(i: number): number {
    const typeId = this.heap.tables.type(i);
    let id = this.types.get(typeId);
    if (id === undefined) {
      id = this.types.size;
      this.types.set(typeId, id);
      const { id: _, finalize, ...spec } = this.heap.types.get(typeId);
      const plain = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
      // Definitions go out at once: a block that first uses a type may run before anything pending.
      this.write({ op: 'type', id, spec: plain as never });
      this.ops++;
    }
    return id;
  }

  private top(): Level {
    return this.levels[this.levels.length - 1];
  }

  /** Closes the blocks of host calls that have returned. */
  private sync(depth: number): void {
    while (this.levels.length - 1 > depth) {
      const level = this.levels.pop()!;
      if (level.block === undefined || level.ops.length === 0) continue;
      level.block.ops.push(...level.ops);
      // Before the parent's last operation: the one during which the host code ran.
      const parent = this.top().ops;
      let k = parent.length - 1;
      while (k >= 0 && (parent[k].op === 'finalizer' || parent[k].op === 'callback')) k--;
      parent.splice(Math.max(k, 0), 0, level.block);
    }
  }

  private record(op: HeapOp): void {
    const level = this.top();
    if (level.weakref !== undefined && op.op !== 'weakref') level.weakref = undefined;
    level.ops.push(op);
    if (this.levels.length === 1 && level.weakref === undefined && level.ops.length > 64) this.flush(1);
  }

  private flush(keep: number): void {
    const ops = this.levels[0].ops;
    const n = ops.length - keep;
    for (let k = 0; k < n; k++) this.write(ops[k]);
    this.ops += n;
    ops.splice(0, n);
  }

  private onEvent(e: HeapEvent): void {
    const heap = this.heap;
    this.sync(heap.hostDepth);
    if (e.kind === 'collection-start') {
      if (e.request.reason === 'explicit' && !this.inCollection()) {
        const { kind, generation } = e.request;
        const op: { op: 'collect'; kind?: CollectKind; generation?: number } = { op: 'collect' };
        if (kind !== undefined) op.kind = kind;
        if (generation !== undefined && generation >= 0) op.generation = generation;
        this.record(op);
      }
      this.collecting.push(heap.hostDepth);
      return;
    }
    if (e.kind === 'collection-end') {
      this.collecting.pop();
      return;
    }
    if (e.kind === 'finalizer-run' || e.kind === 'callback-run') {
      const block: HeapOp & { ops: HeapOp[] } =
        e.kind === 'finalizer-run'
          ? { op: 'finalizer', obj: this.id(e.obj), ops: [] }
          : { op: 'callback', weakref: this.id(e.weakref), ops: [] };
      while (this.levels.length - 1 < heap.hostDepth) this.levels.push({ ops: [] });
      this.levels.push({ ops: [], block });
      return;
    }
    // Whatever the collector does itself (saving garbage, clearing) is not the mutator's.
    if (this.inCollection()) return;
    this.mutatorEvent(e);
  }

  private inCollection(): boolean {
    return this.collecting.length > 0 && this.collecting[this.collecting.length - 1] === this.heap.hostDepth;
  }

  private mutatorEvent(e: HeapEvent): void {
    switch (e.kind) {
      case 'allocated': {
        const i = e.obj & 0xffffff;
        const type = this.typeId(i);
        const id = this.nextId++;
        this.ids.set(i, id);
        const info = this.heap.types.get(this.heap.tables.type(i));
        const op: Record<string, unknown> = { op: 'alloc', id, type, slots: e.slots, size: e.size };
        if (e.growable) op.growable = true;
        if (e.tracked !== info.trackOnAlloc) op.track = e.tracked;
        if (e.static) op.address = e.address;
        if (e.immortal) {
          op.immortal = true;
          this.skipImmortalRemove = i;
        }
        this.record(op as HeapOp);
        if (info.weakref !== undefined) this.top().weakref = { id, op: op as HeapOp };
        return;
      }
      case 'write': {
        const obj = this.id(e.obj);
        const pending = this.top().weakref;
        // createWeakref stores the callback itself.
        if (pending?.id === obj && e.slot === 0 && e.via === 'set') return;
        const value = this.idOrNull(e.value);
        if (e.via === 'append')
          this.record(e.owned ? { op: 'move-append', obj } : { op: 'append', obj, value });
        else if (e.via === 'insert') this.record({ op: 'insert', obj, at: e.slot, value });
        else
          this.record(
            e.owned ? { op: 'move-slot', obj, slot: e.slot } : { op: 'set', obj, slot: e.slot, value },
          );
        return;
      }
      case 'root':
        this.rootEvent(e);
        return;
      case 'frame':
        this.record(
          e.action === 'push'
            ? { op: 'frame', name: e.name, locals: [...(e.locals ?? [])], args: e.args ?? 0 }
            : { op: 'return' },
        );
        return;
      case 'mutation':
        this.mutationEvent(e);
        return;
    }
  }

  private rootEvent(e: HeapEventOfKind<'root'>): void {
    switch (e.action) {
      case 'set':
        if (e.slot !== undefined)
          this.record({ op: 'set-local', slot: e.slot, value: this.idOrNull(e.value) });
        else this.record({ op: 'set-global', name: e.name ?? '', value: this.idOrNull(e.value) });
        return;
      case 'move':
        if (e.slot !== undefined) this.record({ op: 'move-local', slot: e.slot });
        else this.record({ op: 'move-global', name: e.name ?? '' });
        return;
      case 'push':
        this.record({ op: 'push', value: this.id(e.value) });
        return;
      case 'pop':
        this.record({ op: 'pop' });
        return;
      case 'remove':
        if (e.depth === 0 && this.skipImmortalRemove === (e.old & 0xffffff)) {
          this.skipImmortalRemove = 0;
          return;
        }
        this.record({ op: 'remove-temp', depth: e.depth ?? 0 });
        return;
      case 'pin':
        this.record({ op: 'pin', value: this.id(e.value) });
        return;
      case 'unpin':
        this.record({ op: 'unpin', value: this.id(e.old) });
        return;
    }
  }

  private mutationEvent(e: HeapEventOfKind<'mutation'>): void {
    const obj = this.id(e.obj);
    switch (e.action) {
      case 'weakref': {
        const level = this.top();
        const pending = level.weakref;
        if (pending?.id !== obj)
          throw new Error(`[heaplab] the recorder missed the allocation of weakref #${obj}`);
        const at = level.ops.lastIndexOf(pending.op);
        const alloc = pending.op as { type: number };
        level.ops[at] = {
          op: 'weakref',
          id: obj,
          type: alloc.type,
          target: this.id(e.target),
          callback: this.idOrNull(e.callback),
          share: e.share,
          slots: e.slots,
        };
        level.weakref = undefined;
        return;
      }
      case 'remove':
        this.record({ op: 'remove', obj, at: e.at });
        return;
      case 'truncate':
        this.record({ op: 'truncate', obj, length: e.length });
        return;
      case 'permute':
        this.record({ op: 'permute', obj, order: [...e.order] });
        return;
      case 'aux':
        this.record({ op: 'aux', obj, bytes: e.bytes });
        return;
      default:
        this.record({ op: e.action, obj });
    }
  }
}

type HeapEventOfKind<K extends HeapEvent['kind']> = Extract<HeapEvent, { kind: K }>;
