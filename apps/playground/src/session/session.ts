import { type Heap, type HeapEvent, type HeapEventKind, hexAddress, retainerPath } from '@heaplab/core';
import { createCollector } from './collectors.js';
import type { Engine, EngineResult } from './engine.js';
import type { CollectionMark, Explanation, FreedRecord, RunRequest, Snapshot, Trace } from './protocol.js';
import { captureSnapshot, describeIndex, keyToIndex, slotName } from './snapshot.js';

class StopAt extends Error {}

interface Hooks {
  /** Stop before this statement (1-based); -1 runs to the end. */
  readonly stop?: number;
  /**
   * Called before statement `stop` with the heap as it stands, before the run is ended there
   * (engines may handle the ending their own way, so the heap is read here, not afterwards).
   */
  readonly atStop?: (heap: Heap, out: { stdout: string; stderr: string }) => void;
  /** Before each statement. */
  readonly onStep?: (heap: Heap, step: number, line: number, out: { stdout: string; stderr: string }) => void;
  /** Every heap event, with the statement it happened in (0: before the first). */
  readonly onEvent?: (event: HeapEvent, step: number) => void;
  /** The event kinds `onEvent` wants (listening to every kind would build an event per refcount change). */
  readonly kinds?: readonly HeapEventKind[];
}

interface Run {
  readonly result: EngineResult;
  readonly lines: number[];
  readonly stdout: string;
  readonly stderr: string;
  /** True when the run was ended at `hooks.stop`. */
  readonly stopped: boolean;
}

function execute(engine: Engine, run: RunRequest, hooks: Hooks): Run {
  const collector = createCollector(run.collector);
  if (!collector) throw new Error(`[heaplab] [playground] no collector called "${run.collector}"`);
  const lines: number[] = [];
  const out = { stdout: '', stderr: '' };
  let step = 0;
  let listening: Heap | null = null;
  let stopHeap: Heap | null = null;
  let result: EngineResult;
  try {
    result = engine.run(run.source, {
      collector,
      maxSteps: run.maxSteps,
      timeLimitMs: run.timeLimitMs,
      stdout: (t) => {
        out.stdout += t;
      },
      stderr: (t) => {
        out.stderr += t;
      },
      onStatement: ({ line, heap }) => {
        if (hooks.onEvent && listening !== heap) {
          listening = heap;
          for (const kind of hooks.kinds ?? []) heap.events.on(kind, (e) => hooks.onEvent!(e, step));
        }
        step++;
        lines.push(line);
        hooks.onStep?.(heap, step, line, out);
        if (step === hooks.stop) {
          stopHeap = heap;
          hooks.atStop?.(heap, out);
          throw new StopAt();
        }
      },
    });
  } catch (e) {
    if (!(e instanceof StopAt)) throw e;
    result = { exitCode: 0, heap: stopHeap };
  }
  return { result, lines, stdout: out.stdout, stderr: out.stderr, stopped: stopHeap !== null };
}

/** Runs a program to its end, recording what the timeline and the explain panel need. */
export function traceRun(engine: Engine, run: RunRequest): Trace {
  const bytes: number[] = [];
  const collections: CollectionMark[] = [];
  const freed: Record<number, FreedRecord> = {};
  const lines: number[] = [];
  const r = execute(engine, run, {
    onStep: (heap, _step, line) => {
      bytes.push(heap.liveBytes);
      lines.push(line);
    },
    kinds: ['collection-end', 'freed'],
    onEvent: (e, step) => {
      if (e.kind === 'collection-end') {
        const rep = e.report;
        collections.push({ step, reason: rep.reason, ms: rep.ms, work: rep.work, freed: rep.objectsFreed });
      } else if (e.kind === 'freed') {
        freed[e.obj] = {
          step,
          line: lines[step - 1] ?? 0,
          cause: e.cause,
          collection: e.collection,
          type: e.type,
          address: hexAddress(e.address),
        };
      }
    },
  });
  const heap = r.result.heap;
  if (heap) bytes.push(heap.liveBytes);
  return {
    statements: r.lines.length,
    lines: r.lines,
    bytes,
    collections,
    freed,
    fault: r.result.fault,
    stopped: r.result.stopped,
    peakBytes: heap ? heap.metrics.summary().peakBytes : 0,
    engine: engine.name,
  };
}

