import type { Explanation, RunRequest, Snapshot, Trace, WorkerReply, WorkerRequest } from './protocol.js';

/** A request without its id. */
type WorkerQuestion = WorkerRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
};

/** Thrown when the worker did not answer in time and was restarted. */
export class WorkerTimeout extends Error {}

/**
 * The page's side of one session worker. Each request re-runs the program in the worker; a
 * request that takes longer than the run's time limit plus a margin ends the worker (a program
 * the engine could not stop) and a fresh one takes its place.
 */
export class SessionClient {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  private spawn(): Worker {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (m: MessageEvent<WorkerReply>) => {
      const p = this.pending.get(m.data.id);
      if (!p) return;
      this.pending.delete(m.data.id);
      clearTimeout(p.timer);
      if (m.data.ok) p.resolve(m.data.result);
      else p.reject(new Error(m.data.error));
    };
    return worker;
  }

  private ask<T>(req: WorkerQuestion, run: RunRequest): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.restart(id), run.timeLimitMs * 2 + 4000);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      // Started on first use, so the page loads without waiting for workers.
      this.worker ??= this.spawn();
      this.worker.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  private restart(id: number): void {
    this.worker?.terminate();
    for (const [key, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(
        new WorkerTimeout(key === id ? 'the program did not stop; its worker was restarted' : 'cancelled'),
      );
    }
    this.pending.clear();
    this.worker = null;
  }

  /** Runs the program to its end and returns its trace. */
  trace(run: RunRequest): Promise<Trace> {
    return this.ask({ op: 'trace', run }, run);
  }

  /** The heap before statement `step`. */
  snapshot(run: RunRequest, step: number): Promise<Snapshot> {
    return this.ask({ op: 'snapshot', run, step }, run);
  }

  /** Why object `key` is alive before statement `step`, or when it was freed. */
  explain(run: RunRequest, step: number, key: number): Promise<Explanation> {
    return this.ask({ op: 'explain', run, step, key }, run);
  }

  /** Ends the worker. */
  dispose(): void {
    this.worker?.terminate();
  }
}
