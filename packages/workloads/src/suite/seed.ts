import { intParam, type Workload } from '../workload.js';

/**
 * The seed example, repeated: an int rebound by `*=` gets a new object (a new `id()`), and a weak
 * reference to an instance reads dead once the last strong reference goes, at once under
 * reference counting, only after a collection under tracing collectors.
 */
export const seedWorkload: Workload = {
  name: 'seed',
  description:
    'the seed example: an int rebound by *=, a weakref that reads dead once the last strong ref goes',
  params: [intParam('rounds', 'times the example runs', 400)],
  run({ m, types, params, stats }) {
    let deadReads = 0;
    for (let round = 0; round < params.rounds; round++) {
      m.new('my_int1', types.leaf, { payload: 10 });
      m.new('my_object', types.node);
      m.new('my_int1', types.leaf, { payload: 20 });
      m.weakref('my_object2', types.weakref, 'my_object');
      m.deref('probe', 'my_object2');
      m.unbind('probe');
      m.bind('my_object', null);
      if (!m.deref('probe', 'my_object2')) deadReads++;
      m.unbind('probe');
    }
    stats.deadReads = deadReads;
  },
};
