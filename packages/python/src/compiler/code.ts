import type { Ref } from '@heaplab/core';
import type { Constant } from '../ast.js';
import type { LineMap } from '../parse.js';
import type { AttrSite } from '../runtime/attrs.js';

/**
 * Where a global-name instruction last found its name in `__main__`'s dict: entry `entry`, whose
 * key was the object `key`. While that entry still holds that key it is the name's entry (a dict
 * keeps one entry per key, and deleting one empties both its slots).
 */
export interface NameSite {
  /** The entry number (key in slot 2n, value in 2n + 1). */
  readonly entry: number;
  /** The key object found there. */
  readonly key: Ref;
}

/** A compiled function, class body, comprehension or module. */
export interface Code {
  /** `co_name`. */
  readonly name: string;
  /** `co_qualname`. */
  readonly qualname: string;
  /** The file name tracebacks show. */
  readonly filename: string;
  /** What this code is the body of. */
  readonly kind: 'module' | 'function' | 'class' | 'comprehension';
  /** Positional parameters (with or without defaults). */
  readonly argcount: number;
  /** Keyword-only parameters. */
  readonly kwonlycount: number;
  /** Has `*args`. */
  readonly varargs: boolean;
  /** Has `**kwargs`. */
  readonly varkw: boolean;
  /** Every local slot's name: parameters, other locals, cells, free variables. */
  readonly localNames: string[];
  /** First slot of cells. */
  readonly cellStart: number;
  /** First slot of free variables. */
  readonly freeStart: number;
  /** For each cell: the parameter slot it starts from, or -1. */
  readonly cellArgs: number[];
  /** The instructions. */
  readonly code: number[];
  /** Source offset of the instruction at each position (-1 for none). */
  readonly pos: number[];
  /** End offset of the instruction at each position. */
  readonly posEnd: number[];
  /** Where the primary part of a binary operation or subscript starts (-1 for none). */
  readonly anchor: number[];
  /** Constants. */
  readonly consts: (Constant | readonly Constant[])[];
  /** Names used by name, global and attribute instructions. */
  readonly names: string[];
  /** Nested code objects. */
  readonly codes: Code[];
  /** Whether calling makes a generator. */
  readonly generator: boolean;
  /** First line. */
  readonly firstLine: number;
  /** Line lookup for the source. */
  readonly lines: LineMap;
  /** Constants made into objects (runtime cache; pinned). */
  readonly constRefs: Ref[];
  /** What attribute instructions found, by position (runtime cache, see `AttrSite`). */
  readonly attrSites: (AttrSite | undefined)[];
  /** Where global-name instructions found their name in `__main__`'s dict, by position (runtime cache). */
  readonly nameSites: (NameSite | undefined)[];
}
