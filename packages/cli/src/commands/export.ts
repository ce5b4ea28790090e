import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Heap } from '@heaplab/core';
import { intOption, parseCommandArgs, stringOption } from '../args.js';
import { CliError, EXIT_OK, messageOf, usageError } from '../errors.js';
import { perfettoTrace } from '../report/perfetto.js';
import { executeRun } from '../runs/execute-run.js';
import { parseInputs } from '../runs/parse-inputs.js';
import { normalizeCollectorSpec, resolveCollector } from '../runs/resolve-collector.js';
import { exportSnapshot } from '../snapshot/export-snapshot.js';
import type { Command } from './command.js';

/** `heaplab export`: runs one input under one collector and exports its heap or timeline. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'export the heap at the end of a run as .heapsnapshot, or its collections for Perfetto',
  help: `Usage: heaplab export INPUT [--heapsnapshot FILE] [--perfetto FILE] [options]

Runs INPUT (a workload, .jsonl trace or .heapsnapshot) under one collector, then writes
  --heapsnapshot FILE   the live heap at the end as a V8 heap snapshot (opens in Chrome
                        DevTools' Memory panel and in memlab)
  --perfetto FILE       the collection timeline as Chrome trace-event JSON (open it in
                        ui.perfetto.dev or chrome://tracing)

Options:
  --collector NAME     collector by short name or module path (default generational)
  --seed N             random seed of a workload (default 1)
  --param [W.]K=V      set a workload parameter
  -h, --help           show this help

Examples:
  heaplab export trees --collector refcount --heapsnapshot trees.heapsnapshot
  heaplab export app.heapsnapshot --collector marksweep --heapsnapshot live.heapsnapshot
  heaplab export rings --perfetto rings.perfetto.json
`,
  async run(argv, io) {
    const args = parseCommandArgs('export', argv, {
      heapsnapshot: { type: 'string' },
      perfetto: { type: 'string' },
      collector: { type: 'string' },
      seed: { type: 'string' },
      param: { type: 'string', multiple: true },
    });
    const snapshotOut = stringOption(args, 'heapsnapshot');
    const perfettoOut = stringOption(args, 'perfetto');
    if (snapshotOut === undefined && perfettoOut === undefined) {
      throw usageError('heaplab export needs --heapsnapshot FILE or --perfetto FILE');
    }
    if (args.positionals.length !== 1) throw usageError('heaplab export takes exactly one INPUT');
    const [input] = parseInputs(args.positionals, (args.values.param as string[] | undefined) ?? [], io.cwd);
    const collector = normalizeCollectorSpec(stringOption(args, 'collector') ?? 'generational', io.cwd);
    await resolveCollector(collector);
    const seed = intOption(args, 'seed', 1);
    let written: { nodes: number; edges: number } | null = null;
    const onFinish = (heap: Heap) => {
      if (snapshotOut === undefined) return;
      try {
        written = exportSnapshot(heap, resolve(io.cwd, snapshotOut));
      } catch (error) {
        throw new CliError(`cannot write ${snapshotOut}: ${messageOf(error)}`);
      }
    };
    const result = await executeRun({ input, collector, seed, verify: false, cwd: io.cwd }, onFinish);
    if (written !== null) {
      const { nodes, edges } = written;
      io.stderr.write(`heaplab: wrote ${nodes} nodes and ${edges} edges to ${snapshotOut}\n`);
    }
    if (perfettoOut !== undefined) {
      try {
        writeFileSync(resolve(io.cwd, perfettoOut), `${JSON.stringify(perfettoTrace([result]))}\n`);
      } catch (error) {
        throw new CliError(`cannot write ${perfettoOut}: ${messageOf(error)}`);
      }
      io.stderr.write(`heaplab: wrote ${result.collections.length} collections to ${perfettoOut}\n`);
    }
    return EXIT_OK;
  },
};
