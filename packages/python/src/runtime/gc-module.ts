import type { ObjIndex, Ref } from '@heaplab/core';
import { defFunction, defValue } from './modules.js';
import { PyErr, raise } from './pytype.js';
import type { Runtime } from './runtime.js';
import { dictEntries, dictSet } from './tables.js';
import { formatUnraisable } from './unraisable.js';

/** What a collector offering CPython's `gc` module exposes (see `@heaplab/gc-generational`'s `GcApi`). */
export interface GcApiLike {
  enable(): void;
  disable(): void;
  isEnabled(): boolean;
  collect(generation?: number): number;
  getCount(): readonly number[];
  getThreshold(): readonly number[];
  setThreshold(thresholds: readonly number[]): void;
  getStats(): { collections: number; collected: number; uncollectable: number }[];
  getObjects(generation?: number): ObjIndex[];
  getReferrers(objects: readonly ObjIndex[]): ObjIndex[];
  getReferents(objects: readonly ObjIndex[]): ObjIndex[];
  isTracked(obj: ObjIndex): boolean;
  isFinalized(obj: ObjIndex): boolean;
  freeze(): void;
  unfreeze(): void;
  getFreezeCount(): number;
  setDebug(flags: number): void;
  getDebug(): number;
  setGarbageList(list: Ref): void;
  setCallbackInvoker(
    invoker:
      | ((
          phase: 'start' | 'stop',
          info: { generation: number; collected: number; uncollectable: number },
        ) => void)
      | null,
  ): void;
}

/** The collector's `gc` API, when it offers one. */
export function gcApiOf(rt: Runtime): GcApiLike | undefined {
  const gc = (rt.heap.collector as { gc?: GcApiLike }).gc;
  return gc && typeof gc.collect === 'function' ? gc : undefined;
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const pythonType = (e as { pythonType?: string }).pythonType;
    if (pythonType) raise(pythonType, (e as Error).message);
    throw e;
  }
}

/** The `gc` module: bound to the collector's `gc` API, or a reduced one on other collectors. */
export function makeGc(rt: Runtime): Ref {
  const m = rt.newModule('gc');
  const api = gcApiOf(rt);
  const collectorName = rt.heap.collector.name;
  const unsupported = (what: string) =>
    raise(
      'RuntimeError',
      `[heaplab] gc.${what}() needs a collector with CPython's gc interface (generational); the active collector is '${collectorName}'`,
    );
  let enabled = true;
  const flags: [string, number][] = [
    ['DEBUG_STATS', 1],
    ['DEBUG_COLLECTABLE', 2],
    ['DEBUG_UNCOLLECTABLE', 4],
    ['DEBUG_SAVEALL', 32],
    ['DEBUG_LEAK', 38],
  ];
  for (const [n, v] of flags) defValue(rt, m, n, () => rt.newInt(v));
  defValue(rt, m, 'garbage', () => rt.newList());
  defValue(rt, m, 'callbacks', () => rt.newList());
  const garbage = rt.moduleGet(m, 'garbage');
  const callbacks = rt.moduleGet(m, 'callbacks');
  const list = (ids: ObjIndex[]) => rt.newList(ids.map((i) => rt.heap.ref(i)));
  defFunction(rt, m, 'enable', (rt) => {
    if (api) api.enable();
    else enabled = true;
    return rt.pushNone();
  });
  defFunction(rt, m, 'disable', (rt) => {
    if (api) api.disable();
    else enabled = false;
    return rt.pushNone();
  });
  defFunction(rt, m, 'isenabled', (rt) => rt.newBool(api ? api.isEnabled() : enabled));
  defFunction(rt, m, 'collect', (rt, a, kw) => {
    const g = a.length
      ? rt.index(a[0])
      : rt.kwarg(kw, 'generation')
        ? rt.index(rt.kwarg(kw, 'generation'))
        : 2;
    if (g < 0 || g > 2) raise('ValueError', 'invalid generation');
    if (api) return rt.newInt(wrap(() => api.collect(g)));
    const report = rt.heap.collect({ kind: g === 2 ? 'full' : 'minor', generation: g, reason: 'explicit' });
    const n =
      report.extra.collected !== undefined
        ? report.extra.collected + (report.extra.uncollectable ?? 0)
        : report.objectsFreed;
    return rt.newInt(n);
  });
  const tupleOf = (values: readonly number[]) => {
    for (const v of values) rt.newInt(v);
    return rt.packTuple(values.length);
  };
  defFunction(rt, m, 'get_count', () => (api ? tupleOf(api.getCount()) : unsupported('get_count')));
  defFunction(rt, m, 'get_threshold', () =>
    api ? tupleOf(api.getThreshold()) : unsupported('get_threshold'),
  );
  defFunction(rt, m, 'set_threshold', (rt, a) => {
    if (!api) return unsupported('set_threshold');
    wrap(() => api.setThreshold(a.map((x) => rt.index(x))));
    return rt.pushNone();
  });
  defFunction(rt, m, 'get_stats', (rt) => {
    if (!api) return unsupported('get_stats');
    const stats = api.getStats();
    for (const s of stats) {
      const d = rt.newDict();
      for (const [k, v] of Object.entries(s)) {
        rt.newStr(k);
        rt.newInt(v);
        dictSet(rt, d, rt.peek(1), rt.peek(0));
        rt.pop();
        rt.pop();
      }
    }
    return rt.packList(stats.length);
  });
  defFunction(rt, m, 'get_objects', (rt, a) => {
    if (!api) return unsupported('get_objects');
    const g = a.length && a[0] !== rt.None ? rt.index(a[0]) : undefined;
    return list(wrap(() => api.getObjects(g)));
  });
  defFunction(rt, m, 'get_referrers', (rt, a) => {
    if (!api) return unsupported('get_referrers');
    return list(api.getReferrers(a.map((r) => rt.heap.index(r))));
  });
  defFunction(rt, m, 'get_referents', (rt, a) =>
    list(
      a.flatMap((r) => {
        const o = rt.heap.index(r);
        return inTraverseOrder(rt, o, api ? api.getReferents([o]) : slotsOf(rt, o));
      }),
    ),
  );
  defFunction(rt, m, 'is_tracked', (rt, a) =>
    rt.newBool(api ? api.isTracked(rt.heap.index(a[0])) : rt.heap.isTracked(a[0])),
  );
  defFunction(rt, m, 'is_finalized', (rt, a) =>
    rt.newBool(api ? api.isFinalized(rt.heap.index(a[0])) : rt.heap.isFinalized(a[0])),
  );
  defFunction(rt, m, 'freeze', (rt) => {
    if (!api) return unsupported('freeze');
    api.freeze();
    return rt.pushNone();
  });
  defFunction(rt, m, 'unfreeze', (rt) => {
    if (!api) return unsupported('unfreeze');
    api.unfreeze();
    return rt.pushNone();
  });
  defFunction(rt, m, 'get_freeze_count', () =>
    api ? rt.newInt(api.getFreezeCount()) : unsupported('get_freeze_count'),
  );
  defFunction(rt, m, 'set_debug', (rt, a) => {
    if (!api) return unsupported('set_debug');
    api.setDebug(rt.index(a[0]));
    return rt.pushNone();
  });
  defFunction(rt, m, 'get_debug', () => (api ? rt.newInt(api.getDebug()) : unsupported('get_debug')));
  if (api) {
    api.setGarbageList(garbage);
    api.setCallbackInvoker((phase, info) => invokeCallbacks(rt, callbacks, phase, info));
  }
  return m;
}

