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
  const type = heap.types.get(heap.tables.type[i]).name;
  return `${type}${label ? ` ${label}` : ''} at ${hexAddress(heap.tables.addr[i])}`;
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
  const globals: VariableView[] = heap.roots.globals().map((g) => ({ name: g.name, to: g.ref }));
  const frames = heap.roots
    .frames()
    .map((f, d) => ({
      name: f.name,
      vars: [
        ...f.locals.map((l) => ({ name: l.name, to: l.ref })),
        ...f.temps.map((ref) => ({ name: 'tmp', to: ref })),
      ],
      d,
    }))
    .filter((f) => f.d > 0 || f.vars.length > 0)
    .map(({ name, vars }) => ({ name, vars }));
  // Immortal runtime objects are shown only where something the program made refers to them.
  const shown = new Set<ObjIndex>();
  heap.forEachLive((i) => {
    if ((t.flags[i] & F_IMMORTAL) === 0) shown.add(i);
  });
  const mention = (ref: number): void => {
    if (ref !== 0 && heap.isAlive(ref as Ref)) shown.add(refIndex(ref as Ref));
  };
  for (const g of globals) mention(g.to);
  for (const f of frames) for (const v of f.vars) mention(v.to);
  for (const i of [...shown]) {
    const off = t.slotOff[i];
    for (let k = 0; k < t.slotLen[i]; k++) if (heap.slots.data[off + k]) shown.add(heap.slots.data[off + k]);
  }
  const gens = generations(heap);
  const generationOf = (i: ObjIndex): number | undefined => gens?.get(i);
  const summary = new Map<string, { type: string; generation?: number; count: number; bytes: number }>();
  for (const i of shown) {
    const type = heap.types.get(t.type[i]).name;
    const generation = generationOf(i);
    const id = `${type}/${generation ?? ''}`;
    const row = summary.get(id) ?? { type, generation, count: 0, bytes: 0 };
    row.count++;
    row.bytes += t.size[i];
    summary.set(id, row);
  }
  let objects: ObjectView[] | null = null;
  if (shown.size <= DIAGRAM_LIMIT) {
    const marks = reachableMarks(heap);
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
  const off = t.slotOff[i];
  for (let k = 0; k < t.slotLen[i]; k++) {
    const c = heap.slots.data[off + k];
    if (c !== 0) edges.push({ to: key(c), weak: false, name: slotName(engine, heap, i, k) });
  }
  if (t.flags[i] & F_WEAKREF && t.wrTarget[i] !== 0 && t.flags[t.wrTarget[i]] & F_ALIVE) {
    edges.push({ to: key(t.wrTarget[i]), weak: true, name: 'referent' });
  }
  const immortal = (t.flags[i] & F_IMMORTAL) !== 0;
  return {
    key: key(i),
    type: heap.types.get(t.type[i]).name,
    address: hexAddress(t.addr[i]),
    refcount: heap.counting ? (immortal ? -1 : t.rc[i]) : null,
    size: t.size[i],
    label: engine.label?.(heap, i),
    generation,
    reachable,
    edges,
  };
}
