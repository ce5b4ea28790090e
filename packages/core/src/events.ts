import type { CollectionReport, CollectRequest } from './collector.js';
import type { Ref } from './ref.js';

/** Why an object was freed. */
export type FreeCause =
  /** Its reference count reached zero. */
  | 'refcount'
  /** A tracing collector found it unreachable (mark-sweep's sweep, a copying collector's flip). */
  | 'sweep'
  /** A cycle collector found it in unreachable garbage and cleared it. */
  | 'cycle'
  /** The heap was torn down at the end of a run. */
  | 'teardown';

/** An object was allocated. */
export interface AllocatedEvent {
  readonly kind: 'allocated';
  readonly step: number;
  readonly obj: Ref;
  readonly type: string;
  readonly size: number;
  readonly address: number;
  /** Reference slots it was allocated with (a growable container's capacity). */
  readonly slots: number;
  /** Whether it is a growable container. */
  readonly growable: boolean;
  /** Whether it is tracked with the cycle collector from birth. */
  readonly tracked: boolean;
  /** Whether it was placed at a fixed address, outside the allocator model. */
  readonly static: boolean;
  /** Whether it is immortal (pinned, never freed). */
  readonly immortal: boolean;
}

/** An object was freed. */
export interface FreedEvent {
  readonly kind: 'freed';
  readonly step: number;
  readonly obj: Ref;
  readonly type: string;
  readonly size: number;
  readonly address: number;
  readonly cause: FreeCause;
  /** The collection it happened in, if any (a collection's number, from 1). */
  readonly collection: number;
}

/** A reference count changed. */
export interface RefcountEvent {
  readonly kind: 'refcount';
  readonly step: number;
  readonly obj: Ref;
  readonly count: number;
  readonly delta: number;
}

/** A reference slot of an object was written. */
export interface WriteEvent {
  readonly kind: 'write';
  readonly step: number;
  readonly obj: Ref;
  readonly slot: number;
  readonly old: Ref;
  readonly value: Ref;
  /** Whether the caller's reference moved in (a temporary popped into the slot) rather than a new one taken. */
  readonly owned: boolean;
  /** The operation: a store, an append to a growable container, or an insertion shifting later slots up. */
  readonly via: 'set' | 'append' | 'insert';
}

/** How a root changed: see {@link RootEvent}. */
export type RootAction =
  /** A local or global was bound to a new reference. */
  | 'set'
  /** The top temporary moved into a local or global (no count change for it). */
  | 'move'
  /** A temporary was pushed (a new reference). */
  | 'push'
  /** The top temporary was popped and released. */
  | 'pop'
  /** The temporary `depth` places below the top was removed and released. */
  | 'remove'
  /** An object was pinned. */
  | 'pin'
  /** One pin of an object was removed and released. */
  | 'unpin';

/** A root (global, frame local or temporary) was written. */
export interface RootEvent {
  readonly kind: 'root';
  readonly step: number;
  /** `global:NAME`, `local:FRAME:NAME`, `temp:FRAME` or `pin`. */
  readonly root: string;
  readonly old: Ref;
  readonly value: Ref;
  /** What happened. */
  readonly action: RootAction;
  /** The local's slot in the top frame (locals only). */
  readonly slot?: number;
  /** The global's name (globals only). */
  readonly name?: string;
  /** For `remove`: how many temporaries below the top it was. */
  readonly depth?: number;
}

/** A frame was pushed or popped. */
export interface FrameEvent {
  readonly kind: 'frame';
  readonly step: number;
  readonly action: 'push' | 'pop';
  readonly depth: number;
  readonly name: string;
  /** Names of the frame's locals (pushes only). */
  readonly locals?: readonly string[];
  /** Locals that took over the caller's top temporaries (pushes only). */
  readonly args?: number;
}

/** A collection started. */
export interface CollectionStartEvent {
  readonly kind: 'collection-start';
  readonly step: number;
  readonly collection: number;
  readonly request: CollectRequest;
}

/** A collection finished one of its phases. */
export interface CollectionPhaseEvent {
  readonly kind: 'collection-phase';
  readonly step: number;
  readonly collection: number;
  readonly phase: string;
  /** Deterministic work done in the phase (objects visited + references scanned + objects freed). */
  readonly work: number;
  readonly ms: number;
  /** Objects the phase put in its result set (marked, unreachable...), when it has one. */
  readonly objects?: readonly Ref[];
}

/** A collection ended. */
export interface CollectionEndEvent {
  readonly kind: 'collection-end';
  readonly step: number;
  readonly report: CollectionReport;
}

/** A weak reference was cleared because its referent died. */
export interface WeakrefClearedEvent {
  readonly kind: 'weakref-cleared';
  readonly step: number;
  readonly weakref: Ref;
  readonly target: Ref;
}

/** A weak reference's callback was run. */
export interface CallbackRunEvent {
  readonly kind: 'callback-run';
  readonly step: number;
  readonly weakref: Ref;
  readonly callback: Ref;
}

