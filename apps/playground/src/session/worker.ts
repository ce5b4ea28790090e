import { engineFor } from './engines.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';
import { explainAt, snapshotAt, traceRun } from './session.js';

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
          ? snapshotAt(engine, req.run, req.step)
          : explainAt(engine, req.run, req.step, req.key);
    reply = { id: req.id, ok: true, result };
  } catch (e) {
    reply = { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  self.postMessage(reply);
};
