import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readHeapSnapshot, type V8Snapshot } from '../src/snapshot/read-heapsnapshot.js';
import { runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'heaplab-snapshot-'));
const real = join(dir, 'node.heapsnapshot');

/** The graph by V8 id: each node's type, name, size and edges (type, name, target id) in order. */
function graph(s: V8Snapshot): Map<number, string> {
  const nf = s.nodeFields.length;
  const ef = s.edgeFields.length;
  const f = (name: string) => s.nodeFields.indexOf(name);
  const g = (name: string) => s.edgeFields.indexOf(name);
  const out = new Map<number, string>();
  let e = 0;
  for (let n = 0; n < s.nodes.length / nf; n++) {
    const b = n * nf;
    const edges: string[] = [];
    for (let k = 0; k < s.nodes[b + f('edge_count')]; k++, e++) {
      const type = s.edgeTypes[s.edges[e * ef + g('type')]];
      const raw = s.edges[e * ef + g('name_or_index')];
      const name = type === 'element' || type === 'hidden' ? raw : s.strings[raw];
      edges.push(`${type}:${name}->${s.nodes[s.edges[e * ef + g('to_node')] + f('id')]}`);
    }
    const node = `${s.nodeTypes[s.nodes[b + f('type')]]} ${s.strings[s.nodes[b + f('name')]]} ${s.nodes[b + f('self_size')]} [${edges.join(' ')}]`;
    out.set(s.nodes[b + f('id')], `${n === 0 ? 'root ' : ''}${node}`);
  }
  return out;
}

beforeAll(() => {
  execFileSync(process.execPath, ['-e', `require('v8').writeHeapSnapshot(${JSON.stringify(real)})`]);
});

