import { testCollector } from '@heaplab/core/testing';
import { createMarkSweepCollector } from '../src/index.js';

// The kit checks after every full collection of its random programs that no unreachable object
// is left, and after every operation that nothing reachable was freed.
testCollector(createMarkSweepCollector, { runs: 2000, longRuns: 8 });

// The same with a tiny growth trigger, so collections also run inside allocations.
testCollector(createMarkSweepCollector, {
  name: 'marksweep (collecting at allocations)',
  options: { minimumBytes: 64, growth: 0.5 },
  runs: 1000,
  longRuns: 4,
});
