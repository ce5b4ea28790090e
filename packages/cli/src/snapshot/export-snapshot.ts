import { F_WEAKREF, type Heap, type ObjIndex } from '@heaplab/core';
import { BufferedFile } from '../buffered-file.js';
import { SNAPSHOT_ROOT_GLOBAL, type SnapshotNodeInfo, WEAK_EDGE_TYPE } from './import-snapshot.js';

/** V8's node types, in the order Node 20 writes them (others are appended as met). */
const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
const INDEXED = new Set(['element', 'hidden']);

interface Edge {
  readonly type: string;
  readonly name: string | number;
  readonly to: ObjIndex;
}

function infoOf(heap: Heap, i: ObjIndex): SnapshotNodeInfo | null {
  const p = heap.tables.payload[i] as SnapshotNodeInfo | undefined;
  return p && typeof p === 'object' && 'v8Type' in p ? p : null;
}

/**
 * Writes the live objects of `heap` to `path` as a V8 `.heapsnapshot` that Chrome DevTools and
 * memlab open. Objects imported from a snapshot keep their V8 type, name, id, size and edge
 * names; other objects become `object` nodes named by their heaplab type, under a synthetic root
 * with an edge per root. Weak references from imported weak edges are written as weak edges
 * while their referent lives.
 */
export function exportSnapshot(heap: Heap, path: string): { nodes: number; edges: number } {
  const t = heap.tables;
  const order: ObjIndex[] = [];
  const importedRoot = heap.roots.getGlobal(SNAPSHOT_ROOT_GLOBAL);
  const rootIndex = importedRoot === 0 ? 0 : heap.index(importedRoot);
  if (rootIndex !== 0) order.push(rootIndex);
  heap.forEachLive((i) => {
    const name = heap.types.get(t.type(i)).name;
    if (i !== rootIndex && name !== WEAK_EDGE_TYPE) order.push(i);
  });
  const synthetic = rootIndex === 0;
  const position = new Map<ObjIndex, number>();
  for (const [k, i] of order.entries()) position.set(i, k + (synthetic ? 1 : 0));
  const strings = new Map<string, number>();
  const str = (s: string) => {
    let k = strings.get(s);
    if (k === undefined) {
      k = strings.size;
      strings.set(s, k);
    }
    return k;
  };
  str('');
  const nodeTypes = [...NODE_TYPES];
  const typeIndex = (name: string) => {
    let k = nodeTypes.indexOf(name);
    if (k < 0) k = nodeTypes.push(name) - 1;
    return k;
  };
  const edgesOf = (i: ObjIndex): Edge[] => {
    const info = infoOf(heap, i);
    const out: Edge[] = [];
    const off = t.slotOff(i);
    for (let k = 0; k < t.slotLen(i); k++) {
      let v = heap.slots.data[off + k];
      if (v === 0) continue;
      let type = info?.edges[k]?.type ?? 'element';
      const name = info?.edges[k]?.name ?? k;
      if ((t.flags(v) & F_WEAKREF) !== 0 && heap.types.get(t.type(v)).name === WEAK_EDGE_TYPE) {
        v = t.wrTarget[v];
        type = 'weak';
        if (v === 0) continue;
      }
      if (position.has(v)) out.push({ type, name, to: v });
    }
    return out;
  };
  const rootEdges: Edge[] = [];
  if (synthetic) {
    for (const { name, ref } of heap.roots.globals())
      if (ref !== 0) rootEdges.push({ type: 'property', name, to: heap.index(ref) });
    heap.roots.frames().forEach((frame) => {
      for (const { name, ref } of frame.locals)
        if (ref !== 0)
          rootEdges.push({ type: 'property', name: `${frame.name}.${name}`, to: heap.index(ref) });
      frame.temps.forEach((ref, k) => {
        if (ref !== 0) rootEdges.push({ type: 'element', name: k, to: heap.index(ref) });
      });
    });
  }
  const nodeCount = order.length + (synthetic ? 1 : 0);
  const NF = 7;
  const nodeLines: string[] = [];
  const edgeLines: string[] = [];
  const emitEdges = (edges: Edge[]) => {
    for (const e of edges) {
      const name = INDEXED.has(e.type) && typeof e.name === 'number' ? e.name : str(String(e.name));
      const type = INDEXED.has(e.type) && typeof e.name !== 'number' ? 'property' : e.type;
      edgeLines.push(`${EDGE_TYPES.indexOf(type)},${name},${position.get(e.to)! * NF}`);
    }
  };
  if (synthetic) {
    nodeLines.push(`${typeIndex('synthetic')},${str('')},1,0,${rootEdges.length},0,0`);
    emitEdges(rootEdges);
  }
  for (const i of order) {
    const info = infoOf(heap, i);
    const edges = edgesOf(i);
    const type = typeIndex(info?.v8Type ?? 'object');
    const name = str(info?.name ?? heap.types.get(t.type(i)).name);
    const id = info?.id ?? 2 * i + 1;
    const size = info?.selfSize ?? t.size(i);
    nodeLines.push(`${type},${name},${id},${size},${edges.length},0,0`);
    emitEdges(edges);
  }
  const meta = {
    node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
    node_types: [nodeTypes, 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
    trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
    trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
    sample_fields: ['timestamp_us', 'last_assigned_id'],
    location_fields: ['object_index', 'script_id', 'line', 'column'],
  };
  const file = new BufferedFile(path);
  try {
    const snapshot = { meta, node_count: nodeCount, edge_count: edgeLines.length, trace_function_count: 0 };
    file.write(`{"snapshot":${JSON.stringify(snapshot)},\n"nodes":[`);
    writeList(file, nodeLines);
    file.write('],\n"edges":[');
    writeList(file, edgeLines);
    file.write(
      '],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[',
    );
    let k = 0;
    for (const s of strings.keys()) file.write(`${k++ === 0 ? '' : ',\n'}${JSON.stringify(s)}`);
    file.write(']}\n');
  } finally {
    file.close();
  }
  return { nodes: nodeCount, edges: edgeLines.length };
}

function writeList(file: BufferedFile, lines: readonly string[]): void {
  for (let k = 0; k < lines.length; k++) file.write(k === 0 ? lines[k] : `,\n${lines[k]}`);
}
