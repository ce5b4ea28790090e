/**
 * Where global names sit in `__main__`'s dict, remembered per instruction so the global-name
 * instructions can skip the lookup while the entry still holds the same key.
 */
import type { Code, NameSite } from '../compiler/code.js';
import { dictFind } from '../runtime/tables.js';
import type { Interpreter } from './interp.js';

/** The entry of `__main__`'s dict a global-name site found, if it still holds the same key; else -1. */
export function mainEntry(vm: Interpreter, site: NameSite | undefined): number {
  if (site === undefined) return -1;
  const heap = vm.rt.heap;
  const d = vm.rt.mainDict;
  if (!heap.isAlive(d) || 2 * site.entry + 1 >= heap.length(d)) return -1;
  return heap.get(d, 2 * site.entry) === site.key ? site.entry : -1;
}

/** Remembers where `name` is in `__main__`'s dict for the global-name instruction at `pc`. */
export function findMainEntry(vm: Interpreter, code: Code, pc: number, name: string): void {
  const rt = vm.rt;
  const d = rt.mainDict;
  if (!rt.heap.isAlive(d)) return;
  const entry = dictFind(rt, d, rt.intern(name));
  code.nameSites[pc] = entry < 0 ? undefined : { entry, key: rt.heap.get(d, 2 * entry) };
}