/**
 * The heap before each statement from `from` to `to` (1-based; `statements + 1` is the end of the
 * program), from one run. Re-executes from the start: runs are deterministic, so stepping back is
 * running again to an earlier step, and one run serves a window of steps around the one asked.
 */
export function snapshotWindow(
  engine: Engine,
  run: RunRequest,
  from: number,
  to: number,
): Map<number, Snapshot> {
  const events = new Map<number, HeapEvent[]>();
  const snaps = new Map<number, Snapshot>();
  const r = execute(engine, run, {
    stop: to,
    kinds: ['collection-phase', 'freed'],
    onStep: (heap, at, line, out) => {
      if (at < from) return;
      const ctx = {
        step: at,
        line,
        stdout: out.stdout,
        stderr: out.stderr,
        events: events.get(at - 1) ?? [],
      };
      snaps.set(at, captureSnapshot(engine, heap, ctx));
    },
    onEvent: (event, at) => {
      if (at < from - 1) return;
      const list = events.get(at) ?? [];
      list.push(event);
      events.set(at, list);
    },
  });
  if (!r.stopped) {
    const end = r.lines.length + 1;
    const ctx = { step: end, line: 0, stdout: r.stdout, stderr: r.stderr, events: events.get(end - 1) ?? [] };
    snaps.set(end, captureSnapshot(engine, r.result.heap, ctx));
  }
  return snaps;
}

/** The heap before statement `step` (or at the end of the program when `step` is past the last). */
export function snapshotAt(engine: Engine, run: RunRequest, step: number): Snapshot {
  const snaps = snapshotWindow(engine, run, step, step);
  return snaps.get(step) ?? [...snaps.values()].at(-1)!;
}

/** Why the object `key` is alive before statement `step` (a retainer path), or when it was freed. */
export function explainAt(
  engine: Engine,
  run: RunRequest,
  step: number,
  key: number,
  trace?: Trace,
): Explanation {
  let text: string[] = [];
  let status: Explanation['status'] = 'freed';
  const explain = (heap: Heap | null): void => {
    const i = heap ? keyToIndex(heap, key) : 0;
    if (!heap || i === 0) return;
    // A variable holding it says more than a pin of the runtime's (shared constants are pinned too).
    const globals = engine.globals?.(heap);
    const direct = [
      ...(globals?.bindings.filter((b) => heap.index(b.ref) === i).map((b) => `global '${b.name}'`) ?? []),
      ...heap.roots.labelsOf(i).filter((label) => label !== 'pinned'),
    ];
    if (direct.length > 0) {
      status = 'reachable';
      text = [`held by ${direct.join(', ')}`, describeIndex(engine, heap, i)];
      return;
    }
    const path = retainerPath(heap, i);
    if (path) {
      status = 'reachable';
      let { root, hops } = path;
      // A path through the engine's globals holder starts at the global binding it goes through.
      const binding = globals?.bindings.find(
        (b) => hops[0].object === globals.holder && b.slot === hops[1]?.slot,
      );
      if (binding) {
        root = `global '${binding.name}'`;
        hops = hops.slice(1);
      }
      text.push(`held by ${root}`);
      hops.forEach((hop, n) => {
        const via = n === 0 ? '' : `${slotName(engine, heap, hops[n - 1].object, hop.slot)} → `;
        text.push(`${via}${describeIndex(engine, heap, hop.object)}`);
      });
    } else {
      status = 'garbage';
      text = [
        `${describeIndex(engine, heap, i)} is alive but unreachable: no root leads to it along strong references.`,
        `The ${heap.collector.name} collector has not reclaimed it yet.`,
      ];
    }
  };
  const r = execute(engine, run, { stop: step, atStop: (heap) => explain(heap) });
  if (!r.stopped) explain(r.result.heap);
  if (status === 'freed') {
    const f = (trace ?? traceRun(engine, run)).freed[key];
    text = f
      ? [
          `${f.type} at ${f.address} was freed during statement ${f.step} (line ${f.line})`,
          f.cause === 'refcount'
            ? 'its reference count reached zero'
            : `collection #${f.collection} found it unreachable (${f.cause})`,
        ]
      : ['this object is not alive at this step'];
  }
  return { key, text, status };
}
