import cycle from './examples/cycle.py?raw';
import idReuse from './examples/id_reuse.py?raw';
import listGrowth from './examples/list_growth.py?raw';
import manyObjects from './examples/many_objects.py?raw';
import runaway from './examples/runaway.py?raw';
import seed from './examples/seed_elephant.py?raw';
import weakrefCollect from './examples/weakref_collect.py?raw';
import { workloadExamples } from './session/workload-engine.js';

/** An example program of the menu. */
export interface Example {
  /** Stable id (used in URLs and tests). */
  readonly id: string;
  /** Menu title. */
  readonly title: string;
  /** The program. */
  readonly source: string;
}

/** The example menu; the first is loaded at start. */
export const EXAMPLES: readonly Example[] = [
  { id: 'seed', title: 'The elephant: id() and a weak reference', source: seed },
  { id: 'cycle', title: 'A reference cycle', source: cycle },
  { id: 'weakref', title: 'Weak reference and a collection', source: weakrefCollect },
  { id: 'list', title: 'A growing list', source: listGrowth },
  { id: 'id-reuse', title: 'id() reuse', source: idReuse },
  { id: 'many', title: '200 objects', source: manyObjects },
  { id: 'runaway', title: 'A runaway loop', source: runaway },
  ...workloadExamples(),
];
