import type { Heap } from './heap.js';
import type { ObjIndex } from './ref.js';

/**
 * Strongly connected components of the subgraph induced by `objects` (strong references only),
 * by Tarjan's algorithm with an explicit stack. Components come out in reverse topological order.
 */
export function stronglyConnected(heap: Heap, objects: readonly ObjIndex[]): ObjIndex[][] {
  const t = heap.tables;
  const data = heap.slots.data;
  const member = new Map<ObjIndex, number>();
  for (let k = 0; k < objects.length; k++) member.set(objects[k], k);
  const n = objects.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: ObjIndex[][] = [];
  let counter = 0;
  const call: number[] = [];
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    call.push(root, 0);
    while (call.length > 0) {
      const v = call[call.length - 2];
      let edge = call[call.length - 1];
      if (edge === 0 && index[v] === -1) {
        index[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = 1;
      }
      const o = objects[v];
      const len = t.slotLen(o);
      let descended = false;
      while (edge < len) {
        const c = data[t.slotOff(o) + edge++];
        const w = c === 0 ? undefined : member.get(c);
        if (w === undefined) continue;
        if (index[w] === -1) {
          call[call.length - 1] = edge;
          call.push(w, 0);
          descended = true;
          break;
        }
        if (onStack[w]) low[v] = Math.min(low[v], index[w]);
      }
      if (descended) continue;
      call.length -= 2;
      if (call.length > 0) {
        const parent = call[call.length - 2];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        const component: ObjIndex[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component.push(objects[w]);
        } while (w !== v);
        components.push(component.reverse());
      }
    }
  }
  return components;
}

/** Whether a component holds a cycle: more than one object, or one object referring to itself. */
export function isCyclic(heap: Heap, component: readonly ObjIndex[]): boolean {
  if (component.length > 1) return true;
  const o = component[0];
  const t = heap.tables;
  for (let k = 0; k < t.slotLen(o); k++) if (heap.slots.data[t.slotOff(o) + k] === o) return true;
  return false;
}

/**
 * Of the garbage `unreachable`, what reference counting can never free: the objects on cycles and
 * everything they reach. The rest of `unreachable` is acyclic garbage.
 */
export function cycleBoundGarbage(heap: Heap, unreachable: readonly ObjIndex[]): Set<ObjIndex> {
  const bound = new Set<ObjIndex>();
  const inSet = new Set(unreachable);
  const work: ObjIndex[] = [];
  for (const component of stronglyConnected(heap, unreachable)) {
    if (!isCyclic(heap, component)) continue;
    for (const o of component)
      if (!bound.has(o)) {
        bound.add(o);
        work.push(o);
      }
  }
  const t = heap.tables;
  while (work.length > 0) {
    const o = work.pop()!;
    for (let k = 0; k < t.slotLen(o); k++) {
      const c = heap.slots.data[t.slotOff(o) + k];
      if (c !== 0 && inSet.has(c) && !bound.has(c)) {
        bound.add(c);
        work.push(c);
      }
    }
  }
  return bound;
}
