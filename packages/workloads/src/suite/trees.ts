import { intParam, type Workload, type WorkloadContext } from '../workload.js';

/** Slots of a tree node: left child, right child, parent. */
const LEFT = 0;
const PARENT = 2;

/**
 * Doubly linked lists and binary trees whose nodes point back at their parents: every link is a
 * two-object cycle, so reference counting alone never frees them.
 */
export const treesWorkload: Workload = {
  name: 'trees',
  description: 'linked lists and trees with parent back-pointers (cycles), built and dropped',
  params: [
    intParam('rounds', 'structures built and dropped', 16),
    intParam('depth', 'tree depth', 8, 1, 16),
    intParam('length', 'doubly linked list length', 300),
  ],
  run(context) {
    const { m, params } = context;
    for (let round = 0; round < params.rounds; round++) {
      buildTree(context, params.depth);
      buildList(context, params.length);
      m.unbind('tree');
      m.unbind('list');
    }
  },
};

function buildTree({ m, types }: WorkloadContext, depth: number): void {
  m.new('tree', types.node, { slots: 3 });
  m.call('build', ['node', 'child'], () => {
    // Breadth first through a queue of paths from the root, so no host recursion is needed.
    let level: number[][] = [[]];
    for (let d = 1; d < depth; d++) {
      const next: number[][] = [];
      for (const path of level) {
        for (const side of [LEFT, LEFT + 1]) {
          m.bind('node', 'tree');
          for (const step of path) m.load('node', 'node', step);
          m.new('child', types.node, { slots: 3 });
          m.link('child', PARENT, 'node');
          m.link('node', side, 'child');
          next.push([...path, side]);
        }
      }
      level = next;
    }
  });
}

function buildList({ m, types }: WorkloadContext, length: number): void {
  m.new('list', types.node, { slots: 2 });
  m.call('build', ['tail', 'cell'], () => {
    m.bind('tail', 'list');
    for (let k = 1; k < length; k++) {
      m.new('cell', types.node, { slots: 2 });
      m.link('cell', 1, 'tail');
      m.link('tail', 0, 'cell');
      m.bind('tail', 'cell');
    }
  });
}
