import { NULL_REF } from '@heaplab/core';
import { intParam, type Workload } from '../workload.js';

const DEGREE = 4;

/**
 * A random graph whose edges keep being rewired: each step walks a short random path from a root
 * and points one edge at a new node or at another root, so subgraphs (often cyclic) keep
 * becoming garbage.
 */
export const graphWorkload: Workload = {
  name: 'graph',
  description: 'random graph rewiring: edges repointed at new or existing nodes, orphaning subgraphs',
  params: [
    intParam('roots', 'entry nodes held by a global list', 64),
    intParam('steps', 'rewiring steps', 12000),
    intParam('walk', 'longest random walk before a rewire', 4, 0, 1000),
  ],
  run({ m, types, rng, params }) {
    m.new('roots', types.list, { growable: true });
    for (let k = 0; k < params.roots; k++) {
      m.new('node', types.node, { slots: DEGREE });
      m.append('roots', 'node');
    }
    for (let s = 0; s < params.steps; s++) {
      m.load('cur', 'roots', rng.int(params.roots));
      const hops = rng.int(params.walk + 1);
      for (let h = 0; h < hops; h++) {
        m.load('next', 'cur', rng.int(DEGREE));
        if (m.get('next') === NULL_REF) break;
        m.bind('cur', 'next');
      }
      const choice = rng.int(10);
      if (choice < 6) {
        m.new('node', types.node, { slots: DEGREE });
        m.link('cur', rng.int(DEGREE), 'node');
      } else if (choice < 9) {
        m.load('other', 'roots', rng.int(params.roots));
        m.link('cur', rng.int(DEGREE), 'other');
      } else {
        m.new('node', types.node, { slots: DEGREE });
        m.link('node', 0, 'cur');
        m.link('roots', rng.int(params.roots), 'node');
      }
    }
    for (const name of ['cur', 'next', 'node', 'other']) m.unbind(name);
  },
};
