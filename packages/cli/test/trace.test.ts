import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceSchema } from '../src/index.js';
import { parseJsonLine, parseOp } from '../src/trace/parse-trace-line.js';
import { BIN, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'heaplab-trace-'));
const HEADER = JSON.stringify({
  format: 'heaplab-trace',
  version: 1,
  types: [{ name: 'object', container: true, weakrefable: true }],
});

const V2 = '{"format":"heaplab-trace","version":2,"types":[]}';

const deterministic = (text: string) =>
  (JSON.parse(text) as Record<string, unknown>[]).map(
    ({ workload, totalPauseMs, maxPauseMs, ...rest }) => rest,
  );

describe('traces', () => {
  it('the published schema is the one generated from the reader tables', () => {
    const published = JSON.parse(
      readFileSync(new URL('../schema/trace.schema.json', import.meta.url), 'utf8'),
    );
    expect(published).toEqual(traceSchema());
  });

  it('record writes a versioned trace whose every line the reader accepts', async () => {
    const r = await runCli(['record', 'observers', '--param', 'observers=300', '-o', 'obs.trace.jsonl'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/recorded \d+ operations of observers to obs.trace.jsonl/);
    const lines = readFileSync(join(dir, 'obs.trace.jsonl'), 'utf8').trim().split('\n');
    const header = JSON.parse(lines[0]);
    expect(header).toMatchObject({
      format: 'heaplab-trace',
      version: 1,
      source: 'workload:observers',
      seed: 1,
    });
    const ops = new Set<string>();
    for (const [k, line] of lines.slice(1).entries()) {
      const at = { file: 't', line: k + 2 };
      ops.add(parseOp(parseJsonLine(line, at), at).op);
    }
    expect([...ops].sort()).toEqual(['append', 'bind', 'deref', 'link', 'load', 'new', 'remove', 'weakref']);
  });

  it('replaying a recorded workload measures exactly what running it does, under every collector', async () => {
    for (const w of ['trees', 'finalizers', 'graph']) {
      const params = [
        '--param',
        'trees.rounds=3',
        '--param',
        'finalizers.objects=300',
        '--param',
        'graph.steps=1500',
      ].filter((p, k, all) => p.startsWith(`${w}.`) || (p === '--param' && all[k + 1].startsWith(`${w}.`)));
      expect((await runCli(['record', w, ...params, '-o', `${w}.trace.jsonl`], { cwd: dir })).code).toBe(0);
      const args = [
        '--collectors',
        'refcount,marksweep,generational,copying',
        '--format',
        'json',
        '--jobs',
        '1',
      ];
      const direct = await runCli(['compare', w, ...params, ...args], { cwd: dir });
      const replay = await runCli(['compare', `${w}.trace.jsonl`, ...args, '--verify'], { cwd: dir });
      expect(replay.code).toBe(0);
      expect(deterministic(replay.stdout)).toEqual(deterministic(direct.stdout));
    }
  });

  it.each([
    ['{"format":"heaplab-trace","version":1,"types":[]}\n{"op":"new",', /bad.jsonl:2(:\d+)?: not valid JSON/],
    ['[1,2]', /bad.jsonl:1: each line of a trace must be a JSON object/],
    ['{"op":"new"}', /bad.jsonl:1: not a heaplab trace: the first line must have "format": "heaplab-trace"/],
    [
      '{"format":"heaplab-trace","version":3,"types":[]}',
      /bad.jsonl:1: field "version": this heaplab reads trace versions 1 and 2, got 3/,
    ],
    [
      `${V2}\n{"op":"type","id":0,"spec":{"name":"o","container":"yes"}}`,
      /bad.jsonl:2: field "spec.container" of spec must be true or false, got "yes"|bad.jsonl:2: field "container" of spec must be true or false/,
    ],
    [
      `${V2}\n{"op":"alloc","id":0,"type":0,"slots":1,"size":16}`,
      /bad.jsonl:2: field "id" of operation "alloc" must be an object number \(1 or more\), got 0/,
    ],
    [
      `${V2}\n{"op":"finalizer","obj":1,"ops":[{"op":"pop"},{"op":"push"}]}`,
      /bad.jsonl:2: operation "push" lacks the field "ops\[1\]\.value"/,
    ],
    [
      `${V2}\n{"op":"alloc","id":1,"type":0,"slots":0,"size":16}`,
      /bad.jsonl:2: operation "alloc": type 0 is not defined by an earlier "type" line/,
    ],
    [
      `${V2}\n{"op":"type","id":0,"spec":{"name":"o"}}\n{"op":"push","value":7}`,
      /bad.jsonl:3: operation "push": object 7 was never allocated/,
    ],
    [`${V2}\n{"op":"return"}`, /bad.jsonl:2: operation "return": return without a frame/],
    [
      '{"format":"heaplab-trace","version":1,"types":[{"name":"x","weakref":"strong"}]}',
      /bad.jsonl:1: field "types\[0\].weakref" must be one of ref, proxy/,
    ],
    [
      `${HEADER}\n{"op":"nwe","name":"a","type":"object"}`,
      /bad.jsonl:2: field "op": unknown operation "nwe". Did you mean "new"\?/,
    ],
    [`${HEADER}\n{"op":"new","name":"a"}`, /bad.jsonl:2: operation "new" lacks the field "type"/],
    [
      `${HEADER}\n{"op":"new","name":"a","type":"object","slots":"two"}`,
      /bad.jsonl:2: field "slots" of operation "new" must be a whole number of at least 0, got "two"/,
    ],
    [
      `${HEADER}\n{"op":"new","name":"a","type":"object","slot":2}`,
      /bad.jsonl:2: operation "new" has an unknown field "slot". Did you mean "slots"\?/,
    ],
    [
      `${HEADER}\n{"op":"new","name":"a","type":"list"}`,
      /bad.jsonl:2: field "type": no type "list" in the header/,
    ],
    [
      `${HEADER}\n\n{"op":"link","obj":"a","slot":0,"target":null}`,
      /bad.jsonl:3: operation "link": variable a is unbound/,
    ],
    [`${HEADER}\n{"op":"pop"}`, /bad.jsonl:2: operation "pop": pop without a pushed frame/],
    ['', /bad.jsonl: empty trace/],
  ])('a malformed trace (%#) names the line and field, exit 2', async (content, message) => {
    writeFileSync(join(dir, 'bad.jsonl'), content);
    const r = await runCli(['compare', 'bad.jsonl', '--collectors', 'refcount'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('record rejects missing -o and non-workload inputs', async () => {
    expect((await runCli(['record', 'rings'])).stderr).toMatch(/needs -o FILE/);
    expect((await runCli(['record', 'rigns', '-o', 'x.jsonl'])).stderr).toMatch(/Did you mean "rings"/);
  });

  it('streams a large trace in bounded memory (60 MB replayed with a 40 MB JS heap)', () => {
    const path = join(dir, 'big.trace.jsonl');
    const fd = openSync(path, 'w');
    writeSync(fd, `${HEADER}\n`);
    const frame = '{"op":"push","frame":"work","locals":["a","b","pad_to_make_the_line_longer"]}\n';
    const body =
      '{"op":"new","name":"a","type":"object","slots":1}\n{"op":"new","name":"b","type":"object","slots":1}\n' +
      '{"op":"link","obj":"a","slot":0,"target":"b"}\n{"op":"link","obj":"b","slot":0,"target":"a"}\n';
    const block = `${frame}${body}{"op":"pop"}\n`.repeat(1000);
    let bytes = 0;
    let ops = 0;
    while (bytes < 60e6) {
      writeSync(fd, block);
      bytes += block.length;
      ops += 6000;
    }
    closeSync(fd);
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=40', BIN, 'compare', path, '--collectors', 'generational', '--format', 'json'],
      { encoding: 'utf8', timeout: 400_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [row] = JSON.parse(r.stdout);
    expect(row.steps).toBeGreaterThan(ops - 1);
    expect(row.objectsLeaked).toBe(0);
    expect(row.collections).toBeGreaterThan(0);
  });
});
