/** Exit status: success. */
export const EXIT_OK = 0;
/** Exit status: the program, run or check failed. */
export const EXIT_FAILED = 1;
/** Exit status: bad usage or bad input. */
export const EXIT_USAGE = 2;

/** An error the CLI reports as one message (no stack) and exits with `exitCode`. */
export class CliError extends Error {
  /** Creates the error. */
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** A usage or input error (exit 2). */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}

/** The message of anything thrown, without the `[heaplab]` prefix core puts on its errors. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^\[heaplab\]\s*/, '');
}
