import type { Heap, Ref, TypeId } from '@heaplab/core';
import type { V8Snapshot } from './read-heapsnapshot.js';

/** What an imported object remembers of its V8 node, so it can be exported again. */
export interface SnapshotNodeInfo {
  /** The V8 node type (`object`, `closure`, `string`...). */
  readonly v8Type: string;
  /** The node's name (a constructor name, a string's text...). */
  readonly name: string;
  /** The V8 heap object id. */
  readonly id: number;
  /** The node's own size in bytes. */
  readonly selfSize: number;
  /** Whether this was the snapshot's root (node 0). */
  readonly root: boolean;
  /** Each slot's edge: its V8 edge type and name (or element index). */
  readonly edges: readonly { readonly type: string; readonly name: string | number }[];
}

/** The type of the heap objects standing for weak edges. */
export const WEAK_EDGE_TYPE = '(weak edge)';
/** The global that holds the snapshot's root node. */
export const SNAPSHOT_ROOT_GLOBAL = '(root)';

const INDEXED = new Set(['element', 'hidden']);

/**
 * Builds the snapshot's graph on `heap`: one object per V8 node (its self size, one slot per
 * edge), strong edges as slot references, weak edges as weak-reference objects in their slots,
 * and node 0 (the synthetic root) bound to the global {@link SNAPSHOT_ROOT_GLOBAL}. Nodes only
 * the import held become garbage for the collector once it returns.
 */
export function importSnapshot(heap: Heap, s: V8Snapshot): void {
  const nf = s.nodeFields.length;
  const ef = s.edgeFields.length;
  const [TYPE, NAME, ID, SIZE, EDGES] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) =>
    s.nodeFields.indexOf(f),
  );
  const [ETYPE, ENAME, TO] = ['type', 'name_or_index', 'to_node'].map((f) => s.edgeFields.indexOf(f));
  const types = new Map<string, TypeId>();
  const typeOf = (name: string) => {
    let id = types.get(name);
    if (id === undefined) {
      id = heap.defineType({ name, container: true, weakrefable: true, description: `V8 ${name}` });
      types.set(name, id);
    }
    return id;
  };
  const weak = heap.defineType({
    name: WEAK_EDGE_TYPE,
    weakref: 'ref',
    description: 'a weak edge of a V8 heap snapshot',
  });
  const count = s.nodes.length / nf;
  // Every new node stays on this frame's temporaries until its edges are linked.
  heap.roots.pushFrame('(import)');
  const refs: Ref[] = new Array(count);
  let e = 0;
  for (let n = 0; n < count; n++) {
    const base = n * nf;
    const edgeCount = s.nodes[base + EDGES];
    const edges: SnapshotNodeInfo['edges'][number][] = [];
    for (let k = 0; k < edgeCount; k++, e++) {
      const type = s.edgeTypes[s.edges[e * ef + ETYPE]];
      const raw = s.edges[e * ef + ENAME];
      edges.push({ type, name: INDEXED.has(type) ? raw : s.strings[raw] });
    }
    const info: SnapshotNodeInfo = {
      v8Type: s.nodeTypes[s.nodes[base + TYPE]],
      name: s.strings[s.nodes[base + NAME]],
      id: s.nodes[base + ID],
      selfSize: s.nodes[base + SIZE],
      root: n === 0,
      edges,
    };
    refs[n] = heap.allocWith(typeOf(info.v8Type), {
      slots: edgeCount,
      size: info.selfSize || undefined,
      payload: info,
    });
  }
  e = 0;
  for (let n = 0; n < count; n++) {
    const edgeCount = s.nodes[n * nf + EDGES];
    for (let k = 0; k < edgeCount; k++, e++) {
      const target = refs[s.edges[e * ef + TO] / nf];
      if (s.edgeTypes[s.edges[e * ef + ETYPE]] === 'weak') {
        heap.createWeakref(weak, target);
        heap.roots.popToSlot(refs[n], k);
      } else {
        heap.set(refs[n], k, target);
      }
    }
  }
  if (count > 0) heap.roots.setGlobal(SNAPSHOT_ROOT_GLOBAL, refs[0]);
  heap.roots.popFrame();
  heap.safepoint();
}
