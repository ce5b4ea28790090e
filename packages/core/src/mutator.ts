import type { CollectionReport, CollectRequest } from './collector.js';
import { HeapError } from './errors.js';
import type { Heap } from './heap.js';
import { NULL_REF, type Ref } from './ref.js';
import type { TypeId } from './type-registry.js';

/** Options of {@link Mutator.new}. */
export interface NewOptions {
  /** Reference slots (default 0). */
  readonly slots?: number;
  /** Bytes (default from the type). */
  readonly size?: number;
  /** A growable container. */
  readonly growable?: boolean;
  /** Scalar payload. */
  readonly payload?: unknown;
}

/**
 * A program's-eye view of the heap: variables by name (the top frame's locals, else globals)
 * and one method per operation. Every operation is one step and ends at a safepoint, so any
 * collector may run between operations. Workloads and the collector test kit are written with it.
 */
export class Mutator {
  /** Creates a mutator over `heap`. */
  constructor(readonly heap: Heap) {}

  /** Allocates an object and binds it to variable `name`. */
  new(name: string, type: TypeId, options: NewOptions = {}): Ref {
    const heap = this.heap;
    const ref = options.growable
      ? heap.allocGrowable(type, options.slots ?? 0, options.size ?? 0)
      : heap.alloc(type, options.slots ?? 0, options.size ?? 0);
    if (options.payload !== undefined) heap.setPayload(ref, options.payload);
    this.popInto(name);
    heap.safepoint();
    return ref;
  }

  /** The object bound to `name` ({@link NULL_REF} if unbound). */
  get(name: string): Ref {
    const slot = this.heap.roots.localSlot(name);
    return slot >= 0 ? this.heap.roots.getLocal(slot) : this.heap.roots.getGlobal(name);
  }

  /** The object bound to `name`; throws if unbound. */
  need(name: string): Ref {
    const ref = this.get(name);
    if (ref === NULL_REF) throw new HeapError(`[heaplab] variable ${name} is unbound`);
    return ref;
  }

  /** Binds `name` to `value` (a variable name, a handle, or null to unbind). */
  bind(name: string, value: string | Ref | null): void {
    const ref = value === null ? NULL_REF : typeof value === 'string' ? this.get(value) : value;
    const slot = this.heap.roots.localSlot(name);
    if (slot >= 0) this.heap.roots.setLocal(slot, ref);
    else this.heap.roots.setGlobal(name, ref);
    this.heap.safepoint();
  }

  /** Unbinds `name`. */
  unbind(name: string): void {
    this.bind(name, null);
  }

  /** Writes variable `target`'s object (or null) into slot `slot` of variable `obj`'s object. */
  link(obj: string, slot: number, target: string | null): void {
    this.heap.set(this.need(obj), slot, target === null ? NULL_REF : this.get(target));
    this.heap.safepoint();
  }

  /** Appends variable `value`'s object to the growable container in `obj`. */
  append(obj: string, value: string): void {
    this.heap.append(this.need(obj), this.get(value));
    this.heap.safepoint();
  }

  /** Binds `name` to what slot `slot` of `obj` holds. */
  load(name: string, obj: string, slot: number): void {
    this.bind(name, this.heap.get(this.need(obj), slot));
  }

  /** Creates a weak reference of type `type` to `target`, bound to `name`; `callback` names a callback object. */
  weakref(name: string, type: TypeId, target: string, callback?: string): Ref {
    const cb = callback === undefined ? NULL_REF : this.need(callback);
    const ref = this.heap.createWeakref(type, this.need(target), { callback: cb });
    this.popInto(name);
    this.heap.safepoint();
    return ref;
  }

  /** Binds `name` to weak reference `weakref`'s referent, or unbinds it when the referent is gone. */
  deref(name: string, weakref: string): boolean {
    const target = this.heap.weakTarget(this.need(weakref));
    this.bind(name, target);
    return target !== NULL_REF;
  }

  /** Runs `body` in a new frame with the given locals; the frame is popped however `body` ends. */
  call<T>(frame: string, locals: readonly string[], body: () => T): T {
    this.heap.roots.pushFrame(frame, locals);
    try {
      return body();
    } finally {
      this.heap.roots.popFrame();
      this.heap.safepoint();
    }
  }

  /** Requests a collection. */
  collect(request: CollectRequest = {}): CollectionReport {
    return this.heap.collect(request);
  }

  private popInto(name: string): void {
    const roots = this.heap.roots;
    const slot = roots.localSlot(name);
    if (slot >= 0) roots.popToLocal(slot);
    else roots.popToGlobal(name);
  }
}
