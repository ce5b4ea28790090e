import { type Heap, type HeapHost, NULL_REF, type Ref, type TypeId } from '@heaplab/core';
import type { HeapOp, ObjectId } from './heap-op.js';

/** A replay problem in one operation; the caller adds the file and line. */
export class ReplayError extends Error {}

/**
 * Replays version-2 trace operations on a heap. Objects are found by number; the replayer is the
 * heap's host, so when the replay's collector runs a finalizer or a weak-reference callback, the
 * block of operations recorded for it (if any) is performed then, once.
 */
export class HeapReplayer implements HeapHost {
  /** Finalizer and callback blocks never performed (their collector never ran them here). */
  get pendingBlocks(): number {
    return this.finalizers.size + this.callbacks.size;
  }

  private readonly refs = new Map<number, Ref>();
  private readonly idOf = new Map<number, number>();
  private readonly types = new Map<number, TypeId>();
  private readonly finalizers = new Map<number, HeapOp[]>();
  private readonly callbacks = new Map<number, HeapOp[]>();
  private failure: unknown;
  private lastId = 0;
  /** Finalizer and callback blocks given up part way: they needed an object this replay did not have. */
  abandoned = 0;

  /** Replays onto `heap` (it becomes the heap's host). */
  constructor(private readonly heap: Heap) {
    heap.host = this;
    heap.events.on('freed', (e) => {
      const id = this.idOf.get(e.obj & 0xffffff);
      if (id === undefined) return;
      this.idOf.delete(e.obj & 0xffffff);
      this.refs.delete(id);
    });
  }

  /** Performs one top-level operation (and any blocks it sets off). */
  apply(op: HeapOp): void {
    this.perform(op);
    this.check();
    if (op.op !== 'finalizer' && op.op !== 'callback' && op.op !== 'type') this.heap.safepoint();
  }

  /** Throws the first failure of a block performed since the last check (blocks run inside the heap, which would swallow it). */
  check(): void {
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
  }

  runFinalizer(_heap: Heap, obj: Ref): void {
    this.runBlock(this.finalizers, obj);
  }

  runWeakrefCallback(_heap: Heap, weakref: Ref): void {
    this.runBlock(this.callbacks, weakref);
  }

  private runBlock(blocks: Map<number, HeapOp[]>, ref: Ref): void {
    const id = this.idOf.get(ref & 0xffffff);
    const ops = id === undefined ? undefined : blocks.get(id);
    if (ops === undefined || id === undefined) return;
    blocks.delete(id);
    const roots = this.heap.roots;
    const depth = roots.depth;
    const temps = roots.temps;
    try {
      for (const op of ops) this.perform(op);
    } catch (error) {
      if (!(error instanceof ReplayError) || this.failure !== undefined) {
        // Host errors would land in heap.unraisable: a replay problem must stop the replay instead.
        this.failure ??= error;
        return;
      }
      // The block needs an object this replay does not have (its collector freed it sooner, or a
      // finalizer that allocated it never ran here): give the block up and unwind what it pushed.
      this.abandoned++;
      while (roots.depth > depth) roots.popFrame();
      while (roots.temps > temps) roots.pop();
    }
  }

  private obj(id: number): Ref {
    const ref = this.refs.get(id);
    if (ref === undefined || !this.heap.isAlive(ref)) {
      throw new ReplayError(
        id <= this.lastId
          ? `object ${id} is not alive in this replay (freed earlier than when it was recorded, or allocated by a finalizer that has not run here)`
          : `object ${id} was never allocated`,
      );
    }
    return ref;
  }

  private value(id: ObjectId): Ref {
    return id === null ? NULL_REF : this.obj(id);
  }

  private type(id: number): TypeId {
    const type = this.types.get(id);
    if (type === undefined) throw new ReplayError(`type ${id} is not defined by an earlier "type" line`);
    return type;
  }

  private bind(id: number, ref: Ref): void {
    this.refs.set(id, ref);
    this.idOf.set(ref & 0xffffff, id);
    if (id > this.lastId) this.lastId = id;
  }

  private perform(op: HeapOp): void {
    const heap = this.heap;
    const roots = heap.roots;
    switch (op.op) {
      case 'type':
        this.types.set(op.id, heap.defineType(op.spec));
        return;
      case 'alloc':
        this.bind(
          op.id,
          heap.allocWith(this.type(op.type), {
            slots: op.slots,
            size: op.size,
            growable: op.growable,
            track: op.track,
            address: op.address,
            immortal: op.immortal,
          }),
        );
        return;
      case 'weakref':
        this.bind(
          op.id,
          heap.createWeakref(this.type(op.type), this.obj(op.target), {
            callback: this.value(op.callback),
            share: op.share,
            slots: op.slots,
          }),
        );
        return;
      case 'set':
        heap.set(this.obj(op.obj), op.slot, this.value(op.value));
        return;
      case 'append':
        heap.append(this.obj(op.obj), this.value(op.value));
        return;
      case 'insert':
        heap.insert(this.obj(op.obj), op.at, this.value(op.value));
        return;
      case 'move-slot':
        roots.popToSlot(this.obj(op.obj), op.slot);
        return;
      case 'move-append':
        roots.popAppend(this.obj(op.obj));
        return;
      case 'remove':
        heap.removeAt(this.obj(op.obj), op.at);
        return;
      case 'truncate':
        heap.truncate(this.obj(op.obj), op.length);
        return;
      case 'permute':
        heap.permute(this.obj(op.obj), op.order);
        return;
      case 'push':
        roots.push(this.obj(op.value));
        return;
      case 'pop':
        roots.pop();
        return;
      case 'remove-temp':
        roots.remove(op.depth);
        return;
      case 'pin':
        roots.pin(this.obj(op.value));
        return;
      case 'unpin':
        roots.unpin(this.obj(op.value));
        return;
      case 'set-local':
        roots.setLocal(op.slot, this.value(op.value));
        return;
      case 'move-local':
        roots.popToLocal(op.slot);
        return;
      case 'set-global':
        roots.setGlobal(op.name, this.value(op.value));
        return;
      case 'move-global':
        roots.popToGlobal(op.name);
        return;
      case 'frame':
        roots.pushFrame(op.name, op.locals, op.args);
        return;
      case 'return':
        if (roots.depth <= 1) throw new ReplayError('return without a frame');
        roots.popFrame();
        return;
      case 'aux':
        heap.setAuxSize(this.obj(op.obj), op.bytes);
        return;
      case 'track':
        heap.track(this.obj(op.obj));
        return;
      case 'untrack':
        heap.untrack(this.obj(op.obj));
        return;
      case 'incref':
        heap.incref(this.obj(op.obj));
        return;
      case 'decref':
        heap.decref(this.obj(op.obj));
        return;
      case 'collect':
        heap.collect({ kind: op.kind, generation: op.generation, reason: 'explicit' });
        return;
      case 'finalizer':
        this.finalizers.set(op.obj, op.ops);
        return;
      case 'callback':
        this.callbacks.set(op.weakref, op.ops);
        return;
    }
  }
}
