import {
  COLLECTOR_SPEC_VERSION,
  type CollectionContext,
  type CollectorTraits,
  DEFAULT_TRAITS,
  type Heap,
  type ObjIndex,
} from '@heaplab/core';
import type { CollectorWithGc, GcApi } from './gc-api.js';
import { GcModule } from './gc-module.js';
import { GcState, Kind } from './gc-state.js';
import { chooseGeneration, collectGeneration } from './generational.js';
import { collectIncremental } from './incremental.js';
import type { GenerationalOptions } from './options.js';
import { DEFAULT_PROFILE, type GcProfile, PROFILES } from './profiles.js';

/** The collector's name in reports. */
export const GENERATIONAL_COLLECTOR_NAME = 'generational';

const TRAITS: CollectorTraits = {
  ...DEFAULT_TRAITS,
  reclaimsCycles: true,
  generational: true,
  maintainsRefcounts: true,
};

/** Resolves a profile option to a profile, with a clear error for unknown names. */
export function resolveProfile(profile: GenerationalOptions['profile']): GcProfile {
  if (profile === undefined) return PROFILES[DEFAULT_PROFILE];
  if (typeof profile !== 'string') return profile;
  const found = (PROFILES as Record<string, GcProfile>)[profile];
  if (found === undefined) {
    throw new Error(
      `[heaplab] [${GENERATIONAL_COLLECTOR_NAME}] unknown profile "${profile}"; known: ${Object.keys(PROFILES).join(', ')}`,
    );
  }
  return found;
}

/** The CPython-style collector: reference counting plus CPython's generational cycle detector. */
class GenerationalCollector implements CollectorWithGc {
  readonly specificationVersion = COLLECTOR_SPEC_VERSION;
  readonly name = GENERATIONAL_COLLECTOR_NAME;
  readonly traits = TRAITS;
  private state: GcState | null = null;
  private module: GcModule | null = null;
  private readonly profile: GcProfile;

  constructor(private readonly options: GenerationalOptions) {
    this.profile = resolveProfile(options.profile);
  }

  get gc(): GcApi {
    if (this.module === null) {
      throw new Error(
        `[heaplab] [${this.name}] the gc module exists once the collector is attached to a heap`,
      );
    }
    return this.module;
  }

  private get s(): GcState {
    return this.state!;
  }

  doAttach(heap: Heap): void {
    const o = this.options;
    this.state = new GcState(heap, this.profile, o.referents, !(o.disabled ?? false), o.thresholds);
    this.module = new GcModule(this.state, (g) => this.collectNow(g));
  }

  doAllocate(obj: ObjIndex, fromFreeList: boolean): void {
    const s = this.s;
    if (fromFreeList || !s.countsAllocations) return;
    if ((s.kind(s.heap.tables.type(obj)) & Kind.CONTAINER) === 0) return;
    s.counts[0]++;
    this.maybeTrigger();
  }

  doFree(obj: ObjIndex, toFreeList: boolean): void {
    const s = this.s;
    if (toFreeList || !s.countsAllocations || s.counts[0] === 0) return;
    if (s.kind(s.heap.tables.type(obj)) & Kind.CONTAINER) s.counts[0]--;
  }

  doTrack(obj: ObjIndex): void {
    const s = this.s;
    s.lists.append(obj, s.gen(0));
    if (s.incremental) {
      s.setSpace(obj, s.visitedSpace ^ 1);
      s.heapSize++;
      if (s.countsTracking) {
        s.counts[0]++;
        this.maybeTrigger();
      }
    }
  }

  doUntrack(obj: ObjIndex): void {
    const s = this.s;
    s.lists.untrack(obj);
    if (s.incremental) s.heapSize--;
    if (s.countsTracking && s.counts[0] > 0) s.counts[0]--;
  }

  doSafepoint(): void {
    const s = this.s;
    if (!s.scheduled) return;
    s.scheduled = false;
    if (s.enabled && s.heap.collecting === 0) this.collectAutomatically('safepoint');
  }

  private maybeTrigger(): void {
    const s = this.s;
    if (s.counts[0] <= s.thresholds[0] || !s.enabled || s.thresholds[0] === 0) return;
    if (s.heap.collecting !== 0) return;
    if (s.profile.trigger === 'allocation') this.collectAutomatically('allocation');
    else s.scheduled = true;
  }

  private collectAutomatically(reason: 'allocation' | 'safepoint'): void {
    const s = this.s;
    const generation = s.profile.design === 'incremental' ? 1 : chooseGeneration(s);
    if (generation < 0) return;
    const kind = generation === 2 ? 'full' : s.profile.design === 'incremental' ? 'increment' : 'minor';
    s.heap.collect({ kind, generation, reason });
  }

  private collectNow(generation: number): number {
    const s = this.s;
    if (s.heap.collecting !== 0) return 0;
    s.lastResult = 0;
    const kind = generation === 2 ? 'full' : 'minor';
    const report = s.heap.collect({ kind, generation, reason: 'explicit' });
    return report.skipped ? 0 : s.lastResult;
  }

  doCollect(context: CollectionContext): void {
    const s = this.s;
    const request = context.request;
    let g = request.generation;
    if (request.kind === 'full') g = 2;
    else if (!(g >= 0 && g <= 2)) g = request.kind === 'increment' ? 1 : 0;
    // The end-of-run collection is CPython's shutdown collection, which calls no callbacks.
    const callbacks = request.reason !== 'end';
    if (callbacks) this.callback('start', g, 0, 0);
    const n =
      s.profile.design === 'incremental'
        ? collectIncremental(s, g, context)
        : collectGeneration(s, g, context);
    s.lastResult = n;
    if (callbacks) this.callback('stop', g, s.lastCollected, s.lastUncollectable);
  }

  private callback(
    phase: 'start' | 'stop',
    generation: number,
    collected: number,
    uncollectable: number,
  ): void {
    const invoker = this.s.invoker;
    if (invoker === null) return;
    try {
      invoker(phase, { generation, collected, uncollectable });
    } catch (error) {
      this.s.heap.unraisable.push(error);
    }
  }
}

/**
 * Creates the CPython-style collector: reference counting (the heap's release engine frees an
 * object the moment its count reaches zero, in CPython's order) plus CPython's generational
 * cycle detector, with the `gc` module's surface as `collector.gc` once attached to a heap.
 */
export function createGenerationalCollector(options: GenerationalOptions = {}): CollectorWithGc {
  return new GenerationalCollector(options);
}

export default createGenerationalCollector;
