import type { CollectKind } from '@heaplab/core';

/**
 * One mutator operation, as plain data: what a trace records and replays. Objects are named by
 * variable (a local of the top frame, else a global), types by name, so a trace replays on any
 * heap and under any collector.
 */
export type MutatorOp =
  | {
      readonly op: 'new';
      readonly name: string;
      readonly type: string;
      readonly slots?: number;
      readonly size?: number;
      readonly growable?: boolean;
      readonly payload?: string | number | boolean;
    }
  | { readonly op: 'bind'; readonly name: string; readonly value: string | null }
  | { readonly op: 'link'; readonly obj: string; readonly slot: number; readonly target: string | null }
  | { readonly op: 'append'; readonly obj: string; readonly value: string | null }
  | { readonly op: 'load'; readonly name: string; readonly obj: string; readonly slot: number }
  | {
      readonly op: 'weakref';
      readonly name: string;
      readonly type: string;
      readonly target: string;
      readonly callback?: string;
    }
  | { readonly op: 'deref'; readonly name: string; readonly weakref: string }
  | { readonly op: 'remove'; readonly obj: string; readonly at: number }
  | { readonly op: 'truncate'; readonly obj: string; readonly length: number }
  | { readonly op: 'push'; readonly frame: string; readonly locals: readonly string[] }
  | { readonly op: 'pop' }
  | { readonly op: 'collect'; readonly kind?: CollectKind; readonly generation?: number };

/** The operation names of {@link MutatorOp}. */
export type MutatorOpName = MutatorOp['op'];

/** Every {@link MutatorOpName}, in the order the trace schema lists them. */
export const MUTATOR_OP_NAMES: readonly MutatorOpName[] = [
  'new',
  'bind',
  'link',
  'append',
  'load',
  'weakref',
  'deref',
  'remove',
  'truncate',
  'push',
  'pop',
  'collect',
];
