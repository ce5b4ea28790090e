import { type Heap, NULL_REF, type ObjIndex, type Ref } from '@heaplab/core';
import type { Runtime } from './runtime/runtime.js';

/** One name of `__main__`'s namespace. */
export interface GlobalBinding {
  /** The name. */
  readonly name: string;
  /** The object it is bound to. */
  readonly ref: Ref;
  /** The slot of the namespace dict holding the reference. */
  readonly slot: number;
}

/** `__main__`'s namespace: the heap dict holding the program's globals, and its bindings. */
export interface ModuleGlobals {
  /** The namespace dict (a pinned root). */
  readonly dict: ObjIndex;
  /** Bindings in the dict's order (`__name__`, `__builtins__`... first, as in CPython). */
  readonly bindings: GlobalBinding[];
}

const runtimes = new WeakMap<Heap, Runtime>();

/** Records the runtime running on `heap` (for `moduleGlobals`). */
export function registerRuntime(heap: Heap, rt: Runtime): void {
  runtimes.set(heap, rt);
}

/**
 * The `__main__` namespace of the program running (or run) on `heap` by `runPython`, or
 * `undefined` for a heap no Python program made. Viewers show these as the program's globals: the
 * dict is the root, each binding one of its slots.
 */
export function moduleGlobals(heap: Heap): ModuleGlobals | undefined {
  const rt = runtimes.get(heap);
  // Gone once the program's shutdown reclaimed it.
  if (!rt || rt.mainDict === NULL_REF || !heap.isAlive(rt.mainDict)) return undefined;
  const d = rt.mainDict;
  const bindings: GlobalBinding[] = [];
  for (let k = 0; 2 * k < heap.length(d); k++) {
    const key = heap.get(d, 2 * k);
    if (key === NULL_REF || rt.kindOf(key) !== 'str') continue;
    bindings.push({ name: rt.pl<string>(key), ref: heap.get(d, 2 * k + 1), slot: 2 * k + 1 });
  }
  return { dict: heap.index(d), bindings };
}
