import { NULL_REF } from '@heaplab/core';
import { intParam, ratioParam, type Workload } from '../workload.js';

/**
 * A cache mapping keys to weak references to values; a small ring of recently used values keeps
 * them alive. Requests go to a recently used key with probability `reuse`, else to any key. How
 * often a request finds its value alive depends on when the collector frees dropped values: the
 * `hitRate` stat.
 */
export const weakCacheWorkload: Workload = {
  name: 'weak-cache',
  description: 'a weak-value cache: hit rate depends on how soon dropped values are freed',
  params: [
    intParam('requests', 'cache lookups', 8000),
    intParam('keys', 'distinct keys', 512),
    intParam('hold', 'recently used values kept alive', 32),
    ratioParam('reuse', 'probability a request repeats a recent key (the configured hit rate)', 0.8),
  ],
  run({ m, types, rng, params, stats }) {
    m.new('cache', types.list, { growable: true });
    for (let k = 0; k < params.keys; k++) m.append('cache', null);
    m.new('recent', types.list, { growable: true });
    for (let k = 0; k < params.hold; k++) m.append('recent', null);
    const recentKeys: number[] = [];
    let hits = 0;
    for (let r = 0; r < params.requests; r++) {
      const key =
        recentKeys.length > 0 && rng.chance(params.reuse)
          ? recentKeys[rng.int(recentKeys.length)]
          : rng.int(params.keys);
      m.load('wr', 'cache', key);
      if (m.get('wr') !== NULL_REF && m.deref('value', 'wr')) {
        hits++;
      } else {
        m.new('value', types.node, { slots: 1, size: 64 + 32 * rng.int(8) });
        m.new('payload', types.leaf, { payload: key });
        m.link('value', 0, 'payload');
        m.weakref('wr', types.weakref, 'value');
        m.link('cache', key, 'wr');
      }
      m.link('recent', r % params.hold, 'value');
      recentKeys[r % params.hold] = key;
    }
    for (const name of ['wr', 'value', 'payload']) m.unbind(name);
    stats.hits = hits;
    stats.hitRate = params.requests === 0 ? 0 : hits / params.requests;
  },
};
