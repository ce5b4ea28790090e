import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunResult } from '@heaplab/workloads';
import { CliError } from '../errors.js';
import { executeRun } from './execute-run.js';
import type { RunSpec } from './run-spec.js';

/** Options of {@link runAll}. */
export interface RunAllOptions {
  /** Worker threads to use; 1 runs everything in this thread. */
  readonly jobs: number;
  /** Called as each run finishes. */
  readonly onProgress?: (done: number, total: number, spec: RunSpec) => void;
}

/** Where the built worker is, or null when running from sources (tests), where runs stay in-thread. */
function workerUrl(): URL | null {
  const url = new URL('./worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Runs every spec and returns the results in spec order. With several runs and `jobs` above 1
 * they spread over worker threads; every run is deterministic, so the results do not depend on
 * it (wall-clock figures aside).
 */
export async function runAll(specs: readonly RunSpec[], options: RunAllOptions): Promise<RunResult[]> {
  const url = workerUrl();
  const jobs = Math.min(options.jobs, specs.length);
  if (jobs <= 1 || url === null) {
    const out: RunResult[] = [];
    for (const spec of specs) {
      out.push(await executeRun(spec));
      options.onProgress?.(out.length, specs.length, spec);
    }
    return out;
  }
  return runInWorkers(url, specs, jobs, options);
}

function runInWorkers(
  url: URL,
  specs: readonly RunSpec[],
  jobs: number,
  options: RunAllOptions,
): Promise<RunResult[]> {
  const results: RunResult[] = new Array(specs.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  return new Promise<RunResult[]>((resolve, reject) => {
    let failed = false;
    const stop = (error: CliError) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error);
    };
    const feed = (worker: Worker) => {
      if (next >= specs.length) return;
      const id = next++;
      worker.postMessage({ id, spec: specs[id] });
    };
    for (let k = 0; k < jobs; k++) {
      const worker = new Worker(url);
      workers.push(worker);
      worker.on(
        'message',
        (msg: { id: number; result?: RunResult; error?: { message: string; exitCode: number } }) => {
          if (msg.error) return stop(new CliError(msg.error.message, msg.error.exitCode));
          results[msg.id] = msg.result!;
          done++;
          options.onProgress?.(done, specs.length, specs[msg.id]);
          if (done === specs.length) {
            for (const w of workers) void w.terminate();
            resolve(results);
          } else feed(worker);
        },
      );
      worker.on('error', (error) => stop(new CliError(`a worker thread failed: ${error.message}`, 1)));
      feed(worker);
    }
  });
}
