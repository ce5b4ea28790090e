import { Heap, HeapError } from '@heaplab/core';
import {
  createRng,
  defineWorkloadTypes,
  findWorkload,
  resolveParams,
  WORKLOADS,
  type Workload,
  WorkloadMutator,
} from '@heaplab/workloads';
import type { Engine, EngineOptions, EngineResult, ProgramFault } from './engine.js';

/** The first line of a workload program. */
export const WORKLOAD_DIRECTIVE = '#!workload';

class Stopped extends Error {}

interface Parsed {
  readonly workload: Workload;
  readonly params: Record<string, number>;
  readonly seed: number;
  readonly line: number;
}

function fault(kind: string, message: string, line: number): ProgramFault {
  return { kind, message: message.replace(/^\[heaplab\] /, ''), line, column: 1 };
}

function parse(source: string): Parsed | ProgramFault {
  const lines = source.split('\n');
  const head = lines.findIndex((l) => l.trim() !== '');
  const m = /^#!workload\s+(\S+)\s*$/.exec(lines[head]?.trim() ?? '');
  if (!m)
    return fault('SyntaxError', `a workload program starts with "${WORKLOAD_DIRECTIVE} NAME"`, head + 1);
  const given: Record<string, number> = {};
  let seed = 1;
  let workload: Workload;
  try {
    workload = findWorkload(m[1]);
  } catch (e) {
    return fault('ValueError', (e as Error).message, head + 1);
  }
  for (let k = head + 1; k < lines.length; k++) {
    const text = lines[k].trim();
    if (text === '' || text.startsWith('#')) continue;
    const p = /^([A-Za-z_]\w*)\s*=\s*(-?\d+(?:\.\d+)?)$/.exec(text);
    if (!p) return fault('SyntaxError', 'expected "name = number"', k + 1);
    if (p[1] === 'seed') seed = Number(p[2]);
    else given[p[1]] = Number(p[2]);
    try {
      resolveParams(workload, { [p[1]]: Number(p[2]) });
    } catch (e) {
      if (p[1] !== 'seed') return fault('ValueError', (e as Error).message, k + 1);
    }
  }
  return { workload, params: resolveParams(workload, given), seed, line: head + 1 };
}

/** Runs a built-in workload of `@heaplab/workloads`: each mutator operation is one step. */
function runWorkloadProgram(source: string, options: EngineOptions): EngineResult {
  const parsed = parse(source);
  if ('kind' in parsed) {
    options.stderr(`${parsed.kind}: ${parsed.message}\n`);
    return { exitCode: 1, heap: null, fault: parsed };
  }
  const heap = new Heap({ collector: options.collector });
  const types = defineWorkloadTypes(heap);
  const started = performance.now();
  let steps = 0;
  const m = new WorkloadMutator(heap, () => {
    steps++;
    if (steps > options.maxSteps)
      throw new Stopped(`stopped after ${options.maxSteps} operations (the step limit)`);
    if (performance.now() - started > options.timeLimitMs)
      throw new Stopped(`stopped after ${options.timeLimitMs} ms (the time limit)`);
    options.onStatement({ line: parsed.line, step: steps, heap });
  });
  const stats: Record<string, number> = {};
  try {
    parsed.workload.run({ m, heap, types, rng: createRng(parsed.seed), params: parsed.params, stats });
  } catch (e) {
    if (e instanceof Stopped) return { exitCode: 1, heap, stopped: e.message };
    if (e instanceof HeapError) {
      const f = fault('RuntimeError', e.message, parsed.line);
      options.stderr(`${f.kind}: ${f.message}\n`);
      return { exitCode: 1, heap, fault: f };
    }
    throw e;
  }
  const figures = Object.entries(stats).map(([k, v]) => `${k}=${v}`);
  options.stdout(
    `${parsed.workload.name}: ${steps} operations${figures.length ? `; ${figures.join(', ')}` : ''}\n`,
  );
  return { exitCode: 0, heap };
}

/** The workload engine: programs that name a built-in workload and set its parameters. */
export const workloadEngine: Engine = { name: 'workload', run: runWorkloadProgram };

/** A small-scale program for each built-in workload, for the example menu. */
export function workloadExamples(): { id: string; title: string; source: string }[] {
  return WORKLOADS.map((w) => {
    const params = w.params.map((p) => {
      // Small enough to draw and step through: tree depth grows the heap exponentially.
      const cap = p.name === 'depth' ? 4 : 12;
      const value = p.integer ? Math.max(p.min, Math.min(p.default, cap)) : p.default;
      return `# ${p.description}\n${p.name} = ${value}`;
    });
    return {
      id: `workload-${w.name}`,
      title: `Workload: ${w.name}`,
      source: `${WORKLOAD_DIRECTIVE} ${w.name}\n# ${w.description}\n# Each mutator operation is one step. Edit the parameters and run again.\n${params.join('\n')}\nseed = 1\n`,
    };
  });
}
