/** What to run: the same request gives the same run (runs are deterministic). */
export interface RunRequest {
  /** The program. */
  readonly source: string;
  /** The collector's short name. */
  readonly collector: string;
  /** Statements after which the program is stopped. */
  readonly maxSteps: number;
  /** Wall time after which the program is stopped. */
  readonly timeLimitMs: number;
}

/** A reference from an object, as the page draws it. */
export interface EdgeView {
  /** The referent's key. */
  readonly to: number;
  /** A weak reference (drawn dashed, never keeps anything alive). */
  readonly weak: boolean;
  /** Slot name (`.attr`, `[0]`...). */
  readonly name: string;
}

/** One live object at a step. */
export interface ObjectView {
  /** Stable key for the object's lifetime (its handle). */
  readonly key: number;
  /** Type name. */
  readonly type: string;
  /** `hex(id(obj))`. */
  readonly address: string;
  /** Reference count when the collector maintains them; null otherwise; -1 for immortal objects. */
  readonly refcount: number | null;
  /** Bytes. */
  readonly size: number;
  /** A short value (`10`, `'abc'`), when the engine knows one. */
  readonly label?: string;
  /** Generation, when the collector has generations. */
  readonly generation?: number;
  /** Runtime machinery (a class, a module, a function): drawn, but its own references are not followed. */
  readonly opaque?: boolean;
  /** Reachable from a root along strong references (false: garbage not yet reclaimed). */
  readonly reachable: boolean;
  /** Outgoing references. */
  readonly edges: readonly EdgeView[];
}

/** A variable: a global, a frame local or a temporary. */
export interface VariableView {
  /** Name (`tmp` for temporaries). */
  readonly name: string;
  /** The object's key (0 when unbound). */
  readonly to: number;
}

/** Objects a collection phase showed (marked, unreachable...). */
export interface PhaseView {
  /** The collection's number. */
  readonly collection: number;
  /** Phase name. */
  readonly phase: string;
  /** Keys of the objects in the phase's result set. */
  readonly objects: readonly number[];
}

/** Counts and bytes per type (and generation): the summary of a large heap. */
export interface SummaryRow {
  /** Type name. */
  readonly type: string;
  /** Generation, when the collector has generations. */
  readonly generation?: number;
  /** Live objects. */
  readonly count: number;
  /** Bytes. */
  readonly bytes: number;
}

/** The heap as it stands before a statement runs (or at the end). */
export interface Snapshot {
  /** The statement number (1-based); `statements + 1` for the end of the program. */
  readonly step: number;
  /** Line about to run (0 at the end). */
  readonly line: number;
  /** Objects, or null when there are more than {@link DIAGRAM_LIMIT} (see `summary`). */
  readonly objects: readonly ObjectView[] | null;
  /** Counts and bytes by type. */
  readonly summary: readonly SummaryRow[];
  /** Module globals. */
  readonly globals: readonly VariableView[];
  /** Frames above the module level, bottom first. */
  readonly frames: readonly { readonly name: string; readonly vars: readonly VariableView[] }[];
  /** Live heap bytes. */
  readonly heapBytes: number;
  /** Live objects. */
  readonly liveObjects: number;
  /** Printed output so far. */
  readonly stdout: string;
  /** Error output so far. */
  readonly stderr: string;
  /** Collection phases run by the previous statement, in order. */
  readonly phases: readonly PhaseView[];
  /** Objects the previous statement freed. */
  readonly freed: readonly { readonly key: number; readonly type: string; readonly cause: string }[];
}

/** A collection, for the timeline. */
export interface CollectionMark {
  /** The statement during which it ran. */
  readonly step: number;
  /** Why it ran. */
  readonly reason: string;
  /** Wall time. */
  readonly ms: number;
  /** Deterministic work (objects visited + references scanned + objects freed). */
  readonly work: number;
  /** Objects freed. */
  readonly freed: number;
}

/** When and why an object was freed. */
export interface FreedRecord {
  /** The statement during which it was freed. */
  readonly step: number;
  /** The line of that statement. */
  readonly line: number;
  /** `refcount`, `sweep`, `cycle` or `teardown`. */
  readonly cause: string;
  /** The collection that freed it (0: none). */
  readonly collection: number;
  /** Type name. */
  readonly type: string;
  /** `hex(id)`. */
  readonly address: string;
}

/** A whole run, for the timeline and for stepping. */
export interface Trace {
  /** Statements run. */
  readonly statements: number;
  /** Line of each statement (index 0 is statement 1). */
  readonly lines: readonly number[];
  /** Live heap bytes before each statement, then at the end. */
  readonly bytes: readonly number[];
  /** Collections in order. */
  readonly collections: readonly CollectionMark[];
  /** Freed objects by key. */
  readonly freed: Readonly<Record<number, FreedRecord>>;
  /** The error that ended the program. */
  readonly fault?: {
    readonly kind: string;
    readonly message: string;
    readonly line: number;
    readonly column: number;
  };
  /** Why the run was stopped early. */
  readonly stopped?: string;
  /** Peak live bytes. */
  readonly peakBytes: number;
  /** The engine that ran it. */
  readonly engine: string;
}

/** Why an object is alive, or when it died. */
export interface Explanation {
  /** The object's key. */
  readonly key: number;
  /** One line per hop from a root, or the freeing event. */
  readonly text: readonly string[];
  /** Alive and reachable, alive but garbage, or freed. */
  readonly status: 'reachable' | 'garbage' | 'freed';
}

/** Above this many shown objects, the page shows the summary instead of the diagram. */
export const DIAGRAM_LIMIT = 300;

/** Messages to the session worker. */
export type WorkerRequest =
  | { readonly id: number; readonly op: 'trace'; readonly run: RunRequest }
  | { readonly id: number; readonly op: 'snapshot'; readonly run: RunRequest; readonly step: number }
  | {
      readonly id: number;
      readonly op: 'explain';
      readonly run: RunRequest;
      readonly step: number;
      readonly key: number;
    };

/** Replies of the session worker. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
