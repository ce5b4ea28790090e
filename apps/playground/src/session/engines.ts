import { runSketch, sketchLabel, sketchSlotName } from '../mini/interpreter.js';
import type { Engine } from './engine.js';
import { WORKLOAD_DIRECTIVE, workloadEngine } from './workload-engine.js';

/**
 * The sketch engine: a small Python subset (classes with `pass` bodies, attributes, lists,
 * `for ... in range(n)`, ints, strs, `weakref.ref`, `gc.collect`, `print`, `id`, `hex`) run on a
 * heaplab heap. The playground uses it until `@heaplab/python` is in the workspace.
 */
export const sketchEngine: Engine = {
  name: 'sketch',
  run: runSketch,
  label: sketchLabel,
  slotName: sketchSlotName,
};

/** The engine for `source`: the workload engine for `#!workload` programs, else Python. */
export function engineFor(source: string): Engine {
  return source.trimStart().startsWith(WORKLOAD_DIRECTIVE) ? workloadEngine : sketchEngine;
}
