import { runGraphBenchmark, warmUpGraphBenchmark } from '@heaplab/gc-generational';
import { intOption, parseCommandArgs } from '../args.js';
import { EXIT_OK, usageError } from '../errors.js';
import type { Command } from './command.js';

/** `heaplab bench`: heaplab's benchmarks against real CPython. */
export const benchCommand: Command = {
  name: 'bench',
  summary: "run a benchmark (graph: CPython's cycle collector on a fixed random graph)",
  help: `Usage: heaplab bench graph [--n N] [--warmup K] [--json]

Builds the graph of graph_gc.py (N nodes, each holding a list of 4 references to
nodes picked by xorshift32) under the CPython 3.11 collector and times a
full collection with every node reachable (live_ms) and after the root list is dropped
(garbage_ms), so the figures compare with what real CPython prints for
\`python3 graph_gc.py N\` (packages/gc-generational/bench/graph_gc.py in heaplab's
repository, whose bench/run.mjs runs both sides). K untimed runs come first, so that
Node's JIT has compiled the collector before anything is timed (CPython has no JIT to
warm up); --warmup 0 times a cold run.

Options:
  --n N        number of nodes (default 100000)
  --warmup K   untimed runs first, of at most 100000 nodes (default 3)
  --json       print one JSON object (the fields graph_gc.py prints) on stdout
  -h, --help   show this help

Examples:
  heaplab bench graph
  heaplab bench graph --n 1000000 --json
  heaplab bench graph --warmup 0
`,
  async run(argv, io) {
    const args = parseCommandArgs('bench', argv, {
      n: { type: 'string' },
      warmup: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [which, ...extra] = args.positionals;
    if (which !== 'graph' || extra.length > 0) {
      throw usageError(
        `heaplab bench takes one benchmark name: graph${which && which !== 'graph' ? `, got "${which}"` : ''}`,
      );
    }
    const n = intOption(args, 'n', 100_000, 1);
    const warmup = intOption(args, 'warmup', 3, 0);
    warmUpGraphBenchmark(n, warmup);
    const result = runGraphBenchmark({ n });
    if (args.values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      const rows: [string, string][] = [
        ['tracked objects', result.tracked.toLocaleString('en-US')],
        ['live collection', `${result.live_ms} ms`],
        ['garbage collection', `${result.garbage_ms} ms (freed ${result.freed.toLocaleString('en-US')})`],
      ];
      io.stdout.write(
        `graph benchmark, ${result.n.toLocaleString('en-US')} nodes (degree ${result.degree}):\n` +
          rows.map(([label, value]) => `  ${label.padEnd(20)}${value}\n`).join(''),
      );
    }
    return EXIT_OK;
  },
};
