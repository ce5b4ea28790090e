import { describeObject, HeapError } from './errors.js';
import type { Heap } from './heap.js';
import { F, R } from './layout.js';
import type { ObjIndex } from './ref.js';

/** A collector broke the heap: a reachable object was freed, or a weak reference dangles. */
export interface OracleViolation {
  /** What went wrong. */
  readonly kind: 'freed-reachable' | 'dangling-weakref';
  /** The freed object's index. */
  readonly object: ObjIndex;
  /** A readable account naming the object and how it is reached. */
  readonly message: string;
}

/** What the oracle found. */
export interface OracleReport {
  /** Live objects reachable from the roots along strong references. */
  readonly reachable: number;
  /** Live objects not reachable: garbage not yet reclaimed (or leaked). */
  readonly unreachable: readonly ObjIndex[];
  /** Violations (empty when the collector did nothing wrong). */
  readonly violations: readonly OracleViolation[];
}

/** Thrown by {@link verifyHeap} when a collector freed a reachable object. */
export class OracleError extends HeapError {
  /** The violations found. */
  readonly violations: readonly OracleViolation[];
  /** Creates the error. */
  constructor(violations: readonly OracleViolation[]) {
    super(violations.map((v) => v.message).join('\n'));
    this.name = 'OracleError';
    this.violations = violations;
  }
}

/**
 * Exact reachability: 1 for every live object reachable from the roots along strong references
 * (weak references do not count), by breadth-first search. Independent of any collector's code.
 */
export function reachableMarks(heap: Heap): Uint8Array {
  return search(heap, null).marks;
}

interface SearchResult {
  marks: Uint8Array;
  parent: Int32Array | null;
}

function search(
  heap: Heap,
  onDead: ((holder: ObjIndex, slot: number, target: ObjIndex) => void) | null,
): SearchResult {
  const bound = heap.indexBound;
  const marks = new Uint8Array(bound);
  const parent = onDead ? new Int32Array(bound) : null;
  const t = heap.tables;
  const flags = t.u16;
  let queue = new Int32Array(Math.max(16, heap.liveObjects));
  let head = 0;
  let tail = 0;
  const enqueue = (i: ObjIndex, from: ObjIndex): void => {
    if (tail === queue.length) {
      const next = new Int32Array(queue.length * 2);
      next.set(queue);
      queue = next;
    }
    marks[i] = 1;
    if (parent) parent[i] = from;
    queue[tail++] = i;
  };
  heap.roots.forEach((i) => {
    if ((flags[i * R.HALVES + R.FLAGS] & F.ALIVE) === 0) onDead?.(0, -1, i);
    else if (marks[i] === 0) enqueue(i, 0);
  });
  while (head < tail) {
    const o = queue[head++];
    const off = t.slotOff(o);
    const len = t.slotLen(o);
    const data = heap.slots.data;
    for (let k = 0; k < len; k++) {
      const c = data[off + k];
      if (c === 0) continue;
      if ((flags[c * R.HALVES + R.FLAGS] & F.ALIVE) === 0) onDead?.(o, k, c);
      else if (marks[c] === 0) enqueue(c, o);
    }
  }
  return { marks, parent };
}

