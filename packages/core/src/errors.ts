import type { Heap } from './heap.js';
import { F } from './layout.js';
import type { ObjIndex } from './ref.js';

/** An error in how the heap was used: a stale handle, a bad slot, a broken collector contract. */
export class HeapError extends Error {
  /** Creates the error; `cause` carries an underlying error when there is one. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HeapError';
  }
}

/** Formats an address as CPython does: `0x7f3a40000010`. */
export function hexAddress(address: number): string {
  return `0x${address.toString(16)}`;
}

/**
 * Describes the object at index `i` for a message: `list at 0x7f3a40000010`. For a freed index
 * whose tables still hold the old object's fields (`dead`), the description names it too.
 */
export function describeObject(heap: Heap, i: ObjIndex, dead = false): string {
  const t = heap.tables;
  if (i <= 0 || i >= t.capacity) return `object #${i}`;
  if ((t.flags(i) & F.ALIVE) === 0 && !dead) return `freed object #${i}`;
  const name = heap.types.all()[t.type(i)]?.name ?? '?';
  return `${name} at ${hexAddress(t.addr(i))}`;
}
