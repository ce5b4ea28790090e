import type { Engine } from './engine.js';
import { pythonEngine } from './python-engine.js';
import { WORKLOAD_DIRECTIVE, workloadEngine } from './workload-engine.js';

/** The engine for `source`: the workload engine for `#!workload` programs, else `@heaplab/python`. */
export function engineFor(source: string): Engine {
  return source.trimStart().startsWith(WORKLOAD_DIRECTIVE) ? workloadEngine : pythonEngine;
}
