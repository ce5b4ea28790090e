import { intParam, ratioParam, type Workload } from '../workload.js';

/**
 * Objects with finalizers, some alone, some holding children, some in two-object cycles (which a
 * cycle collector must finalize before it may free them).
 */
export const finalizersWorkload: Workload = {
  name: 'finalizers',
  description: 'finalizer-heavy objects: alone, owning children, and in cycles',
  params: [
    intParam('objects', 'objects with finalizers made', 3000),
    ratioParam('cyclic', 'fraction made in two-object cycles', 0.25),
    intParam('batch', 'objects kept alive together before a batch is dropped', 50),
  ],
  run({ m, types, rng, params }) {
    m.new('batch', types.list, { growable: true });
    for (let k = 0; k < params.objects; k++) {
      m.new('obj', types.fin, { slots: 2 });
      if (rng.chance(params.cyclic)) {
        m.new('peer', types.fin, { slots: 2 });
        m.link('obj', 0, 'peer');
        m.link('peer', 0, 'obj');
      } else {
        m.new('child', types.node, { slots: 1 });
        m.link('obj', 1, 'child');
      }
      m.append('batch', 'obj');
      if ((k + 1) % params.batch === 0) m.truncate('batch', 0);
    }
    for (const name of ['obj', 'peer', 'child', 'batch']) m.unbind(name);
  },
};