/** Checks the heap: what is reachable, what is garbage, and whether anything reachable was freed. */
export function checkHeap(heap: Heap): OracleReport {
  const violations: OracleViolation[] = [];
  const found: [ObjIndex, number, ObjIndex][] = [];
  const { marks, parent } = search(heap, (holder, slot, target) => found.push([holder, slot, target]));
  for (const [holder, slot, target] of found) {
    const where =
      holder === 0
        ? `a root (${heap.roots.labelsOf(target).join(', ') || 'root'})`
        : `slot ${slot} of ${describeObject(heap, holder)}, ${pathText(heap, parent!, holder)}`;
    violations.push({
      kind: 'freed-reachable',
      object: target,
      message: `[heaplab] [oracle] collector "${heap.collector.name}" freed a reachable object: ${describeObject(heap, target, true)} (#${target}) is still referenced from ${where}`,
    });
  }
  const unreachable: ObjIndex[] = [];
  let reachable = 0;
  const t = heap.tables;
  const weak = t.hasWeakTables;
  for (let i = 1, end = heap.indexBound; i < end; i++) {
    if ((t.flags(i) & F.ALIVE) === 0) continue;
    if (marks[i]) reachable++;
    else unreachable.push(i);
    if (weak && t.flags(i) & F.WEAKREF) {
      const target = t.wrTarget[i];
      if (target !== 0 && (t.flags(target) & F.ALIVE) === 0) {
        violations.push({
          kind: 'dangling-weakref',
          object: target,
          message: `[heaplab] [oracle] collector "${heap.collector.name}" freed ${describeObject(heap, target, true)} (#${target}) without clearing ${describeObject(heap, i)} that refers to it`,
        });
      }
    }
  }
  return { reachable, unreachable, violations };
}

/** Runs {@link checkHeap} and throws an {@link OracleError} on any violation; then lets freed indices be reused. */
export function verifyHeap(heap: Heap): OracleReport {
  const report = checkHeap(heap);
  if (report.violations.length > 0) throw new OracleError(report.violations);
  heap.releaseQuarantine();
  return report;
}

function pathText(heap: Heap, parent: Int32Array, holder: ObjIndex): string {
  const chain: ObjIndex[] = [];
  for (let i = holder; i !== 0 && chain.length < 64; i = parent[i]) chain.push(i);
  const root = chain[chain.length - 1];
  const labels = heap.roots.labelsOf(root);
  const hops = chain
    .reverse()
    .map((i) => describeObject(heap, i))
    .join(' -> ');
  return `reachable from ${labels[0] ?? 'a root'}: ${hops}`;
}

/** One hop of a retainer path. */
export interface RetainerHop {
  /** The object at this hop. */
  readonly object: ObjIndex;
  /** The slot of the previous hop's object that refers to it (-1 for the first hop, held by a root). */
  readonly slot: number;
}

/** A retainer path: why an object is alive. */
export interface RetainerPath {
  /** The root holding the first hop (`global 'x'`, `local 'y' of f`, `temporary of f`, `pinned`). */
  readonly root: string;
  /** The hops from that root to the object, the object last. */
  readonly hops: readonly RetainerHop[];
}

/** The shortest path from a root to `target` along strong references, or null when it is unreachable. */
export function retainerPath(heap: Heap, target: ObjIndex): RetainerPath | null {
  const bound = heap.indexBound;
  const parent = new Int32Array(bound).fill(-1);
  const parentSlot = new Int32Array(bound);
  const t = heap.tables;
  const queue: ObjIndex[] = [];
  heap.roots.forEach((i) => {
    if (parent[i] === -1 && t.flags(i) & F.ALIVE) {
      parent[i] = 0;
      parentSlot[i] = -1;
      queue.push(i);
    }
  });
  for (let head = 0; head < queue.length && parent[target] === -1; head++) {
    const o = queue[head];
    const off = t.slotOff(o);
    for (let k = 0; k < t.slotLen(o); k++) {
      const c = heap.slots.data[off + k];
      if (c !== 0 && parent[c] === -1 && t.flags(c) & F.ALIVE) {
        parent[c] = o;
        parentSlot[c] = k;
        queue.push(c);
      }
    }
  }
  if (target <= 0 || target >= bound || parent[target] === -1) return null;
  const hops: RetainerHop[] = [];
  let i = target;
  while (i !== 0) {
    hops.push({ object: i, slot: parentSlot[i] });
    i = parent[i];
  }
  hops.reverse();
  return { root: heap.roots.labelsOf(hops[0].object)[0] ?? 'a root', hops };
}