/** An object's finalizer was run. */
export interface FinalizerRunEvent {
  readonly kind: 'finalizer-run';
  readonly step: number;
  readonly obj: Ref;
  readonly type: string;
}

/** A finalizer made its object (or what it reaches) reachable again. */
export interface ResurrectedEvent {
  readonly kind: 'resurrected';
  readonly step: number;
  readonly obj: Ref;
}

/** An object moved to a new address (moving collectors). */
export interface MovedEvent {
  readonly kind: 'moved';
  readonly step: number;
  readonly obj: Ref;
  readonly from: number;
  readonly to: number;
}

/**
 * A mutator operation that no other event describes: list shape changes, weak-reference
 * creation, auxiliary blocks, tracking requests and references held outside slots and roots.
 * With `allocated`, `write`, `root`, `frame` and explicit `collection-start` events, these make
 * the stream complete enough to replay the mutator on another heap.
 */
export type MutationEvent =
  | (MutationBase<'remove'> & { readonly at: number })
  | (MutationBase<'truncate'> & { readonly length: number })
  | (MutationBase<'permute'> & { readonly order: readonly number[] })
  | (MutationBase<'weakref'> & {
      /** The referent. */
      readonly target: Ref;
      /** The callback object (0, the null reference, when none). */
      readonly callback: Ref;
      /** Whether it is a shareable (basic) weak reference. */
      readonly share: boolean;
      /** Its reference slots. */
      readonly slots: number;
    })
  | (MutationBase<'aux'> & { readonly bytes: number })
  | MutationBase<'track' | 'untrack' | 'incref' | 'decref'>;

/** What every {@link MutationEvent} has. */
export interface MutationBase<A extends string> {
  readonly kind: 'mutation';
  readonly step: number;
  /** The operation. */
  readonly action: A;
  /** The object operated on (for `weakref`, the new weak reference). */
  readonly obj: Ref;
}

/** Every event the heap emits, discriminated by `kind`. */
export type HeapEvent =
  | AllocatedEvent
  | FreedEvent
  | RefcountEvent
  | WriteEvent
  | RootEvent
  | FrameEvent
  | CollectionStartEvent
  | CollectionPhaseEvent
  | CollectionEndEvent
  | WeakrefClearedEvent
  | CallbackRunEvent
  | FinalizerRunEvent
  | ResurrectedEvent
  | MovedEvent
  | MutationEvent;

/** The `kind`s of {@link HeapEvent}. */
export type HeapEventKind = HeapEvent['kind'];

/** The event of a given kind. */
export type HeapEventOf<K extends HeapEventKind> = Extract<HeapEvent, { kind: K }>;

/** Bit per event kind, for the heap's cheap "is anybody listening" test. */
export const EVENT_BITS: Readonly<Record<HeapEventKind, number>> = {
  allocated: 1,
  freed: 2,
  refcount: 4,
  write: 8,
  root: 16,
  frame: 32,
  'collection-start': 64,
  'collection-phase': 128,
  'collection-end': 256,
  'weakref-cleared': 512,
  'callback-run': 1024,
  'finalizer-run': 2048,
  resurrected: 4096,
  moved: 8192,
  mutation: 16384,
};

type Listener = (event: HeapEvent) => void;

/**
 * The heap's typed event stream. Emission sites test {@link EventStream.mask} first, so an event
 * nobody listens to is never even built.
 */
export class EventStream {
  /** OR of {@link EVENT_BITS} of the kinds with at least one listener. */
  mask = 0;
  private readonly listeners = new Map<HeapEventKind | '*', Listener[]>();

  /** Calls `listener` for every event of `kind`; returns a function that unsubscribes. */
  on<K extends HeapEventKind>(kind: K, listener: (event: HeapEventOf<K>) => void): () => void {
    return this.add(kind, listener as Listener);
  }

  /** Calls `listener` for every event; returns a function that unsubscribes. */
  onAny(listener: (event: HeapEvent) => void): () => void {
    return this.add('*', listener);
  }

  /** Whether anybody listens to `kind`. */
  wants(kind: HeapEventKind): boolean {
    return (this.mask & EVENT_BITS[kind]) !== 0;
  }

  /** Delivers an event to its listeners (callers check {@link mask} first). */
  emit(event: HeapEvent): void {
    const specific = this.listeners.get(event.kind);
    if (specific) for (const l of specific) l(event);
    const any = this.listeners.get('*');
    if (any) for (const l of any) l(event);
  }

  private add(key: HeapEventKind | '*', listener: Listener): () => void {
    let list = this.listeners.get(key);
    if (!list) {
      list = [];
      this.listeners.set(key, list);
    }
    list.push(listener);
    this.recompute();
    return () => {
      const current = this.listeners.get(key);
      if (!current) return;
      const i = current.indexOf(listener);
      if (i >= 0) current.splice(i, 1);
      this.recompute();
    };
  }

  private recompute(): void {
    let mask = 0;
    for (const [key, list] of this.listeners) {
      if (list.length === 0) continue;
      mask |= key === '*' ? 0xffffffff : EVENT_BITS[key];
    }
    this.mask = mask;
  }
}
