import { usageError } from '../errors.js';
import { JsonReader } from './json-reader.js';

/** A V8 heap snapshot's graph, as flat typed arrays (the file's own layout). */
export interface V8Snapshot {
  /** Field names of a node (`type`, `name`, `id`, `self_size`, `edge_count`...). */
  readonly nodeFields: readonly string[];
  /** Node type names, by the value of a node's `type` field. */
  readonly nodeTypes: readonly string[];
  /** Field names of an edge (`type`, `name_or_index`, `to_node`). */
  readonly edgeFields: readonly string[];
  /** Edge type names, by the value of an edge's `type` field. */
  readonly edgeTypes: readonly string[];
  /** The metadata object as written, kept for export. */
  readonly meta: Record<string, unknown>;
  /** Every node's fields, `nodeFields.length` numbers per node. */
  readonly nodes: Float64Array;
  /** Every edge's fields, grouped by source node in node order. */
  readonly edges: Float64Array;
  /** The string table. */
  readonly strings: readonly string[];
}

function stringList(value: unknown, what: string, file: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw usageError(`${file}: field "${what}" must be a list of strings`);
  }
  return value as string[];
}

function readNumbers(r: JsonReader, expected: number, what: string): Float64Array {
  const out = new Float64Array(expected);
  r.expect('[');
  let n = 0;
  if (!r.accept(']')) {
    do {
      const v = r.uint();
      if (n >= expected)
        throw r.error(`field "${what}" holds more numbers than the metadata's count (${expected})`);
      out[n++] = v;
    } while (r.accept(','));
    r.expect(']');
  }
  if (n !== expected) throw r.error(`field "${what}" holds ${n} numbers; the metadata says ${expected}`);
  return out;
}

/**
 * Reads a `.heapsnapshot` (Chrome DevTools, Node's `v8.writeHeapSnapshot()`) by streaming it: the
 * node and edge arrays go straight into typed arrays, other large sections are skipped. A
 * malformed file is a usage error naming the line, column or field.
 */
export function readHeapSnapshot(path: string, file: string): V8Snapshot {
  const r = new JsonReader(path, file);
  try {
    let meta: Record<string, unknown> | null = null;
    let nodes: Float64Array | null = null;
    let edges: Float64Array | null = null;
    let strings: string[] | null = null;
    let nodeFields: string[] = [];
    let edgeFields: string[] = [];
    let counts = { nodes: 0, edges: 0 };
    r.expect('{');
    if (!r.accept('}')) {
      do {
        const key = r.string();
        r.expect(':');
        if (key === 'snapshot') {
          const snap = r.value() as Record<string, unknown>;
          meta = (snap?.meta ?? null) as Record<string, unknown> | null;
          if (!meta || typeof meta !== 'object')
            throw usageError(`${file}: field "snapshot.meta" is missing`);
          nodeFields = stringList(meta.node_fields, 'snapshot.meta.node_fields', file);
          edgeFields = stringList(meta.edge_fields, 'snapshot.meta.edge_fields', file);
          for (const f of ['type', 'name', 'id', 'self_size', 'edge_count'])
            if (!nodeFields.includes(f)) throw usageError(`${file}: snapshot.meta.node_fields lacks "${f}"`);
          for (const f of ['type', 'name_or_index', 'to_node'])
            if (!edgeFields.includes(f)) throw usageError(`${file}: snapshot.meta.edge_fields lacks "${f}"`);
          const nc = snap.node_count;
          const ec = snap.edge_count;
          if (!Number.isSafeInteger(nc) || !Number.isSafeInteger(ec))
            throw usageError(
              `${file}: fields "snapshot.node_count" and "snapshot.edge_count" must be whole numbers`,
            );
          counts = { nodes: nc as number, edges: ec as number };
        } else if (key === 'nodes' || key === 'edges') {
          if (!meta) throw r.error(`field "${key}" comes before "snapshot"`);
          if (key === 'nodes') nodes = readNumbers(r, counts.nodes * nodeFields.length, 'nodes');
          else edges = readNumbers(r, counts.edges * edgeFields.length, 'edges');
        } else if (key === 'strings') {
          strings = [];
          r.expect('[');
          if (!r.accept(']')) {
            do strings.push(r.string());
            while (r.accept(','));
            r.expect(']');
          }
        } else {
          r.value();
        }
      } while (r.accept(','));
      r.expect('}');
    }
    if (!meta) throw usageError(`${file}: not a heap snapshot: no "snapshot" field`);
    if (!nodes || !edges || !strings) {
      const missing = !nodes ? 'nodes' : !edges ? 'edges' : 'strings';
      throw usageError(`${file}: not a heap snapshot: no "${missing}" field`);
    }
    const types = meta.node_types as unknown[];
    const edgeTypes = meta.edge_types as unknown[];
    const snapshot: V8Snapshot = {
      nodeFields,
      edgeFields,
      nodeTypes: stringList(types?.[nodeFields.indexOf('type')], 'snapshot.meta.node_types[0]', file),
      edgeTypes: stringList(edgeTypes?.[edgeFields.indexOf('type')], 'snapshot.meta.edge_types[0]', file),
      meta,
      nodes,
      edges,
      strings,
    };
    checkGraph(snapshot, file);
    return snapshot;
  } finally {
    r.close();
  }
}

function checkGraph(s: V8Snapshot, file: string): void {
  const nf = s.nodeFields.length;
  const ef = s.edgeFields.length;
  const [TYPE, NAME, EDGES] = ['type', 'name', 'edge_count'].map((f) => s.nodeFields.indexOf(f));
  const [ETYPE, ENAME, TO] = ['type', 'name_or_index', 'to_node'].map((f) => s.edgeFields.indexOf(f));
  let edgeTotal = 0;
  for (let n = 0; n < s.nodes.length / nf; n++) {
    const base = n * nf;
    if (s.nodes[base + TYPE] >= s.nodeTypes.length)
      throw usageError(`${file}: node ${n}: field "type" ${s.nodes[base + TYPE]} is not a node type`);
    if (s.nodes[base + NAME] >= s.strings.length)
      throw usageError(`${file}: node ${n}: field "name" ${s.nodes[base + NAME]} is not a string index`);
    edgeTotal += s.nodes[base + EDGES];
  }
  if (edgeTotal !== s.edges.length / ef) {
    throw usageError(
      `${file}: the nodes' edge_count fields add up to ${edgeTotal}, but there are ${s.edges.length / ef} edges`,
    );
  }
  const indexed = new Set(['element', 'hidden']);
  for (let e = 0; e < s.edges.length / ef; e++) {
    const base = e * ef;
    const type = s.edges[base + ETYPE];
    if (type >= s.edgeTypes.length)
      throw usageError(`${file}: edge ${e}: field "type" ${type} is not an edge type`);
    const to = s.edges[base + TO];
    if (to % nf !== 0 || to >= s.nodes.length)
      throw usageError(`${file}: edge ${e}: field "to_node" ${to} is not a node offset`);
    if (!indexed.has(s.edgeTypes[type]) && s.edges[base + ENAME] >= s.strings.length) {
      throw usageError(
        `${file}: edge ${e}: field "name_or_index" ${s.edges[base + ENAME]} is not a string index`,
      );
    }
  }
}
