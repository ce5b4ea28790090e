import type { Heap } from './heap.js';
import type { Ref } from './ref.js';

/**
 * What runs mutator code on the heap's behalf: finalizers and weak-reference callbacks. A
 * language runtime (heaplab's Python) supplies its own; the default runs a type's JavaScript
 * `finalize` and a callback object whose payload is a function.
 */
export interface HeapHost {
  /** Runs `obj`'s finalizer. The object is alive while it runs and may be made reachable again. */
  runFinalizer(heap: Heap, obj: Ref): void;
  /** Runs a weak reference's callback, passing the (already cleared) weak reference. */
  runWeakrefCallback(heap: Heap, weakref: Ref, callback: Ref): void;
}

/** A callback object's payload for the default host. */
export type WeakrefCallbackFunction = (heap: Heap, weakref: Ref) => void;

/** The default {@link HeapHost}. */
export const defaultHost: HeapHost = {
  runFinalizer(heap, obj) {
    heap.typeOf(obj).finalize?.(heap, obj);
  },
  runWeakrefCallback(heap, weakref, callback) {
    const fn = heap.payload<unknown>(callback);
    if (typeof fn === 'function') (fn as WeakrefCallbackFunction)(heap, weakref);
  },
};

/**
 * Runs host code, keeping an error it throws from tearing the heap's bookkeeping apart. While it
 * runs, `heap.hostDepth` is one more, so event listeners can tell the mutator code that a
 * finalizer or callback runs from what the heap and collector do themselves.
 */
export function guarded(heap: Heap, run: () => void): void {
  heap.hostDepth++;
  try {
    run();
  } catch (error) {
    heap.unraisable.push(error);
  } finally {
    heap.hostDepth--;
  }
}
