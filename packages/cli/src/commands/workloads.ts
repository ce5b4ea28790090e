import { WORKLOADS } from '@heaplab/workloads';
import { parseCommandArgs } from '../args.js';
import { EXIT_OK, usageError } from '../errors.js';
import { colourAllowed } from '../io.js';
import { createStyle } from '../style.js';
import type { Command } from './command.js';

/** `heaplab workloads`: lists the built-in workloads and their parameters. */
export const workloadsCommand: Command = {
  name: 'workloads',
  summary: 'list the built-in workloads and their parameters',
  help: `Usage: heaplab workloads [--json]

Lists the built-in workloads (the default suite of "heaplab compare"), each with a
one-line description and its parameters with their defaults.

Options:
  --json        print the list as JSON on stdout
  -h, --help    show this help

Examples:
  heaplab workloads
  heaplab workloads --json
`,
  async run(argv, io) {
    const args = parseCommandArgs('workloads', argv, { json: { type: 'boolean' } });
    if (args.positionals.length > 0)
      throw usageError(`"heaplab workloads" takes no arguments, got "${args.positionals[0]}"`);
    if (args.values.json) {
      const list = WORKLOADS.map((w) => ({ name: w.name, description: w.description, params: w.params }));
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return EXIT_OK;
    }
    const style = createStyle(colourAllowed(io, io.stdout));
    const width = Math.max(...WORKLOADS.map((w) => w.name.length));
    const lines: string[] = [];
    for (const w of WORKLOADS) {
      lines.push(`${style.bold(w.name.padEnd(width))}  ${w.description}`);
      const params = w.params.map((p) => `${p.name}=${p.default}`).join(' ');
      lines.push(`${' '.repeat(width)}  ${style.dim(params)}`);
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  },
};
