import { intParam, type Workload } from '../workload.js';

/** A long-lived structure that keeps growing, with some garbage made along the way. */
export const growthWorkload: Workload = {
  name: 'growth',
  description: 'long-lived growth: a global list that only grows, with a little garbage per item',
  params: [
    intParam('items', 'objects added to the long-lived list', 6000),
    intParam('garbage', 'short-lived objects made per item', 2, 0, 1000),
  ],
  run({ m, types, rng, params }) {
    m.new('store', types.list, { growable: true });
    for (let k = 0; k < params.items; k++) {
      m.new('item', types.node, { slots: 1, size: 48 + 8 * rng.int(16) });
      m.new('value', types.leaf, { payload: k });
      m.link('item', 0, 'value');
      m.append('store', 'item');
      for (let g = 0; g < params.garbage; g++) m.new('scratch', types.leaf, { payload: g });
    }
    m.unbind('item');
    m.unbind('value');
    m.unbind('scratch');
  },
};
