import { relative } from 'node:path';
import { type Collector, Heap, HeapError, type TypeId } from '@heaplab/core';
import { type MutatorOp, type RunResult, runProgram, WorkloadMutator } from '@heaplab/workloads';
import { CliError, EXIT_USAGE, messageOf } from '../errors.js';
import type { HeapOp } from './heap-op.js';
import { HeapReplayer, ReplayError } from './heap-replayer.js';
import { type LineRef, parseHeader, parseHeapOp, parseJsonLine, parseOp } from './parse-trace-line.js';
import { readLinesSync } from './read-lines.js';
import { HEAP_TRACE_VERSION } from './trace-fields.js';

/** Options of {@link replayTrace}. */
export interface ReplayOptions {
  /** Run the oracle throughout. */
  readonly verify?: boolean;
  /** The file name shown in messages (default: the path relative to the working directory). */
  readonly file?: string;
  /** Called with the heap once the run is finished. */
  readonly onFinish?: (heap: Heap) => void;
}

/**
 * Replays a trace file under `collector`, streaming it line by line (memory stays bounded by
 * the live heap, not the trace), and measures the run. A malformed line is a usage error naming
 * the file, line and field.
 */
export function replayTrace(
  path: string,
  label: string,
  collector: Collector,
  options: ReplayOptions = {},
): RunResult {
  const file = options.file ?? relative(process.cwd(), path);
  const verify = options.verify ?? false;
  const heap = new Heap({ collector, verify });
  const m = new WorkloadMutator(heap);
  const types = new Map<string, TypeId>();
  let sawHeader = false;
  let replayer: HeapReplayer | undefined;
  return runProgram(
    label,
    heap,
    (stats) => {
      readLinesSync(path, (text, line) => {
        if (text.trim() === '') return;
        const at: LineRef = { file, line };
        const obj = parseJsonLine(text, at);
        if (!sawHeader) {
          const header = parseHeader(obj, at);
          for (const spec of header.types) types.set(spec.name, heap.defineType(spec));
          if (header.version === HEAP_TRACE_VERSION) replayer = new HeapReplayer(heap);
          sawHeader = true;
          return;
        }
        if (replayer !== undefined) {
          applyHeapOp(replayer, parseHeapOp(obj, at), at);
          return;
        }
        const op = parseOp(obj, at);
        try {
          applyOp(m, op, types, at);
        } catch (error) {
          if (error instanceof CliError || !(error instanceof HeapError)) throw error;
          throw new CliError(`${file}:${line}: operation "${op.op}": ${messageOf(error)}`, EXIT_USAGE, {
            cause: error,
          });
        }
      });
      if (!sawHeader) throw new CliError(`${file}: empty trace (no header line)`, EXIT_USAGE);
      if (replayer !== undefined) {
        stats.blocksNotRun = replayer.pendingBlocks;
        stats.blocksAbandoned = replayer.abandoned;
      }
    },
    {
      verifyEvery: verify ? 256 : 0,
      onFinish: (h) => {
        // Blocks run by the end-of-run collection.
        try {
          replayer?.check();
        } catch (error) {
          if (!(error instanceof ReplayError || error instanceof HeapError)) throw error;
          throw new CliError(
            `${file}: a block run by the end-of-run collection: ${messageOf(error)}`,
            EXIT_USAGE,
            {
              cause: error,
            },
          );
        }
        options.onFinish?.(h);
      },
    },
  );
}

function applyHeapOp(replayer: HeapReplayer, op: HeapOp, at: LineRef): void {
  try {
    replayer.apply(op);
  } catch (error) {
    if (!(error instanceof ReplayError || error instanceof HeapError)) throw error;
    throw new CliError(`${at.file}:${at.line}: operation "${op.op}": ${messageOf(error)}`, EXIT_USAGE, {
      cause: error,
    });
  }
}

function typeId(types: Map<string, TypeId>, name: string, at: LineRef): TypeId {
  const id = types.get(name);
  if (id === undefined) {
    throw new CliError(`${at.file}:${at.line}: field "type": no type "${name}" in the header`, EXIT_USAGE);
  }
  return id;
}

/** Applies one operation to the mutator. */
export function applyOp(m: WorkloadMutator, op: MutatorOp, types: Map<string, TypeId>, at: LineRef): void {
  switch (op.op) {
    case 'new': {
      const { slots, size, growable, payload } = op;
      m.new(op.name, typeId(types, op.type, at), { slots, size, growable, payload });
      return;
    }
    case 'bind':
      m.bind(op.name, op.value);
      return;
    case 'link':
      m.link(op.obj, op.slot, op.target);
      return;
    case 'append':
      m.append(op.obj, op.value);
      return;
    case 'load':
      m.load(op.name, op.obj, op.slot);
      return;
    case 'weakref':
      m.weakref(op.name, typeId(types, op.type, at), op.target, op.callback);
      return;
    case 'deref':
      m.deref(op.name, op.weakref);
      return;
    case 'remove':
      m.remove(op.obj, op.at);
      return;
    case 'truncate':
      m.truncate(op.obj, op.length);
      return;
    case 'push':
      m.pushFrame(op.frame, op.locals);
      return;
    case 'pop':
      m.popFrame();
      return;
    case 'collect':
      m.collect({ kind: op.kind, generation: op.generation });
      return;
  }
}
