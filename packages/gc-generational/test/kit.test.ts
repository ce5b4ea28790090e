import { testCollector } from '@heaplab/core/testing';
import { createGenerationalCollector } from '../src/index.js';

// Collections run inside allocations and the kit verifies each one against the oracle, so the
// deep-release chain is shorter than the default (still far past any host recursion limit).
testCollector(createGenerationalCollector, { runs: 300, longRuns: 4, chainLength: 60_000 });
testCollector(createGenerationalCollector, {
  name: 'generational (cpython-3.12)',
  options: { profile: 'cpython-3.12' },
  runs: 150,
  longRuns: 2,
});
testCollector(createGenerationalCollector, {
  name: 'generational (cpython-3.14)',
  options: { profile: 'cpython-3.14' },
  runs: 150,
  longRuns: 2,
});
