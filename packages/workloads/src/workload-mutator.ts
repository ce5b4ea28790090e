import {
  type CollectionReport,
  type CollectRequest,
  HeapError,
  Mutator,
  type NewOptions,
  NULL_REF,
  type Ref,
  type TypeId,
} from '@heaplab/core';
import type { MutatorOp } from './mutator-op.js';

/**
 * The {@link Mutator} workloads are written against: the core operations plus list removal, each
 * reported to `onOp` as a {@link MutatorOp} (only the outermost operation when one calls another),
 * so a run can be recorded and replayed under another collector.
 */
export class WorkloadMutator extends Mutator {
  private depth = 0;

  /** Creates a mutator over `heap`; `onOp` sees every operation before it runs. */
  constructor(
    heap: Mutator['heap'],
    private readonly onOp?: (op: MutatorOp) => void,
  ) {
    super(heap);
  }

  private run<T>(op: MutatorOp, body: () => T): T {
    if (this.depth === 0) this.onOp?.(op);
    this.depth++;
    try {
      return body();
    } finally {
      this.depth--;
    }
  }

  override new(name: string, type: TypeId, options: NewOptions = {}): Ref {
    const { slots, size, growable, payload } = options;
    const op: MutatorOp = { op: 'new', name, type: this.heap.types.get(type).name };
    if (slots !== undefined) Object.assign(op, { slots });
    if (size !== undefined) Object.assign(op, { size });
    if (growable) Object.assign(op, { growable: true });
    if (payload !== undefined) Object.assign(op, { payload });
    return this.run(op, () => super.new(name, type, options));
  }

  override bind(name: string, value: string | Ref | null): void {
    if (typeof value === 'number' && this.depth === 0 && this.onOp) {
      throw new HeapError('[heaplab] a recorded mutator binds variables to variables, not to handles');
    }
    this.run({ op: 'bind', name, value: value as string | null }, () => super.bind(name, value));
  }

  override link(obj: string, slot: number, target: string | null): void {
    this.run({ op: 'link', obj, slot, target }, () => super.link(obj, slot, target));
  }

  override append(obj: string, value: string | null): void {
    this.run({ op: 'append', obj, value }, () => {
      this.heap.append(this.need(obj), value === null ? NULL_REF : this.get(value));
      this.heap.safepoint();
    });
  }

  override load(name: string, obj: string, slot: number): void {
    this.run({ op: 'load', name, obj, slot }, () => super.load(name, obj, slot));
  }

  override weakref(name: string, type: TypeId, target: string, callback?: string): Ref {
    const op: MutatorOp = { op: 'weakref', name, type: this.heap.types.get(type).name, target };
    if (callback !== undefined) Object.assign(op, { callback });
    return this.run(op, () => super.weakref(name, type, target, callback));
  }

  override deref(name: string, weakref: string): boolean {
    return this.run({ op: 'deref', name, weakref }, () => super.deref(name, weakref));
  }

  /** Removes item `at` of the list in `obj`, shifting later items down. */
  remove(obj: string, at: number): void {
    this.run({ op: 'remove', obj, at }, () => {
      this.heap.removeAt(this.need(obj), at);
      this.heap.safepoint();
    });
  }

  /** Shrinks the list in `obj` to `length` items. */
  truncate(obj: string, length: number): void {
    this.run({ op: 'truncate', obj, length }, () => {
      this.heap.truncate(this.need(obj), length);
      this.heap.safepoint();
    });
  }

  override call<T>(frame: string, locals: readonly string[], body: () => T): T {
    if (this.depth === 0) this.onOp?.({ op: 'push', frame, locals: [...locals] });
    try {
      return super.call(frame, locals, body);
    } finally {
      if (this.depth === 0) this.onOp?.({ op: 'pop' });
    }
  }

  /** Pushes a frame (for replaying traces; workloads use {@link WorkloadMutator.call}). */
  pushFrame(frame: string, locals: readonly string[]): void {
    this.run({ op: 'push', frame, locals: [...locals] }, () => this.heap.roots.pushFrame(frame, locals));
  }

  /** Pops the top frame. */
  popFrame(): void {
    this.run({ op: 'pop' }, () => {
      if (this.heap.roots.depth <= 1) throw new HeapError('[heaplab] pop without a pushed frame');
      this.heap.roots.popFrame();
      this.heap.safepoint();
    });
  }

  override collect(request: CollectRequest = {}): CollectionReport {
    const op: MutatorOp = { op: 'collect' };
    if (request.kind !== undefined) Object.assign(op, { kind: request.kind });
    if (request.generation !== undefined) Object.assign(op, { generation: request.generation });
    return this.run(op, () => super.collect(request));
  }
}
