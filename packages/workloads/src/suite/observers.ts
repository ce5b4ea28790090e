import { intParam, type Workload } from '../workload.js';

/**
 * A subject keeps weak references (each with a callback) to its observers. Most observers are
 * dropped soon after subscribing; a few are kept. Notifying walks the registry, counts live
 * observers and compacts away the dead entries.
 */
export const observersWorkload: Workload = {
  name: 'observers',
  description: 'an observer registry of weakrefs with callbacks, notified and compacted as observers die',
  params: [
    intParam('observers', 'observers subscribed', 4000),
    intParam('keepEvery', 'one observer in this many is kept alive', 8),
    intParam('notifyEvery', 'subscriptions between notifications', 200),
  ],
  run({ m, types, params, heap, stats }) {
    let notified = 0;
    let stale = 0;
    m.new('registry', types.list, { growable: true });
    m.new('kept', types.list, { growable: true });
    m.new('on_dead', types.callback);
    for (let k = 0; k < params.observers; k++) {
      m.new('observer', types.node, { slots: 1 });
      m.new('state', types.leaf, { payload: k });
      m.link('observer', 0, 'state');
      m.weakref('entry', types.weakref, 'observer', 'on_dead');
      m.append('registry', 'entry');
      if (k % params.keepEvery === 0) m.append('kept', 'observer');
      m.unbind('observer');
      if ((k + 1) % params.notifyEvery === 0) {
        // Walk from the end so removals do not shift entries still to visit.
        for (let at = heap.length(m.need('registry')) - 1; at >= 0; at--) {
          m.load('entry', 'registry', at);
          if (m.deref('observer', 'entry')) notified++;
          else {
            stale++;
            m.remove('registry', at);
          }
        }
        m.unbind('observer');
      }
    }
    for (const name of ['entry', 'state']) m.unbind(name);
    stats.notifications = notified;
    stats.staleEntries = stale;
  },
};
