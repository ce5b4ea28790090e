import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_COMPARE_SET } from '@heaplab/collectors';
import { choiceOption, intOption, parseCommandArgs, stringOption } from '../args.js';
import { CliError, EXIT_OK, messageOf, usageError } from '../errors.js';
import { FORMATS, formatResults } from '../format/format-results.js';
import { resultRow } from '../format/result-row.js';
import { colourAllowed } from '../io.js';
import { createProgress } from '../progress.js';
import { perfettoTrace } from '../report/perfetto.js';
import { renderReport } from '../report/render-report.js';
import { parseInputs } from '../runs/parse-inputs.js';
import { normalizeCollectorSpec, resolveCollector } from '../runs/resolve-collector.js';
import { runAll } from '../runs/run-pool.js';
import { inputLabel, type RunSpec } from '../runs/run-spec.js';
import { createStyle } from '../style.js';
import type { Command } from './command.js';

/** `heaplab compare`: the same inputs under every collector, side by side. */
export const compareCommand: Command = {
  name: 'compare',
  summary: 'run inputs under several collectors and compare the metrics',
  help: `Usage: heaplab compare [INPUT ...] [options]

Runs every input under every collector and prints one row per input and collector:
collections, total and max pause (work and ms), peak and final heap bytes, objects
leaked, mean promptness (steps from unreachable to freed), reference count operations
and objects traced. With no INPUT, runs the default workload suite ("heaplab workloads").

INPUT is a built-in workload name, a Python program (.py), a trace (.jsonl, from
"heaplab record") or a V8 heap snapshot (.heapsnapshot).

Options:
  --collectors a,b,c   collectors by short name or module path (default: ${DEFAULT_COMPARE_SET.join(',')})
  --seed N             random seed of the workloads (default 1)
  --param [W.]K=V      set workload parameter K (of workload W, or of every workload having it)
  --format F           table, json, csv or markdown (default table); always on stdout
  --report FILE        also write a self-contained HTML report with charts
  --perfetto FILE      also write the collection timelines as Chrome trace-event JSON
  --verify             check every run with the reachability oracle throughout
  --jobs N             worker threads (default: the number of CPUs; 1 = no workers)
  -h, --help           show this help

Exit status: 0 success, 1 a run or verification failed, 2 bad usage or bad input.

Examples:
  heaplab compare
  heaplab compare rings trees --collectors refcount,marksweep --format markdown
  heaplab compare --format json > results.json
  heaplab compare weak-cache --param reuse=0.5 --report cache.html
  heaplab compare run.trace.jsonl --collectors ./my-collector.js --verify
`,
  async run(argv, io) {
    const args = parseCommandArgs('compare', argv, {
      collectors: { type: 'string', short: 'c' },
      seed: { type: 'string' },
      param: { type: 'string', multiple: true },
      format: { type: 'string', short: 'f' },
      report: { type: 'string' },
      perfetto: { type: 'string' },
      verify: { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
    });
    const format = choiceOption(args, 'format', FORMATS, 'table');
    const seed = intOption(args, 'seed', 1);
    const jobs = intOption(args, 'jobs', availableParallelism(), 1);
    const inputs = parseInputs(args.positionals, (args.values.param as string[] | undefined) ?? [], io.cwd);
    const collectorList = stringOption(args, 'collectors');
    const collectors = (collectorList === undefined ? [...DEFAULT_COMPARE_SET] : collectorList.split(','))
      .map((c) => c.trim())
      .filter((c) => c !== '')
      .map((c) => normalizeCollectorSpec(c, io.cwd));
    if (collectors.length === 0) throw usageError('--collectors names no collector');
    // Resolve every collector once up front: a bad name fails before any run starts.
    for (const c of collectors) await resolveCollector(c);
    const specs: RunSpec[] = [];
    for (const input of inputs)
      for (const collector of collectors)
        specs.push({ input, collector, seed, verify: args.values.verify === true, cwd: io.cwd });
    const progress = createProgress(io.stderr);
    let results: Awaited<ReturnType<typeof runAll>>;
    try {
      results = await runAll(specs, {
        jobs,
        onProgress: (done, total, spec) =>
          progress.update(done, total, `${inputLabel(spec.input)} · ${spec.collector}`),
      });
    } finally {
      progress.clear();
    }
    const rows = results.map(resultRow);
    io.stdout.write(
      formatResults(rows, format, createStyle(format === 'table' && colourAllowed(io, io.stdout))),
    );
    const report = stringOption(args, 'report');
    if (report !== undefined) {
      const path = resolve(io.cwd, report);
      try {
        writeFileSync(path, renderReport(results, { seed }));
      } catch (error) {
        throw new CliError(`cannot write the report to ${report}: ${messageOf(error)}`);
      }
      io.stderr.write(`heaplab: wrote the report to ${report}\n`);
    }
    const perfetto = stringOption(args, 'perfetto');
    if (perfetto !== undefined) {
      try {
        writeFileSync(resolve(io.cwd, perfetto), `${JSON.stringify(perfettoTrace(results))}\n`);
      } catch (error) {
        throw new CliError(`cannot write the timeline to ${perfetto}: ${messageOf(error)}`);
      }
      io.stderr.write(`heaplab: wrote the collection timelines to ${perfetto}\n`);
    }
    return EXIT_OK;
  },
};
