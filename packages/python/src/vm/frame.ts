import type { Ref } from '@heaplab/core';
import type { Code } from '../compiler/code.js';

/** One entry of a traceback: where a frame was when an exception passed through it. */
export interface TracebackEntry {
  /** File name. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** Function name (`<module>` for module code). */
  readonly name: string;
  /** Source offsets of the failing instruction. */
  readonly from: number;
  /** End offset. */
  readonly to: number;
  /** Anchor offset of a binary operation or subscript (-1 for none). */
  readonly anchor: number;
  /** The code, for the source line. */
  readonly code: Code;
}

/** A running Python frame. Its locals and value stack live in the heap's root frame of the same depth. */
export interface Frame {
  /** The code being run. */
  readonly code: Code;
  /** Next instruction. */
  pc: number;
  /** Start of the instruction being run. */
  lastPc: number;
  /** Exception handlers: pairs of handler position and stack depth. */
  blocks: number[];
  /** The generator object running this frame, or 0. */
  gen: Ref;
  /** Returning from this frame ends the current interpreter loop. */
  entry: boolean;
  /** Temporaries of the caller to drop under the result when this frame returns. */
  callerDrop: number;
  /** An `__init__` frame: its `None` result is replaced by the instance below. */
  init: boolean;
  /** Temporaries of the class call above the instance (CPython 3.11's argument tuple...), dropped at return. */
  callTemps: number;
  /** Class body: the namespace dict is local 0. */
  readonly classBody: boolean;
  /** The function object being run (0 for module code). */
  readonly fn: Ref;
  /** The module whose attributes are this frame's globals (0: the program's `__main__`). */
  readonly globals: Ref;
  /** The frame object made for a traceback (0 until one is needed). */
  frameObj: Ref;
}
