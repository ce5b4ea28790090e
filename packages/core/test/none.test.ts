import { createNoneCollector } from '../src/index.js';
import { testCollector } from '../src/testing/index.js';

testCollector(createNoneCollector, { runs: 300, longRuns: 3 });
