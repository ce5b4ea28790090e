import { resolve } from 'node:path';
import { runPython } from '@heaplab/python';
import { choiceOption, parseCommandArgs, stringOption } from '../args.js';
import { EXIT_FAILED, usageError } from '../errors.js';
import { normalizeCollectorSpec, resolveCollector } from '../runs/resolve-collector.js';
import { PROFILES, readSource } from '../runs/run-python-file.js';
import type { Command } from './command.js';

/** `heaplab run`: runs a Python program on the simulated heap. */
export const runCommand: Command = {
  name: 'run',
  summary: 'run a Python program on the simulated heap under a collector',
  help: `Usage: heaplab run FILE.py [--collector NAME|PATH] [--profile P]

Runs a Python program (heaplab's Python subset) on the simulated heap. The program's
stdout and stderr are printed as it writes them, and heaplab exits with its status: 0,
1 after an uncaught exception, or n after sys.exit(n).

Options:
  --collector NAME|PATH  collector by short name or module path (default generational)
  --profile P            CPython version modelled: ${PROFILES.join(', ')} (default cpython-3.11)
  -h, --help             show this help

Examples:
  heaplab run seed_elephant.py
  heaplab run cycles.py --collector refcount
  heaplab run cycles.py --collector marksweep --profile cpython-3.12
`,
  async run(argv, io) {
    const args = parseCommandArgs('run', argv, {
      collector: { type: 'string' },
      profile: { type: 'string' },
    });
    if (args.positionals.length !== 1) throw usageError('heaplab run takes exactly one FILE.py');
    const file = args.positionals[0];
    const profile = choiceOption(args, 'profile', PROFILES, 'cpython-3.11');
    const path = resolve(io.cwd, file);
    const source = readSource(path, file);
    const { factory, source: collectorSource } = await resolveCollector(
      normalizeCollectorSpec(stringOption(args, 'collector') ?? 'generational', io.cwd),
    );
    // CPython's collector reproduces the chosen version too (3.14's is incremental).
    const collector = collectorSource === '@heaplab/gc-generational' ? factory({ profile }) : factory();
    const result = runPython(source, {
      collector,
      profile,
      fileName: file,
      stdout: (text) => io.stdout.write(text),
      stderr: (text) => io.stderr.write(text),
    });
    if (result.stopped) {
      io.stderr.write(`heaplab: stopped: ${result.stopped.message}\n`);
      return EXIT_FAILED;
    }
    return result.exitCode;
  },
};
