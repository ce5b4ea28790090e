import type { CollectKind, TypeSpec } from '@heaplab/core';

/** An object number in a version-2 trace (1, 2, ... in allocation order), or null for none. */
export type ObjectId = number | null;

/**
 * One line of a version-2 trace: a heap operation recorded from a heap's event stream. Objects
 * are numbered in allocation order and types in first-use order, so any program driving a core
 * heap (the Python interpreter, a workload, a test) replays under any collector. Finalizers and
 * weak-reference callbacks are program code and are not in the trace: what they did is recorded
 * as a `finalizer` or `callback` block of operations, and the replay performs that block when its
 * own collector runs that finalizer or callback (never, if it does not).
 */
export type HeapOp =
  | { readonly op: 'type'; readonly id: number; readonly spec: TypeSpec }
  | {
      readonly op: 'alloc';
      readonly id: number;
      readonly type: number;
      readonly slots: number;
      readonly size: number;
      readonly growable?: boolean;
      readonly track?: boolean;
      readonly address?: number;
      readonly immortal?: boolean;
    }
  | { readonly op: 'set'; readonly obj: number; readonly slot: number; readonly value: ObjectId }
  | { readonly op: 'append'; readonly obj: number; readonly value: ObjectId }
  | { readonly op: 'insert'; readonly obj: number; readonly at: number; readonly value: ObjectId }
  | { readonly op: 'move-slot'; readonly obj: number; readonly slot: number }
  | { readonly op: 'move-append'; readonly obj: number }
  | { readonly op: 'remove'; readonly obj: number; readonly at: number }
  | { readonly op: 'truncate'; readonly obj: number; readonly length: number }
  | { readonly op: 'permute'; readonly obj: number; readonly order: readonly number[] }
  | { readonly op: 'push' | 'pin' | 'unpin'; readonly value: number }
  | { readonly op: 'pop' | 'return' }
  | { readonly op: 'remove-temp'; readonly depth: number }
  | { readonly op: 'set-local'; readonly slot: number; readonly value: ObjectId }
  | { readonly op: 'move-local'; readonly slot: number }
  | { readonly op: 'set-global'; readonly name: string; readonly value: ObjectId }
  | { readonly op: 'move-global'; readonly name: string }
  | { readonly op: 'frame'; readonly name: string; readonly locals: readonly string[]; readonly args: number }
  | {
      readonly op: 'weakref';
      readonly id: number;
      readonly type: number;
      readonly target: number;
      readonly callback: ObjectId;
      readonly share: boolean;
      readonly slots: number;
    }
  | { readonly op: 'aux'; readonly obj: number; readonly bytes: number }
  | { readonly op: 'track' | 'untrack' | 'incref' | 'decref'; readonly obj: number }
  | { readonly op: 'collect'; readonly kind?: CollectKind; readonly generation?: number }
  | { readonly op: 'finalizer'; readonly obj: number; readonly ops: HeapOp[] }
  | { readonly op: 'callback'; readonly weakref: number; readonly ops: HeapOp[] };
