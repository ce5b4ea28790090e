import type { Collector, Heap, ObjIndex, Ref } from '@heaplab/core';

/** What an engine reports before each statement runs. */
export interface StatementInfo {
  /** The statement's 1-based source line. */
  readonly line: number;
  /** Statements started so far, this one included. */
  readonly step: number;
  /** The heap the program runs on. */
  readonly heap: Heap;
}

/** Options of {@link Engine.run}; the shape `@heaplab/python`'s `runPython` takes. */
export interface EngineOptions {
  /** The collector managing the program's heap. */
  readonly collector: Collector;
  /** Receives printed text. */
  readonly stdout: (text: string) => void;
  /** Receives error text (tracebacks). */
  readonly stderr: (text: string) => void;
  /** Statements after which the program is stopped. */
  readonly maxSteps: number;
  /** Wall time after which the program is stopped. */
  readonly timeLimitMs: number;
  /** Called before each statement. */
  readonly onStatement: (info: StatementInfo) => void;
}

/** A located error a program raised. */
export interface ProgramFault {
  /** Exception name (`SyntaxError`, `NameError`...). */
  readonly kind: string;
  /** The message. */
  readonly message: string;
  /** 1-based line, 0 when unknown. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/** What running a program gives. */
export interface EngineResult {
  /** 0 when the program ended normally. */
  readonly exitCode: number;
  /** The heap, when one was created. */
  readonly heap: Heap | null;
  /** Why the program was stopped early (step or time limit). */
  readonly stopped?: string;
  /** The error that ended the program. */
  readonly fault?: ProgramFault;
}

/** Globals an engine keeps in one heap object (see {@link Engine.globals}). */
export interface EngineGlobals {
  /** The object holding them (a root). */
  readonly holder: ObjIndex;
  /** Each global: its name, the object bound and the holder's slot referring to it. */
  readonly bindings: readonly { readonly name: string; readonly ref: Ref; readonly slot: number }[];
}

/** Runs programs on a heaplab heap; the session does not care which engine it is. */
export interface Engine {
  /** Short name shown in the page. */
  readonly name: string;
  /** Runs `source` to the end (or until `onStatement` throws). */
  run(source: string, options: EngineOptions): EngineResult;
  /** A short text for an object (an int's value, a class name), when the engine knows one. */
  label?(heap: Heap, i: ObjIndex): string | undefined;
  /** Objects of the runtime rather than the program (keys): drawn only where the program refers to them. */
  hidden?(heap: Heap): ReadonlySet<number> | undefined;
  /** Runtime machinery (modules, classes, functions): drawn, but what it refers to is not followed. */
  opaque?(heap: Heap, i: ObjIndex): boolean;
  /**
   * The program's globals when the engine keeps them in a heap object (Python's module dict, a
   * root) rather than as the heap's named global roots: that object and its bindings.
   */
  globals?(heap: Heap): EngineGlobals | undefined;
  /** The name of slot `slot` of an object (an attribute name), when the engine knows one. */
  slotName?(heap: Heap, i: ObjIndex, slot: number): string | undefined;
}
