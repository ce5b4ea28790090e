import { testCollector } from '@heaplab/core/testing';
import { createRefcountCollector } from '../src/index.js';

// The kit's property tests check, after every operation, that nothing reachable was freed, that
// no acyclic garbage is left (it must be freed at once) and that nothing on or under a garbage
// cycle was ever freed: together, refcount frees exactly the acyclic garbage.
testCollector(createRefcountCollector, { runs: 2000, longRuns: 8, chainLength: 1_000_000 });
