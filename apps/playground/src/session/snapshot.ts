import {
  F_ALIVE,
  F_IMMORTAL,
  F_WEAKREF,
  type Heap,
  type HeapEvent,
  hexAddress,
  type ObjIndex,
  type Ref,
  reachableMarks,
  refIndex,
} from '@heaplab/core';
import type { Engine } from './engine.js';
import {
  DIAGRAM_LIMIT,
  type EdgeView,
  type ObjectView,
  type PhaseView,
  type Snapshot,
  type SummaryRow,
  type VariableView,
} from './protocol.js';

/** What the session recorded up to the snapshot. */
export interface SnapshotContext {
  /** Statement number. */
  readonly step: number;
  /** Line about to run (0 at the end). */
  readonly line: number;
  /** Printed output so far. */
  readonly stdout: string;
  /** Error output so far. */
  readonly stderr: string;
  /** Phase and free events of the previous statement. */
  readonly events: readonly HeapEvent[];
}

/** The index of the live object with handle `key`, or 0 when it is no longer alive. */
export function keyToIndex(heap: Heap, key: number): ObjIndex {
  return heap.isAlive(key as Ref) ? refIndex(key as Ref) : 0;
}

/** `type at 0x...` with the engine's label (`int 10 at 0x...`). */
export function describeIndex(engine: Engine, heap: Heap, i: ObjIndex): string {
  const label = engine.label?.(heap, i);
  const type = heap.types.get(heap.tables.type(i)).name;
  return `${type}${label ? ` ${label}` : ''} at ${hexAddress(heap.tables.addr(i))}`;
}

/** The name of slot `slot` of the object at `i` (`.attr`, `[2]`, or `slot 2`). */
export function slotName(engine: Engine, heap: Heap, i: ObjIndex, slot: number): string {
  const name = engine.slotName?.(heap, i, slot);
  if (name === undefined) return `slot ${slot}`;
  return name.startsWith('[') ? name : `.${name}`;
}

/** Generation of each tracked object, when the collector has a `gc` module surface (the generational one). */
function generations(heap: Heap): Map<ObjIndex, number> | null {
  const gc = (heap.collector as { gc?: { getObjects(generation?: number): readonly ObjIndex[] } }).gc;
  if (!gc || typeof gc.getObjects !== 'function') return null;
  const out = new Map<ObjIndex, number>();
  for (let g = 0; g < 3; g++) for (const i of gc.getObjects(g)) out.set(i, g);
  return out;
}

/**
 * The objects a view shows: what the program's variables reach, and garbage (unreachable objects
 * not yet reclaimed), but not the runtime's own objects (immortal singletons, objects the engine
 * marks as its own, and what only they reach) except one hop from something shown.
 */
function selectShown(engine: Engine, heap: Heap, vars: readonly VariableView[]): Set<ObjIndex> {
  const t = heap.tables;
  const data = heap.slots.data;
  const hidden = engine.hidden?.(heap);
  const own = (i: ObjIndex): boolean => (t.flags(i) & F_IMMORTAL) === 0 && !hidden?.has(heap.ref(i));
  const opaque = (i: ObjIndex): boolean => engine.opaque?.(heap, i) ?? false;
  const user = new Uint8Array(heap.indexBound);
  const queue: ObjIndex[] = [];
  for (const v of vars) {
    if (v.to !== 0 && heap.isAlive(v.to as Ref) && !user[refIndex(v.to as Ref)]) {
      user[refIndex(v.to as Ref)] = 1;
      queue.push(refIndex(v.to as Ref));
    }
  }
  for (let h = 0; h < queue.length; h++) {
    const o = queue[h];
    if (opaque(o)) continue;
    for (let k = 0, off = t.slotOff(o); k < t.slotLen(o); k++) {
      const c = data[off + k];
      if (c !== 0 && !user[c] && own(c)) {
        user[c] = 1;
        queue.push(c);
      }
    }
  }
  const all = reachableMarks(heap);
  const shown = new Set<ObjIndex>();
  heap.forEachLive((i) => {
    if (user[i] || (own(i) && !all[i])) shown.add(i);
  });
  for (const i of [...shown]) {
    if (opaque(i)) continue;
    for (let k = 0, off = t.slotOff(i); k < t.slotLen(i); k++) if (data[off + k]) shown.add(data[off + k]);
  }
  return shown;
}