/** Every non-empty slot of an object, header slots included. */
function slotsOf(rt: Runtime, o: ObjIndex): ObjIndex[] {
  const t = rt.heap.tables;
  const data = rt.heap.slots.data;
  const out: ObjIndex[] = [];
  for (let p = t.slotOff(o), end = p + t.slotLen(o); p < end; p++) if (data[p] !== 0) out.push(data[p]);
  return out;
}

/**
 * An object's referents in the order CPython 3.11's traversal visits them: an instance's class
 * comes after its attributes (heaplab keeps it in slot 0), lists and tuples visit their items
 * last first, sets in table order, and a dict visits each value before its key, or only its
 * values when every key is a str. Header slots (a subclass instance's slots, dict and class)
 * come first.
 */
function inTraverseOrder(rt: Runtime, o: ObjIndex, raw: ObjIndex[]): ObjIndex[] {
  const t = rt.typeById[rt.heap.tables.type(o)];
  const kind = t.kind;
  if (t.user && kind === 'instance' && raw[0] === (t.ref & 0xffffff)) return [...raw.slice(1), raw[0]];
  if (raw.length === 0) return raw;
  const ref = rt.heap.ref(o);
  let items: Ref[];
  let n: number;
  if (kind === 'dict') {
    const entries = dictEntries(rt, ref);
    n = 2 * entries.length;
    const str = rt.type('str');
    items = entries.every(([k]) => rt.typeOf(k) === str)
      ? entries.map(([, v]) => v)
      : entries.flatMap(([k, v]) => [v, k]);
  } else if (kind === 'list' || kind === 'tuple') {
    items = rt.heap.referents(ref).reverse();
    n = items.length;
  } else if (kind === 'set' || kind === 'frozenset') {
    items = rt.setOrder(ref);
    n = items.length;
  } else return raw;
  return [...raw.slice(0, raw.length - n), ...items.map((v) => v & 0xffffff)];
}

function invokeCallbacks(
  rt: Runtime,
  callbacks: Ref,
  phase: string,
  info: { generation: number; collected: number; uncollectable: number },
): void {
  if (rt.heap.length(callbacks) === 0) return;
  rt.newStr(phase);
  const d = rt.newDict();
  for (const k of ['generation', 'collected', 'uncollectable'] as const) {
    rt.newStr(k);
    rt.newInt(info[k]);
    dictSet(rt, d, rt.peek(1), rt.peek(0));
    rt.pop();
    rt.pop();
  }
  const fns = rt.heap.referents(callbacks);
  const snapshot = rt.newList(fns);
  for (const fn of rt.heap.referents(snapshot)) {
    try {
      rt.vm.call(fn, [rt.peek(2), d]);
      rt.pop();
    } catch (e) {
      if (!(e instanceof PyErr)) throw e;
      formatUnraisable(rt, e, `garbage collection callback ${'<callback>'}`);
    }
  }
  rt.pop();
  rt.pop();
  rt.pop();
}
