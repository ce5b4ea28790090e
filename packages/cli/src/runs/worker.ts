import { parentPort } from 'node:worker_threads';
import { CliError, EXIT_FAILED, messageOf } from '../errors.js';
import { executeRun } from './execute-run.js';
import type { RunSpec } from './run-spec.js';

/** A request from the pool. */
interface Request {
  readonly id: number;
  readonly spec: RunSpec;
}

parentPort?.on('message', async ({ id, spec }: Request) => {
  try {
    parentPort!.postMessage({ id, result: await executeRun(spec) });
  } catch (error) {
    const exitCode = error instanceof CliError ? error.exitCode : EXIT_FAILED;
    parentPort!.postMessage({ id, error: { message: messageOf(error), exitCode } });
  }
});
