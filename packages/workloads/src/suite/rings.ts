import { intParam, type Workload } from '../workload.js';

/** Rings of objects of random sizes (a size of one is a self-reference), each dropped at once. */
export const ringsWorkload: Workload = {
  name: 'rings',
  description: 'rings of cyclic garbage of varying sizes, from self-loops to long rings',
  params: [
    intParam('rings', 'rings made and dropped', 1500),
    intParam('maxSize', 'largest ring', 24, 1, 100_000),
  ],
  run({ m, types, rng, params, stats }) {
    let objects = 0;
    for (let r = 0; r < params.rings; r++) {
      const size = 1 + rng.int(params.maxSize);
      objects += size;
      m.call('ring', ['first', 'last', 'cell'], () => {
        m.new('first', types.node, { slots: 1 });
        m.bind('last', 'first');
        for (let k = 1; k < size; k++) {
          m.new('cell', types.node, { slots: 1 });
          m.link('last', 0, 'cell');
          m.bind('last', 'cell');
        }
        m.link('last', 0, 'first');
      });
    }
    stats.ringObjects = objects;
  },
};
