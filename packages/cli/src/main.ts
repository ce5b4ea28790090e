import { didYouMean } from '@heaplab/core';
import { benchCommand } from './commands/bench.js';
import type { Command } from './commands/command.js';
import { compareCommand } from './commands/compare.js';
import { exportCommand } from './commands/export.js';
import { recordCommand } from './commands/record.js';
import { runCommand } from './commands/run.js';
import { workloadsCommand } from './commands/workloads.js';
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, messageOf } from './errors.js';
import { type CliIo, colourAllowed, processIo } from './io.js';
import { createStyle } from './style.js';

/** Every subcommand, in `--help` order. */
export const COMMANDS: readonly Command[] = [
  compareCommand,
  runCommand,
  recordCommand,
  exportCommand,
  benchCommand,
  workloadsCommand,
];

const VERSION = '0.1.0';

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `heaplab: see and compare how managed heaps reclaim memory

Usage: heaplab <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help     show help (also "heaplab <command> --help")
  --version      print the version

Examples:
  heaplab compare
  heaplab compare rings --collectors refcount,marksweep --format json
  heaplab run program.py --collector refcount
  heaplab workloads

Exit status: 0 success, 1 a run or check failed, 2 bad usage or bad input.
Set NO_COLOR to turn colour off.
`;
}

/**
 * Runs `heaplab` with `argv` (the arguments after the program name) and resolves to the exit
 * status. Output goes to `io`; nothing is thrown, and no host stack trace is ever printed.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const style = createStyle(colourAllowed(io, io.stderr));
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      (first === undefined ? io.stderr : io.stdout).write(topic ? topic.help : topHelp());
      return first === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    }
    const command = COMMANDS.find((c) => c.name === first);
    if (!command) {
      const names = COMMANDS.map((c) => c.name);
      const hint = first.startsWith('-') ? '' : didYouMean(first, names);
      const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`;
      throw new CliError(`${what}.${hint} Commands: ${names.join(', ')}. See "heaplab --help".`, EXIT_USAGE);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(command.help);
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (error) {
    const code = error instanceof CliError ? error.exitCode : EXIT_FAILED;
    const prefix = code === EXIT_USAGE ? 'error' : 'failed';
    io.stderr.write(`${style.red(`heaplab: ${prefix}:`)} ${messageOf(error)}\n`);
    return code;
  }
}
