import { relative, resolve } from 'node:path';
import { findWorkload, runWorkload, WORKLOAD_TYPE_SPECS } from '@heaplab/workloads';
import { intOption, parseCommandArgs, stringOption } from '../args.js';
import { CliError, EXIT_OK, messageOf, usageError } from '../errors.js';
import { parseInputs } from '../runs/parse-inputs.js';
import { normalizeCollectorSpec, resolveCollector } from '../runs/resolve-collector.js';
import { recordPython } from '../trace/record-python.js';
import { TRACE_FORMAT, TRACE_VERSION } from '../trace/trace-fields.js';
import { TraceWriter } from '../trace/trace-writer.js';
import type { Command } from './command.js';

/** `heaplab record`: records a workload's mutator operations as a trace. */
export const recordCommand: Command = {
  name: 'record',
  summary: 'record a workload as a JSON Lines trace that any collector can replay',
  help: `Usage: heaplab record INPUT -o FILE [options]

Runs INPUT (a built-in workload or a Python program, FILE.py) and writes every mutator
operation it performs to FILE as a versioned JSON Lines trace (schema:
packages/cli/schema/trace.schema.json). Replay it under any collector with
"heaplab compare FILE". A Python program is recorded from its heap's event stream
(version 2): what its finalizers (__del__) and weak-reference callbacks did is kept as a
block that the replay performs when its own collector runs them, and never if it does not.

Options:
  -o, --output FILE    where to write the trace (required; by convention NAME.trace.jsonl)
  --collector NAME     collector to record under (default generational); operations that
                       depend on it, such as weak reference reads, follow its behaviour
  --seed N             random seed of the workload (default 1)
  --param [W.]K=V      set a workload parameter (see "heaplab workloads")
  -h, --help           show this help

Examples:
  heaplab record rings -o rings.trace.jsonl
  heaplab record prog.py -o prog.trace.jsonl --collector refcount
  heaplab record weak-cache --param reuse=0.5 --seed 7 -o cache.trace.jsonl
  heaplab compare rings.trace.jsonl --collectors refcount,marksweep
`,
  async run(argv, io) {
    const args = parseCommandArgs('record', argv, {
      output: { type: 'string', short: 'o' },
      collector: { type: 'string' },
      seed: { type: 'string' },
      param: { type: 'string', multiple: true },
    });
    const output = stringOption(args, 'output');
    if (output === undefined) throw usageError('heaplab record needs -o FILE, the trace to write');
    if (args.positionals.length !== 1) throw usageError('heaplab record takes exactly one INPUT');
    const [input] = parseInputs(args.positionals, (args.values.param as string[] | undefined) ?? [], io.cwd);
    const seed = intOption(args, 'seed', 1);
    const collectorSpec = normalizeCollectorSpec(stringOption(args, 'collector') ?? 'generational', io.cwd);
    const { factory } = await resolveCollector(collectorSpec);
    const collector = factory();
    if (input.kind !== 'workload') {
      if (input.kind !== 'python') {
        throw usageError(
          `${input.label}: heaplab record records built-in workloads and Python programs, not ${input.kind} files`,
        );
      }
      const shown = relative(io.cwd, input.path) || input.path;
      let lines: number;
      try {
        lines = recordPython(input.path, shown, collector, resolve(io.cwd, output));
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw usageError(`cannot record ${shown} to ${output}: ${messageOf(error)}`);
      }
      io.stderr.write(`heaplab: recorded ${lines} operations of ${shown} to ${output}\n`);
      return EXIT_OK;
    }
    let writer: TraceWriter;
    try {
      writer = new TraceWriter(resolve(io.cwd, output), {
        format: TRACE_FORMAT,
        version: TRACE_VERSION,
        source: `workload:${input.name}`,
        collector: collector.name,
        seed,
        params: input.params,
        types: WORKLOAD_TYPE_SPECS.map(({ role, ...spec }) => spec),
      });
    } catch (error) {
      throw usageError(`cannot write ${output}: ${messageOf(error)}`);
    }
    try {
      runWorkload(findWorkload(input.name), {
        collector,
        seed,
        params: input.params,
        promptness: false,
        onOp: (op) => writer.write(op),
      });
    } catch (error) {
      throw new CliError(`${input.name} failed under ${collector.name}: ${messageOf(error)}`, 1);
    } finally {
      writer.close();
    }
    io.stderr.write(`heaplab: recorded ${writer.ops} operations of ${input.name} to ${output}\n`);
    return EXIT_OK;
  },
};
