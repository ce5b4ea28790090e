/** A stream the CLI writes to. */
export interface OutStream {
  /** Writes text. */
  write(text: string): unknown;
  /** Whether it is a terminal. */
  readonly isTTY?: boolean;
  /** Terminal width, when it is a terminal. */
  readonly columns?: number;
}

/** Where the CLI reads and writes: the process by default, captured streams in tests. */
export interface CliIo {
  /** Machine-readable output and tables. */
  readonly stdout: OutStream;
  /** Messages, errors and progress. */
  readonly stderr: OutStream;
  /** Environment variables (`NO_COLOR`...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
}

/** The process's streams, environment and working directory. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Whether colour may be used on `stream`: a terminal, and `NO_COLOR` unset or empty. */
export function colourAllowed(io: CliIo, stream: OutStream): boolean {
  return stream.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}
