import type { CliIo } from '../io.js';

/** A `heaplab` subcommand. */
export interface Command {
  /** Its name. */
  readonly name: string;
  /** One line for `heaplab --help`. */
  readonly summary: string;
  /** Its `--help` text: usage, options and examples. */
  readonly help: string;
  /** Runs it; resolves to the exit status. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