describe('V8 heap snapshots', () => {
  it('a snapshot written by Node imports and compares under every collector', async () => {
    const r = await runCli([
      'compare',
      real,
      '--collectors',
      'none,refcount,marksweep,generational',
      '--format',
      'json',
      '--jobs',
      '1',
    ]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((row: { collector: string }) => row.collector)).toEqual([
      'none',
      'refcount',
      'marksweep',
      'generational',
    ]);
    const nodes = readHeapSnapshot(real, 'node.heapsnapshot').nodes.length / 7;
    for (const row of rows) {
      expect(row.workload).toBe('node.heapsnapshot');
      expect(row.allocations).toBeGreaterThanOrEqual(nodes);
      expect(row.objectsLeaked).toBe(0);
    }
    // Tracing collectors walk the whole imported graph in their collection.
    expect(rows[2].objectsTraced).toBeGreaterThan(nodes / 2);
  });

  it('round-trips: import, export, re-import gives the same graph', async () => {
    const r = await runCli(['export', real, '--collector', 'none', '--heapsnapshot', 'copy.heapsnapshot'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote \d+ nodes and \d+ edges to copy.heapsnapshot/);
    const original = readHeapSnapshot(real, 'a');
    const copy = readHeapSnapshot(join(dir, 'copy.heapsnapshot'), 'b');
    expect(copy.nodes.length / 7).toBe(original.nodes.length / original.nodeFields.length);
    expect(graph(copy)).toEqual(graph(original));
    expect(original.edgeTypes).toContain('weak');
  });

  it('exports a workload heap: live objects under a synthetic root, leaked cycles included', async () => {
    const r = await runCli(
      [
        'export',
        'trees',
        '--param',
        'rounds=2',
        '--collector',
        'refcount',
        '--heapsnapshot',
        'trees.heapsnapshot',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const s = readHeapSnapshot(join(dir, 'trees.heapsnapshot'), 't');
    const g = [...graph(s).values()];
    expect(g[0]).toMatch(/^root synthetic {2}0 \[\]$/);
    // Every tree and list node leaked by reference counting is exported (2 rounds × (255 + 300)).
    expect(g.filter((n) => n.startsWith('object object ')).length).toBe(2 * (255 + 300));
  });

  it.each([
    ['{"snapshot":{"meta":{"node_fields":["type"]', /bad.heapsnapshot:1:\d+: (expected|unexpected)/],
    [
      '{"snapshot":{"meta":{"node_fields":["type","name"],"edge_fields":[]},"node_count":0,"edge_count":0}}',
      /lacks "id"/,
    ],
    ['[]', /bad.heapsnapshot:1:1: expected "\{", found "\["/],
    ['{"nodes":[]}', /field "nodes" comes before "snapshot"/],
    [
      '{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"edge_fields":["type","name_or_index","to_node"],"node_types":[["object"]],"edge_types":[["property"]]},"node_count":1,"edge_count":0},"nodes":[0,0,1,8],"edges":[],"strings":[""]}',
      /field "nodes" holds 4 numbers; the metadata says 5/,
    ],
    [
      '{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"edge_fields":["type","name_or_index","to_node"],"node_types":[["object"]],"edge_types":[["property"]]},"node_count":1,"edge_count":1},"nodes":[0,0,1,8,1],"edges":[0,0,7],"strings":[""]}',
      /edge 0: field "to_node" 7 is not a node offset/,
    ],
    [
      '{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"edge_fields":["type","name_or_index","to_node"],"node_types":[["object"]],"edge_types":[["property"]]},"node_count":1,"edge_count":0},"nodes":[0,0,1,8,0],"edges":[]}',
      /no "strings" field/,
    ],
  ])('a malformed snapshot (%#) names the place, exit 2', async (content, message) => {
    writeFileSync(join(dir, 'bad.heapsnapshot'), content);
    const r = await runCli(['compare', 'bad.heapsnapshot', '--collectors', 'refcount'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

/** Checks the rules of the Chrome trace-event format that Perfetto's importer relies on. */
function validateTraceEvents(doc: unknown): string[] {
  const problems: string[] = [];
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { traceEvents?: unknown }).traceEvents))
    return ['no traceEvents array'];
  const open = new Map<string, { end: number }[]>();
  for (const [k, ev] of (doc as { traceEvents: Record<string, unknown>[] }).traceEvents.entries()) {
    if (typeof ev.name !== 'string') problems.push(`${k}: name`);
    if (!['X', 'C', 'M'].includes(ev.ph as string)) problems.push(`${k}: ph ${String(ev.ph)}`);
    if (!Number.isInteger(ev.pid) || !Number.isInteger(ev.tid)) problems.push(`${k}: pid/tid`);
    if (ev.ph === 'M') continue;
    if (typeof ev.ts !== 'number' || ev.ts < 0) problems.push(`${k}: ts`);
    if (
      ev.ph === 'C' &&
      (typeof ev.args !== 'object' || !Object.values(ev.args as object).every((v) => typeof v === 'number'))
    )
      problems.push(`${k}: counter args`);
    if (ev.ph === 'X') {
      if (typeof ev.dur !== 'number' || ev.dur < 0) problems.push(`${k}: dur`);
      // Slices on one thread must nest: each starts inside or after the enclosing one.
      const key = `${ev.pid}/${ev.tid}`;
      const stack = open.get(key) ?? [];
      while (stack.length > 0 && stack.at(-1)!.end <= (ev.ts as number)) stack.pop();
      if (stack.length > 0 && (ev.ts as number) + (ev.dur as number) > stack.at(-1)!.end)
        problems.push(`${k}: overlaps its parent`);
      stack.push({ end: (ev.ts as number) + (ev.dur as number) });
      open.set(key, stack);
    }
  }
  return problems;
}

describe('Perfetto export', () => {
  it('compare --perfetto writes valid trace-event JSON, one process per run, phases nested in collections', async () => {
    const r = await runCli(
      [
        'compare',
        'rings',
        'trees',
        '--param',
        'rings=300',
        '--param',
        'rounds=3',
        '--collectors',
        'marksweep,generational',
        '--perfetto',
        'gc.json',
        '--jobs',
        '1',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'gc.json'), 'utf8'));
    expect(validateTraceEvents(doc)).toEqual([]);
    const names = doc.traceEvents
      .filter((e: { ph: string; name: string }) => e.ph === 'M' && e.name === 'process_name')
      .map((e: { args: { name: string } }) => e.args.name);
    expect(names).toEqual([
      'rings · marksweep',
      'rings · generational',
      'trees · marksweep',
      'trees · generational',
    ]);
    const slices = doc.traceEvents.filter((e: { cat?: string }) => e.cat === 'gc');
    expect(slices.length).toBeGreaterThan(4);
    expect(doc.traceEvents.some((e: { cat?: string }) => e.cat === 'gc.phase')).toBe(true);
    expect(doc.traceEvents.some((e: { ph: string }) => e.ph === 'C')).toBe(true);
  });

  it('the validator catches broken files', () => {
    expect(validateTraceEvents({})).toEqual(['no traceEvents array']);
    expect(
      validateTraceEvents({
        traceEvents: [
          { name: 'a', ph: 'X', pid: 1, tid: 1, ts: 0, dur: 10 },
          { name: 'b', ph: 'X', pid: 1, tid: 1, ts: 5, dur: 10 },
        ],
      }),
    ).toEqual(['1: overlaps its parent']);
  });

  it('export --perfetto needs an output and gives the same file for the same run', async () => {
    expect((await runCli(['export', 'rings'])).stderr).toMatch(
      /needs --heapsnapshot FILE or --perfetto FILE/,
    );
    await runCli(['export', 'rings', '--param', 'rings=200', '--perfetto', 'a.json'], { cwd: dir });
    await runCli(['export', 'rings', '--param', 'rings=200', '--perfetto', 'b.json'], { cwd: dir });
    const strip = (f: string) =>
      JSON.parse(readFileSync(join(dir, f), 'utf8')).traceEvents.map((e: { args?: { ms?: number } }) => ({
        ...e,
        args: { ...e.args, ms: 0 },
      }));
    expect(strip('a.json')).toEqual(strip('b.json'));
  });
});
