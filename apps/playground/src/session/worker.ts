import { engineFor } from './engines.js';
import type { RunRequest, Snapshot, WorkerReply, WorkerRequest } from './protocol.js';
import { explainAt, snapshotWindow, traceRun } from './session.js';

/** Steps captured on each side of the one asked, so stepping nearby needs no new run. */
const WINDOW = 24;
/** Snapshots kept at most (one run's). */
const CACHE_LIMIT = 400;

let cached: { key: string; snaps: Map<number, Snapshot> } | null = null;

function snapshot(run: RunRequest, step: number): Snapshot {
  const key = JSON.stringify(run);
  if (cached?.key !== key || cached.snaps.size > CACHE_LIMIT) cached = { key, snaps: new Map() };
  const hit = cached.snaps.get(step);
  if (hit) return hit;
  const snaps = snapshotWindow(engineFor(run.source), run, Math.max(1, step - WINDOW), step + WINDOW);
  for (const [k, v] of snaps) cached.snaps.set(k, v);
  return snaps.get(step) ?? [...snaps.values()].at(-1)!;
}

/** The session worker: runs programs off the page's thread and answers with plain data. */
self.onmessage = (message: MessageEvent<WorkerRequest>) => {
  const req = message.data;
  let reply: WorkerReply;
  try {
    const engine = engineFor(req.run.source);
    const result =
      req.op === 'trace'
        ? traceRun(engine, req.run)
        : req.op === 'snapshot'
          ? snapshot(req.run, req.step)
          : explainAt(engine, req.run, req.step, req.key);
    reply = { id: req.id, ok: true, result };
  } catch (e) {
    reply = { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  self.postMessage(reply);
};
