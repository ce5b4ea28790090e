import { intParam, type Workload } from '../workload.js';

/** Short-lived temporaries: each call builds a small chain of objects that dies when it returns. */
export const churnWorkload: Workload = {
  name: 'churn',
  description: 'allocation churn: calls that build short-lived chains of temporaries and return',
  params: [
    intParam('calls', 'function calls made', 3000),
    intParam('temporaries', 'objects each call allocates', 8, 1, 1000),
  ],
  run({ m, types, rng, params }) {
    for (let call = 0; call < params.calls; call++) {
      m.call('work', ['head', 'tmp', 'n'], () => {
        for (let k = 0; k < params.temporaries; k++) {
          m.new('tmp', types.node, { slots: 2, size: 32 + 16 * rng.int(8) });
          m.link('tmp', 0, 'head');
          m.new('n', types.leaf, { payload: k });
          m.link('tmp', 1, 'n');
          m.bind('head', 'tmp');
        }
      });
    }
  },
};