/** Captures what the page shows of `heap` (empty when the program never got a heap). */
export function captureSnapshot(engine: Engine, heap: Heap | null, ctx: SnapshotContext): Snapshot {
  const base = { step: ctx.step, line: ctx.line, stdout: ctx.stdout, stderr: ctx.stderr };
  if (!heap) {
    return {
      ...base,
      objects: [],
      summary: [],
      globals: [],
      frames: [],
      heapBytes: 0,
      liveObjects: 0,
      phases: [],
      freed: [],
    };
  }
  const t = heap.tables;
  const key = (i: ObjIndex): number => (i === 0 ? 0 : heap.ref(i));
  const held = engine.globals?.(heap)?.bindings ?? heap.roots.globals();
  const globals: VariableView[] = held.map((g) => ({ name: g.name, to: g.ref }));
  const frames = heap.roots
    .frames()
    .map((f) => ({
      name: f.name,
      vars: [
        ...f.locals.map((l) => ({ name: l.name, to: l.ref })),
        ...f.temps.map((ref) => ({ name: 'tmp', to: ref })),
      ],
    }))
    .filter((f) => f.vars.length > 0);
  const shown = selectShown(engine, heap, [...globals, ...frames.flatMap((f) => f.vars)]);
  const marks = reachableMarks(heap);
  const gens = generations(heap);
  const generationOf = (i: ObjIndex): number | undefined => gens?.get(i);
  const summary = new Map<string, { type: string; generation?: number; count: number; bytes: number }>();
  for (const i of shown) {
    const type = heap.types.get(t.type(i)).name;
    const generation = generationOf(i);
    const id = `${type}/${generation ?? ''}`;
    const row = summary.get(id) ?? { type, generation, count: 0, bytes: 0 };
    row.count++;
    row.bytes += t.size(i);
    summary.set(id, row);
  }
  let objects: ObjectView[] | null = null;
  if (shown.size <= DIAGRAM_LIMIT) {
    objects = [...shown]
      .sort((a, b) => a - b)
      .map((i) => objectView(engine, heap, i, marks[i] === 1, key, generationOf(i)));
  }
  const phases: PhaseView[] = [];
  const freed: { key: number; type: string; cause: string }[] = [];
  for (const e of ctx.events) {
    if (e.kind === 'collection-phase')
      phases.push({ collection: e.collection, phase: e.phase, objects: e.objects ?? [] });
    else if (e.kind === 'freed') freed.push({ key: e.obj, type: e.type, cause: e.cause });
  }
  return {
    ...base,
    objects,
    summary: [...summary.values()].sort((a, b) => b.bytes - a.bytes) as SummaryRow[],
    globals,
    frames,
    heapBytes: heap.liveBytes,
    liveObjects: heap.liveObjects,
    phases,
    freed,
  };
}

function objectView(
  engine: Engine,
  heap: Heap,
  i: ObjIndex,
  reachable: boolean,
  key: (i: ObjIndex) => number,
  generation: number | undefined,
): ObjectView {
  const t = heap.tables;
  const edges: EdgeView[] = [];
  const off = t.slotOff(i);
  for (let k = 0; k < t.slotLen(i); k++) {
    const c = heap.slots.data[off + k];
    if (c !== 0) edges.push({ to: key(c), weak: false, name: slotName(engine, heap, i, k) });
  }
  if (t.flags(i) & F_WEAKREF && t.wrTarget[i] !== 0 && t.flags(t.wrTarget[i]) & F_ALIVE) {
    edges.push({ to: key(t.wrTarget[i]), weak: true, name: 'referent' });
  }
  const immortal = (t.flags(i) & F_IMMORTAL) !== 0;
  return {
    key: key(i),
    type: heap.types.get(t.type(i)).name,
    address: hexAddress(t.addr(i)),
    refcount: heap.counting ? (immortal ? -1 : t.rc(i)) : null,
    size: t.size(i),
    label: engine.label?.(heap, i),
    opaque: engine.opaque?.(heap, i) || undefined,
    generation,
    reachable,
    edges,
  };
}
